/* Step 6: drop files onto the zone (or pick them), choose each one's kind, send them one request
   per file with its own progress bar. The server checks type, size and rights again; without
   JavaScript the same form posts the picked files with one kind for all. */
(function () {
  "use strict";
  var form = document.querySelector("[data-upload-form]");
  if (!form) { return; }
  var zone = form.querySelector("[data-drop-zone]");
  var picker = form.querySelector("input[type=file]");
  var queueBox = form.querySelector("[data-upload-queue-box]");
  var queue = form.querySelector("[data-upload-queue]");
  var startButton = form.querySelector("[data-upload-start]");
  var template = form.querySelector("[data-upload-row-template]");
  var announce = form.querySelector("[data-upload-announce]");
  var texts = form.querySelector("[data-texts]");
  var list = document.getElementById("document-list");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
  var defaultKind = form.getAttribute("data-default-kind");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pending = [];
  var counter = 0;

  form.querySelectorAll("[data-no-js]").forEach(function (el) { el.hidden = true; });

  function text(name, values) {
    var value = texts.getAttribute("data-text-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { value = value.split("%(" + key + ")s").join(values[key]); });
    return value;
  }
  function humanSize(bytes) {
    if (bytes < 1024) { return bytes + " o"; }
    if (bytes < 1024 * 1024) { return (bytes / 1024).toFixed(1).replace(".", ",") + " Ko"; }
    return (bytes / 1024 / 1024).toFixed(1).replace(".", ",") + " Mo";
  }
  function say(message) { announce.textContent = message; }
  function refreshQueue() {
    queueBox.hidden = pending.length === 0;
    startButton.disabled = !pending.some(function (item) { return item.state === "ready"; });
  }

  function add(files) {
    Array.prototype.forEach.call(files, function (file) {
      counter += 1;
      var row = template.content.firstElementChild.cloneNode(true);
      var item = { file: file, row: row, state: "ready" };
      row.querySelector("[data-upload-name]").textContent = file.name;
      row.querySelector("[data-upload-size]").textContent = humanSize(file.size);
      var select = row.querySelector("[data-upload-kind]");
      select.id = "upload-kind-" + counter;
      var label = row.querySelector("[data-upload-kind-label]");
      label.setAttribute("for", select.id);
      label.textContent = text("kind", { name: file.name });
      // The first file is taken for the purchase order while none is there; the user can change it.
      select.value = pending.some(function (p) { return p.state !== "error"; }) ? "other" : defaultKind;
      row.querySelector("[data-upload-cancel-label]").textContent = text("cancel", { name: file.name });
      row.querySelector("[data-upload-cancel]").addEventListener("click", function () {
        if (item.xhr) { item.xhr.abort(); }
        pending.splice(pending.indexOf(item), 1);
        row.remove();
        refreshQueue();
      });
      if (file.size > maxBytes) {
        item.state = "error";
        row.classList.add("list-group-item-danger");
        row.querySelector("[data-upload-status]").textContent = text("too-big");
        select.disabled = true;
      }
      pending.push(item);
      queue.appendChild(row);
    });
    refreshQueue();
  }

  function send(item) {
    return new Promise(function (resolve) {
      var row = item.row;
      var status = row.querySelector("[data-upload-status]");
      var bar = row.querySelector("[data-upload-progress]");
      var select = row.querySelector("[data-upload-kind]");
      var data = new FormData();
      // Fields before the file: the server reads them even when it stops a too large file.
      data.append("csrfmiddlewaretoken", csrf);
      data.append("kind", select.value);
      data.append("file", item.file, item.file.name);
      var xhr = new XMLHttpRequest();
      item.xhr = xhr;
      item.state = "sending";
      select.disabled = true;
      bar.hidden = false;
      bar.value = 0;
      status.textContent = text("sending");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          var percent = Math.round((100 * event.loaded) / event.total);
          bar.value = percent;
          status.textContent = text("sending") + " " + percent + " %";
          if (percent >= 100) { status.textContent = text("checking"); }
        }
      });
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (body && body.list_html !== undefined) {
          list.innerHTML = body.list_html;
          if (window.htmx) { window.htmx.process(list); }
        }
        if (xhr.status === 200 && body && body.ok) {
          item.state = "done";
          if (select.value === "purchase_order") { defaultKind = "other"; }
          pending.splice(pending.indexOf(item), 1);
          row.remove();
          say(text("done", { name: item.file.name }));
        } else {
          item.state = "error";
          bar.hidden = true;
          row.classList.add("list-group-item-danger");
          status.textContent = body && body.errors && body.errors.length ? body.errors.join(" ") : text("failed");
          say(status.textContent);
        }
        refreshQueue();
        resolve();
      });
      xhr.addEventListener("error", function () {
        item.state = "error";
        bar.hidden = true;
        row.classList.add("list-group-item-danger");
        status.textContent = text("failed");
        say(status.textContent);
        refreshQueue();
        resolve();
      });
      xhr.addEventListener("abort", function () { resolve(); });
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.send(data);
    });
  }

  function sendAll() {
    var ready = pending.filter(function (item) { return item.state === "ready"; });
    startButton.disabled = true;
    // One after the other: each file has the connection, the progress bars mean something.
    ready.reduce(function (chain, item) { return chain.then(function () { return send(item); }); }, Promise.resolve())
      .then(refreshQueue);
  }

  startButton.addEventListener("click", sendAll);
  form.addEventListener("submit", function (event) { event.preventDefault(); sendAll(); });
  picker.addEventListener("change", function () {
    add(picker.files);
    picker.value = "";
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      if (event.dataTransfer) { event.dataTransfer.dropEffect = "copy"; }
      zone.classList.add("is-dragover");
    });
  });
  ["dragleave", "dragend"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      if (event.type === "dragleave" && zone.contains(event.relatedTarget)) { return; }
      zone.classList.remove("is-dragover");
    });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("is-dragover");
    if (event.dataTransfer && event.dataTransfer.files && event.dataTransfer.files.length) {
      add(event.dataTransfer.files);
    }
  });
  // A file dropped next to the zone must not make the browser leave the page to open it.
  ["dragover", "drop"].forEach(function (name) {
    window.addEventListener(name, function (event) {
      if (!zone.contains(event.target)) { event.preventDefault(); }
    });
  });
  refreshQueue();
})();
