// "Thêm tài liệu": files and whole folders picked or dropped, sent with their folder paths (a folder of
// page photos stays one document), with a progress bar and a cancel button. Without this script the form
// still posts the picked files.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form) { return; }
  var chosen = [];  // {file, path}
  var list = document.getElementById("chosen");
  var summary = document.getElementById("chosen-summary");
  var errorBox = document.getElementById("upload-error");
  var sending = document.getElementById("sending");
  var bar = document.getElementById("sent");
  var barText = document.getElementById("sent-text");
  var cancel = document.getElementById("cancel");
  var send = document.getElementById("send");
  var manifest = document.getElementById("pick-manifest");
  var limits = {files: Number(form.dataset.maxFiles), file: Number(form.dataset.maxFile),
                total: Number(form.dataset.maxTotal)};
  var request = null;

  function megabytes(bytes) { return (bytes / 1048576).toLocaleString("vi-VN", {maximumFractionDigits: 1}) + " MB"; }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  function render() {
    list.textContent = "";
    var tops = {};
    var total = 0;
    chosen.forEach(function (item) {
      var top = item.path.split("/")[0];
      tops[top] = (tops[top] || 0) + 1;
      total += item.file.size;
    });
    Object.keys(tops).sort().forEach(function (top) {
      var li = document.createElement("li");
      li.textContent = tops[top] > 1 ? top + " (thư mục, " + tops[top] + " tệp)" : top;
      list.appendChild(li);
    });
    summary.textContent = chosen.length ? "Đã chọn " + chosen.length + " tệp, " + megabytes(total) + "." : "";
  }

  function add(file, path) {
    path = path || file.webkitRelativePath || file.name;
    if (!chosen.some(function (item) { return item.path === path && item.file.size === file.size; })) {
      chosen.push({file: file, path: path});
    }
  }

  function addInput(input) {
    Array.prototype.forEach.call(input.files, function (file) { add(file); });
    input.value = "";
    render();
  }

  document.getElementById("pick-files").addEventListener("change", function (event) { addInput(event.target); });
  document.getElementById("pick-folder").addEventListener("change", function (event) { addInput(event.target); });
  document.getElementById("clear").addEventListener("click", function () { chosen = []; showError(""); render(); });

  // A dropped folder is read entry by entry (readEntries gives at most 100 at a time: read until empty).
  function readEntry(entry, prefix) {
    return new Promise(function (resolve) {
      if (entry.isFile) {
        entry.file(function (file) { add(file, prefix + file.name); resolve(); }, function () { resolve(); });
        return;
      }
      var reader = entry.createReader();
      var all = [];
      (function more() {
        reader.readEntries(function (entries) {
          if (!entries.length) {
            Promise.all(all.map(function (child) { return readEntry(child, prefix + entry.name + "/"); }))
              .then(function () { resolve(); });
            return;
          }
          all = all.concat(Array.prototype.slice.call(entries));
          more();
        }, function () { resolve(); });
      }());
    });
  }

  var drop = document.getElementById("drop");
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    drop.classList.remove("over");
    var items = event.dataTransfer.items;
    var waits = [];
    if (items && items.length && items[0].webkitGetAsEntry) {
      Array.prototype.forEach.call(items, function (item) {
        var entry = item.kind === "file" ? item.webkitGetAsEntry() : null;
        if (entry) { waits.push(readEntry(entry, "")); } else if (item.kind === "file") { add(item.getAsFile()); }
      });
    } else {
      Array.prototype.forEach.call(event.dataTransfer.files, function (file) { add(file); });
    }
    Promise.all(waits).then(render);
  });

  function tooMuch() {
    var total = 0;
    for (var i = 0; i < chosen.length; i += 1) {
      total += chosen[i].file.size;
      if (chosen[i].file.size > limits.file) {
        return "Tệp " + chosen[i].path + " (" + megabytes(chosen[i].file.size) + ") lớn hơn giới hạn " +
          megabytes(limits.file) + " cho một tệp.";
      }
    }
    if (chosen.length > limits.files) {
      return "Đã chọn " + chosen.length + " tệp, quá giới hạn " + limits.files + " tệp một lần: hãy chia thành nhiều lần.";
    }
    if (total > limits.total) {
      return "Các tệp đã chọn (" + megabytes(total) + ") vượt giới hạn " + megabytes(limits.total) +
        " một lần: hãy chia thành nhiều lần.";
    }
    return "";
  }

  function finished(ok, text) {
    request = null;
    cancel.hidden = true;
    send.disabled = false;
    sending.hidden = ok;
    if (!ok) { showError(text); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showError("");
    if (!chosen.length) { showError("Chưa chọn tệp hoặc thư mục nào."); return; }
    var problem = tooMuch();
    if (problem) { showError(problem); return; }
    var data = new FormData();
    data.append("csrf", form.elements.csrf.value);
    chosen.forEach(function (item) { data.append("files", item.file, item.path); });
    if (manifest.files.length) { data.append("manifest", manifest.files[0], manifest.files[0].name); }
    request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (progress) {
      if (!progress.lengthComputable) { return; }
      bar.value = Math.round(100 * progress.loaded / progress.total);
      barText.textContent = "Đã gửi " + megabytes(progress.loaded) + " / " + megabytes(progress.total);
      if (progress.loaded === progress.total) { barText.textContent = "Đã gửi xong, đang kiểm tra và nạp tệp…"; }
    });
    request.addEventListener("load", function () {
      if (request.status >= 200 && request.status < 300) {
        var target = request.responseURL;
        finished(true, "");
        window.location.assign(target);
        return;
      }
      var page = new DOMParser().parseFromString(request.responseText, "text/html");
      var reason = page.querySelector("p.err");
      finished(false, reason ? reason.textContent : "Tải lên không thành công (mã " + request.status + ").");
    });
    request.addEventListener("error", function () {
      finished(false, "Mất kết nối với máy chủ khi đang gửi tệp. Chưa có tệp nào được nhận; hãy thử lại.");
    });
    request.addEventListener("abort", function () {
      finished(false, "Đã hủy tải lên. Chưa có tệp nào được nhận.");
    });
    sending.hidden = false;
    cancel.hidden = false;
    send.disabled = true;
    request.send(data);
  });

  cancel.addEventListener("click", function () { if (request) { request.abort(); } });
}());
