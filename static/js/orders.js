// OT pages: pickers (datalist → hidden id + filled fields), dialogs, clean list URLs, focus after swaps.
// No inline scripts anywhere (CSP): everything is wired here through data-* attributes.
(function () {
  "use strict";

  // ---- Pickers: <input list=... data-picker="hidden-id">; each <option> carries data-id and data-fill (JSON).
  function syncPicker(input) {
    const hidden = document.getElementById(input.dataset.picker);
    const list = document.getElementById(input.getAttribute("list"));
    if (!hidden || !list) return;
    const option = Array.prototype.find.call(list.options, function (o) { return o.value === input.value; });
    if (!option) {
      if (input.value.trim() === "") hidden.value = "";
      return;
    }
    if (hidden.value === option.dataset.id) return;
    hidden.value = option.dataset.id;
    let fill = {};
    try { fill = JSON.parse(option.dataset.fill || "{}"); } catch (e) { fill = {}; }
    Object.keys(fill).forEach(function (id) {
      const el = document.getElementById(id);
      if (el && fill[id] !== "") {
        el.value = fill[id];
        el.classList.add("filled");
        setTimeout(function () { el.classList.remove("filled"); }, 900);
      }
    });
  }
  document.addEventListener("input", function (e) {
    const t = e.target;
    if (t.matches && t.matches("input[data-picker]")) {
      const hidden = document.getElementById(t.dataset.picker);
      if (hidden) hidden.value = "";
      syncPicker(t);
    }
  });
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("input[data-picker]")) syncPicker(e.target);
  });

  // ---- Export links: the list's current filters and sort (the URL htmx pushed), every page.
  document.addEventListener("click", function (e) {
    const a = e.target.closest && e.target.closest("a[data-export]");
    if (!a) return;
    const params = new URLSearchParams(location.search);
    params.delete("page");
    params.set("formato", a.dataset.export);
    const url = new URL(a.href, location.href);
    url.search = params.toString();
    a.href = url.toString();
  });

  // ---- Dialogs: [data-open-dialog=id] opens (after htmx filled it when it has hx-get).
  function openDialog(id) {
    const d = document.getElementById(id);
    if (d && !d.open) d.showModal();
    return d;
  }
  document.addEventListener("click", function (e) {
    const opener = e.target.closest && e.target.closest("[data-open-dialog]");
    if (opener) {
      if (opener.hasAttribute("hx-get")) {
        e.preventDefault(); // htmx loads the content; we open after the swap
        return;
      }
      e.preventDefault();
      const d = openDialog(opener.dataset.openDialog);
      const focus = d && d.querySelector("[autofocus]");
      if (focus) focus.focus();
      return;
    }
    const closer = e.target.closest && e.target.closest("[data-close-dialog]");
    if (closer) {
      const d = closer.closest("dialog");
      if (d) { e.preventDefault(); d.close(); }
    }
  });

  // ---- The list's chains: [data-expand] on a current version's row shows its earlier versions under
  // it (rows from /ot/<id>/versiones/filas) and hides them again; `+` / `-` click it (keys.js).
  // A row's URL: the tbody's prefix (data-base, "/ot/") and the row's id ("ot-12" or "v-12").
  function rowUrl(tr) {
    return tr.closest("tbody").dataset.base + tr.id.slice(tr.id.indexOf("-") + 1);
  }
  document.addEventListener("click", function (e) {
    const toggle = e.target.closest && e.target.closest("[data-expand]");
    if (!toggle) return;
    e.preventDefault();
    const tr = toggle.closest("tr");
    const open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
    if (open) {
      document.querySelectorAll("tr[data-chain-child='" + toggle.dataset.expand + "']").forEach(function (r) { r.remove(); });
    } else {
      htmx.ajax("GET", rowUrl(tr) + "/versiones/filas", { source: toggle, target: tr, swap: "afterend" });
    }
  });

  // ---- The list rows as they arrive (the page, a swapped list, one refreshed row, a chain's versions):
  // each gets its checkbox, written from its id and version (data-v) and named by its folio, and each
  // row that asks (data-acciones, data-restaurar) a copy of its actions in its last cell, the link
  // pointing at its OT. The server sends neither 50 times (issue 20).
  const ROW = "#ot-rows > tr[data-v]";
  function fillActions(root) {
    if (!root || !root.querySelectorAll) return;
    const rows = root.matches && root.matches(ROW) ? [root] : root.querySelectorAll(ROW);
    Array.prototype.forEach.call(rows, function (tr) {
      const first = tr.firstElementChild;
      if (first && !first.firstElementChild) {
        const box = document.createElement("input");
        box.type = "checkbox";
        box.name = "ots";
        box.value = tr.id.replace(/^\D+/, "") + ":" + tr.dataset.v;
        const folio = tr.querySelector("a[data-open]");
        box.setAttribute("aria-label", "Seleccionar " + (folio ? folio.textContent : ""));
        first.appendChild(box);
      }
      if (!tr.hasAttribute("data-acciones") && !tr.hasAttribute("data-restaurar")) return;
      const cell = tr.lastElementChild;
      const tpl = document.getElementById(tr.hasAttribute("data-restaurar") ? "ot-restaurar" : "ot-acciones");
      if (!cell || !tpl || cell.firstElementChild) return;
      cell.appendChild(tpl.content.cloneNode(true));
      const link = cell.querySelector("a[data-reprogram]");
      if (link) link.href = rowUrl(tr) + "/reprogramar";
    });
  }
  document.addEventListener("htmx:load", function (e) { fillActions(e.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { fillActions(document); });

  // ---- The list rows' actions, declared once for every row (event delegation, issue 20): edit in
  // place (the row becomes its form), the status dialog (back to this very list view afterwards),
  // restore a deleted OT (the row answers for itself: HX-Target is its id).
  document.addEventListener("click", function (e) {
    const b = e.target.closest && e.target.closest("#ot-rows [data-edit], #ot-rows [data-status], #ot-rows [data-restore]");
    if (!b) return;
    e.preventDefault();
    const tr = b.closest("tr");
    const url = rowUrl(tr);
    if (b.hasAttribute("data-edit")) {
      htmx.ajax("GET", url + "/fila/editar", { source: b, target: tr, swap: "outerHTML" });
    } else if (b.hasAttribute("data-status")) {
      const back = encodeURIComponent(location.pathname + location.search);
      htmx.ajax("GET", url + "/estatus?volver=" + back, { source: b, target: "#ot-dialog-body", swap: "innerHTML" });
    } else {
      htmx.ajax("POST", url + "/restaurar", { source: b, target: tr, swap: "outerHTML" });
    }
  });

  // ---- A filter chip's × (the dashboard's filters on the OT list): the chip, and so its hidden field,
  // leaves the form, which applies itself again (one click or Enter; the link is the no-script way).
  document.addEventListener("click", function (e) {
    const x = e.target.closest && e.target.closest("a[data-remove-filter]");
    if (!x) return;
    const form = x.closest("form");
    const chip = x.closest("[data-chip]");
    if (!form || !chip) return;
    e.preventDefault();
    const group = chip.closest(".chips");
    const next = chip.nextElementSibling || chip.previousElementSibling;
    chip.remove();
    if (group && !group.querySelector("[data-chip]")) group.remove();
    const focus = next && next.querySelector("a[data-remove-filter]");
    if (focus) focus.focus();  // the next chip, so Enter again removes it; the last one: the page's keys
    form.requestSubmit();
  });

  // ---- GET forms marked data-clean-params: empty fields stay out of the URL.
  document.addEventListener("htmx:configRequest", function (e) {
    const elt = e.detail.elt;
    if (e.detail.verb !== "get" || !elt.closest || !elt.closest("[data-clean-params]")) return;
    const params = e.detail.parameters;
    const remove = [];
    const keys = params instanceof FormData ? Array.from(params.keys()) : Object.keys(params);
    keys.forEach(function (k) {
      const v = params instanceof FormData ? params.get(k) : params[k];
      if (v === "" || v === null || v === undefined) remove.push(k);
    });
    remove.forEach(function (k) { if (params instanceof FormData) params.delete(k); else delete params[k]; });
  });

  // ---- After a swap: open the dialog that was filled, focus something sensible.
  function focusIn(root) {
    if (!root || !root.querySelector) return false;
    const invalid = root.querySelector("[aria-invalid='true']");
    if (invalid) { invalid.focus(); return true; }
    const auto = root.querySelector("[autofocus]");
    if (auto) { auto.focus(); return true; }
    return false;
  }

  document.addEventListener("htmx:afterSettle", function (e) {
    const target = e.detail.target;
    if (!target) return;
    if (target.id === "ot-dialog-body") {
      const d = openDialog("ot-dialog");
      if (!focusIn(d)) {
        const first = d.querySelector("select, input:not([type=hidden]), textarea");
        if (first) first.focus();
      }
      return;
    }
    // Any other dialog's body ([data-dialog-body], e.g. the PTE form): open its dialog, focus a field.
    if (target.matches && target.matches("[data-dialog-body]")) {
      const d = target.closest("dialog");
      if (d && !d.open) d.showModal();
      if (!focusIn(target)) {
        const first = target.querySelector("select, input:not([type=hidden]), textarea");
        if (first) first.focus();
      }
      return;
    }
    // Pickers: options arrived, the typed text may now match one.
    if (target.tagName === "DATALIST") {
      const input = document.querySelector("input[list='" + target.id + "']");
      if (input) syncPicker(input);
      return;
    }
    if (target.id === "ot-form" || (target.closest && target.closest("#ot-form"))) {
      const form = document.getElementById("ot-form");
      if (target.id === "ot-form" || e.detail.requestConfig && e.detail.requestConfig.verb === "post") {
        if (!focusIn(form)) {
          const conflict = form && form.querySelector(".conflict");
          if (conflict) { const b = conflict.querySelector("button"); if (b) b.focus(); }
        }
      }
    }
  });

  // A form swapped after an error is a new element: htmx:afterSettle's target is stale, so catch the new one.
  document.addEventListener("htmx:load", function (e) {
    const elt = e.detail.elt;
    // Forms marked data-focus-invalid (the PTE form): the first field with an error.
    if (elt && elt.matches && elt.matches("form[data-focus-invalid]")) { focusIn(elt); return; }
    if (elt && elt.id === "ot-form" && elt.querySelector("[aria-invalid='true'], .conflict")) {
      if (!focusIn(elt)) { const b = elt.querySelector(".conflict button"); if (b) b.focus(); }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("ot-form");
    if (form) {
      if (!focusIn(form)) {
        const first = form.querySelector("select, input:not([type=hidden]), textarea");
        if (first) first.focus();
      }
    }
  });
})();

// ---- The list's selection (x, Shift+j/k in keys.js, the checkboxes) and its bulk actions: one
// set of listeners on the document for every row, none per row.
(function () {
  "use strict";
  const BOXES = "#ot-rows input[name=ots]";

  function checked() { return Array.prototype.slice.call(document.querySelectorAll(BOXES + ":checked")); }
  function count() {
    const out = document.getElementById("sel-n");
    if (!out) return;
    const n = checked().length;
    out.textContent = n === 0 ? "Ninguna seleccionada" : (n === 1 ? "1 seleccionada" : n + " seleccionadas");
    const all = document.querySelector("[data-select-all]");
    const boxes = document.querySelectorAll(BOXES);
    if (all) { all.checked = n > 0 && n === boxes.length; all.indeterminate = n > 0 && n < boxes.length; }
  }
  window.otSelection = { count: count, checked: checked };

  // The bulk status asks for the real date only when the chosen status stamps one (its option says
  // which, data-fecha), and names it: "Término real" for Terminada, "Inicio real" for En ejecución.
  function showStatusDate(select) {
    const opt = select.selectedOptions[0];
    const field = document.getElementById("m-fecha-campo");
    if (!field) return;
    const label = opt && opt.dataset.fecha;
    field.hidden = !label;
    document.getElementById("m-fecha").disabled = !label;
    if (label) document.getElementById("m-fecha-label").textContent = label;
  }
  document.addEventListener("input", function (e) {
    // Typing a date or a comment is for the status action (the hidden `accion` follows).
    const t = e.target;
    if (t.matches && t.matches("#masivo input[data-accion]")) t.form.elements.accion.value = t.dataset.accion;
  });
  document.addEventListener("click", function (e) {
    const x = e.target.closest && e.target.closest("[data-dismiss]");
    if (!x) return;
    const box = document.getElementById(x.dataset.dismiss);
    if (box) { box.hidden = true; box.replaceChildren(); }
  });

  document.addEventListener("change", function (e) {
    const t = e.target;
    if (t.matches && t.matches("[data-select-all]")) {
      document.querySelectorAll(BOXES).forEach(function (b) { b.checked = t.checked; });
      count();
    } else if (t.matches && t.matches(BOXES)) {
      count();
    } else if (t.matches && t.matches("#masivo select[data-accion]")) {
      t.form.elements.accion.value = t.dataset.accion;
      if (t.id === "m-estatus") showStatusDate(t);
    }
  });
  document.addEventListener("click", function (e) {
    const button = e.target.closest && e.target.closest("#masivo button[data-accion]");
    if (button) { button.form.elements.accion.value = button.dataset.accion; return; }
    const link = e.target.closest && e.target.closest("a[data-export-seleccion]");
    if (!link) return;
    e.preventDefault();
    const ids = checked().map(function (b) { return b.value.split(":")[0]; });
    if (!ids.length) {
      document.body.dispatchEvent(new CustomEvent("toast", { detail: { message: "Seleccione al menos una OT (x).", kind: "error" } }));
      return;
    }
    window.location.assign(link.href + "&ots=" + ids.join(","));
  });
  // No selection, no request: say so here instead of a round trip.
  document.addEventListener("htmx:confirm", function (e) {
    if (e.detail.elt.id !== "masivo" || checked().length) return;
    e.preventDefault();
    document.body.dispatchEvent(new CustomEvent("toast", { detail: { message: "Seleccione al menos una OT (x).", kind: "error" } }));
  });
  document.addEventListener("htmx:afterSettle", count);
})();

// ---- A list cell the table clipped shows its whole text as a tooltip: set on hover, for every row at
// once (one listener), instead of a title attribute repeated in each row's markup.
// The row's buttons and progress bar get theirs the same way: said once here, not in 50 rows' markup.
document.addEventListener("mouseover", function (e) {
  const td = e.target.closest && e.target.closest("#ot-rows td");
  if (!td || td.hasAttribute("title")) return;
  const button = e.target.closest("button[aria-label], a[aria-label]");
  if (button) { if (!button.title) button.title = button.getAttribute("aria-label"); return; }
  const bar = td.querySelector("progress");
  if (bar) {
    const n = td.querySelector("small").textContent.split("/");  // "2/7"
    td.title = n[0] + " de " + n[1] + " pasos completados (" + bar.textContent.trim() + ")";
  } else if (td.scrollWidth > td.clientWidth && !td.querySelector("button")) {
    td.title = td.textContent.replace(/\s+/g, " ").trim();
  }
});
