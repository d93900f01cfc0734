// Downloads made in the visitor's browser, so a lean site hosts no
// per-award images: the baked badge (the badge artwork as published, with
// the award's assertion.json and credential.json baked in as
// served) and the QR code as PNG (the page's inline SVG drawn on a canvas).
// `accolade bake` makes the same baked bytes; a test compares them.
// Baking follows Open Badges: PNG gets one uncompressed iTXt chunk per
// credential right after IHDR; SVG gets one element per credential right
// after the opening <svg> tag. Pixels are never re-encoded.
//
// The page says only which artwork to bake (data-bake on the buttons of
// #baked-download) and the file's name (its data-name): the assertion is
// the page's <link rel="alternate" type="application/ld+json">, the
// credential is credential.json beside it, and the baked SVG's `verify`
// URL is the verification URL (`u` of #share-data) + assertion.json. The
// error message is the language's share_download_failed, from
// static/strings/<lang>.json beside this script.
(function () {
  "use strict";

  var strings = document.currentScript.src.replace(/[^\/]*$/, "strings/" + document.documentElement.lang + ".json");

  var SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
  var CRC_TABLE = (function () {
    var t = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  })();

  function crc32(bytes) {
    var c = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  function u32(b, i) {
    return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
  }

  // The chunks of a PNG as {type, data}, up to IEND (as accolade reads them).
  function chunks(png) {
    for (var s = 0; s < 8; s++) if (png[s] !== SIGNATURE[s]) throw new Error("not a PNG file");
    var out = [];
    var i = 8;
    while (i + 12 <= png.length) {
      var len = u32(png, i);
      var type = String.fromCharCode(png[i + 4], png[i + 5], png[i + 6], png[i + 7]);
      if (i + 12 + len > png.length) throw new Error("truncated PNG");
      out.push({ type: type, data: png.subarray(i + 8, i + 8 + len) });
      i += 12 + len;
      if (type === "IEND") break;
    }
    if (!out.length || out[0].type !== "IHDR") throw new Error("corrupt PNG");
    return out;
  }

  function chunkBytes(type, data) {
    var body = new Uint8Array(4 + data.length);
    for (var k = 0; k < 4; k++) body[k] = type.charCodeAt(k);
    body.set(data, 4);
    var out = new Uint8Array(12 + data.length);
    var view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(body, 4);
    view.setUint32(8 + data.length, crc32(body));
    return out;
  }

  function keywordOf(data) {
    var end = data.indexOf(0);
    return new TextDecoder().decode(data.subarray(0, end < 0 ? data.length : end));
  }

  // Inserts (or replaces) an uncompressed iTXt chunk right after IHDR.
  function bakePng(png, keyword, textBytes) {
    var kw = new TextEncoder().encode(keyword);
    var data = new Uint8Array(kw.length + 5 + textBytes.length);
    data.set(kw, 0);
    // NUL, compression flag 0, method 0, empty language tag, empty translated keyword.
    data.set(textBytes, kw.length + 5);
    var parts = [new Uint8Array(SIGNATURE)];
    chunks(png).forEach(function (c, i) {
      if (c.type === "iTXt" && keywordOf(c.data) === keyword) return;
      parts.push(chunkBytes(c.type, c.data));
      if (i === 0) parts.push(chunkBytes("iTXt", data));
    });
    var total = parts.reduce(function (n, p) { return n + p.length; }, 0);
    var out = new Uint8Array(total);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  function xmlEscape(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&apos;");
  }

  function findSvgOpen(svg) {
    var from = 0;
    for (;;) {
      var at = svg.indexOf("<svg", from);
      if (at < 0) return -1;
      if (/^[\s>\/]/.test(svg.charAt(at + 4))) return at;
      from = at + 4;
    }
  }

  function removeElement(s, element) {
    var open = "<openbadges:" + element;
    var close = "</openbadges:" + element + ">";
    var out = "";
    var rest = s;
    for (;;) {
      var i = rest.indexOf(open);
      if (i < 0) break;
      out += rest.slice(0, i);
      var j = rest.indexOf(close, i);
      if (j < 0) { rest = rest.slice(i); break; }
      rest = rest.slice(j + close.length);
    }
    return out + rest;
  }

  // Bakes JSON into an SVG as <openbadges:element>, as accolade does.
  function bakeSvg(svg, element, ns, verify, json) {
    var start = findSvgOpen(svg);
    if (start < 0) throw new Error("not an SVG file");
    var end = svg.indexOf(">", start);
    if (end < 0) throw new Error("malformed SVG");
    var selfClosing = svg.charAt(end - 1) === "/";
    var tag = svg.slice(start, selfClosing ? end - 1 : end);
    var localNs = "";
    if (tag.indexOf("xmlns:openbadges=") < 0) tag += ' xmlns:openbadges="' + ns + '"';
    else if (tag.indexOf('xmlns:openbadges="' + ns + '"') < 0) localNs = ' xmlns:openbadges="' + ns + '"';
    var verifyAttr = verify ? ' verify="' + xmlEscape(verify) + '"' : "";
    var el = "<openbadges:" + element + localNs + verifyAttr + "><![CDATA[" +
      json.split("]]>").join("]]]]><![CDATA[>") + "]]></openbadges:" + element + ">";
    var body = removeElement(svg.slice(end + 1), element);
    return selfClosing
      ? svg.slice(0, start) + tag + ">" + el + "</svg>" + body
      : svg.slice(0, start) + tag + ">" + el + body;
  }

  // A served JSON document as baked (bake::baked_json in accolade): no
  // trailing newline, and `{` `}` inside strings written \u007b \u007d, so
  // a wallet that counts braces (the Learner Credential Wallet does) finds
  // the whole credential in the PNG. Still the same JSON.
  function bakedJson(bytes) {
    var text = new TextDecoder().decode(bytes).replace(/\s+$/, "");
    var out = "";
    var inString = false, escaped = false;
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      if (inString && c === "{") out += "\\u007b";
      else if (inString && c === "}") out += "\\u007d";
      else out += c;
      if (inString && !escaped && c === '"') inString = false;
      else if (!inString && c === '"') inString = true;
      escaped = inString && !escaped && c === "\\";
    }
    return out;
  }

  function fetchBytes(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.arrayBuffer();
    }).then(function (b) { return new Uint8Array(b); });
  }

  function save(bytes, type, name) {
    var url = URL.createObjectURL(new Blob([bytes], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // The baked PNG or SVG of this award, from the artwork at `artUrl`.
  function baked(artUrl) {
    var svg = /\.svg$/.test(artUrl);
    var assertion = document.querySelector('link[rel="alternate"][type="application/ld+json"]').href;
    return Promise.all([
      fetchBytes(artUrl),
      fetchBytes(assertion),
      fetchBytes(new URL("credential.json", assertion).href),
    ]).then(function (got) {
      var assertionText = bakedJson(got[1]), credentialText = bakedJson(got[2]);
      if (!svg) {
        var utf8 = function (s) { return new TextEncoder().encode(s); };
        var png = bakePng(got[0], "openbadges", utf8(assertionText));
        return { bytes: bakePng(png, "openbadgecredential", utf8(credentialText)), type: "image/png", ext: "png" };
      }
      var verify = JSON.parse(document.getElementById("share-data").textContent).u + "assertion.json";
      var art = new TextDecoder().decode(got[0]);
      var out = bakeSvg(art, "assertion", "http://openbadges.org", verify, assertionText);
      out = bakeSvg(out, "credential", "https://purl.imsglobal.org/ob/v3p0", null, credentialText);
      return { bytes: new TextEncoder().encode(out), type: "image/svg+xml", ext: "svg" };
    });
  }

  function setUpBaking() {
    var box = document.getElementById("baked-download");
    if (!box) return;
    box.querySelectorAll("[data-bake]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        button.disabled = true;
        baked(button.dataset.bake).then(function (file) {
          save(file.bytes, file.type, box.dataset.name + "." + file.ext);
        }).catch(function (e) {
          return fetch(strings, { credentials: "same-origin" }).then(function (r) {
            return r.json();
          }).then(function (t) {
            return t.share_download_failed;
          }, function () {
            return "{error}";
          }).then(function (message) {
            window.alert(message.replace("{error}", e.message));
          });
        }).then(function () { button.disabled = false; });
      });
    });
  }

  // The page's inline QR code as a PNG, 10 pixels per module, no smoothing.
  function setUpQr() {
    var button = document.querySelector("[data-qr-png]");
    var svg = document.querySelector(".qr-panel__code svg");
    if (!button || !svg) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var modules = svg.viewBox.baseVal.width;
      var side = modules * 10;
      var copy = svg.cloneNode(true);
      copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
      copy.setAttribute("width", side);
      copy.setAttribute("height", side);
      var img = new Image();
      img.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = side;
        canvas.height = side;
        var ctx = canvas.getContext("2d");
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(img, 0, 0, side, side);
        canvas.toBlob(function (blob) {
          blob.arrayBuffer().then(function (b) {
            save(new Uint8Array(b), "image/png", button.dataset.qrPng);
          });
        }, "image/png");
      };
      var xml = new XMLSerializer().serializeToString(copy);
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(xml);
    });
  }

  setUpBaking();
  setUpQr();
})();
