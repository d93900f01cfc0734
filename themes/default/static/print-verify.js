// The verifier page's check of a printed certificate: its QR code opens
// `/verify/#VC1-…`, a print credential in the fragment (never sent to a
// server). The credential is decompressed (cborld.js), its eddsa-jcs-2022
// signature checked with the issuer's key from this site's DID document,
// and its revocation bit read from the site's status list. A service
// worker (/verify-sw.js) keeps the page, its scripts, the keys and the
// status list, so after one visit this works offline: the verdict then says
// as of when the status list was fetched. The camera (BarcodeDetector, else
// qrscan.js) or a photo can read a code too.
(function () {
  "use strict";

  var root = document.querySelector(".verifier");
  if (!root || !window.AccoladePrint) return;
  var T = JSON.parse(document.getElementById("verifier-strings").textContent);
  var siteRoot = new URL(root.getAttribute("data-root"), location.href);
  var langRoot = new URL(root.getAttribute("data-lang-root"), location.href);
  var did = root.getAttribute("data-did");
  var didUrl = new URL(root.getAttribute("data-did-url"), siteRoot).href;
  var statusUrl = new URL(root.getAttribute("data-status-list"), siteRoot).href;
  var contexts = JSON.parse(root.getAttribute("data-contexts"));
  var result = document.getElementById("verifier-result");
  var dateFormat = root.getAttribute("data-date-format");
  var months = (root.getAttribute("data-months") || "").split("|");

  function t(key, args) {
    var s = T[key] || key;
    Object.keys(args || {}).forEach(function (k) { s = s.split("{" + k + "}").join(args[k]); });
    return s;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // A date as the site writes dates in this language (`date_format`:
  // {day}, {month} (its name), {month_number}, {year}), in UTC.
  function human(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return iso;
    return dateFormat.split("{year}").join(String(d.getUTCFullYear()))
      .split("{month_number}").join(String(d.getUTCMonth() + 1))
      .split("{month}").join(months[d.getUTCMonth()] || String(d.getUTCMonth() + 1))
      .split("{day}").join(String(d.getUTCDate()));
  }

  // A URL of this site as published (base_url) where this page is served.
  function local(url) {
    var base = root.getAttribute("data-base-url").replace(/\/$/, "") + "/";
    return typeof url === "string" && url.indexOf(base) === 0 ? new URL(url.slice(base.length), siteRoot).href : url;
  }

  function fetchJson(url) {
    return fetch(url, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json().then(function (json) {
        return { json: json, fetched: r.headers.get("x-accolade-fetched") };
      });
    });
  }

  function loadContext(url) {
    if (!Object.prototype.hasOwnProperty.call(contexts, url)) {
      return Promise.reject(new Error(t("verifier_print_note_unknown_context", { url: url })));
    }
    return fetchJson(new URL(contexts[url], siteRoot).href).then(function (r) { return r.json; });
  }

  // The issuer's key the proof names, if this site's DID document lists it
  // as one that may sign credentials.
  function keyFor(didDoc, method) {
    var asserts = (didDoc.assertionMethod || []).some(function (m) { return m === method || (m && m.id === method); });
    var vm = (didDoc.verificationMethod || []).filter(function (m) { return m.id === method; })[0];
    return asserts && vm && vm.controller === didDoc.id ? vm.publicKeyMultibase : null;
  }

  function bitSet(encoded, index) {
    var b64 = encoded.slice(encoded[0] === "u" ? 1 : 0).replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buf) {
      var bytes = new Uint8Array(buf);
      var i = Math.floor(index / 8);
      if (i >= bytes.length) throw new Error("index outside the list");
      return (bytes[i] & (0x80 >> (index % 8))) !== 0;
    });
  }

  function earnerOf(doc) {
    var ids = [].concat((doc.credentialSubject || {}).identifier || []);
    var named = ids.filter(function (i) { return i && i.identityType === "name"; })[0];
    return named ? named.identityHash : "";
  }

  // ---------- the check ----------

  function check(text) {
    var out = { checks: [] };
    var bytes;
    try { bytes = window.AccoladePrint.fromQrText(text); } catch (e) {
      return Promise.resolve({ status: "forged", detail: e.message, checks: [] });
    }
    return window.AccoladePrint.decode(bytes, loadContext).then(function (doc) {
      out.doc = doc;
      var issuer = doc.issuer && (doc.issuer.id || doc.issuer);
      if (issuer !== did) {
        out.status = "foreign";
        out.detail = t("verifier_print_note_foreign", { issuer: String(issuer) });
        return out;
      }
      return fetchJson(didUrl).then(function (r) {
        var key = keyFor(r.json, doc.proof && doc.proof.verificationMethod);
        if (!key) {
          out.status = "forged";
          out.detail = t("verifier_print_note_unknown_key");
          return out;
        }
        return window.AccoladePrint.verifyJcs(doc, key).then(function (genuine) {
          if (!genuine) {
            out.status = "forged";
            out.detail = t("verifier_print_note_forged");
            return out;
          }
          out.checks.push([true, t("verifier_check_signature_ok")]);
          return status(doc, out);
        }, function () {
          out.status = "error";
          out.detail = t("verifier_print_note_unsupported");
          return out;
        });
      });
    }, function (e) {
      // Undecodable: damaged, or altered beyond the format.
      return { status: "forged", detail: t("verifier_print_note_forged"), reason: e.message, checks: [] };
    });
  }

  function status(doc, out) {
    var now = Date.now();
    var until = doc.validUntil && Date.parse(doc.validUntil);
    var expired = until && until <= now;
    out.checks.push(until
      ? [!expired, t(expired ? "verifier_check_expired" : "verifier_check_not_expired", { date: human(doc.validUntil) })]
      : [true, t("verifier_check_no_expiry")]);
    var entry = doc.credentialStatus || {};
    return fetchJson(statusUrl).then(function (r) {
      out.asOf = r.fetched || new Date(now).toISOString();
      out.offline = !!r.fetched && !navigator.onLine;
      var listed = r.json.credentialSubject && r.json.credentialSubject.encodedList;
      // The signature covers the entry: a genuine one names this list.
      if (local(entry.statusListCredential) !== statusUrl) throw new Error("another status list");
      return bitSet(listed, parseInt(entry.statusListIndex, 10));
    }).then(function (revoked) {
      out.checks.push([!revoked, t(revoked ? "verifier_check_revoked_asof" : "verifier_check_status_asof", { date: human(out.asOf) })]);
      out.status = revoked ? "revoked" : expired ? "expired" : "valid";
      return out;
    }, function () {
      out.checks.push([false, t("verifier_print_note_no_status")]);
      out.status = expired ? "expired" : "unknown";
      return out;
    });
  }

  // ---------- showing ----------

  var LABEL = {
    valid: "verifier_status_valid", expired: "verifier_status_expired", revoked: "verifier_status_revoked",
    forged: "verifier_status_tampered", foreign: "verifier_status_tampered", unknown: "verifier_print_status_unknown",
    error: "verifier_status_error"
  };
  var STYLE = { valid: "valid", expired: "expired", unknown: "expired" };

  function show(out) {
    result.hidden = false;
    result.textContent = "";
    var banner = el("div", "status status--" + (STYLE[out.status] || "revoked"));
    banner.setAttribute("data-result", out.status);
    if (out.reason) banner.setAttribute("data-reason", out.reason);
    var body = el("div", "status__body");
    body.appendChild(el("p", "status__label", t(LABEL[out.status])));
    var note = out.detail || t("verifier_print_note_" + out.status, { date: human(out.asOf || "") });
    body.appendChild(el("p", "status__note", note));
    banner.appendChild(body);
    result.appendChild(banner);
    var doc = out.doc;
    // A forged or foreign code's claims are not shown as facts.
    if (doc && out.status !== "forged" && out.status !== "foreign") {
      var facts = el("dl", "facts");
      var issued = doc.awardedDate || doc.validFrom;
      [["verifier_fact_earner", earnerOf(doc)],
       ["verifier_fact_badge", doc.credentialSubject && doc.credentialSubject.achievement && doc.credentialSubject.achievement.name],
       ["verifier_fact_issuer", doc.issuer && doc.issuer.name],
       ["verifier_fact_issued", issued && human(issued)],
       ["verifier_fact_id", String(doc.id || "").replace(/\/$/, "").split("/").pop()]].forEach(function (f) {
        if (!f[1]) return;
        var d = el("div");
        d.appendChild(el("dt", null, t(f[0])));
        d.appendChild(el("dd", null, f[1]));
        facts.appendChild(d);
      });
      result.appendChild(facts);
    }
    var list = el("ul", "verifier__checks");
    out.checks.forEach(function (c) {
      list.appendChild(el("li", c[0] ? "check check--ok" : "check check--bad", (c[0] ? "✓ " : "✗ ") + c[1]));
    });
    result.appendChild(list);
    if (out.offline) result.appendChild(el("p", "share__hint", t("verifier_print_offline", { date: human(out.asOf) })));
    if (doc && doc.id && out.status !== "forged" && out.status !== "foreign" && navigator.onLine) {
      var a = el("a", "button", t("verifier_open_page"));
      a.href = new URL("verify/" + String(doc.id).replace(/\/$/, "").split("/").pop() + "/", langRoot).href;
      result.appendChild(el("p")).appendChild(a);
    }
    result.setAttribute("tabindex", "-1");
    result.focus();
  }

  function fromHash() {
    var h = location.hash;
    if (h.indexOf("#VC1-") !== 0 && h.indexOf("#vc1-") !== 0) return;
    result.hidden = false;
    result.setAttribute("data-checking", "");
    check(h).then(show, function (e) { show({ status: "error", detail: e.message, checks: [] }); })
      .then(function () { result.removeAttribute("data-checking"); });
  }

  // ---------- reading a QR code: camera or photo ----------

  var scanNote = document.getElementById("scan-note");
  var video = document.getElementById("scan-video");
  var stopButton = document.getElementById("scan-stop");
  var stream = null;
  var detector = null;
  if ("BarcodeDetector" in window) {
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
  }

  function found(text) {
    if (!text) return false;
    if (/#vc1-/i.test(text)) {
      stop();
      location.hash = text.slice(text.search(/#vc1-/i));
      return true;
    }
    var site = siteRoot.href;
    if (text.indexOf(site) === 0 || text.indexOf(root.getAttribute("data-base-url")) === 0) {
      stop();
      location.href = text;
      return true;
    }
    scanNote.textContent = t("verifier_scan_other", { text: text.slice(0, 80) });
    return false;
  }

  // The text of a QR code in an image, video frame or canvas.
  function decodeFrom(source, width, height) {
    if (detector) {
      return detector.detect(source).then(function (codes) { return codes.length ? codes[0].rawValue : null; })
        .catch(function () { return decodeCanvas(source, width, height); });
    }
    return Promise.resolve(decodeCanvas(source, width, height));
  }

  function decodeCanvas(source, width, height) {
    if (!window.AccoladeQrScan) return null;
    var scale = Math.min(1, 1600 / Math.max(width, height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    var g = canvas.getContext("2d", { willReadFrequently: true });
    g.drawImage(source, 0, 0, canvas.width, canvas.height);
    return window.AccoladeQrScan.decode(g.getImageData(0, 0, canvas.width, canvas.height));
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (tr) { tr.stop(); });
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
  }

  function tick() {
    if (!stream) return;
    if (video.readyState < 2) { setTimeout(tick, 200); return; }
    decodeFrom(video, video.videoWidth, video.videoHeight).then(function (text) {
      if (!found(text)) setTimeout(tick, 250);
    });
  }

  var cameraButton = document.getElementById("scan-camera");
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    cameraButton.hidden = false;
    cameraButton.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        stopButton.hidden = false;
        scanNote.textContent = t("verifier_scan_hint");
        return video.play().then(tick);
      }).catch(function () { scanNote.textContent = t("verifier_scan_no_camera"); });
    });
  }
  stopButton.addEventListener("click", stop);

  document.getElementById("scan-photo").addEventListener("change", function (e) {
    var file = e.target.files[0];
    if (!file) return;
    var img = new Image();
    var url = URL.createObjectURL(file);
    img.onload = function () {
      decodeFrom(img, img.naturalWidth, img.naturalHeight).then(function (text) {
        URL.revokeObjectURL(url);
        if (!text) scanNote.textContent = t("verifier_scan_none");
        else found(text);
      });
    };
    img.onerror = function () { scanNote.textContent = t("verifier_scan_none"); };
    img.src = url;
  });

  // ---------- offline ----------

  // Registered for this language's verifier only; told what to keep.
  function offlineReady() {
    if (!("serviceWorker" in navigator)) return;
    var worker = new URL(root.getAttribute("data-worker"), siteRoot).href;
    navigator.serviceWorker.register(worker, { scope: "./" }).then(function (reg) {
      return navigator.serviceWorker.ready.then(function () { return reg; });
    }).then(function (reg) {
      var urls = [location.href.split("#")[0], didUrl, statusUrl];
      Object.keys(contexts).forEach(function (k) { urls.push(new URL(contexts[k], siteRoot).href); });
      Array.prototype.forEach.call(document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon], img[src]"), function (n) {
        urls.push(n.src || n.href);
      });
      navigator.serviceWorker.addEventListener("message", function (e) {
        if (e.data && e.data.type === "precached") root.setAttribute("data-offline-ready", "");
      });
      reg.active.postMessage({ type: "precache", urls: urls });
    }).catch(function () {});
  }

  window.addEventListener("hashchange", fromHash);
  fromHash();
  offlineReady();
})();
