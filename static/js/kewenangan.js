// Service standard page: a print button (hidden without JavaScript; the browser's own
// print command works as well).
document.querySelectorAll(".js-print").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
