// The catalog page: one box ticks or unticks every document of the page for a bulk review step.
(function () {
  "use strict";
  var all = document.getElementById("tick-all");
  if (!all) { return; }
  all.addEventListener("change", function () {
    document.querySelectorAll("#bulk input[name=ids]").forEach(function (box) { box.checked = all.checked; });
  });
}());
