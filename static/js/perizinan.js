/* Applications: progressive enhancement only; every page works without it.
   - "Cetak" buttons (hidden without JS) open the print dialog;
   - a submit button marked data-once is disabled after the first click (the server is
     idempotent anyway: a second POST never creates a second application);
   - an error summary gets the focus so screen readers announce it. */
(function () {
  "use strict";

  Array.prototype.forEach.call(document.querySelectorAll(".js-print"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  Array.prototype.forEach.call(document.querySelectorAll("button[data-once]"), function (button) {
    var form = button.form;
    if (!form) { return; }
    form.addEventListener("submit", function () {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });

  // A list filtered as one types (the counter's services): <input data-filter-for="ID">
  // hides the items of list ID whose text does not contain every typed word. Without
  // JavaScript the same input filters on the server when its form is sent.
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter-for]"), function (input) {
    var list = document.getElementById(input.getAttribute("data-filter-for"));
    if (!list) { return; }
    var items = list.querySelectorAll("li[data-filter-text]");
    var empty = list.parentNode.querySelector("[data-filter-empty]");
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(items, function (item) {
        var text = item.getAttribute("data-filter-text");
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (empty) { empty.hidden = shown !== 0 || words.length === 0; }
    }
    input.addEventListener("input", apply);
    apply();
  });

  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
})();
