/* myBusiness: small behaviours shared by every page (no inline scripts: the CSP forbids them). */
(function () {
  "use strict";
  // Buttons marked data-confirm ask before they submit.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // A form marked data-once submits once: a double click never sends it twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) { return; }
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); b.classList.add("disabled"); });
  });

  // The error summary of a form in error (templates/includes/form_errors.html) takes the focus on load,
  // so a screen reader reads it first; a link to a field that is not on the page becomes plain text.
  function fieldOf(link) {
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    return id ? document.getElementById(id) : null;
  }
  document.querySelectorAll("[data-error-summary] a[data-error-link]").forEach(function (link) {
    if (!fieldOf(link)) { link.replaceWith(document.createTextNode(link.textContent)); }
  });
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // Its links move the focus to their field (an in-page link alone only scrolls), the label kept in view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[data-error-link]");
    var field = link && fieldOf(link);
    if (!field) { return; }
    event.preventDefault();
    var box = field.closest("fieldset, .mb-3, .recipient-row, td") || field;
    box.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });

  // An open dialog keeps the focus: Bootstrap's own trap only brings back a focus that lands elsewhere in
  // the page, so Tab from the dialog's last control (the last thing in the page) left for the browser.
  // Here Tab and Shift+Tab cycle between the first and the last control of the top-most open dialog.
  var TABBABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), " +
    "textarea:not([disabled]), [tabindex]";
  function tabbables(root) {
    return Array.prototype.filter.call(root.querySelectorAll(TABBABLE), function (el) {
      return el.tabIndex >= 0 && el.getClientRects().length > 0 && !el.closest("[hidden], [inert]");
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab") { return; }
    var open = document.querySelectorAll(".modal.show");
    if (!open.length) { return; }
    var dialog = open[open.length - 1];
    var stops = tabbables(dialog);
    if (!stops.length) { event.preventDefault(); return; }
    var first = stops[0], last = stops[stops.length - 1], here = document.activeElement;
    if (!dialog.contains(here)) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    } else if (event.shiftKey && (here === first || here === dialog)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && here === last) {
      event.preventDefault();
      first.focus();
    }
  });
})();
