/*
 * Re-checks award expiry in the viewer's browser, so a page built long ago
 * never claims a lapsed award valid.
 *
 * Every element with data-status="valid" and a non-empty data-expires
 * (YYYY-MM-DD) is switched to expired once the viewer's current UTC date is
 * on or after that date (expiry takes effect at 00:00 UTC). The element's
 * class status--valid becomes status--expired (CSS swaps colour and icon),
 * its [data-status-label] gets data-label-expired and its [data-status-note]
 * gets data-note-expired. The award page's [data-status-checked] line is
 * then filled with the date the check ran, in the page's own date format
 * (the template only emits that line for a valid award with an expiry date).
 *
 * Loaded with `defer` from static/, so it works under
 * Content-Security-Policy: script-src 'self'. Revocation is not re-checked
 * here: it is part of the page itself.
 */
(function () {
  "use strict";

  var ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function replaceAll(text, from, to) {
    return text.split(from).join(to);
  }

  function setText(root, selector, text) {
    var el = root.querySelector(selector);
    if (el && text) {
      el.textContent = text;
    }
  }

  var now = new Date();
  var year = now.getUTCFullYear();
  var month = now.getUTCMonth() + 1;
  var day = now.getUTCDate();
  var today = year + "-" + pad(month) + "-" + pad(day);

  var items = document.querySelectorAll('[data-status="valid"][data-expires]');
  for (var i = 0; i < items.length; i++) {
    var el = items[i];
    var expires = el.getAttribute("data-expires") || "";
    // ISO dates compare correctly as strings.
    if (ISO_DATE.test(expires) && today >= expires) {
      el.classList.remove("status--valid");
      el.classList.add("status--expired");
      el.setAttribute("data-status", "expired");
      setText(el, "[data-status-label]", el.getAttribute("data-label-expired"));
      setText(el, "[data-status-note]", el.getAttribute("data-note-expired"));
    }
  }

  var checked = document.querySelector("[data-status-checked]");
  if (checked) {
    var months = (checked.getAttribute("data-months") || "").split("|");
    var format = checked.getAttribute("data-date-format") || "{year}-{month_number}-{day}";
    var date = format;
    date = replaceAll(date, "{year}", String(year));
    date = replaceAll(date, "{month_number}", String(month));
    date = replaceAll(date, "{month}", months.length === 12 ? months[month - 1] : String(month));
    date = replaceAll(date, "{day}", String(day));
    var template = checked.getAttribute("data-status-checked") || "{date}";
    checked.textContent = replaceAll(template, "{date}", date);
    checked.hidden = false;
  }
})();
