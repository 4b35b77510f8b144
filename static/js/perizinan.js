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

  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
})();
