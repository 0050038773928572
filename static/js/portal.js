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
  // Without one, the page's main heading marked data-focus-on-load takes it (a wizard step's title), so a
  // keyboard or screen-reader user starts on the new step, not at the top of the page (journeys.md, rule 4).
  var summary = document.querySelector("[data-error-summary]") || document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }

  // A summary stays current: a part of the form reloaded in place by htmx (the origins of a type, the
  // solutions of a generation) comes back without its errors, so its items go, the count follows, and an
  // empty summary goes. A field merely typed in keeps its item until the form is sent: removing it on
  // « change » would move the page under the pointer of a user clicking « Suivant ».
  function refreshSummary() {
    var box = document.querySelector("[data-error-summary]");
    if (!box) { return; }
    var items = box.querySelectorAll("li");
    if (!items.length) { box.remove(); return; }
    var heading = box.querySelector("[data-error-count]");
    if (heading) {
      var text = items.length === 1 ? heading.dataset.textOne : heading.dataset.textOther;
      heading.textContent = text.replace("%(count)s", items.length);
    }
  }
  function dropItemsIn(areas) {
    document.querySelectorAll("[data-error-summary] li[data-error-item]").forEach(function (item) {
      var target = document.getElementById(item.getAttribute("data-error-item"));
      if (!target || areas.some(function (area) { return area && area.contains(target); })) { item.remove(); }
    });
    refreshSummary();
  }
  // The part reloaded, and the field whose change asked for it (the type whose origins were reloaded).
  document.body.addEventListener("htmx:afterSwap", function (event) {
    dropItemsIn([event.detail.target, event.detail.requestConfig && event.detail.requestConfig.elt]);
  });
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
