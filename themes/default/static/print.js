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

  // The certificate's QR code: the print credential (`data-qr-text`),
  // drawn here as SVG (static/qrgen.js) soon after the page loads, and
  // at the latest before printing. Until then, and without script, the
  // certificate prints the address's code.
  var qr = document.querySelector(".qr-print[data-qr-text]");
  function drawQr() {
    if (!qr || qr.firstChild || !window.AccoladeQrGen) return;
    var node = window.AccoladeQrGen.element(qr.getAttribute("data-qr-text"), "M", qr.getAttribute("data-qr-title"));
    if (!node) return;
    qr.appendChild(node);
    qr.parentNode.classList.add("qr-panel__code--print");
  }
  window.addEventListener("beforeprint", drawQr);
  if (window.requestIdleCallback) window.requestIdleCallback(drawQr, { timeout: 2000 });
  else setTimeout(drawQr, 200);

  var button = document.getElementById("print-certificate");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { drawQr(); window.print(); });
  }
  if (location.hash === "#print") {
    history.replaceState(null, "", location.pathname + location.search);
    // After the artwork and fonts have loaded, so the sheet is complete.
    if (document.readyState === "complete") {
      drawQr();
      window.print();
    } else {
      window.addEventListener("load", function () { drawQr(); window.print(); });
    }
  }
})();
