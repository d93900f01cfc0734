/*
 * The verification page prints as the award's certificate (style.css,
 * `@media print`). This wires its "Print certificate" button, and opens
 * the print dialog once when the page is opened as `…/#print`: where the
 * old certificate address, /verify/<award>/certificate/, now leads. The
 * hash is dropped first, so a reload or a shared link does not print again.
 * No inline handlers: pages keep Content-Security-Policy: script-src 'self'.
 */
(function () {
  "use strict";

  var button = document.getElementById("print-certificate");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }
  if (location.hash === "#print") {
    history.replaceState(null, "", location.pathname + location.search);
    // After the artwork and fonts have loaded, so the sheet is complete.
    if (document.readyState === "complete") {
      window.print();
    } else {
      window.addEventListener("load", function () { window.print(); });
    }
  }
})();
