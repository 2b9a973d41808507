// ot_app client glue: toasts, htmx error handling, session expiry. No inline scripts (CSP).
(function () {
  "use strict";

  function toast(message, kind) {
    const box = document.getElementById("toasts");
    if (!box || !message) return;
    const el = document.createElement("div");
    el.className = "toast toast-" + (kind || "info");
    el.textContent = message;
    box.appendChild(el);
    setTimeout(function () { el.classList.add("hide"); }, 4500);
    setTimeout(function () { el.remove(); }, 5000);
  }

  function fadeExisting() {
    document.querySelectorAll("#toasts .toast").forEach(function (el) {
      setTimeout(function () { el.classList.add("hide"); }, 4500);
      setTimeout(function () { el.remove(); }, 5000);
    });
  }

  document.addEventListener("DOMContentLoaded", fadeExisting);

  // Server-sent toasts: HX-Trigger: {"toast": {"message": "...", "kind": "exito"}}
  document.addEventListener("toast", function (e) {
    toast(e.detail && e.detail.message, e.detail && e.detail.kind);
  });

  // Failures htmx does not swap (see responseHandling in base.html) become a toast, never a blank area.
  // A form sent by a button carries the button's name and value (SubmitEvent.submitter). htmx tracks
  // the pressed button itself, but for a button outside its form (form="…": the import reports'
  // "Confirmar") only once the swap settles, 20 ms after the button appears: an Enter pressed in
  // between sent a dry run instead of the confirmation.
  document.addEventListener("htmx:configRequest", function (e) {
    const ev = e.detail.triggeringEvent;
    const button = ev && ev.type === "submit" ? ev.submitter : null;
    if (button && button.name && !button.disabled) e.detail.formData.set(button.name, button.value);
  });

  document.addEventListener("htmx:responseError", function (e) {
    const xhr = e.detail.xhr;
    if (xhr.status === 401) return; // HX-Redirect takes the user to the login page
    let message = "Ocurrió un error (" + xhr.status + "). Inténtelo de nuevo.";
    // Parsed in a detached document: nothing in the answer can run or load.
    const doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    const alert = doc.querySelector("[data-error]");
    if (alert) message = alert.textContent.trim();
    toast(message, "error");
  });
  document.addEventListener("htmx:sendError", function () {
    toast("No hay conexión con el servidor. Revise su red e inténtelo de nuevo.", "error");
  });
  // A link to a form's field (the conflicts page's "Mover fechas" → #fecha_inicio_programado,
  // "Cambiar sitio" → #id_embarcacion) lands with that field focused, not only scrolled to; first,
  // so the page's autofocus does not take it.
  document.addEventListener("DOMContentLoaded", function () {
    let id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (err) { return; }
    const field = id && document.getElementById(id);
    if (field && field.form && field.matches("input, select, textarea")) field.focus();
  });
})();
