// Live progress: the "Đang xử lý" table, and on the catalog page each document's state while it moves.
// A short poll of /jobs.json (every 2 s while something runs, every 10 s otherwise), within the CSP.
(function () {
  "use strict";
  var table = document.getElementById("jobs");
  var rows = document.querySelectorAll("td.doc-state[data-doc]");
  if (!table && !rows.length) { return; }

  function timeLeft(seconds) {
    if (seconds === null || seconds === undefined) { return ""; }
    if (seconds < 60) { return "dưới 1 phút"; }
    var minutes = Math.round(seconds / 60);
    return minutes < 60 ? "khoảng " + minutes + " phút" : "khoảng " + Math.floor(minutes / 60) + " giờ " +
      (minutes % 60) + " phút";
  }

  function cell(row, text, className) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    if (text !== undefined) { td.textContent = text; }
    row.appendChild(td);
    return td;
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function progressCell(row, job) {
    var td = cell(row, undefined, "progress");
    if (!job.total) { return; }
    var bar = document.createElement("progress");  // by pages when they are known: a long document moves it
    bar.max = job.pages_total || job.total;
    bar.value = job.pages_total ? job.pages_done : job.done;
    td.appendChild(bar);
    var text = job.stage === "receive" ? job.done + "/" + job.total + " MB"
      : job.done + "/" + job.total + " tài liệu" + (job.pages_total ? ", " + job.pages_done + "/" +
        job.pages_total + " trang" : "");
    td.appendChild(document.createTextNode(" " + text));
  }

  function currentCell(row, job) {
    var td = cell(row, undefined, "current");
    job.current.forEach(function (item) {
      var div = document.createElement("div");
      if (item.id) {
        div.appendChild(link("/docs/" + item.id, "#" + item.id));
        div.appendChild(document.createTextNode(" "));
      }
      var where = item.reading && item.pages ? " (trang " + item.page + "/" + item.pages + ")"
        : job.stage === "ocr" && !item.reading ? " (đang chờ)" : "";
      div.appendChild(document.createTextNode(item.name + where));
      td.appendChild(div);
    });
  }

  function detailsRow(job) {
    if (!job.message && !job.failures.length) { return null; }
    var row = document.createElement("tr");
    row.className = "details";
    row.dataset.details = job.id;
    var td = cell(row);
    td.colSpan = 8;
    if (job.message) {
      var p = document.createElement("p");
      p.className = job.state === "failed" ? "err" : "note";
      p.textContent = job.message;
      td.appendChild(p);
    }
    if (job.failures.length) {
      var ul = document.createElement("ul");
      ul.className = "failures";
      job.failures.slice(0, 5).forEach(function (failure) {
        var li = document.createElement("li");
        if (failure.id) {
          li.appendChild(link("/docs/" + failure.id, "#" + failure.id));
          li.appendChild(document.createTextNode(" "));
        }
        li.appendChild(document.createTextNode(failure.source_name + ": " + failure.message + " [" + failure.reason + "]"));
        ul.appendChild(li);
      });
      if (job.failures.length > 5) {
        var more = document.createElement("li");
        more.appendChild(link("/jobs/" + job.id, "… và " + (job.failures.length - 5) + " lỗi khác"));
        ul.appendChild(more);
      }
      td.appendChild(ul);
    }
    return row;
  }

  function renderJobs(data) {
    var body = table.tBodies[0];
    var all = data.runs.concat(data.uploads, data.bundles).sort(function (a, b) {
      var openA = a.state === "queued" || a.state === "running", openB = b.state === "queued" || b.state === "running";
      return openA !== openB ? (openA ? -1 : 1) : b.id - a.id;
    });
    body.textContent = "";
    if (!all.length) {
      var empty = document.createElement("tr");
      empty.className = "empty";
      cell(empty, "Chưa có công việc nào.").colSpan = 8;
      body.appendChild(empty);
    }
    all.forEach(function (job) {
      var row = document.createElement("tr");
      row.dataset.job = job.id;
      row.className = "job-" + job.state;
      cell(row).appendChild(link("/jobs/" + job.id, "#" + job.id + " " + job.kind_label));
      cell(row, job.title);
      cell(row, job.who);
      cell(row, job.state_label + (job.stage_label && job.state === "running" ? ": " + job.stage_label : ""), "state");
      progressCell(row, job);
      currentCell(row, job);
      cell(row, timeLeft(job.seconds_left), "left");
      cell(row, (job.started_at || job.created_at || "").slice(0, 16).replace("T", " "));
      body.appendChild(row);
      var details = detailsRow(job);
      if (details) { body.appendChild(details); }
    });
  }

  function renderDocuments(data) {
    Array.prototype.forEach.call(rows, function (td) {
      var id = td.dataset.doc;
      var state = data.states[id];
      var flying = data.documents[id];
      if (flying) {
        td.textContent = flying.stage === "extract" ? "Đang trích xuất thông tin"
          : !flying.reading ? "Chờ nhận dạng chữ (OCR)"
          : "Đang nhận dạng chữ (OCR)" + (flying.pages ? ": trang " + flying.page + "/" + flying.pages : "");
        td.classList.add("moving");
      } else if (state) {
        td.textContent = state.label;
        td.classList.remove("moving");
      }
    });
  }

  var ids = Array.prototype.map.call(rows, function (td) { return td.dataset.doc; });

  function poll() {
    var url = "/jobs.json" + (ids.length ? "?docs=" + ids.join(",") : "");
    fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (answer) {
      if (!answer.ok) { throw new Error(answer.status); }
      return answer.json();
    }).then(function (data) {
      if (table) { renderJobs(data); }
      if (rows.length) { renderDocuments(data); }
      window.setTimeout(poll, data.busy ? 2000 : 10000);
    }).catch(function () { window.setTimeout(poll, 10000); });
  }
  poll();
}());
