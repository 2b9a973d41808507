// Keyboard shortcuts, declared once; the `?` overlay (templates/orders/_help.html) lists them all.
// Ignored while typing in a field, except Esc (cancel/close) and Ctrl+Enter (save).
(function () {
  "use strict";

  function typing(el) {
    return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  function click(el) { if (el) el.click(); return !!el; }
  function rows() {
    return Array.prototype.slice.call(
      document.querySelectorAll("#ot-rows > tr[data-row], #pasos > tbody > tr[data-row]"));
  }
  function current() { return document.querySelector("tr[data-row].selected"); }

  function select(tr, focus) {
    rows().forEach(function (r) {
      if (r !== tr) { r.classList.remove("selected"); r.removeAttribute("aria-selected"); }
    });
    if (!tr) return;
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
    if (help.open) help.close(); else help.showModal();
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

    const sel = current();
    switch (e.key) {
      case "?":
        e.preventDefault(); toggleHelp(); break;
      case "/": {
        const q = document.getElementById("q");
        if (q) { e.preventDefault(); q.focus(); q.select(); }
        break;
      }
      case "n": {
        const opener = document.querySelector("[data-new]");
        if (opener) { e.preventDefault(); click(opener); }
        break;
      }
      case "j": case "ArrowDown":
        if (move(1)) e.preventDefault(); break;
      case "k": case "ArrowUp":
        if (move(-1)) e.preventDefault(); break;
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
      case "1": case "2": case "3": case "4":
        if (sel && click(sel.querySelector("[data-status='" + e.key + "']"))) e.preventDefault();
        break;
      default:
        break;
    }
  });

  // Help buttons.
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-help]")) { e.preventDefault(); toggleHelp(); }
  });

  // Clicking a row selects it (the mouse and the keyboard share one selection).
  document.addEventListener("mousedown", function (e) {
    const tr = e.target.closest && e.target.closest("#ot-rows > tr[data-row], #pasos > tbody > tr[data-row]");
    if (tr && !tr.classList.contains("editing")) select(tr, false);
  });

  // After a row was swapped (saved, cancelled, opened for editing): keep it selected, focus sensibly.
  document.addEventListener("htmx:afterSettle", function (e) {
    const old = e.detail.target;
    if (!old || old.tagName !== "TR" || !old.id) return;
    const tr = document.getElementById(old.id);
    if (!tr) { return; }
    select(tr, false);
    if (tr.classList.contains("editing")) {
      if (!(window.otFocusIn && window.otFocusIn(tr))) {
        const first = tr.querySelector("input, select, textarea");
        if (first) first.focus();
      }
    } else {
      tr.focus({ preventScroll: true });
    }
  });
})();
