// The verifier page: an employer enters a credential ID, or drops a baked
// badge image (PNG or SVG) or a credential JSON file. Everything happens in
// the browser: the credential is extracted from the file, the issuer's hosted
// copy is fetched from this site and compared, status and expiry are shown,
// and an email address can be checked against the hashed recipient (hashed
// here; nothing is sent anywhere). A copy of an earlier version of a
// credential the issuer has since revised is shown as superseded, with the
// current version's status (the same rule as `accolade verify`, see
// `src/openbadges/versions.rs`); this page checks no signatures, so what it
// shows is always the issuer's hosted record, never the copy's claims.
(function () {
  "use strict";

  var root = document.querySelector(".verifier");
  if (!root) return;
  var T = JSON.parse(document.getElementById("verifier-strings").textContent);
  var siteRoot = new URL(root.getAttribute("data-root"), location.href);
  var langRoot = new URL(root.getAttribute("data-lang-root"), location.href);
  var baseUrl = root.getAttribute("data-base-url").replace(/\/$/, "") + "/";
  var result = document.getElementById("verifier-result");
  var emailForm = document.getElementById("verify-email");
  var current = null; // {kind, doc, hosted} of the last checked credential

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

  // A URL of this site (as published under base_url) mapped to where this
  // page is served, so the verifier also works on a preview host.
  function local(url) {
    if (typeof url !== "string") return null;
    if (url.indexOf(baseUrl) === 0) return new URL(url.slice(baseUrl.length), siteRoot).href;
    var u;
    try { u = new URL(url); } catch (e) { return null; }
    return u.origin === location.origin ? u.href : null;
  }

  // ---------- extracting a credential from a file ----------

  var decoder = new TextDecoder("utf-8");

  // Limits on what a dropped file may make this page do: a genuine baked
  // badge is well under these, and a hostile file must not hang the tab.
  var MAX_FILE_MB = 16;
  var MAX_TEXT = 1024 * 1024; // a credential's JSON, in bytes
  var MAX_DEPTH = 64; // nesting of a credential's JSON

  function tooBig() { return new Error(t("verifier_err_too_big", { limit: MAX_FILE_MB })); }

  function pngTexts(bytes) {
    var sig = [137, 80, 78, 71, 13, 10, 26, 10];
    for (var i = 0; i < 8; i++) if (bytes[i] !== sig[i]) throw new Error(t("verifier_err_not_png"));
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    var found = { openbadges: [], openbadgecredential: [] };
    var pos = 8;
    while (pos + 12 <= bytes.length) {
      var len = view.getUint32(pos);
      var type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
      if (pos + 12 + len > bytes.length) throw new Error(t("verifier_err_truncated"));
      if (type === "iTXt") {
        var data = bytes.subarray(pos + 8, pos + 8 + len);
        var nul = data.subarray(0, 80).indexOf(0);
        var keyword = nul < 0 ? "" : decoder.decode(data.subarray(0, nul));
        if (Object.prototype.hasOwnProperty.call(found, keyword)) {
          if (len > MAX_TEXT) throw tooBig();
          if (data[nul + 1] !== 0) throw new Error(t("verifier_err_compressed"));
          var p = nul + 3;
          p = data.indexOf(0, p) + 1; // language tag
          if (p > 0) p = data.indexOf(0, p) + 1; // translated keyword
          if (p <= 0) throw new Error(t("verifier_err_truncated"));
          found[keyword].push(decoder.decode(data.subarray(p)));
        }
      }
      if (type === "IEND") return found;
      pos += 12 + len;
    }
    throw new Error(t("verifier_err_truncated"));
  }

  function svgTexts(text) {
    // A baked badge declares no entities; expanding them is how an SVG
    // makes a parser build gigabytes.
    if (/<!ENTITY/i.test(text)) throw new Error(t("verifier_err_bad_svg"));
    var doc = new DOMParser().parseFromString(text, "image/svg+xml");
    if (doc.getElementsByTagName("parsererror").length) throw new Error(t("verifier_err_bad_svg"));
    function all(ns, name) {
      return Array.prototype.map.call(doc.getElementsByTagNameNS(ns, name), function (e) { return e.textContent.trim(); });
    }
    return {
      openbadges: all("http://openbadges.org", "assertion"),
      openbadgecredential: all("https://purl.imsglobal.org/ob/v3p0", "credential"),
    };
  }

  // Every credential baked in the image, 3.0 first: all are checked, so a
  // genuine 3.0 credential cannot vouch for a forged 2.0 assertion beside it.
  function pick(found) {
    if (found.openbadgecredential.length > 1 || found.openbadges.length > 1) throw new Error(t("verifier_err_two"));
    var texts = found.openbadgecredential.concat(found.openbadges);
    if (!texts.length) throw new Error(t("verifier_err_no_credential"));
    return texts.map(parseJson);
  }

  function parseJson(text) {
    if (text.length > MAX_TEXT) throw tooBig();
    var doc;
    try { doc = JSON.parse(text); } catch (e) { throw new Error(t("verifier_err_bad_json")); }
    if (tooDeep(doc)) throw new Error(t("verifier_err_too_deep"));
    return doc;
  }

  // Walks without recursion, so a hostile nesting cannot overflow the stack
  // here (and the recursive comparison later never sees one).
  function tooDeep(doc) {
    var stack = [[doc, 0]];
    while (stack.length) {
      var top = stack.pop(), v = top[0], depth = top[1];
      if (!v || typeof v !== "object") continue;
      if (depth >= MAX_DEPTH) return true;
      Object.keys(v).forEach(function (k) { stack.push([v[k], depth + 1]); });
    }
    return false;
  }

  function extract(file) {
    if (file.size > MAX_FILE_MB * 1024 * 1024) return Promise.reject(tooBig());
    return file.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      var name = file.name.toLowerCase();
      if (bytes[0] === 137 && bytes[1] === 80) return pick(pngTexts(bytes));
      var text = decoder.decode(bytes);
      if (name.endsWith(".svg") || /^\s*(<\?xml|<svg)/.test(text)) return pick(svgTexts(text));
      return [parseJson(text)];
    });
  }

  // ---------- checking ----------

  function kindOf(doc) {
    var type = [].concat(doc && doc.type || []);
    if (type.indexOf("OpenBadgeCredential") >= 0 || type.indexOf("VerifiableCredential") >= 0) return "ob3";
    if (type.indexOf("Assertion") >= 0) return "ob2";
    return null;
  }

  // JSON with sorted keys, for comparing a copy with the hosted original.
  // A single `proof` object (credentials baked before proofs became arrays)
  // counts as the array of that one proof: the signature covers neither form.
  function canonical(v) {
    if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
    if (v && typeof v === "object") {
      return "{" + Object.keys(v).sort().map(function (k) {
        var x = k === "proof" && v[k] && typeof v[k] === "object" && !Array.isArray(v[k]) ? [v[k]] : v[k];
        return JSON.stringify(k) + ":" + canonical(x);
      }).join(",") + "}";
    }
    return JSON.stringify(v);
  }

  function fetchJson(url) {
    return fetch(url, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error(r.status === 404 ? t("verifier_err_not_found") : "HTTP " + r.status);
      return r.json();
    });
  }

  function fetchText(url) {
    return fetch(url, { cache: "no-store" }).then(function (r) { return r.ok ? r.text() : ""; });
  }

  function awardId(doc) {
    var m = /\/verify\/([^/]+)\/(assertion|credential)\.json$/.exec(doc.id || "");
    return m ? m[1] : null;
  }

  function day(s) { return typeof s === "string" ? s.slice(0, 10) : ""; }

  function issuerId(doc) { return typeof doc.issuer === "string" ? doc.issuer : doc.issuer && doc.issuer.id; }

  // Whether a hosted 3.0 credential is a revised version (`awardedDate`
  // before `validFrom`). One that is not was never corrected, so a copy of
  // it that differs is forged (e.g. backdated), whatever its dates say:
  // without signatures, that is all this page can tell.
  function revised(credential) {
    return typeof credential.awardedDate === "string" && day(credential.awardedDate) < day(credential.validFrom);
  }

  // The date of the issuer's current version when `doc` is an earlier
  // version of `hosted`, else "". 3.0: the same id, issuer, recipient and
  // issue date (`awardedDate`, or `validFrom` of an unrevised version), and
  // hosted a revision dated later. 2.0 (no version dates): the same
  // recipient, badge and issue date, and the award's hosted 3.0 credential
  // revised since. (No signature is checked here: a copy passing these
  // tests is shown with the hosted version's facts, never its own.)
  function earlierVersion(kind, doc, hosted) {
    if (kind === "ob3") {
      var issued = function (d) { return day(d.awardedDate || d.validFrom); };
      var same = doc.id === hosted.id && issuerId(doc) && issuerId(doc) === issuerId(hosted) &&
        canonical(doc.credentialSubject && doc.credentialSubject.identifier) ===
        canonical(hosted.credentialSubject && hosted.credentialSubject.identifier) &&
        revised(hosted) && issued(doc) === issued(hosted);
      return Promise.resolve(same && day(hosted.validFrom) > day(doc.validFrom) ? day(hosted.validFrom) : "");
    }
    var r = doc.recipient || {}, h = hosted.recipient || {};
    if (!r.identity || r.identity !== h.identity || r.salt !== h.salt || !doc.badge || doc.badge !== hosted.badge ||
        !doc.issuedOn || doc.issuedOn !== hosted.issuedOn) {
      return Promise.resolve("");
    }
    var url = local(doc.id.replace(/assertion\.json$/, "credential.json"));
    return (url ? fetchJson(url) : Promise.reject()).then(function (credential) {
      var version = day(credential.validFrom);
      return revised(credential) && version > day(doc.issuedOn) ? version : "";
    }, function () { return ""; });
  }

  function bitSet(encoded, index) {
    var b64 = encoded.replace(/^u/, "").replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buf) {
      var bits = new Uint8Array(buf);
      return ((bits[index >> 3] >> (7 - (index & 7))) & 1) === 1;
    });
  }

  function check(doc) {
    var kind = kindOf(doc);
    if (!kind) return Promise.reject(new Error(t("verifier_err_unknown")));
    var hostedUrl = local(doc.id);
    if (!hostedUrl) return Promise.reject(new Error(t("verifier_err_foreign", { url: String(doc.id) })));
    var id = awardId(doc);
    var out = { kind: kind, doc: doc, id: id, checks: [], status: "valid" };
    return fetchJson(hostedUrl).then(function (hosted) {
      out.hosted = hosted;
      if (kind === "ob2" && hosted.revoked) {
        out.status = "revoked";
        out.reason = hosted.revocationReason || "";
        out.checks.push([false, t("verifier_check_revoked")]);
        return out;
      }
      if (canonical(hosted) === canonical(doc)) {
        out.checks.push([true, t("verifier_check_matches")]);
        return out;
      }
      return earlierVersion(kind, doc, hosted).then(function (date) {
        if (date) {
          out.superseded = date;
          out.checks.push([true, t("verifier_check_superseded", { date: date })]);
        } else {
          out.status = "tampered";
          out.checks.push([false, t("verifier_check_differs")]);
        }
        return out;
      });
    }).then(function (out) {
      if (out.status === "revoked") return out;
      // An earlier version is judged by the current one's facts.
      var facts = out.superseded ? out.hosted : doc;
      var expires = kind === "ob2" ? facts.expires : facts.validUntil;
      if (expires && new Date(expires) <= new Date()) {
        if (out.status === "valid") out.status = "expired";
        out.checks.push([false, t("verifier_check_expired", { date: expires.slice(0, 10) })]);
      } else {
        out.checks.push([true, expires ? t("verifier_check_not_expired", { date: expires.slice(0, 10) }) : t("verifier_check_no_expiry")]);
      }
      if (kind === "ob3" && out.hosted.credentialStatus) {
        var entry = out.hosted.credentialStatus;
        return fetchJson(local(entry.statusListCredential)).then(function (list) {
          return bitSet(list.credentialSubject.encodedList, parseInt(entry.statusListIndex, 10));
        }).then(function (revoked) {
          if (revoked) out.status = "revoked";
          out.checks.push([!revoked, revoked ? t("verifier_check_revoked") : t("verifier_check_not_revoked")]);
          return out;
        });
      }
      return out;
    }).then(function (out) {
      var badgeUrl = kind === "ob2" ? local(out.hosted.badge || doc.badge) : null;
      return (badgeUrl ? fetchJson(badgeUrl) : Promise.resolve({}))
        .catch(function () { return {}; })
        .then(function (badge) {
          var named = out.superseded ? out.hosted : doc;
          out.badgeName = badge.name || (named.credentialSubject && named.credentialSubject.achievement && named.credentialSubject.achievement.name) || named.name || "";
          return out.id ? fetchText(new URL("verify/" + out.id + "/", siteRoot).href) : "";
        }).then(function (html) {
          var page = html ? new DOMParser().parseFromString(html, "text/html") : null;
          var name = page && page.querySelector(".credential__earner-name");
          out.earner = name ? name.textContent.trim() : "";
          return out;
        });
    });
  }

  // ---------- showing ----------

  function show(out) {
    result.hidden = false;
    result.textContent = "";
    var status = out.status === "tampered" ? "revoked" : out.status;
    var banner = el("div", "status status--" + status);
    banner.setAttribute("data-result", out.status);
    var body = el("div", "status__body");
    body.appendChild(el("p", "status__label", t("verifier_status_" + out.status)));
    // The valid and expired notes say the file matches the issuer's
    // record, which an earlier version does not: its own note says instead
    // what is shown.
    if (!out.superseded || out.status === "revoked") body.appendChild(el("p", "status__note", t("verifier_note_" + out.status)));
    if (out.superseded) body.appendChild(el("p", "status__note", t("verifier_note_superseded", { date: out.superseded })));
    if (out.reason) body.appendChild(el("p", "status__reason", out.reason));
    banner.appendChild(body);
    result.appendChild(banner);

    var facts = el("dl", "facts");
    [["verifier_fact_earner", out.earner], ["verifier_fact_badge", out.badgeName], ["verifier_fact_id", out.id],
     ["verifier_fact_format", out.kind === "ob3" ? "Open Badges 3.0" : "Open Badges 2.0"]].forEach(function (f) {
      if (!f[1]) return;
      var d = el("div");
      d.appendChild(el("dt", null, t(f[0])));
      d.appendChild(el("dd", null, f[1]));
      facts.appendChild(d);
    });
    result.appendChild(facts);

    var list = el("ul", "verifier__checks");
    out.checks.forEach(function (c) {
      var li = el("li", c[0] ? "check check--ok" : "check check--bad", (c[0] ? "✓ " : "✗ ") + c[1]);
      list.appendChild(li);
    });
    result.appendChild(list);
    if (out.id) {
      var a = el("a", "button", t("verifier_open_page"));
      a.href = new URL("verify/" + out.id + "/", langRoot).href;
      result.appendChild(el("p")).appendChild(a);
    }
    current = out;
    emailForm.hidden = false;
    result.focus && result.setAttribute("tabindex", "-1");
  }

  function fail(message) {
    result.hidden = false;
    result.textContent = "";
    var banner = el("div", "status status--revoked");
    banner.setAttribute("data-result", "error");
    var body = el("div", "status__body");
    body.appendChild(el("p", "status__label", t("verifier_status_error")));
    body.appendChild(el("p", "status__note", message));
    banner.appendChild(body);
    result.appendChild(banner);
    emailForm.hidden = true;
    current = null;
  }

  function recipient(doc) {
    if (doc.recipient) return { hash: doc.recipient.identity, salt: doc.recipient.salt || "" };
    var ids = doc.credentialSubject && doc.credentialSubject.identifier;
    var i = ids && [].concat(ids)[0];
    return i ? { hash: i.identityHash, salt: i.salt || "" } : null;
  }

  function sha256hex(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    });
  }

  // ---------- wiring ----------

  document.getElementById("verify-id").addEventListener("submit", function (e) {
    e.preventDefault();
    var raw = document.getElementById("credential-id").value.trim();
    var m = /verify\/([A-Za-z0-9_-]+)/.exec(raw);
    var id = (m ? m[1] : raw).replace(/\s+/g, "");
    if (!/^[A-Za-z0-9_-]{4,64}$/.test(id)) return fail(t("verifier_err_bad_id"));
    // Minted IDs are upper case; what was typed is tried second.
    var candidates = id === id.toUpperCase() ? [id] : [id.toUpperCase(), id];
    (function tryNext(i) {
      if (i >= candidates.length) return fail(t("verifier_err_no_such_id", { id: id }));
      fetch(new URL("verify/" + candidates[i] + "/assertion.json", siteRoot).href, { cache: "no-store" }).then(function (r) {
        if (r.ok) location.href = new URL("verify/" + candidates[i] + "/", langRoot).href;
        else tryNext(i + 1);
      }, function () { fail(t("verifier_err_network")); });
    })(0);
  });

  function handle(file) {
    if (!file) return;
    extract(file).then(function (docs) {
      return Promise.all(docs.map(check)).then(function (results) {
        var main = results[0];
        results.slice(1).forEach(function (other) {
          var same = other.status !== "tampered";
          var key = !same ? "verifier_check_second_differs"
            : other.superseded ? "verifier_check_second_superseded" : "verifier_check_second_matches";
          main.checks.push([same, t(key)]);
          if (!same) main.status = "tampered";
        });
        return main;
      });
    }).then(show, function (err) { fail(err.message); });
  }

  var zone = document.getElementById("drop-zone");
  var input = document.getElementById("credential-file");
  input.addEventListener("change", function () { handle(input.files[0]); });
  ["dragenter", "dragover"].forEach(function (ev) {
    zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.add("verifier__drop--over"); });
  });
  ["dragleave", "drop"].forEach(function (ev) {
    zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.remove("verifier__drop--over"); });
  });
  zone.addEventListener("drop", function (e) { handle(e.dataTransfer.files[0]); });

  emailForm.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!current) return;
    var r = recipient(current.superseded ? current.hosted : current.doc);
    var email = document.getElementById("recipient-email").value.trim().toLowerCase();
    var old = result.querySelector(".check--email");
    if (old) old.remove();
    if (!r || !email) return;
    sha256hex(email + r.salt).then(function (hex) {
      var ok = r.hash === "sha256$" + hex;
      var li = el("li", "check check--email " + (ok ? "check--ok" : "check--bad"),
        (ok ? "✓ " : "✗ ") + t(ok ? "verifier_email_match" : "verifier_email_no_match", { email: email }));
      li.setAttribute("data-email-match", ok ? "yes" : "no");
      result.querySelector(".verifier__checks").appendChild(li);
    });
  });
})();
