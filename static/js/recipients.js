/* Step 5: add and remove certificate recipient rows (1 to data-max). Without JavaScript the rows
   drawn by the server still work; the server checks everything again. */
(function () {
  "use strict";
  document.querySelectorAll("[data-recipients]").forEach(function (box) {
    var max = parseInt(box.getAttribute("data-max"), 10) || 5;
    var list = box.querySelector("[data-recipient-list]");
    var template = box.querySelector("[data-recipient-template]");
    var addButton = box.querySelector("[data-recipient-add]");
    var status = box.querySelector("[data-recipient-status]");
    var texts = box.querySelector("[data-text-row]");
    function text(name, values) {
      var value = texts.getAttribute("data-text-" + name);
      Object.keys(values).forEach(function (key) { value = value.replace("%(" + key + ")s", values[key]); });
      return value;
    }
    function rows() { return list.querySelectorAll("[data-recipient-row]"); }
    function refresh(announce) {
      var all = rows();
      all.forEach(function (row, index) {
        var n = index + 1;
        var input = row.querySelector("input");
        var id = n === 1 ? "id_recipients" : "id_recipients_" + n;
        input.id = id;
        var label = row.querySelector("[data-recipient-label]");
        label.setAttribute("for", id);
        label.textContent = text("row", { n: n });
        var remove = row.querySelector("[data-recipient-remove]");
        remove.hidden = all.length === 1;
        remove.querySelector(".visually-hidden").textContent = text("remove", { n: n });
      });
      addButton.hidden = false;
      addButton.disabled = all.length >= max;
      var message = text("count", { count: all.length, max: max });
      if (all.length >= max) { message += " — " + texts.getAttribute("data-text-full"); }
      if (announce !== false) { status.textContent = message; }
    }
    addButton.addEventListener("click", function () {
      if (rows().length >= max) { refresh(); return; }
      var row = template.content.firstElementChild.cloneNode(true);
      list.appendChild(row);
      refresh();
      row.querySelector("input").focus();
    });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-recipient-remove]");
      if (!button) { return; }
      var row = button.closest("[data-recipient-row]");
      var all = Array.prototype.slice.call(rows());
      var index = all.indexOf(row);
      row.remove();
      refresh();
      var remaining = rows();
      var target = remaining[Math.min(index, remaining.length - 1)];
      if (target) { target.querySelector("input").focus(); }
    });
    refresh(false);
  });
})();
