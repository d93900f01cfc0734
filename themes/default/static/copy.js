// Copy buttons of the sharing kit: <button class="copy" data-copy-target="ID"
// data-copied="Copied">. No inline handlers, so pages keep a strict CSP.
(function () {
  "use strict";

  function textOf(el) {
    return el.value !== undefined ? el.value : el.textContent;
  }

  function fallbackCopy(el) {
    if (el.select) {
      el.select();
    } else {
      var range = document.createRange();
      range.selectNodeContents(el);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) return;
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || label;
      button.classList.add("copy--done");
      window.setTimeout(function () {
        button.textContent = label;
        button.classList.remove("copy--done");
      }, 1600);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(textOf(target)).then(done, function () {
        if (fallbackCopy(target)) done();
      });
    } else if (fallbackCopy(target)) {
      done();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy") : null;
    if (button) copy(button);
  });
})();
