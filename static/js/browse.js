/* The browse component (mybusiness/browse): row selection, keyboard use, modals loaded with htmx.
   No inline script (CSP): everything is wired here through data-browse-* attributes. */
(function () {
  "use strict";

  function scopeOf(el) { return el.closest("[data-browse-scope]"); }

  function rows(scope) { return Array.prototype.slice.call(scope.querySelectorAll("tr.browse-row")); }

  function showSelection(scope) {
    var value = scope.dataset.selectedValue || "";
    rows(scope).forEach(function (row) {
      var on = value !== "" && row.dataset.browseValue === value;
      row.classList.toggle("table-primary", on);
      row.classList.toggle("browse-selected", on);
      row.setAttribute("aria-selected", on ? "true" : "false");
    });
    scope.querySelectorAll("[data-browse-validate]").forEach(function (button) { button.disabled = value === ""; });
    var status = scope.querySelector("[data-browse-selection]");
    if (status && value !== "") {
      status.textContent = (status.dataset.selectedText || "%s").replace("%s", scope.dataset.selectedLabel || value);
    }
  }

  // A picker's row the order cannot use (aria-disabled, its reason beside it) is never chosen.
  function selectable(row) { return row.getAttribute("aria-disabled") !== "true"; }

  function select(row) {
    var scope = scopeOf(row);
    if (!scope || !selectable(row)) { return; }
    scope.dataset.selectedValue = row.dataset.browseValue || "";
    scope.dataset.selectedLabel = row.dataset.browseLabel || "";
    scope.dataset.selectedUrl = row.dataset.browseUrl || "";
    showSelection(scope);
  }

  function modalShell(id, size) {
    var shell = document.getElementById(id);
    if (shell) { return shell; }
    shell = document.createElement("div");
    shell.id = id;
    shell.className = "modal fade";
    shell.tabIndex = -1;
    shell.setAttribute("aria-hidden", "true");
    var dialog = document.createElement("div");
    dialog.className = "modal-dialog modal-dialog-scrollable " + size;
    var content = document.createElement("div");
    content.className = "modal-content";
    content.id = id + "-content";
    dialog.appendChild(content);
    shell.appendChild(dialog);
    (document.getElementById("modal-root") || document.body).appendChild(shell);
    shell.addEventListener("shown.bs.modal", function () {
      var heading = shell.querySelector(".modal-title");
      if (heading && heading.id) { shell.setAttribute("aria-labelledby", heading.id); }
      var first = shell.querySelector(".browse-filter") || shell.querySelector(".btn-close");
      if (first) { first.focus(); }
    });
    return shell;
  }

  function openModal(id, size, url, opener) {
    var shell = modalShell(id, size);
    var content = shell.querySelector(".modal-content");
    return window.htmx.ajax("GET", url, { target: content, swap: "innerHTML" }).then(function () {
      var modal = window.bootstrap.Modal.getOrCreateInstance(shell);
      shell.addEventListener("hidden.bs.modal", function restore() {
        shell.removeEventListener("hidden.bs.modal", restore);
        if (opener && document.body.contains(opener)) { opener.focus(); }
      });
      modal.show();
      return shell;
    });
  }

  function openBrowse(opener) {
    openModal("browse-modal", "modal-xl modal-fullscreen-xl-down", opener.dataset.browseOpen, opener).then(function (shell) {
      shell.setAttribute("data-browse-scope", "");
      shell.dataset.browseMode = "modal";
      shell.dataset.browseTarget = opener.dataset.browseTarget || "";
      shell.dataset.selectedValue = "";
      showSelection(shell);
    });
  }

  function validate(scope) {
    var value = scope.dataset.selectedValue;
    if (!value) { return; }
    if (scope.dataset.browseMode === "modal") {
      var target = scope.dataset.browseTarget ? document.querySelector(scope.dataset.browseTarget) : null;
      if (target) {
        target.value = value;
        target.dispatchEvent(new Event("input", { bubbles: true }));
        target.dispatchEvent(new Event("change", { bubbles: true }));
      }
      document.dispatchEvent(new CustomEvent("browse:selected", {
        detail: { value: value, label: scope.dataset.selectedLabel, target: scope.dataset.browseTarget }
      }));
      window.bootstrap.Modal.getOrCreateInstance(scope).hide();
    } else if (scope.dataset.selectedUrl) {
      window.location.assign(scope.dataset.selectedUrl);
    }
  }

  document.addEventListener("click", function (event) {
    var detail = event.target.closest("a[data-browse-detail]");
    if (detail) {
      event.preventDefault();
      openModal("browse-detail-modal", "modal-lg", detail.getAttribute("href"), detail);
      var detailRow = detail.closest("tr.browse-row");
      if (detailRow) { select(detailRow); }
      return;
    }
    var opener = event.target.closest("[data-browse-open]");
    if (opener) { event.preventDefault(); openBrowse(opener); return; }
    var button = event.target.closest("[data-browse-validate]");
    if (button) { validate(scopeOf(button)); return; }
    var row = event.target.closest("tr.browse-row");
    if (row && !event.target.closest("a, button, input, select, label")) { select(row); }
  });

  document.addEventListener("dblclick", function (event) {
    var row = event.target.closest("tr.browse-row");
    if (row && selectable(row) && !event.target.closest("a, button, input, select")) {
      select(row);
      validate(scopeOf(row));
    }
  });

  document.addEventListener("keydown", function (event) {
    var row = event.target.closest && event.target.closest("tr.browse-row");
    if (!row || event.target !== row) { return; }
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      select(row);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var sibling = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
      if (sibling && sibling.classList.contains("browse-row")) { sibling.focus(); }
    }
  });

  // After a filter, a sort or a page change, the selection stays highlighted if its row is shown.
  document.addEventListener("htmx:afterSettle", function (event) {
    var scope = event.target.closest && event.target.closest("[data-browse-scope]");
    if (scope) { showSelection(scope); }
  });
})();
