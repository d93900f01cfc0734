// "Add to a digital wallet" on a verification page (#wallet): on a phone,
// a link that hands this credential to the Learner Credential Wallet.
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
// between apps is not guaranteed to keep it whole. The page then keeps the
// QR code and the address to paste, which work for any length.
(function () {
  "use strict";

  var MAX_LINK = 8000;

  function deepLink(credential) {
    var offer = '{"verifiablePresentation":{"@context":["https://www.w3.org/ns/credentials/v2"],' +
      '"type":["VerifiablePresentation"],"verifiableCredential":[' + credential + "]}}";
    return "dccrequest://request?request=" + encodeURIComponent(offer.replace(/%/g, "%25"));
  }

  var box = document.getElementById("wallet");
  var link = document.getElementById("wallet-link");
  if (!box || !link) return;
  fetch(box.getAttribute("data-credential"), { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.text();
  }).then(function (text) {
    var href = deepLink(text.trim());
    if (href.length > MAX_LINK) return;
    link.href = href;
    box.classList.add("wallet--tap");
  }).catch(function () {
    // Without the credential there is no link; the code and address stay.
  });
})();
