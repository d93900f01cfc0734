// Print credentials: the QR code on a printed certificate carries the signed
// Open Badges 3.0 credential itself, as "VC1-" + base32 (RFC 4648, no
// padding) of CBOR-LD 1.0 bytes (tag 0xcb1d, registry entry 1: default
// compression with an empty type table). This decodes it back to JSON-LD
// and checks its eddsa-jcs-2022 proof, offline in the browser: JCS needs no
// JSON-LD processor, and Ed25519 is in WebCrypto. Only the JSON-LD context
// features CBOR-LD's term ids depend on are implemented (term definitions,
// type- and property-scoped contexts, @propagate, prefixes), enough for the
// VC 2.0 and OB 3.0 contexts; the caller supplies those documents.
//
//   AccoladePrint.fromQrText(text) -> Uint8Array
//   AccoladePrint.decode(bytes, loadContext) -> Promise<credential>
//     loadContext(url) -> context document (or a Promise of it)
//   AccoladePrint.canonicalize(value) -> string (RFC 8785)
//   AccoladePrint.verifyJcs(credential, publicKeyMultibase) -> Promise<bool>
(function () {
  "use strict";

  // A QR code holds at most 2953 bytes; a hostile one must not hang the tab.
  var MAX_BYTES = 4096;
  var MAX_DEPTH = 32; // nesting of CBOR arrays and maps
  var MAX_CONTEXTS = 8; // distinct context URLs a document may name
  var PREFIX = "VC1-";
  var B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  var B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var MULTIBASE = "https://w3id.org/security#multibase";
  // CBOR-LD's fixed term ids: keyword i has id 2 * i (odd ids: the plural).
  var KEYWORDS = ["@context", "@type", "@id", "@value", "@direction", "@graph",
    "@included", "@index", "@json", "@language", "@list", "@nest", "@reverse",
    "@base", "@container", "@default", "@embed", "@explicit", "@none",
    "@omitDefault", "@prefix", "@preserve", "@protected", "@requireAll", "@set",
    "@version", "@vocab", "@propagate"];
  var FIRST_TERM_ID = 100;
  // Compressed URLs are [scheme id, rest...].
  var SCHEMES = { 1: "http://", 2: "https://", 3: "urn:uuid:", 1024: "did:v1:nym:", 1025: "did:key:" };

  function fail(msg) { throw new Error("Print credential: " + msg); }
  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function hasOwn(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  // Own property even for "__proto__": keys come from the (untrusted) input.
  function put(o, k, v) { Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true }); }

  // ---------- text encodings ----------

  // "VC1-…", or a link whose fragment is "#VC1-…" (what the QR code holds).
  function fromQrText(text) {
    if (typeof text !== "string") fail("the QR code text must be a string.");
    var s = text.trim(), hash = s.indexOf("#");
    if (hash >= 0) s = s.slice(hash + 1);
    if (s.slice(0, PREFIX.length).toUpperCase() !== PREFIX) fail('not a print credential (no "VC1-" code).');
    s = s.slice(PREFIX.length).toUpperCase();
    if (s.length > Math.ceil(MAX_BYTES * 8 / 5)) fail("the code is too long.");
    if ([1, 3, 6].indexOf(s.length % 8) >= 0) fail("the code has a bad length (damaged?).");
    var out = new Uint8Array(Math.floor(s.length * 5 / 8)), acc = 0, bits = 0, n = 0;
    for (var i = 0; i < s.length; i++) {
      var v = B32.indexOf(s[i]);
      if (v < 0) fail("the code has an invalid character " + JSON.stringify(s[i]) + ".");
      acc = ((acc << 5) | v) & 0x1fff;
      bits += 5;
      if (bits >= 8) { bits -= 8; out[n++] = (acc >> bits) & 0xff; }
    }
    // Leftover bits must be zero, so each byte string has one spelling.
    if (acc & ((1 << bits) - 1)) fail("the code is not canonical base32 (damaged?).");
    return out;
  }

  function base58(bytes) {
    var digits = [], out = "", i, j, carry;
    for (i = 0; i < bytes.length; i++) {
      for (carry = bytes[i], j = 0; j < digits.length; j++) {
        carry += digits[j] * 256;
        digits[j] = carry % 58;
        carry = (carry - digits[j]) / 58;
      }
      for (; carry; carry = (carry - carry % 58) / 58) digits.push(carry % 58);
    }
    for (i = 0; i < bytes.length && bytes[i] === 0; i++) out += "1";
    for (j = digits.length - 1; j >= 0; j--) out += B58[digits[j]];
    return out;
  }

  function unbase58(s) {
    var bytes = [], i, j, carry;
    for (i = 0; i < s.length; i++) {
      carry = B58.indexOf(s[i]);
      if (carry < 0) return null;
      for (j = 0; j < bytes.length; j++) {
        carry += bytes[j] * 58;
        bytes[j] = carry & 0xff;
        carry >>= 8;
      }
      for (; carry; carry >>= 8) bytes.push(carry & 0xff);
    }
    for (i = 0; i < s.length && s[i] === "1"; i++) bytes.push(0);
    return Uint8Array.from(bytes.reverse());
  }

  function base64(bytes, url) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    s = btoa(s);
    return url ? s.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") : s;
  }

  // ---------- CBOR (RFC 8949), the subset CBOR-LD uses ----------

  var utf8 = new TextDecoder("utf-8", { fatal: true });

  function parseCbor(bytes) {
    var pos = 0;
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    function need(n) { if (n > bytes.length - pos) fail("the data is truncated."); }
    function arg(info) {
      if (info < 24) return info;
      var n = { 24: 1, 25: 2, 26: 4, 27: 8 }[info], v = 0;
      if (!n) fail("unsupported CBOR encoding (indefinite length or reserved).");
      need(n);
      while (n--) v = v * 256 + bytes[pos++];
      if (v > Number.MAX_SAFE_INTEGER) fail("a number is too large.");
      return v;
    }
    function item(depth) {
      if (depth > MAX_DEPTH) fail("the data is nested too deeply.");
      need(1);
      var b = bytes[pos++], major = b >> 5, info = b & 31, v, i, out;
      if (major === 7) {
        if (info === 20 || info === 21) return info === 21;
        if (info === 22) return null;
        if (info === 25) { need(2); v = half(view.getUint16(pos)); pos += 2; }
        else if (info === 26) { need(4); v = view.getFloat32(pos); pos += 4; }
        else if (info === 27) { need(8); v = view.getFloat64(pos); pos += 8; }
        else fail("unsupported CBOR simple value " + info + ".");
        if (!isFinite(v)) fail("NaN and infinities are not JSON.");
        return v;
      }
      v = arg(info);
      switch (major) {
        case 0: return v;
        case 1: return -1 - v;
        case 2: need(v); return bytes.slice(pos, pos += v);
        case 3:
          need(v);
          try { return utf8.decode(bytes.subarray(pos, pos += v)); } catch (e) { fail("a text string is not UTF-8."); }
          break;
        case 4:
          need(v); // every item takes at least one byte: no huge allocations
          for (out = [], i = 0; i < v; i++) out.push(item(depth + 1));
          return out;
        case 5:
          need(v * 2);
          for (out = new Map(), i = 0; i < v; i++) {
            var key = item(depth + 1);
            if (typeof key !== "number" && typeof key !== "string") fail("a map key is neither a term id nor a string.");
            if (out.has(key)) fail("a map key appears twice.");
            out.set(key, item(depth + 1));
          }
          return out;
        default: fail("unexpected CBOR tag.");
      }
    }
    // Tag 0xcb1d (CBOR-LD 1.0), then [registry entry id, payload].
    if (bytes.length < 3 || bytes[0] !== 0xd9 || bytes[1] !== 0xcb || bytes[2] !== 0x1d) fail("not CBOR-LD 1.0 data.");
    pos = 3;
    var top = item(0);
    if (pos !== bytes.length) fail("there are " + (bytes.length - pos) + " bytes after the data.");
    if (!Array.isArray(top) || top.length !== 2) fail("malformed CBOR-LD header.");
    if (top[0] !== 1) fail("unsupported CBOR-LD registry entry " + JSON.stringify(top[0]) + " (only 1).");
    if (!(top[1] instanceof Map)) fail("the payload is not a compressed JSON-LD object.");
    return top[1];
  }

  function half(h) {
    var e = (h >> 10) & 31, m = h & 1023;
    var v = e === 0 ? m * Math.pow(2, -24) : e === 31 ? (m ? NaN : Infinity) : (m + 1024) * Math.pow(2, e - 25);
    return h & 0x8000 ? -v : v;
  }

  // ---------- JSON-LD contexts and term ids ----------

  // Term ids are handed out as contexts are first met, in the order the
  // encoder met them (each context's terms sorted): FIRST_TERM_ID, +2, …
  function newState(docs) {
    var st = { docs: docs, ids: new Map(), terms: new Map(), next: FIRST_TERM_ID, cache: new Map() };
    KEYWORDS.forEach(function (k, i) { st.ids.set(k, 2 * i); st.terms.set(2 * i, k); });
    return st;
  }

  function termOf(st, id) {
    var term = Number.isInteger(id) ? st.terms.get(id - id % 2) : undefined;
    if (term === undefined) fail("unknown term id " + id + ".");
    return term;
  }

  // A context (URL or scoped context object) -> its term definitions.
  function entryOf(st, ctx) {
    var e = st.cache.get(ctx);
    if (e) return e;
    var c = typeof ctx === "string" ? st.docs.get(ctx) : ctx;
    if (!isObject(c)) fail("context " + (typeof ctx === "string" ? ctx : "") + " is not a JSON-LD context.");
    if (hasOwn(c, "@import")) fail("@import in contexts is not supported.");
    var defs = new Map();
    Object.keys(c).sort().forEach(function (key) {
      var d = c[key];
      if (KEYWORDS.indexOf(key) >= 0 || d === null) return;
      if (typeof d === "string") d = { "@id": d };
      else if (!isObject(d)) fail("invalid term definition for " + JSON.stringify(key) + ".");
      defs.set(key, d);
      if (!st.ids.has(key)) {
        st.ids.set(key, st.next);
        st.terms.set(st.next, key);
        st.next += 2;
      }
    });
    e = { ctx: c, defs: defs };
    st.cache.set(ctx, e);
    return e;
  }

  // Expands "prefix:suffix" when prefix is a term (e.g. an "xsd" term
  // would turn "xsd:dateTime" into XSD's IRI; neither context defines it).
  function expand(v, c, active) {
    for (var n = 0; typeof v === "string" && n < 8; n++) {
      var i = v.indexOf(":"), p = v.slice(0, i);
      var d = i < 0 ? undefined : hasOwn(c, p) ? c[p] : active.get(p);
      if (d === undefined || d === null) return v;
      v = (typeof d === "string" ? d : d["@id"]) + v.slice(i + 1);
    }
    return v;
  }

  // Active term definitions (Map term -> {@id, @type, @context, propagate})
  // after applying contexts. Type-scoped contexts do not propagate into
  // nested objects unless they say "@propagate": true.
  function apply(st, active, contexts, typeScoped) {
    if (contexts === undefined) return active;
    (Array.isArray(contexts) ? contexts : [contexts]).forEach(function (ctx) {
      if (ctx === null) fail("null contexts are not supported.");
      var e = entryOf(st, ctx), c = e.ctx, next = new Map();
      var propagate = c["@propagate"] !== undefined ? !!c["@propagate"] : !typeScoped;
      e.defs.forEach(function (d, term) {
        next.set(term, { "@id": expand(d["@id"], c, active), "@type": expand(d["@type"], c, active),
          "@context": d["@context"], propagate: propagate });
      });
      active.forEach(function (d, term) { if (!next.has(term) && c[term] !== null) next.set(term, d); });
      active = next;
    });
    return active;
  }

  // Entering a property's value: terms that do not propagate fall back to
  // the nearest earlier definition that does (or vanish).
  function revert(scope) {
    var out = new Map();
    scope.defs.forEach(function (d, term) {
      for (var s = scope; d && !d.propagate; d = s.defs.get(term)) {
        s = s.prev;
        if (!s) return;
      }
      if (d) out.set(term, d);
    });
    return out;
  }

  // ---------- decompression ----------

  function decodeNode(st, node, scope) {
    var out = {};
    var one = node.get(0), many = node.get(1), contexts;
    if (one !== undefined && many !== undefined) fail("@context appears twice.");
    if (one !== undefined) contexts = [one];
    if (many !== undefined) contexts = many;
    if (contexts) {
      if (!Array.isArray(contexts)) fail("a plural @context is not an array.");
      contexts.forEach(function (c) { if (typeof c !== "string") fail("only context URLs are supported in @context."); });
      put(out, "@context", one !== undefined ? one : many.slice());
    }
    scope = { defs: apply(st, scope.defs, contexts, false), prev: scope };

    // The object's types select type-scoped contexts (sorted, as JSON-LD does).
    var types = [];
    ["@type"].concat(typeAliases(scope.defs)).forEach(function (term) {
      var id = st.ids.get(term), v = node.get(id);
      if (v == null) v = node.get(id + 1);
      if (v == null) return;
      (Array.isArray(v) ? v : [v]).forEach(function (t) {
        t = urlValue(st, t);
        if (types.indexOf(t) < 0) types.push(t);
      });
    });
    var defs = scope.defs;
    types.sort().forEach(function (t) { var d = defs.get(t); defs = apply(st, defs, d && d["@context"], true); });
    scope = { defs: defs, prev: scope };

    // Entries in term order: the order the encoder gave out nested ids in.
    var entries = [];
    node.forEach(function (value, key) {
      if (key === 0 || key === 1) return;
      if (typeof key === "string") entries.push([key, false, value]);
      else entries.push([termOf(st, key), key % 2 === 1, value]);
    });
    entries.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
    entries.forEach(function (e) {
      var term = e[0], plural = e[1], def = scope.defs.get(term) || {};
      if (hasOwn(out, term)) fail("term " + JSON.stringify(term) + " appears twice.");
      var inner = { defs: apply(st, revert(scope), def["@context"], false), prev: scope };
      if (plural && !Array.isArray(e[2])) fail("the plural of " + JSON.stringify(term) + " is not an array.");
      var values = (plural ? e[2] : [e[2]]).map(function (v) { return value(st, inner, term, def, v); });
      put(out, term, plural ? values : values[0]);
    });
    return out;
  }

  function typeAliases(defs) {
    var out = [];
    defs.forEach(function (d, term) { if (d["@id"] === "@type") out.push(term); });
    return out;
  }

  // One value, decoded by its term's type (the codec the encoder chose).
  function value(st, scope, term, def, v) {
    if (v === null) return null;
    if (v instanceof Map) return decodeNode(st, v, scope);
    var type = def["@type"];
    if (term === "@id" || term === "@type" || def["@id"] === "@id" || def["@id"] === "@type" ||
        type === "@id" || type === "@vocab") return urlValue(st, v);
    if (type === MULTIBASE && v instanceof Uint8Array) {
      var rest = v.subarray(1);
      if (v[0] === 0x7a) return "z" + base58(rest);
      if (v[0] === 0x75) return "u" + base64(rest, true);
      if (v[0] === 0x4d) return "M" + base64(rest, false);
      fail("unknown multibase prefix in " + JSON.stringify(term) + ".");
    }
    if (type === XSD + "dateTime") {
      if (typeof v === "number") return isoDate(v * 1000).replace(".000Z", "Z");
      if (Array.isArray(v) && v.length === 2 && (typeof v[0] === "number" || typeof v[1] === "number")) {
        if (typeof v[0] !== "number" || typeof v[1] !== "number") fail("malformed date in " + JSON.stringify(term) + ".");
        return isoDate(v[0] * 1000 + v[1]);
      }
    }
    if (type === XSD + "date" && typeof v === "number") return isoDate(v * 1000).slice(0, 10);
    if (v instanceof Uint8Array) fail("unexpected bytes in " + JSON.stringify(term) + ".");
    if (Array.isArray(v)) return v.map(function (x) { return value(st, scope, term, def, x); });
    return v;
  }

  function isoDate(ms) {
    var d = new Date(ms);
    if (isNaN(d.getTime())) fail("a date is out of range.");
    return d.toISOString();
  }

  // An IRI: uncompressed, a term id, or [scheme id, rest...].
  function urlValue(st, v) {
    if (typeof v === "string") return v;
    if (typeof v === "number") return termOf(st, v);
    if (!Array.isArray(v)) fail("malformed URL.");
    var scheme = v[0], s;
    if ((scheme === 1 || scheme === 2) && v.length === 2 && typeof v[1] === "string") return SCHEMES[scheme] + v[1];
    if (scheme === 3 && v.length === 2) {
      if (typeof v[1] === "string") return SCHEMES[3] + v[1];
      if (v[1] instanceof Uint8Array && v[1].length === 16) {
        s = Array.prototype.map.call(v[1], function (b) { return (b + 256).toString(16).slice(1); }).join("");
        return SCHEMES[3] + [s.slice(0, 8), s.slice(8, 12), s.slice(12, 16), s.slice(16, 20), s.slice(20)].join("-");
      }
    }
    // did:key / did:v1:nym: base58 parts travel as bytes.
    if ((scheme === 1024 || scheme === 1025) && (v.length === 2 || v.length === 3)) {
      var part = function (x) {
        if (typeof x === "string") return x;
        if (x instanceof Uint8Array) return "z" + base58(x);
        fail("malformed DID URL.");
      };
      return SCHEMES[scheme] + part(v[1]) + (v.length === 3 ? "#" + part(v[2]) : "");
    }
    fail("unknown compressed URL (scheme " + JSON.stringify(scheme) + ").");
  }

  // Context URLs named anywhere in the document, to load them up front:
  // decompression itself is then synchronous.
  function contextUrls(node, urls) {
    if (node instanceof Map) {
      [node.get(0)].concat(node.get(1)).forEach(function (u) {
        if (typeof u === "string" && urls.indexOf(u) < 0) urls.push(u);
      });
      if (urls.length > MAX_CONTEXTS) fail("too many contexts.");
      node.forEach(function (v) { contextUrls(v, urls); });
    } else if (Array.isArray(node)) {
      node.forEach(function (v) { contextUrls(v, urls); });
    }
    return urls;
  }

  function decode(bytes, loadContext) {
    return Promise.resolve().then(function () {
      if (!(bytes instanceof Uint8Array)) fail("decode() needs a Uint8Array.");
      if (bytes.length > MAX_BYTES) fail("the data is too large.");
      if (typeof loadContext !== "function") fail("decode() needs a context loader.");
      var payload = parseCbor(bytes), urls = contextUrls(payload, []);
      return Promise.all(urls.map(function (url) {
        return Promise.resolve().then(function () { return loadContext(url); }).then(function (doc) {
          if (typeof doc === "string") doc = JSON.parse(doc);
          if (!isObject(doc) || !isObject(doc["@context"])) throw new Error("no context document");
          return doc["@context"];
        }).catch(function (e) { fail("cannot load context " + url + " (" + e.message + ")."); });
      })).then(function (ctxs) {
        var docs = new Map();
        urls.forEach(function (url, i) { docs.set(url, ctxs[i]); });
        return decodeNode(newState(docs), payload, { defs: new Map(), prev: null });
      });
    });
  }

  // ---------- JCS (RFC 8785) and eddsa-jcs-2022 ----------

  // ECMAScript's JSON serialisation of strings and numbers is JCS's.
  function canonicalize(v) {
    if (typeof v === "number" && !isFinite(v)) throw new Error("JCS: " + v + " is not allowed.");
    if (v === null || typeof v !== "object") {
      if (["string", "number", "boolean"].indexOf(typeof v) < 0 && v !== null) throw new Error("JCS: cannot serialise " + typeof v + ".");
      return JSON.stringify(v);
    }
    if (Array.isArray(v)) {
      return "[" + v.map(function (x) { return x === undefined ? "null" : canonicalize(x); }).join(",") + "]";
    }
    // Default sort compares UTF-16 code units, as JCS requires.
    return "{" + Object.keys(v).sort().filter(function (k) { return v[k] !== undefined; }).map(function (k) {
      return JSON.stringify(k) + ":" + canonicalize(v[k]);
    }).join(",") + "}";
  }

  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (b) { return new Uint8Array(b); });
  }

  // Resolves false for anything but a valid assertion proof by this key;
  // rejects only when the key is malformed or the browser lacks Ed25519
  // (so a page can say "cannot check here" rather than "forged").
  function verifyJcs(credential, publicKeyMultibase) {
    var key = typeof publicKeyMultibase === "string" && publicKeyMultibase[0] === "z" &&
      publicKeyMultibase.length < 100 ? unbase58(publicKeyMultibase.slice(1)) : null;
    if (!key || key.length !== 34 || key[0] !== 0xed || key[1] !== 0x01) {
      return Promise.reject(new Error("Print credential: the key is not an Ed25519 Multikey (z6Mk…)."));
    }
    var proof = isObject(credential) ? credential.proof : null, doc = {}, options = {}, sig, hashes;
    if (!isObject(proof) || proof.type !== "DataIntegrityProof" || proof.cryptosuite !== "eddsa-jcs-2022" ||
        proof.proofPurpose !== "assertionMethod" || typeof proof.proofValue !== "string" ||
        proof.proofValue[0] !== "z" || proof.proofValue.length > 100) return Promise.resolve(false);
    sig = unbase58(proof.proofValue.slice(1));
    if (!sig || sig.length !== 64) return Promise.resolve(false);
    Object.keys(credential).forEach(function (k) { if (k !== "proof") put(doc, k, credential[k]); });
    Object.keys(proof).forEach(function (k) { if (k !== "proofValue") put(options, k, proof[k]); });
    // The proof's @context must start the document's and is what is signed.
    if (options["@context"] !== undefined) {
      var pc = [].concat(options["@context"]), dc = [].concat(credential["@context"]);
      for (var i = 0; i < pc.length; i++) if (typeof pc[i] !== "string" || pc[i] !== dc[i]) return Promise.resolve(false);
      put(doc, "@context", options["@context"]);
    }
    try {
      hashes = [canonicalize(options), canonicalize(doc)];
    } catch (e) {
      return Promise.resolve(false);
    }
    // WebCrypto exists only in secure contexts (https:, localhost).
    var cannot = new Error("Print credential: this browser cannot check Ed25519 signatures here.");
    if (typeof crypto === "undefined" || !crypto.subtle) return Promise.reject(cannot);
    var imported = crypto.subtle.importKey("raw", key.slice(2), { name: "Ed25519" }, false, ["verify"])
      .catch(function () { throw cannot; });
    return Promise.all([sha256(hashes[0]), sha256(hashes[1]), imported]).then(function (r) {
      var data = new Uint8Array(64);
      data.set(r[0]);
      data.set(r[1], 32);
      return crypto.subtle.verify({ name: "Ed25519" }, r[2], sig, data);
    });
  }

  globalThis.AccoladePrint = { fromQrText: fromQrText, decode: decode, canonicalize: canonicalize, verifyJcs: verifyJcs };
})();
