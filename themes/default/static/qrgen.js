// QR codes drawn in the visitor's browser (ISO/IEC 18004), so a site with a
// million awards does not render a million dense print QR codes at build
// time. A print credential's text is a URL whose fragment is "VC1-" +
// base32: the URL part goes in byte mode, the base32 part in alphanumeric
// mode (5.5 bits a character instead of 8), which keeps the symbol a few
// versions smaller. No dependencies, no eval: pages keep script-src 'self'.
// tests/qrgen/run.mjs compares every module with the npm `qrcode` package
// and reads the symbols back with zbarimg.
//
//   AccoladeQrGen.matrix(text, level) -> {size, dark, version, mask, segments} | null
//     level "L" | "M" | "Q" | "H" (default "M"); dark: Uint8Array(size * size),
//     row-major, 1 = dark; null when the text does not fit in version 40.
//     A third argument {mask: 0-7} forces the mask (for the tests).
//   AccoladeQrGen.svg(text, level, title) -> SVG markup, or "" when too long
//   AccoladeQrGen.element(text, level, title) -> that SVG as a node of this
//     document (parsed as SVG: no HTML parsing of generated markup), or null
(function () {
  "use strict";

  var LEVELS = { L: 0, M: 1, Q: 2, H: 3 };
  var FORMAT_BITS = [1, 0, 3, 2]; // L M Q H as written in the format info
  // Per level, indexed by version (0 unused): EC codewords per block, blocks.
  var EC_PER_BLOCK = [
    [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
    [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30]
  ];
  var BLOCKS = [
    [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
    [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
    [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
    [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81]
  ];
  var ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  // Mode indicator and character-count widths for versions 1-9, 10-26, 27-40.
  var MODES = {
    byte: { bits: 4, counts: [8, 16, 16] },
    alphanumeric: { bits: 2, counts: [9, 11, 13] }
  };
  // An alphanumeric run shorter than this is cheaper left in the byte segment.
  var MIN_ALNUM_RUN = 16;

  // ---- Text to segments --------------------------------------------------

  function utf8(s) {
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
      }
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // lone surrogate, as TextEncoder
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | c >> 6, 0x80 | c & 63);
      else if (c < 0x10000) out.push(0xe0 | c >> 12, 0x80 | c >> 6 & 63, 0x80 | c & 63);
      else out.push(0xf0 | c >> 18, 0x80 | c >> 12 & 63, 0x80 | c >> 6 & 63, 0x80 | c & 63);
    }
    return out;
  }

  function isAlnum(s) {
    for (var i = 0; i < s.length; i++) if (ALNUM.indexOf(s.charAt(i)) < 0) return false;
    return true;
  }

  function segment(mode, data) {
    return { mode: mode, data: data, bytes: mode === "byte" ? utf8(data) : null };
  }

  // The print URL: the URL part as bytes, the base32 part as alphanumerics.
  // Other text: bytes, with the longest alphanumeric run (e.g. an upper-case
  // code) split out when long enough to pay for the extra segment header.
  function segmentsOf(text) {
    var hash = text.indexOf("#VC1-");
    if (hash >= 0 && isAlnum(text.slice(hash + 1))) {
      return [segment("byte", text.slice(0, hash + 1)), segment("alphanumeric", text.slice(hash + 1))];
    }
    var best = 0, bestAt = 0, run = 0;
    for (var i = 0; i <= text.length; i++) {
      if (i < text.length && ALNUM.indexOf(text.charAt(i)) >= 0) { run++; continue; }
      if (run > best) { best = run; bestAt = i - run; }
      run = 0;
    }
    if (best < MIN_ALNUM_RUN) return [segment("byte", text)];
    var parts = [];
    if (bestAt > 0) parts.push(segment("byte", text.slice(0, bestAt)));
    parts.push(segment("alphanumeric", text.slice(bestAt, bestAt + best)));
    if (bestAt + best < text.length) parts.push(segment("byte", text.slice(bestAt + best)));
    return parts;
  }

  function segmentBits(seg, version) {
    var w = MODES[seg.mode].counts[version < 10 ? 0 : version < 27 ? 1 : 2];
    var n = seg.mode === "byte" ? seg.bytes.length : seg.data.length;
    if (n >= 1 << w) return Infinity;
    var data = seg.mode === "byte" ? n * 8 : Math.floor(n / 2) * 11 + (n % 2) * 6;
    return 4 + w + data;
  }

  // ---- Symbol geometry and capacity --------------------------------------

  // Modules left for codewords once the function patterns are drawn.
  function rawModules(version) {
    var n = (16 * version + 128) * version + 64;
    if (version >= 2) {
      var align = Math.floor(version / 7) + 2;
      n -= (25 * align - 10) * align - 55;
      if (version >= 7) n -= 36;
    }
    return n;
  }

  function dataCodewords(version, lvl) {
    return (rawModules(version) >> 3) - EC_PER_BLOCK[lvl][version] * BLOCKS[lvl][version];
  }

  function alignmentPositions(version) {
    if (version === 1) return [];
    var count = Math.floor(version / 7) + 2;
    var step = Math.floor((version * 8 + count * 3 + 5) / (count * 4 - 4)) * 2;
    var pos = [6];
    for (var p = version * 4 + 10; pos.length < count; p -= step) pos.splice(1, 0, p);
    return pos;
  }

  // ---- Reed-Solomon over GF(256), polynomial 0x11d -----------------------

  var EXP = new Uint8Array(512), LOG = new Uint8Array(256);
  (function () {
    for (var i = 0, x = 1; i < 255; i++) {
      EXP[i] = x; LOG[x] = i;
      x = x << 1 ^ (x & 0x80 ? 0x11d : 0);
    }
    for (i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
  })();

  function mul(a, b) { return a && b ? EXP[LOG[a] + LOG[b]] : 0; }

  function generator(degree) { // coefficients after the leading 1
    var g = new Uint8Array(degree);
    g[degree - 1] = 1;
    for (var i = 0, root = 1; i < degree; i++, root = mul(root, 2)) {
      for (var j = 0; j < degree; j++) {
        g[j] = mul(g[j], root) ^ (j + 1 < degree ? g[j + 1] : 0);
      }
    }
    return g;
  }

  function remainder(data, g) {
    var r = new Uint8Array(g.length);
    for (var i = 0; i < data.length; i++) {
      var f = data[i] ^ r[0];
      r.copyWithin(0, 1); r[r.length - 1] = 0;
      for (var j = 0; j < g.length; j++) r[j] ^= mul(g[j], f);
    }
    return r;
  }

  // Splits the data codewords into blocks (short blocks first), appends each
  // block's EC codewords, and interleaves them column by column.
  function codewords(data, version, lvl) {
    var nBlocks = BLOCKS[lvl][version], ecLen = EC_PER_BLOCK[lvl][version];
    var total = rawModules(version) >> 3;
    var shortLen = Math.floor(total / nBlocks) - ecLen, nShort = nBlocks - total % nBlocks;
    var g = generator(ecLen), blocks = [], out = [];
    for (var b = 0, k = 0; b < nBlocks; b++) {
      var len = shortLen + (b < nShort ? 0 : 1);
      blocks.push({ data: data.slice(k, k + len), ec: remainder(data.slice(k, k + len), g) });
      k += len;
    }
    for (var i = 0; i <= shortLen; i++) {
      for (b = 0; b < nBlocks; b++) if (i < blocks[b].data.length) out.push(blocks[b].data[i]);
    }
    for (i = 0; i < ecLen; i++) for (b = 0; b < nBlocks; b++) out.push(blocks[b].ec[i]);
    return out;
  }

  // ---- Drawing -------------------------------------------------------------

  function Grid(version) {
    this.size = version * 4 + 17;
    this.dark = new Uint8Array(this.size * this.size);
    this.fixed = new Uint8Array(this.size * this.size); // function modules
  }
  Grid.prototype.set = function (x, y, dark) {
    this.dark[y * this.size + x] = dark ? 1 : 0;
    this.fixed[y * this.size + x] = 1;
  };

  function drawFunctionPatterns(s, version) {
    var n = s.size, i, j;
    for (i = 0; i < n; i++) { s.set(6, i, i % 2 === 0); s.set(i, 6, i % 2 === 0); }
    [[3, 3], [n - 4, 3], [3, n - 4]].forEach(function (c) { // finders + separators
      for (var dy = -4; dy <= 4; dy++) for (var dx = -4; dx <= 4; dx++) {
        var x = c[0] + dx, y = c[1] + dy, d = Math.max(Math.abs(dx), Math.abs(dy));
        if (x >= 0 && x < n && y >= 0 && y < n) s.set(x, y, d !== 2 && d !== 4);
      }
    });
    var pos = alignmentPositions(version), last = pos.length - 1;
    for (i = 0; i <= last; i++) for (j = 0; j <= last; j++) {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
      for (var dy = -2; dy <= 2; dy++) for (var dx = -2; dx <= 2; dx++) {
        s.set(pos[i] + dx, pos[j] + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }
    drawFormat(s, 0, 0); // reserve the format areas; real bits come later
    if (version >= 7) { // version info: 6 data bits + BCH(18,6)
      var r = version;
      for (i = 0; i < 12; i++) r = r << 1 ^ (r >> 11) * 0x1f25;
      var bits = version << 12 | r;
      for (i = 0; i < 18; i++) {
        var a = n - 11 + i % 3, b = Math.floor(i / 3), bit = bits >> i & 1;
        s.set(a, b, bit); s.set(b, a, bit);
      }
    }
  }

  // Format info: level and mask, BCH(15,5), XORed with 0x5412; two copies.
  function drawFormat(s, lvl, mask) {
    var data = FORMAT_BITS[lvl] << 3 | mask, r = data, n = s.size, i;
    for (i = 0; i < 10; i++) r = r << 1 ^ (r >> 9) * 0x537;
    var bits = (data << 10 | r) ^ 0x5412;
    for (i = 0; i <= 5; i++) s.set(8, i, bits >> i & 1);
    s.set(8, 7, bits >> 6 & 1); s.set(8, 8, bits >> 7 & 1); s.set(7, 8, bits >> 8 & 1);
    for (i = 9; i < 15; i++) s.set(14 - i, 8, bits >> i & 1);
    for (i = 0; i < 8; i++) s.set(n - 1 - i, 8, bits >> i & 1);
    for (i = 8; i < 15; i++) s.set(8, n - 15 + i, bits >> i & 1);
    s.set(8, n - 8, 1); // the dark module
  }

  // Codeword bits go up and down two-module columns from the right edge,
  // skipping the vertical timing pattern; remainder bits stay light.
  function drawCodewords(s, words) {
    var n = s.size, i = 0, total = words.length * 8;
    for (var right = n - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      var up = (right + 1 & 2) === 0;
      for (var v = 0; v < n; v++) for (var j = 0; j < 2; j++) {
        var x = right - j, y = up ? n - 1 - v : v;
        if (!s.fixed[y * n + x] && i < total) {
          s.dark[y * n + x] = words[i >> 3] >> 7 - (i & 7) & 1;
          i++;
        }
      }
    }
  }

  var MASKS = [
    function (x, y) { return (x + y) % 2 === 0; },
    function (x, y) { return y % 2 === 0; },
    function (x, y) { return x % 3 === 0; },
    function (x, y) { return (x + y) % 3 === 0; },
    function (x, y) { return (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0; },
    function (x, y) { return x * y % 2 + x * y % 3 === 0; },
    function (x, y) { return (x * y % 2 + x * y % 3) % 2 === 0; },
    function (x, y) { return ((x + y) % 2 + x * y % 3) % 2 === 0; }
  ];

  function applyMask(s, mask) { // XOR is its own inverse: also removes it
    var n = s.size, f = MASKS[mask];
    for (var y = 0; y < n; y++) for (var x = 0; x < n; x++) {
      if (!s.fixed[y * n + x] && f(x, y)) s.dark[y * n + x] ^= 1;
    }
  }

  // ---- Mask penalty (ISO/IEC 18004:2015 7.8.3) -------------------------------

  // N1 (runs of 5+ of one colour) and N3 (1:1:3:1:1 finder look-alikes with
  // 4 light modules on a side) along one row or column. Outside the symbol
  // counts as light: the quiet zone is.
  function linePenalty(get, n) {
    var score = 0, run = 0, prev = -1, last11 = 0;
    for (var i = -4; i < n + 4; i++) {
      var m = i >= 0 && i < n ? get(i) : 0;
      if (i >= 0 && i < n) {
        if (m === prev) run++;
        else { if (run >= 5) score += run - 2; run = 1; prev = m; }
      }
      last11 = (last11 << 1 & 0x7ff) | m;
      if (i >= 6 && (last11 === 0x05d || last11 === 0x5d0)) score += 40;
    }
    if (run >= 5) score += run - 2;
    return score;
  }

  function penalty(s) {
    var n = s.size, d = s.dark, score = 0, dark = 0, x, y;
    for (y = 0; y < n; y++) {
      score += linePenalty(function (i) { return d[y * n + i]; }, n);
      score += linePenalty(function (i) { return d[i * n + y]; }, n);
    }
    for (y = 0; y < n; y++) for (x = 0; x < n; x++) {
      var c = d[y * n + x];
      dark += c;
      if (x < n - 1 && y < n - 1 && c === d[y * n + x + 1] && c === d[(y + 1) * n + x] &&
          c === d[(y + 1) * n + x + 1]) score += 3;
    }
    // N4: 10 points per full 5% that the dark share deviates from 50%.
    return score + 10 * Math.floor(Math.abs(dark * 20 - n * n * 10) / (n * n));
  }

  // ---- Encoding ------------------------------------------------------------

  function encode(text, lvl, forcedMask) {
    var segs = segmentsOf(String(text)), version, used, cap, i;
    for (version = 1; version <= 40; version++) {
      used = 0;
      for (i = 0; i < segs.length; i++) used += segmentBits(segs[i], version);
      cap = dataCodewords(version, lvl) * 8;
      if (used <= cap) break;
    }
    if (version > 40) return null;

    var bits = [];
    function put(v, len) { for (var k = len - 1; k >= 0; k--) bits.push(v >> k & 1); }
    segs.forEach(function (seg) {
      var w = MODES[seg.mode].counts[version < 10 ? 0 : version < 27 ? 1 : 2];
      put(MODES[seg.mode].bits, 4);
      if (seg.mode === "byte") {
        put(seg.bytes.length, w);
        seg.bytes.forEach(function (b) { put(b, 8); });
      } else {
        put(seg.data.length, w);
        for (var k = 0; k < seg.data.length; k += 2) {
          var a = ALNUM.indexOf(seg.data.charAt(k));
          if (k + 1 < seg.data.length) put(a * 45 + ALNUM.indexOf(seg.data.charAt(k + 1)), 11);
          else put(a, 6);
        }
      }
    });
    put(0, Math.min(4, cap - bits.length)); // terminator
    while (bits.length % 8) bits.push(0);
    var data = [];
    for (i = 0; i < bits.length; i += 8) {
      var byte = 0;
      for (var k = 0; k < 8; k++) byte = byte << 1 | bits[i + k];
      data.push(byte);
    }
    for (i = 0; data.length < cap / 8; i++) data.push(i % 2 ? 0x11 : 0xec); // pad

    var s = new Grid(version);
    drawFunctionPatterns(s, version);
    drawCodewords(s, codewords(data, version, lvl));
    var mask = forcedMask;
    if (mask === undefined) { // lowest penalty wins; the first on ties
      var best = Infinity;
      for (var m = 0; m < 8; m++) {
        applyMask(s, m); drawFormat(s, lvl, m);
        var p = penalty(s);
        if (p < best) { best = p; mask = m; }
        applyMask(s, m);
      }
    }
    applyMask(s, mask); drawFormat(s, lvl, mask);
    return {
      size: s.size, dark: s.dark, version: version, mask: mask,
      segments: segs.map(function (g) { return { mode: g.mode, data: g.data }; })
    };
  }

  function matrix(text, level, options) {
    var lvl = LEVELS[String(level === undefined ? "M" : level).toUpperCase()];
    if (lvl === undefined) throw new TypeError("QR level must be L, M, Q or H");
    var mask = options && options.mask;
    if (mask !== undefined && !(mask >= 0 && mask <= 7 && mask % 1 === 0)) {
      throw new TypeError("QR mask must be 0-7");
    }
    return encode(text, lvl, mask);
  }

  function escapeXml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // One path of horizontal runs of dark modules, offset by the 4-module
  // quiet zone; no width or height, so CSS sizes it.
  function svg(text, level, title) {
    var q = matrix(text, level);
    if (!q) return "";
    var n = q.size, full = n + 8, d = [];
    for (var y = 0; y < n; y++) {
      for (var x = 0; x < n; x++) {
        if (!q.dark[y * n + x]) continue;
        var start = x;
        while (x + 1 < n && q.dark[y * n + x + 1]) x++;
        d.push("M" + (start + 4) + " " + (y + 4) + "h" + (x - start + 1) + "v1h-" + (x - start + 1) + "z");
      }
    }
    return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + full + " " + full +
      '" shape-rendering="crispEdges" role="img"><title>' + escapeXml(title === undefined ? "" : title) +
      '</title><rect width="' + full + '" height="' + full + '" fill="#fff"/><path fill="#000" d="' +
      d.join("") + '"/></svg>';
  }

  function element(text, level, title) {
    var markup = svg(text, level, title);
    if (!markup) return null;
    var node = new DOMParser().parseFromString(markup, "image/svg+xml").documentElement;
    return node.nodeName === "svg" ? document.importNode(node, true) : null;
  }

  globalThis.AccoladeQrGen = { matrix: matrix, svg: svg, element: element };
})();
