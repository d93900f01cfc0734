// The certificate's Print button (no inline handlers: pages run under a
// strict Content-Security-Policy).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-certificate");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
});
