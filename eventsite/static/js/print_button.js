// The receipt's "Print" button: shown only where it works (with JavaScript), it opens the
// browser's print dialog; the print stylesheet (site.css, @media print) leaves the page alone.
(function () {
  "use strict";
  if (typeof window.print !== "function") { return; }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
