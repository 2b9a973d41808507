// The program grid (templates/schedules/_programa_grid.html): add, delete, move and re-level rows,
// move between cells. keys.js declares which key does what (GRID_KEYS); the row buttons do the same.
// Cells are named actividades-<i>-<campo> by their position, renumbered after every change, and the
// predecessors typed as row numbers follow their rows when rows move or go.
(function () {
  "use strict";

  function body() { return document.getElementById("programa-filas"); }
  function rowsOf() { return Array.prototype.slice.call(document.querySelectorAll("#programa-filas > tr[data-grid-row]")); }
  function rowOf(el) { return el && el.closest ? el.closest("tr[data-grid-row]") : null; }
  function colOf(el) { return (el && el.dataset && el.dataset.col) || "nombre"; }
  function focusCell(tr, col) {
    const el = tr && (tr.querySelector("[data-col='" + col + "']") || tr.querySelector("[data-col]"));
    if (!el) return false;
    el.focus();
    if (el.select && el.type !== "checkbox") el.select();
    return true;
  }
  function snapshot() {
    const map = new Map();
    rowsOf().forEach(function (tr, k) { map.set(k + 1, tr); });
    return map;
  }
  function rewrite(text, before, numbers) {
    return text.split(/[,;]/).map(function (s) { return s.trim(); }).filter(Boolean).map(function (part) {
      const m = part.match(/^(\d+)(.*)$/);
      if (!m) return part;
      const tr = before.get(parseInt(m[1], 10));
      if (!tr) return part; // a number that named no row: left for the server to point out
      const n = numbers.get(tr);
      return n ? n + m[2] : null; // a deleted row's link goes with it
    }).filter(function (p) { return p !== null; }).join(", ");
  }
  function renumber(before) {
    const all = rowsOf();
    const numbers = new Map(all.map(function (tr, k) { return [tr, k + 1]; }));
    all.forEach(function (tr, k) {
      tr.querySelector(".row-num").textContent = String(k + 1);
      tr.querySelectorAll("[name^='actividades-']").forEach(function (el) {
        el.name = el.name.replace(/^actividades-\d+-/, "actividades-" + k + "-");
      });
      if (before) {
        const cell = tr.querySelector("[data-col=predecesoras]");
        if (cell) cell.value = rewrite(cell.value, before, numbers);
      }
    });
  }
  function setLevel(tr, nivel) {
    tr.querySelector("[data-nivel]").value = nivel;
    tr.classList.toggle("fase", nivel === "1");
    tr.classList.toggle("actividad", nivel === "2");
    return true;
  }
  function newRow() {
    return document.getElementById("programa-fila-nueva").content.firstElementChild.cloneNode(true);
  }
  function insertAfter(tr) {
    const before = snapshot();
    const row = newRow();
    if (tr) tr.after(row); else body().append(row);
    renumber(before);
    return focusCell(row, "nombre");
  }

  const ACTIONS = {
    down: function (t) {
      const next = rowOf(t).nextElementSibling;
      return next ? focusCell(next, colOf(t)) : insertAfter(rowOf(t));
    },
    up: function (t) {
      const prev = rowOf(t).previousElementSibling;
      return prev ? focusCell(prev, colOf(t)) : true;
    },
    add: function (t) { return insertAfter(rowOf(t)); },
    "add-end": function () { const all = rowsOf(); return insertAfter(all[all.length - 1] || null); },
    delete: function (t) {
      const tr = rowOf(t);
      const col = colOf(t);
      const before = snapshot();
      const target = tr.nextElementSibling || tr.previousElementSibling;
      tr.remove();
      renumber(before);
      if (target) return focusCell(target, col);
      return insertAfter(null);
    },
    activity: function (t) { return setLevel(rowOf(t), "2"); },
    phase: function (t) { return setLevel(rowOf(t), "1"); },
    level: function (t) {
      const tr = rowOf(t);
      return setLevel(tr, tr.querySelector("[data-nivel]").value === "1" ? "2" : "1");
    },
    "row-up": function (t) {
      const tr = rowOf(t);
      const prev = tr.previousElementSibling;
      if (prev) { const before = snapshot(); prev.before(tr); renumber(before); }
      return focusCell(tr, colOf(t));
    },
    "row-down": function (t) {
      const tr = rowOf(t);
      const next = tr.nextElementSibling;
      if (next) { const before = snapshot(); next.after(tr); renumber(before); }
      return focusCell(tr, colOf(t));
    },
  };

  window.programGrid = {
    // `t`: the focused cell (or the clicked button). False when the action does not apply here.
    act: function (name, t) {
      const action = ACTIONS[name];
      if (!action || (name !== "add-end" && !rowOf(t))) return false;
      return action(t) !== false;
    },
  };

  // The row buttons (and "Agregar fila") run the same actions as the keys.
  document.addEventListener("click", function (e) {
    const button = e.target.closest && e.target.closest("[data-grid-action]");
    if (!button) return;
    e.preventDefault();
    const action = button.dataset.gridAction;
    const map = { up: "row-up", down: "row-down" };
    const cell = rowOf(button) && rowOf(button).querySelector("[data-col=nombre]");
    window.programGrid.act(map[action] || action, cell || button);
  });
})();
