/* Signing queue: a "select all" checkbox (hidden without JavaScript; every checkbox still
   works one by one without it). */
(function () {
  "use strict";
  var all = document.querySelector(".js-select-all");
  if (!all) { return; }
  var items = document.querySelectorAll(".js-select-item");
  all.hidden = false;
  all.addEventListener("change", function () {
    Array.prototype.forEach.call(items, function (item) { item.checked = all.checked; });
  });
  Array.prototype.forEach.call(items, function (item) {
    item.addEventListener("change", function () {
      var checked = Array.prototype.filter.call(items, function (i) { return i.checked; }).length;
      all.checked = checked === items.length;
      all.indeterminate = checked > 0 && checked < items.length;
    });
  });
})();
