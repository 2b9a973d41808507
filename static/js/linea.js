// The timeline's keys (templates/schedules/_linea.html), called from keys.js's one key map:
// ←/→ scroll, +/- zoom, t today, [ / ] move the selected OT's programmed dates a day (Shift: a
// week), b saves them through the OT edit (the server answers the row and a toast with the
// conflicts it leaves). j/k and Enter are keys.js's own row keys (tbody[data-rows]).
(function () {
  "use strict";
  const DAY = 86400000;
  function linea() { return document.getElementById("linea"); }
  function scroller() { const l = linea(); return l && l.querySelector(".linea-scroll"); }
  function px() { const l = linea(); return l ? parseFloat(l.dataset.px) || 1 : 1; }
  function iso(d) { return new Date(d).toISOString().slice(0, 10); }
  function shift(s, days) { return iso(Date.parse(s + "T00:00:00Z") + days * DAY); }
  function fmt(s) { const p = s.split("-"); return p[2] + "/" + p[1] + "/" + p[0]; }

  function zoom(step) {
    const sel = document.querySelector("select[data-zoom]");
    if (!sel) return false;
    const i = Math.max(0, Math.min(sel.options.length - 1, sel.selectedIndex + step));
    if (i === sel.selectedIndex) return true;
    sel.selectedIndex = i;
    // A new zoom takes its own window around today.
    ["f-desde", "f-hasta"].forEach(function (id) { const el = document.getElementById(id); if (el) el.value = ""; });
    sel.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function today() {
    const l = linea();
    if (!l) return false;
    const x = l.dataset.hoyX;
    if (!x) { const a = l.querySelector("[data-hoy]"); if (a) a.click(); return true; }
    const sc = scroller();
    sc.scrollLeft = Math.max(0, parseFloat(x) - sc.clientWidth / 3);
    return true;
  }

  // The pending move of the selected row: its shown bar follows, nothing is saved before `b`.
  function move(tr, days) {
    if (!tr || !tr.dataset.i) return false;
    const moved = parseInt(tr.dataset.moved || "0", 10) + days;
    tr.dataset.moved = String(moved);
    tr.classList.toggle("tl-moved", moved !== 0);
    // The bar follows (SVG attributes: no inline style, which the CSP refuses).
    const bar = tr.querySelector("rect.programado");
    if (bar) {
      if (!bar.dataset.x0) bar.dataset.x0 = bar.getAttribute("x");
      bar.setAttribute("x", String(parseFloat(bar.dataset.x0) + moved * px()));
    }
    const out = document.getElementById("linea-pendiente");
    if (out) {
      out.textContent = moved === 0 ? "" :
        tr.querySelector("a[data-open]").textContent + ": del " + fmt(shift(tr.dataset.i, moved)) + " al " +
        fmt(shift(tr.dataset.f, moved)) + " (" + (moved > 0 ? "+" : "") + moved + " d). b guarda.";
    }
    return true;
  }

  function save(tr) {
    const l = linea();
    if (!tr || !l || !l.dataset.mover || !window.htmx) return false;
    const moved = parseInt(tr.dataset.moved || "0", 10);
    if (!moved) return true;
    window.htmx.ajax("POST", l.dataset.mover, {
      target: tr, swap: "outerHTML",
      values: { id: tr.id.replace("tl-", ""), version: tr.dataset.v,
        fecha_inicio_programado: shift(tr.dataset.i, moved), fecha_termino_programado: shift(tr.dataset.f, moved) },
    });
    const out = document.getElementById("linea-pendiente");
    if (out) out.textContent = "";
    return true;
  }

  window.lineaTiempo = {
    act: function (key, sel, e) {
      if (!linea()) return false;
      const sc = scroller();
      switch (e.code === "BracketLeft" ? "[" : e.code === "BracketRight" ? "]" : key) {
        case "ArrowLeft": case "ArrowRight":
          sc.scrollLeft += (key === "ArrowLeft" ? -1 : 1) * sc.clientWidth / 4; return true;
        case "+": return zoom(-1);  // closer: fewer days
        case "-": return zoom(1);
        case "t": return today();
        case "[": return move(sel, e.shiftKey ? -7 : -1);
        case "]": return move(sel, e.shiftKey ? 7 : 1);
        case "b": return save(sel);
        default: return false;
      }
    },
  };
})();
