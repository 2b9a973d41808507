// Keyboard shortcuts, declared once; the `?` overlay (static/help.html, loaded into templates/orders/_help.html) lists them all.
// Ignored while typing in a field, except Esc (cancel/close) and Ctrl+Enter (save).
(function () {
  "use strict";

  // Any table body marked data-rows takes part (OT list, steps, catalogs, PTE).
  const ROWS = "#ot-rows > tr[data-row], #pasos > tbody > tr[data-row], [data-rows] > tr[data-row]";

  // The program grid's keys (templates/schedules/_programa_grid.html; programa.js acts): they work
  // while typing in a cell, where every other shortcut is off.
  const GRID_KEYS = {
    "Enter": "down",
    "Shift+Enter": "up",
    "Alt+Enter": "add",
    "Alt+Delete": "delete",
    "Alt+Backspace": "delete",
    "Alt+ArrowRight": "activity",
    "Alt+ArrowLeft": "phase",
    "Alt+ArrowUp": "row-up",
    "Alt+ArrowDown": "row-down",
  };
  function gridKey(e) { return (e.altKey ? "Alt+" : "") + (e.shiftKey ? "Shift+" : "") + e.key; }

  function typing(el) {
    // A row's checkbox holds the focus after a click: the keys still work there.
    if (el && el.tagName === "INPUT" && el.type === "checkbox") return false;
    return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  function box(tr) { return tr && tr.querySelector("input[name=ots]"); }
  function check(tr, on) {
    const b = box(tr);
    if (!b) return false;
    b.checked = on === undefined ? !b.checked : on;
    if (window.otSelection) window.otSelection.count();
    return true;
  }
  function click(el) { if (el) el.click(); return !!el; }
  function rows() {
    return Array.prototype.slice.call(
      document.querySelectorAll(ROWS));
  }
  let lastSelected = null; // survives a swap that replaced the selected row
  function current() {
    return document.querySelector("tr[data-row].selected") ||
      (lastSelected && document.getElementById(lastSelected)) || null;
  }

  function select(tr, focus) {
    rows().forEach(function (r) {
      if (r !== tr) { r.classList.remove("selected"); r.removeAttribute("aria-selected"); }
    });
    if (!tr) return;
    lastSelected = tr.id;
    tr.classList.add("selected");
    tr.setAttribute("aria-selected", "true");
    tr.setAttribute("tabindex", "-1");
    if (focus !== false) tr.focus({ preventScroll: true });
    tr.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = rows();
    if (!all.length) return false;
    const i = all.indexOf(current());
    const next = i < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, i + step));
    select(all[next]);
    return true;
  }

  function toggleHelp() {
    const help = document.getElementById("help");
    if (!help) return;
    if (help.open) { help.close(); return; }
    help.showModal();
    // Its text comes once, from the static help.html (the dialog's data-src).
    const body = document.getElementById("help-body");
    if (body && !body.firstElementChild && help.dataset.src && window.htmx) {
      htmx.ajax("GET", help.dataset.src, { target: body, swap: "innerHTML" });
    }
  }

  function formFor(target) {
    const dlg = document.querySelector("dialog[open]");
    return (target.closest && target.closest("form")) ||
      (dlg && dlg.querySelector("form:not([method=dialog])")) ||
      document.querySelector("form[data-ctrl-enter]");
  }

  document.addEventListener("keydown", function (e) {
    const t = e.target;
    const editing = (t.closest && t.closest("tr.editing")) || null;
    const dlg = document.querySelector("dialog[open]");

    if (e.key === "Escape") {
      const row = editing || (!dlg && document.querySelector("tr.editing"));
      if (row) { e.preventDefault(); click(row.querySelector("[data-cancel]")); return; }
      if (dlg) return; // the dialog closes itself (cancel event)
      if (typing(t)) { t.blur(); }
      return;
    }
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      if (editing) { e.preventDefault(); click(editing.querySelector("[data-save]")); return; }
      const form = formFor(t);
      if (form) { e.preventDefault(); form.requestSubmit(); }
      return;
    }
    const inGrid = t.closest && t.closest("[data-grid] tr[data-grid-row]");
    if (inGrid && !e.ctrlKey && !e.metaKey && t.tagName !== "BUTTON" && window.programGrid) {
      const action = GRID_KEYS[gridKey(e)];
      if (action && window.programGrid.act(action, t)) { e.preventDefault(); return; }
    }
    // A grid marked data-enter-next (the cut-off grid): Enter goes to the next field, as Tab does.
    const grid = t.closest && t.closest("[data-enter-next]");
    if (e.key === "Enter" && !e.shiftKey && grid && t.tagName === "INPUT") {
      const fields = Array.prototype.slice.call(grid.querySelectorAll("input:not([type=hidden]), textarea"));
      const next = fields[fields.indexOf(t) + 1];
      e.preventDefault();
      if (next) { next.focus(); if (next.select) next.select(); }
      return;
    }
    if (e.key === "Enter" && editing && t.tagName !== "BUTTON") {
      e.preventDefault();
      click(editing.querySelector("[data-save]"));
      return;
    }
    // From the search box, ↓ goes down into the results.
    if (e.key === "ArrowDown" && t.id === "q") {
      e.preventDefault();
      t.blur();
      move(1);
      return;
    }
    if (typing(t) || e.altKey || e.ctrlKey || e.metaKey) return;
    if (dlg && !(dlg.id === "help" && e.key === "?")) return;

    // Row actions wait for the row's previous request: a person types "1" then "c" faster than the
    // step's row comes back, and "c" must act on the swapped row, not on the one being replaced
    // (tests/browser/test_orders.py::test_step_keys_1_to_4_c_and_the_help_overlay types "k", "1", "c").
    const rowKey = /^[1-4cdels]$/.test(e.key) || (e.key === "Enter" && (t === current() || t === document.body));
    if (rowKey && inflight()) {
      e.preventDefault();
      const key = e.key;
      queue.push(function () { act(key, document.body, e); });
      return;
    }
    act(e.key, t, e);
  });

  const queue = [];
  function inflight() {
    return document.querySelector("#ot-rows .htmx-request, #pasos .htmx-request, tr.htmx-request, " +
      "tr.htmx-swapping, tr.htmx-settling, tr.htmx-added");
  }
  function drain() { while (queue.length && !inflight()) queue.shift()(); }
  document.addEventListener("htmx:afterRequest", function () { setTimeout(drain, 60); });

  // "g" then a letter jumps to the page whose link carries data-jump="letter" (the header nav).
  let jumpUntil = 0;
  function jump(key, e) {
    if (key === "g") { jumpUntil = Date.now() + 1500; e.preventDefault(); return true; }
    if (Date.now() > jumpUntil) return false;
    jumpUntil = 0;
    const link = document.querySelector("a[data-jump='" + key + "']");
    if (link) { e.preventDefault(); link.click(); }
    return true;
  }

  function act(key, t, e) {
    if (jump(key, e)) return;
    const sel = current();
    // The timeline page's own keys (static/js/linea.js): arrows, zoom, today, moving dates.
    if (window.lineaTiempo && window.lineaTiempo.act(key, sel, e)) { e.preventDefault(); return; }
    switch (key) {
      case "?":
        e.preventDefault(); toggleHelp(); break;
      case "/": {
        const q = document.getElementById("q");
        if (q) { e.preventDefault(); q.focus(); q.select(); }
        break;
      }
      case "n": {
        const opener = document.querySelector("[data-new]");
        if (opener && opener.tagName === "INPUT") { e.preventDefault(); opener.focus(); }
        else if (opener) { e.preventDefault(); click(opener); }
        break;
      }
      case "X": {
        // Shift+x: export the list as it is filtered and sorted (orders.js builds the link's URL);
        // x alone selects a row (below).
        if (click(document.querySelector("a[data-export='xlsx']"))) e.preventDefault();
        break;
      }
      case "[": case "]": {
        // A paged grid (the sábana): previous / next page of lines.
        if (click(document.querySelector(key === "[" ? "[data-page-prev]" : "[data-page-next]"))) e.preventDefault();
        break;
      }
      case "j": case "ArrowDown":
        if (move(1)) e.preventDefault(); break;
      case "k": case "ArrowUp":
        if (move(-1)) e.preventDefault(); break;
      case "x":
        if (sel && check(sel)) e.preventDefault();
        break;
      case "J": case "K":
        // Shift+j / Shift+k extend the selection: the row left and the row reached are both selected.
        if (sel) check(sel, true);
        if (move(key === "J" ? 1 : -1)) { check(current(), true); e.preventDefault(); }
        break;
      case "Enter":
        if (sel && (t === sel || t === document.body || t.tagName === "MAIN")) {
          const link = sel.querySelector("a[data-open]");
          if (link) { e.preventDefault(); link.click(); }
        }
        break;
      case "e":
        if (sel && sel.querySelector("[data-edit]")) { e.preventDefault(); click(sel.querySelector("[data-edit]")); }
        else if (click(document.querySelector("[data-edit-page]"))) e.preventDefault();
        break;
      case "c":
        if (sel && click(sel.querySelector("[data-comment]"))) e.preventDefault();
        break;
      case "s":
        // With rows selected, `s` goes to the bulk status (pick it, then Ctrl+Enter applies it).
        if (document.querySelector("#ot-rows input[name=ots]:checked") && document.getElementById("m-estatus")) {
          e.preventDefault(); document.getElementById("m-estatus").focus();
        } else if (sel && sel.querySelector("[data-status]")) { e.preventDefault(); click(sel.querySelector("[data-status]")); }
        else if (click(document.querySelector("[data-status-page]"))) e.preventDefault();
        break;
      case "d":
        if (sel && click(sel.querySelector("[data-dates]"))) e.preventDefault();
        break;
      case "l":
        if (sel && click(sel.querySelector("[data-link]"))) e.preventDefault();
        break;
      case "p":
        // The OT page: edit (or type) the version's program.
        if (click(document.querySelector("[data-edit-program]"))) e.preventDefault();
        break;
      case "r":
        if (sel && sel.querySelector("[data-reprogram]")) { e.preventDefault(); click(sel.querySelector("[data-reprogram]")); }
        else if (click(document.querySelector("[data-reprogram-page]"))) e.preventDefault();
        break;
      case "+": case "-": {
        // A chain's earlier versions under its current version's row (orders.js does the toggling).
        if (!sel) break;
        let row = sel;
        if (sel.dataset.chainChild) {
          if (key === "+") break;
          row = document.querySelector("#ot-rows [data-expand='" + sel.dataset.chainChild + "']");
          row = row && row.closest("tr");
          if (!row) break;
          select(row);
        }
        const toggle = row.querySelector("[data-expand]");
        const open = toggle && toggle.getAttribute("aria-expanded") === "true";
        if (toggle && open === (key === "-")) { e.preventDefault(); toggle.click(); }
        break;
      }
      case "1": case "2": case "3": case "4":
        if (sel && click(sel.querySelector("[data-key='" + key + "']"))) e.preventDefault();
        break;
      default:
        break;
    }
  }

  // Help buttons.
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-help]")) { e.preventDefault(); toggleHelp(); }
  });

  // Clicking a row selects it (the mouse and the keyboard share one selection).
  document.addEventListener("mousedown", function (e) {
    const tr = e.target.closest && e.target.closest(ROWS);
    if (tr && !tr.classList.contains("editing")) select(tr, false);
  });

  // After a row was swapped (saved, cancelled, opened for editing): keep it selected, focus sensibly.
  document.addEventListener("htmx:afterSettle", function (e) {
    const old = e.detail.target;
    if (!old || old.tagName !== "TR" || !old.id) return;
    const tr = document.getElementById(old.id);
    if (!tr) { return; }
    // The selection may have moved on while the request was in flight (fast typists): keep it there.
    const other = document.querySelector("tr[data-row].selected");
    const moved = other && other !== tr;
    if (moved && !tr.classList.contains("editing")) return;
    select(tr, false);
    if (tr.classList.contains("editing")) {
      // htmx already focused the row's [autofocus] field (the first with an error, else the first).
      if (!tr.contains(document.activeElement)) {
        const first = tr.querySelector("[autofocus], input:not([type=hidden]), select, textarea");
        if (first) first.focus();
      }
    } else {
      tr.focus({ preventScroll: true });
    }
    setTimeout(drain, 0);
  });
})();
