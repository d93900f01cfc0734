// "Add to a digital wallet" on a verification page (#wallet), built here
// from the language's labels (static/strings/<lang>.json, as share.js
// does) so that every award's page carries none of it:
// - on a phone, a link that hands this credential to the Learner
//   Credential Wallet;
// - elsewhere, the QR code of the credential's JSON address (drawn here
//   by static/qrgen.js, at level L: only ever shown on a screen) with the
//   steps to scan it from the wallet;
// - on both, the address to paste and the JSON file to add.
//
// The link carries the credential itself, so the wallet needs no request
// to import it: dccrequest://request?request=<JSON>, where the JSON is a
// presentation offering the credential exactly as served (credential.json
// beside the page, data-credential). The wallet reads the `request`
// parameter decoded once and then decodes it again with decodeURI
// (app/lib/walletRequestApi.ts), so every `%` of the JSON travels as `%25`.
//
// A link longer than MAX_LINK is not offered: RFC 9110 asks every URI
// handler to take at least 8000 octets, and a phone passing a longer one
// between apps is not guaranteed to keep it whole. The QR code and the
// address to paste work for any length.
(function () {
  "use strict";

  var MAX_LINK = 8000;
  var box = document.getElementById("wallet");
  if (!box) return;
  var strings = document.currentScript.src.replace(/[^\/]*$/, "strings/" + document.documentElement.lang + ".json");

  function deepLink(credential) {
    var offer = '{"verifiablePresentation":{"@context":["https://www.w3.org/ns/credentials/v2"],' +
      '"type":["VerifiablePresentation"],"verifiableCredential":[' + credential + "]}}";
    return "dccrequest://request?request=" + encodeURIComponent(offer.replace(/%/g, "%25"));
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.append(c); });
    return e;
  }

  function getText(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.text();
    });
  }

  // The code as an element holding its SVG, or nothing without qrgen.js.
  function qrCode(title) {
    var gen = window.AccoladeQrGen;
    var node = gen && gen.element(box.dataset.url, "L", title);
    return node ? el("div", { class: "wallet__qr" }, [node]) : null;
  }

  function build(t, credential) {
    var qr = qrCode(t.wallet_qr_alt);
    var href = credential === null ? "" : deepLink(credential.trim());
    box.append(el("p", {}, [t.wallet_intro]));
    if (href && href.length <= MAX_LINK) {
      box.classList.add("wallet--tap");
      box.append(el("p", { class: "wallet__tap" }, [
        el("a", { class: "button wallet__link", id: "wallet-link", href: href }, [t.wallet_open]),
        el("br"),
        el("span", { class: "share__hint" }, [t.wallet_open_hint]),
      ]));
    }
    box.append(el("div", { class: "wallet__scan" }, [
      qr || "",
      el("ol", { class: "wallet__steps" }, [
        el("li", {}, [t.wallet_step_open]),
        el("li", {}, [t.wallet_step_add]),
        el("li", {}, [t.wallet_step_scan]),
      ]),
    ]));
    box.append(el("p", { class: "wallet__address" }, [
      t.wallet_address, el("br"),
      el("code", { class: "url", id: "wallet-url" }, [box.dataset.url]), " ",
      el("button", { type: "button", class: "copy", "data-copy-target": "wallet-url", "data-copied": t.share_copied }, [t.share_copy]),
    ]));
    var parts = t.wallet_file.split("{json}");
    var file = el("a", { href: box.dataset.credential, download: box.dataset.name, type: "application/ld+json" }, [t.wallet_file_json]);
    box.append(el("p", { class: "share__hint" }, [parts[0], file, parts.slice(1).join("{json}")]));
  }

  Promise.all([
    getText(strings).then(JSON.parse),
    getText(box.dataset.credential).catch(function () { return null; }),
  ]).then(function (got) { build(got[0], got[1]); });
})();
