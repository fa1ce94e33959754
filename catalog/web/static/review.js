// The đối chiếu page: page images at fit width or 100% (click an image to switch), and keys for a day
// of review: j/k next/previous page, n/p next/previous document, v đã đối chiếu, a phê duyệt, ? help.
(function () {
  "use strict";
  function sections() { return Array.prototype.slice.call(document.querySelectorAll("section.page")); }
  function current() {
    var list = sections(), top = window.scrollY + 80, found = 0;
    list.forEach(function (s, i) { if (s.offsetTop <= top) { found = i; } });
    return found;
  }
  function go(step) {
    var list = sections();
    if (!list.length) { return; }
    var index = Math.max(0, Math.min(list.length - 1, current() + step));
    list[index].scrollIntoView({block: "start"});
  }
  function zoom(section, mode) {
    section.classList.toggle("actual", mode === "actual");
    section.querySelectorAll("button[data-zoom]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-zoom") === mode));
    });
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.matches("button[data-zoom]")) {
      zoom(target.closest("section.page"), target.getAttribute("data-zoom"));
    } else if (target.matches("section.page img")) {
      var section = target.closest("section.page");
      zoom(section, section.classList.contains("actual") ? "fit" : "actual");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.target.closest && event.target.closest("input, textarea, select")) { return; }
    var link;
    switch (event.key) {
      case "j": go(1); break;
      case "k": go(-1); break;
      case "n": link = document.querySelector("a[rel=next]"); if (link) { link.click(); } break;
      case "p": link = document.querySelector("a[rel=prev]"); if (link) { link.click(); } break;
      case "v": link = document.getElementById("verify"); if (link) { link.click(); } break;
      case "a": link = document.getElementById("approve"); if (link) { link.click(); } break;
      case "?": link = document.getElementById("keys"); if (link) { link.open = !link.open; } break;
      default: return;
    }
    event.preventDefault();
  });
}());
