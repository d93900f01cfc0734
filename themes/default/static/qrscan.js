// A small QR code reader for the verifier page's camera scan, used where the
// browser has no BarcodeDetector. It reads one QR code (model 2, versions
// 1-40, any error correction level) from a camera frame:
//
//   AccoladeQrScan.decode({width, height, data: RGBA bytes}) -> string | null
//
// Steps: grey levels -> local threshold -> finder patterns (1:1:3:1:1 runs)
// -> likely finder triples -> format and version info in the finders' own
// frames -> alignment patterns, located outwards from the finders -> a
// homography fitted to all of them -> module grid (grey levels against the
// local threshold) -> unmask -> blocks -> Reed-Solomon -> segments (numeric,
// alphanumeric, bytes, kanji, ECI). Then the same on the inverted image
// (light-on-dark codes). Written for this project from the QR code standard
// (ISO/IEC 18004). It never throws and does bounded work per frame: null
// means "try the next frame". Not read: mirrored codes, Micro QR, model 1;
// structured append parts come back one by one.
(function () {
  "use strict";

  var MAX_PIXELS = 2200000; // larger frames are halved first (speed)
  var MAX_INPUT = 40000000; // larger ones are refused
  var MAX_CANDIDATES = 300; // finder candidates kept per frame
  var MAX_TRIPLES = 6; // finder triples tried per frame
  var FAR = 1000; // a symbol size beyond any, for reading relative to finders
  var TIME_BUDGET_MS = 1000; // a safety net only: the counts above bound the work

  // ---------------------------------------------------------------- GF(256)
  // QR's field: x^8 + x^4 + x^3 + x^2 + 1, generator alpha = 2.
  var EXP = new Uint8Array(512), LOG = new Uint8Array(256);
  (function () {
    for (var i = 0, x = 1; i < 255; i++) {
      EXP[i] = x; LOG[x] = i;
      x <<= 1;
      if (x & 256) x ^= 0x11d;
    }
    for (i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
  })();

  function mul(a, b) { return a && b ? EXP[LOG[a] + LOG[b]] : 0; }
  function div(a, b) { return a ? EXP[LOG[a] + 255 - LOG[b]] : 0; }
  function alphaPow(e) { return EXP[((e % 255) + 255) % 255]; }

  // Polynomial with coefficients in ascending powers, evaluated at x.
  function polyEval(p, x) {
    var y = 0;
    for (var i = p.length - 1; i >= 0; i--) y = mul(y, x) ^ p[i];
    return y;
  }

  // Syndromes S_j = r(alpha^j), j = 0..nsym-1 (QR's generator starts at
  // alpha^0). block[0] is the highest-degree coefficient, as transmitted.
  function syndromes(block, nsym) {
    var s = new Uint8Array(nsym), any = false;
    for (var j = 0; j < nsym; j++) {
      var a = EXP[j], v = 0;
      for (var i = 0; i < block.length; i++) v = mul(v, a) ^ block[i];
      s[j] = v;
      if (v) any = true;
    }
    return any ? s : null;
  }

  // Corrects up to maxErr byte errors in place (Berlekamp-Massey, Chien
  // search, Forney). Returns false when the block is beyond repair.
  function rsCorrect(block, nsym, maxErr) {
    var S = syndromes(block, nsym);
    if (!S) return true;
    var n = block.length;
    // Berlekamp-Massey: error locator C(x), C(X_k^-1) = 0.
    var C = [1], B = [1], L = 0, m = 1, b = 1, i, k;
    for (k = 0; k < nsym; k++) {
      var d = S[k];
      for (i = 1; i <= L; i++) d ^= mul(C[i] || 0, S[k - i]);
      if (d === 0) { m++; continue; }
      var coef = div(d, b), T = C.slice();
      for (i = 0; i < B.length; i++) {
        while (C.length <= i + m) C.push(0);
        C[i + m] ^= mul(coef, B[i]);
      }
      if (2 * L <= k) { L = k + 1 - L; B = T; b = d; m = 1; } else m++;
    }
    if (L > maxErr) return false;
    // Chien search over the positions that exist in this (short) block.
    var where = [];
    for (i = 0; i < n; i++) {
      if (polyEval(C, alphaPow(-(n - 1 - i))) === 0) where.push(i);
    }
    if (where.length !== L) return false;
    // Error evaluator: Omega = S * C mod x^nsym.
    var omega = new Uint8Array(nsym);
    for (i = 0; i < nsym; i++) {
      var v = 0;
      for (k = 0; k <= i && k < C.length; k++) v ^= mul(C[k], S[i - k]);
      omega[i] = v;
    }
    // Forney with first root alpha^0: e = X * Omega(X^-1) / C'(X^-1).
    for (var w = 0; w < where.length; w++) {
      var p = n - 1 - where[w], xInv = alphaPow(-p), den = 0;
      for (k = 1; k < C.length; k += 2) den ^= mul(C[k] || 0, alphaPow(-p * (k - 1)));
      if (den === 0) return false;
      block[where[w]] ^= mul(alphaPow(p), div(polyEval(omega, xInv), den));
    }
    return syndromes(block, nsym) === null;
  }

  // ----------------------------------------------------------- the tables
  // Per version 1-40, for levels L, M, Q, H: error correction bytes per
  // block, and the number of blocks (ISO/IEC 18004 table 9).
  var EC_PER_BLOCK = [
    [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
      28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
      26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
    [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
      28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
      30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30]
  ];
  var NUM_BLOCKS = [
    [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
      8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
    [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
      17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
    [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
      23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
    [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
      25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81]
  ];
  // Bytes the standard reserves for misdecode protection in small symbols
  // (versions 1-3): they lower how many errors we dare to correct.
  function reservedBytes(version, level) {
    if (version === 1) return [3, 2, 1, 1][level];
    if (version === 2 && level === 0) return 2;
    if (version === 3 && level === 0) return 1;
    return 0;
  }

  // Centres of alignment patterns along one axis.
  function alignmentPositions(version) {
    if (version === 1) return [];
    var size = version * 4 + 17, count = Math.floor(version / 7) + 2;
    var step = version === 32 ? 26 : Math.ceil((size - 13) / (count * 2 - 2)) * 2;
    var pos = [6];
    for (var p = size - 7; pos.length < count; p -= step) pos.splice(1, 0, p);
    return pos;
  }

  // Remainder of the BCH code with the given generator polynomial.
  function bchCode(value, poly, dataBits, polyDegree) {
    var v = value << polyDegree;
    for (var i = dataBits + polyDegree - 1; i >= polyDegree; i--) {
      if (v & (1 << i)) v ^= poly << (i - polyDegree);
    }
    return (value << polyDegree) | v;
  }
  var FORMAT_CODES = [], VERSION_CODES = [];
  for (var f = 0; f < 32; f++) FORMAT_CODES.push(bchCode(f, 0x537, 5, 10) ^ 0x5412);
  for (var vv = 7; vv <= 40; vv++) VERSION_CODES.push(bchCode(vv, 0x1f25, 6, 12));

  function popcount(x) {
    var c = 0;
    for (; x; x &= x - 1) c++;
    return c;
  }

  // Nearest valid code to any of the readings, if within 3 bit errors
  // (both codes have minimum distance 7 or 8). Returns its index or -1.
  function nearestCode(codes, readings) {
    var best = -1, bestDist = 4;
    for (var i = 0; i < codes.length; i++) {
      for (var r = 0; r < readings.length; r++) {
        var d = popcount(codes[i] ^ readings[r]);
        if (d < bestDist) { bestDist = d; best = i; }
      }
    }
    return best;
  }

  // --------------------------------------------------------- binarization
  // Grey levels, halving frames too large to scan quickly.
  function toGray(img) {
    var w = img.width, h = img.height, d = img.data, g, x, y;
    if (w * h <= MAX_PIXELS) {
      g = new Uint8Array(w * h);
      for (var i = 0, j = 0; i < g.length; i++, j += 4) {
        g[i] = (d[j] * 77 + d[j + 1] * 150 + d[j + 2] * 29) >> 8;
      }
      return { w: w, h: h, g: g, scale: 1 };
    }
    var hw = w >> 1, hh = h >> 1;
    g = new Uint8Array(hw * hh);
    for (y = 0; y < hh; y++) {
      for (x = 0; x < hw; x++) {
        var s = 0;
        for (var k = 0; k < 4; k++) {
          var p = ((2 * y + (k >> 1)) * w + 2 * x + (k & 1)) * 4;
          s += d[p] * 77 + d[p + 1] * 150 + d[p + 2] * 29;
        }
        g[y * hw + x] = s >> 10;
      }
    }
    return { w: hw, h: hh, g: g, scale: 2 };
  }

  // Local threshold: each block of 2^shift pixels gets the midpoint of the
  // darkest and lightest block means in a 5x5 block window (block means
  // smooth noise; a window's mean would lean towards the quiet zone's
  // white), when that window has structure. Flat windows (inside a large
  // module, blank paper) would turn noise into speckle, so they take the
  // threshold of the nearest structured ones. Result: 1 = dark.
  function binarize(gray) {
    var w = gray.w, h = gray.h, g = gray.g;
    var shift = Math.min(w, h) < 360 ? 2 : 3, size = 1 << shift;
    var bw = (w + size - 1) >> shift, bh = (h + size - 1) >> shift;
    var sum = new Float64Array(bw * bh), cnt = new Float64Array(bw * bh);
    var x, y, i, bx, by;
    for (y = 0, i = 0; y < h; y++) {
      var row = (y >> shift) * bw;
      for (x = 0; x < w; x++, i++) sum[row + (x >> shift)] += g[i];
    }
    for (by = 0; by < bh; by++) {
      for (bx = 0; bx < bw; bx++) {
        cnt[by * bw + bx] = (Math.min(size, w - (bx << shift))) * Math.min(size, h - (by << shift));
      }
    }
    var mean = new Float64Array(bw * bh);
    for (i = 0; i < mean.length; i++) mean[i] = sum[i] / cnt[i];
    var thr = new Float64Array(bw * bh), known = new Uint8Array(bw * bh), total = 0, nKnown = 0;
    for (by = 0; by < bh; by++) {
      for (bx = 0; bx < bw; bx++) {
        var lo = 255, hi = 0;
        for (var yy = Math.max(0, by - 2); yy <= Math.min(bh - 1, by + 2); yy++) {
          for (var xx = Math.max(0, bx - 2); xx <= Math.min(bw - 1, bx + 2); xx++) {
            var mv = mean[yy * bw + xx];
            if (mv < lo) lo = mv;
            if (mv > hi) hi = mv;
          }
        }
        i = by * bw + bx;
        total += mean[i];
        if (hi - lo >= 20) { thr[i] = (lo + hi) / 2; known[i] = 1; nKnown++; }
      }
    }
    // Spread thresholds into flat areas: a sweep down and right, then one up
    // and left, each block taking the mean of its already known neighbours.
    for (var sweep = 0; sweep < 2 && nKnown < bw * bh; sweep++) {
      var d = sweep ? -1 : 1;
      for (var k = 0; k < bw * bh; k++) {
        i = sweep ? bw * bh - 1 - k : k;
        if (known[i]) continue;
        bx = i % bw; by = (i - bx) / bw;
        var s = 0, c = 0;
        for (var nb = 0; nb < 4; nb++) {
          var nx = bx + [-d, -d, 0, d][nb], ny = by + [0, -d, -d, -d][nb];
          if (nx < 0 || ny < 0 || nx >= bw || ny >= bh || !known[ny * bw + nx]) continue;
          s += thr[ny * bw + nx]; c++;
        }
        if (c) { thr[i] = s / c; known[i] = 1; nKnown++; }
      }
    }
    var globalThr = total / (bw * bh);
    for (i = 0; i < thr.length; i++) if (!known[i]) thr[i] = globalThr;
    var img = { w: w, h: h, g: g, thr: thr, bw: bw, bh: bh, size: size, bits: new Uint8Array(w * h) };
    // As threshold() below, unrolled for speed: per column the two blocks
    // and the weight, per row a horizontally interpolated pair of rows.
    var bx0 = new Int32Array(w), bx1 = new Int32Array(w), tx = new Float64Array(w);
    var top = new Float64Array(bw), bot = new Float64Array(bw);
    for (x = 0; x < w; x++) {
      var fx = Math.min(Math.max((x + 0.5) / size - 0.5, 0), bw - 1);
      bx0[x] = Math.floor(fx); bx1[x] = Math.min(bx0[x] + 1, bw - 1); tx[x] = fx - bx0[x];
    }
    for (y = 0; y < h; y++) {
      var fy = Math.min(Math.max((y + 0.5) / size - 0.5, 0), bh - 1), y0 = Math.floor(fy), ty = fy - y0;
      var r0 = y0 * bw, r1 = Math.min(y0 + 1, bh - 1) * bw;
      for (bx = 0; bx < bw; bx++) { top[bx] = thr[r0 + bx]; bot[bx] = thr[r1 + bx] - thr[r0 + bx]; }
      for (x = 0, i = y * w; x < w; x++, i++) {
        var a = top[bx0[x]] + bot[bx0[x]] * ty, b = top[bx1[x]] + bot[bx1[x]] * ty;
        img.bits[i] = g[i] < a + (b - a) * tx[x] ? 1 : 0;
      }
    }
    return img;
  }

  // Threshold at a point, bilinear between block centres: one stepping at
  // block edges would move module edges by a pixel, too much for small
  // modules.
  function threshold(img, x, y) {
    var fx = Math.min(Math.max(x / img.size - 0.5, 0), img.bw - 1);
    var fy = Math.min(Math.max(y / img.size - 0.5, 0), img.bh - 1);
    var x0 = Math.floor(fx), y0 = Math.floor(fy), tx = fx - x0, ty = fy - y0;
    var x1 = Math.min(x0 + 1, img.bw - 1), r0 = y0 * img.bw, r1 = Math.min(y0 + 1, img.bh - 1) * img.bw, t = img.thr;
    var top = t[r0 + x0] + (t[r0 + x1] - t[r0 + x0]) * tx;
    var bot = t[r1 + x0] + (t[r1 + x1] - t[r1 + x0]) * tx;
    return top + (bot - top) * ty;
  }

  // Grey level at a point, bilinear between pixel centres.
  function grayAt(img, x, y) {
    var fx = Math.min(Math.max(x - 0.5, 0), img.w - 1), fy = Math.min(Math.max(y - 0.5, 0), img.h - 1);
    var x0 = Math.floor(fx), y0 = Math.floor(fy), tx = fx - x0, ty = fy - y0;
    var x1 = Math.min(x0 + 1, img.w - 1), r0 = y0 * img.w, r1 = Math.min(y0 + 1, img.h - 1) * img.w, g = img.g;
    var top = g[r0 + x0] + (g[r0 + x1] - g[r0 + x0]) * tx;
    var bot = g[r1 + x0] + (g[r1 + x1] - g[r1 + x0]) * tx;
    return top + (bot - top) * ty;
  }

  // Is the module at (x, y) dark? Outside the frame counts as light.
  function moduleAt(img, x, y) {
    if (!(x >= 0 && y >= 0 && x < img.w && y < img.h)) return 0;
    return grayAt(img, x, y) < threshold(img, x, y) ? 1 : 0;
  }

  // ------------------------------------------------------ finder patterns
  // Five runs dark-light-dark-light-dark in the ratio 1:1:3:1:1?
  // (Cross-checks are looser than the row scan: blur and noise thin some
  // runs, and the scan has already found a pattern.)
  function finderRatio(r, loose) {
    var total = r[0] + r[1] + r[2] + r[3] + r[4];
    if (total < 7) return false;
    var m = total / 7, tol = m * (loose ? 0.75 : 0.6);
    return Math.abs(r[0] - m) < tol && Math.abs(r[1] - m) < tol &&
      Math.abs(r[2] - 3 * m) < 3 * tol && Math.abs(r[3] - m) < tol && Math.abs(r[4] - m) < tol;
  }

  // Runs through (x, y) along (dx, dy), which must be a dark pixel of a
  // finder's centre. Returns [centre offset along the line, total length]
  // or null. Any line through a finder's centre shows 1:1:3:1:1, whatever
  // the rotation, so this works for horizontal, vertical and diagonal.
  function crossCheck(img, x, y, dx, dy, maxRun) {
    var bits = img.bits, w = img.w, h = img.h, r = [0, 0, 0, 0, 0];
    function dark(t) {
      var px = x + dx * t, py = y + dy * t;
      return px >= 0 && py >= 0 && px < w && py < h ? bits[py * w + px] : -1;
    }
    var t = 0, v;
    while ((v = dark(t)) === 1 && r[2] <= 3 * maxRun) { r[2]++; t--; }
    if (v !== 0) return null;
    while ((v = dark(t)) === 0 && r[1] <= maxRun) { r[1]++; t--; }
    if (v !== 1 || r[1] > maxRun) return null;
    while (dark(t) === 1 && r[0] <= maxRun) { r[0]++; t--; }
    if (r[0] > maxRun) return null;
    var start = t + 1;
    t = 1;
    while ((v = dark(t)) === 1 && r[2] <= 3 * maxRun) { r[2]++; t++; }
    if (v !== 0) return null;
    while ((v = dark(t)) === 0 && r[3] <= maxRun) { r[3]++; t++; }
    if (v !== 1 || r[3] > maxRun) return null;
    while (dark(t) === 1 && r[4] <= maxRun) { r[4]++; t++; }
    if (r[4] > maxRun || !finderRatio(r, true)) return null;
    return [(start + t) / 2 - 0.5, t - start];
  }

  // A 1:1:3:1:1 run ending at x on row y: confirm it vertically,
  // horizontally again and diagonally, and merge it into the candidates.
  function tryFinder(img, cands, r, x, y) {
    var total = r[0] + r[1] + r[2] + r[3] + r[4];
    var cx = Math.floor(x - r[4] - r[3] - r[2] / 2);
    var maxRun = Math.ceil(total / 2);
    var vert = crossCheck(img, cx, y, 0, 1, maxRun);
    if (!vert) return;
    var cy = Math.round(y + vert[0]), hor = null;
    for (var k = 0; k < 5 && !hor; k++) {
      hor = crossCheck(img, cx, cy + [0, -1, 1, -2, 2][k], 1, 0, maxRun);
      if (hor) cy += [0, -1, 1, -2, 2][k];
    }
    if (!hor) return;
    var fx = cx + hor[0] + 0.5, fy = cy + 0.5;
    var diag = crossCheck(img, Math.floor(fx), cy, 1, 1, maxRun);
    if (!diag || vert[1] > 2 * hor[1] || hor[1] > 2 * vert[1]) return;
    var ms = (vert[1] + hor[1]) / 14;
    var vy = crossCheck(img, Math.floor(fx), cy, 0, 1, maxRun);
    if (vy) fy = cy + vy[0] + 0.5;
    for (var i = 0; i < cands.length; i++) {
      var c = cands[i];
      if (Math.abs(c.x - fx) <= 2 * c.ms && Math.abs(c.y - fy) <= 2 * c.ms &&
          ms < 1.5 * c.ms && c.ms < 1.5 * ms) {
        var n = c.n + 1;
        c.x = (c.x * c.n + fx) / n; c.y = (c.y * c.n + fy) / n; c.ms = (c.ms * c.n + ms) / n;
        c.n = n;
        return;
      }
    }
    if (cands.length < MAX_CANDIDATES) cands.push({ x: fx, y: fy, ms: ms, n: 1 });
  }

  function findFinders(img) {
    var bits = img.bits, w = img.w, h = img.h, cands = [], r = [0, 0, 0, 0, 0];
    for (var y = 0; y < h; y++) {
      var row = y * w, color = bits[row], run = 0, nRuns = 0;
      for (var x = 0; x <= w; x++) {
        var v = x < w ? bits[row + x] : 0;
        if (v === color) { run++; continue; }
        r[0] = r[1]; r[1] = r[2]; r[2] = r[3]; r[3] = r[4]; r[4] = run;
        nRuns++;
        if (color === 1 && nRuns >= 5 && finderRatio(r)) tryFinder(img, cands, r, x, y);
        color = v; run = 1;
      }
    }
    return cands;
  }

  // Distance from (x, y) along the unit vector (ux, uy) to the outer edge
  // of the finder centred there: dark, light, dark, then light again.
  // Quarter-pixel steps: whole ones bias the result by up to half a pixel.
  function edgeDistance(img, x, y, ux, uy, limit) {
    var state = 0;
    for (var t = 0; t < limit; t += 0.25) {
      var px = Math.floor(x + ux * t), py = Math.floor(y + uy * t);
      if (px < 0 || py < 0 || px >= img.w || py >= img.h) return state === 2 ? t : NaN;
      var dark = img.bits[py * img.w + px];
      if ((state & 1) === dark) { if (++state === 3) return t - 0.125; }
    }
    return NaN;
  }

  // Centre a finder on the darkness centroid of its 3x3 core, from grey
  // levels: sub-pixel, where run lengths only give whole pixels. A circle of
  // 2.1 modules holds the core and stays inside the light ring, whatever the
  // rotation (for an alignment pattern's single module: 1.1). Were it to
  // reach the outer ring, an off-centre start would pull further off.
  function refineCenter(img, f, radius) {
    var r = radius * f.ms, x0 = Math.max(0, Math.floor(f.x - r)), x1 = Math.min(img.w - 1, Math.ceil(f.x + r));
    var y0 = Math.max(0, Math.floor(f.y - r)), y1 = Math.min(img.h - 1, Math.ceil(f.y + r));
    var hi = 0, lo = 255, x, y, v;
    for (y = y0; y <= y1; y++) {
      for (x = x0; x <= x1; x++) { v = img.g[y * img.w + x]; if (v > hi) hi = v; if (v < lo) lo = v; }
    }
    var cut = hi - (hi - lo) * 0.1, sx = 0, sy = 0, sw = 0;
    for (y = y0; y <= y1; y++) {
      for (x = x0; x <= x1; x++) {
        var dx = x + 0.5 - f.x, dy = y + 0.5 - f.y;
        if (dx * dx + dy * dy > r * r) continue;
        var wgt = cut - img.g[y * img.w + x];
        if (wgt > 0) { sx += wgt * (x + 0.5); sy += wgt * (y + 0.5); sw += wgt; }
      }
    }
    if (sw > 0 && hi - lo >= 20) {
      var nx = sx / sw, ny = sy / sw;
      if (Math.abs(nx - f.x) < f.ms && Math.abs(ny - f.y) < f.ms) { f.x = nx; f.y = ny; }
    }
  }

  // The finder's module size along axis u, a unit vector (7 modules wide).
  function measureFinder(img, f, ux, uy) {
    var limit = f.ms * 7, a = edgeDistance(img, f.x, f.y, ux, uy, limit);
    var b = edgeDistance(img, f.x, f.y, -ux, -uy, limit);
    if (!(a > 0 && b > 0) || a > 2 * b || b > 2 * a) return f.ms;
    return (a + b) / 7;
  }

  // ----------------------------------------------------------- geometry
  // Homography taking src points (module space) to dst points (image), by
  // least squares over 4 or more pairs (exact for 4): normal equations of
  // the 8 unknowns, on coordinates normalized for a well-conditioned
  // system. Returns a mapping function, or null.
  function homography(src, dst) {
    function norm(pts) {
      var cx = 0, cy = 0, d = 0, i;
      for (i = 0; i < pts.length; i++) { cx += pts[i][0]; cy += pts[i][1]; }
      cx /= pts.length; cy /= pts.length;
      for (i = 0; i < pts.length; i++) d += Math.sqrt(Math.pow(pts[i][0] - cx, 2) + Math.pow(pts[i][1] - cy, 2));
      return [cx, cy, d > 0 ? pts.length / d : 1];
    }
    var ns = norm(src), nd = norm(dst), M = [], i, j, k;
    for (i = 0; i < 8; i++) M.push([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    for (k = 0; k < src.length; k++) {
      var x = (src[k][0] - ns[0]) * ns[2], y = (src[k][1] - ns[1]) * ns[2];
      var X = (dst[k][0] - nd[0]) * nd[2], Y = (dst[k][1] - nd[1]) * nd[2];
      var rows = [[x, y, 1, 0, 0, 0, -X * x, -X * y, X], [0, 0, 0, x, y, 1, -Y * x, -Y * y, Y]];
      for (var r = 0; r < 2; r++) {
        for (i = 0; i < 8; i++) for (j = 0; j < 9; j++) M[i][j] += rows[r][i] * rows[r][j];
      }
    }
    for (i = 0; i < 8; i++) {
      var piv = i;
      for (j = i + 1; j < 8; j++) if (Math.abs(M[j][i]) > Math.abs(M[piv][i])) piv = j;
      if (Math.abs(M[piv][i]) < 1e-12) return null;
      var tmp = M[i]; M[i] = M[piv]; M[piv] = tmp;
      for (j = 0; j < 8; j++) {
        if (j === i) continue;
        var f = M[j][i] / M[i][i];
        for (k = i; k < 9; k++) M[j][k] -= f * M[i][k];
      }
    }
    var h = [];
    for (i = 0; i < 8; i++) h.push(M[i][8] / M[i][i]);
    return function (x, y) {
      x = (x - ns[0]) * ns[2]; y = (y - ns[1]) * ns[2];
      var z = h[6] * x + h[7] * y + 1;
      return [(h[0] * x + h[1] * y + h[2]) / z / nd[2] + nd[0], (h[3] * x + h[4] * y + h[5]) / z / nd[2] + nd[1]];
    };
  }

  // Affine map through three (module x, module y, image x, image y) points.
  function affine3(a, b, c) {
    var det = (b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1]);
    return function (x, y) {
      var s = ((x - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (y - a[1])) / det;
      var t = ((b[0] - a[0]) * (y - a[1]) - (x - a[0]) * (b[1] - a[1])) / det;
      return [a[2] + s * (b[2] - a[2]) + t * (c[2] - a[2]), a[3] + s * (b[3] - a[3]) + t * (c[3] - a[3])];
    };
  }

  function fatTriangle(a, b, c) {
    var area = Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2;
    var side = Math.max(Math.pow(b[0] - a[0], 2) + Math.pow(b[1] - a[1], 2),
      Math.pow(c[0] - a[0], 2) + Math.pow(c[1] - a[1], 2), Math.pow(c[0] - b[0], 2) + Math.pow(c[1] - b[1], 2));
    return area > 0.2 * side;
  }

  // Module -> image correspondences: the finders' centres, then alignment
  // patterns found outwards from the top left, each predicted by an affine
  // map of the nearest known points, so perspective only has to be small
  // between neighbours. Then the homography that fits them all best,
  // leaving out points more than a module off. Null if none was found.
  function locateGrid(img, tl, tr, bl, initial, version) {
    var dim = version * 4 + 17, pos = alignmentPositions(version), last = pos.length - 1;
    var known = [[3.5, 3.5, tl.x, tl.y], [dim - 3.5, 3.5, tr.x, tr.y], [3.5, dim - 3.5, bl.x, bl.y]];
    var todo = [], i, j;
    for (i = 0; i <= last; i++) {
      for (j = 0; j <= last; j++) {
        if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
        todo.push([pos[i] + 0.5, pos[j] + 0.5]);
      }
    }
    todo.sort(function (a, b) { return a[0] + a[1] - b[0] - b[1]; });
    var spacing = last > 0 ? pos[last] - pos[last - 1] : dim;
    for (var n = 0; n < todo.length; n++) {
      var t = todo[n];
      var near = known.slice().sort(function (a, b) {
        return Math.abs(a[0] - t[0]) + Math.abs(a[1] - t[1]) - Math.abs(b[0] - t[0]) - Math.abs(b[1] - t[1]);
      });
      // The nearest point and the nearest two that make a fat triangle with
      // it (a thin one extrapolates badly across its short side).
      var tri = null;
      for (j = 1; j < near.length && !tri; j++) {
        for (var k = j + 1; k < near.length && !tri; k++) {
          if (fatTriangle(near[0], near[j], near[k])) tri = [near[0], near[j], near[k]];
        }
      }
      if (!tri) continue;
      // Small versions have one alignment pattern, far from the finders.
      var map = version < 7 ? initial : affine3(tri[0], tri[1], tri[2]), p = map(t[0], t[1]);
      var pu = map(t[0] + 1, t[1]), pv = map(t[0], t[1] + 1);
      var dist0 = Math.abs(near[0][0] - t[0]) + Math.abs(near[0][1] - t[1]);
      var radius = version < 7 ? 3 + dim / 10 : Math.min(spacing / 2 - 1, 3 + dist0 / 6);
      var f = findAlignment(img, p[0], p[1], [pu[0] - p[0], pu[1] - p[1]], [pv[0] - p[0], pv[1] - p[1]], radius);
      if (f) known.push([t[0], t[1], f[0], f[1]]);
      // The first few are the easiest: none of them means a wrong guess.
      if (n === 3 && known.length === 3) return null;
    }
    if (known.length < 4) return null;
    for (var round = 0; round < 3; round++) {
      var h = homography(known.map(function (k) { return [k[0], k[1]]; }), known.map(function (k) { return [k[2], k[3]]; }));
      if (!h || known.length <= 4) return h;
      // The worst residual, in modules (by the local module size).
      var worst = -1, worstErr = 1;
      for (i = 3; i < known.length; i++) {
        var q = h(known[i][0], known[i][1]), q1 = h(known[i][0] + 1, known[i][1]);
        var e = Math.sqrt(Math.pow(q[0] - known[i][2], 2) + Math.pow(q[1] - known[i][3], 2)) /
          Math.sqrt(Math.pow(q1[0] - q[0], 2) + Math.pow(q1[1] - q[1], 2));
        if (e > worstErr) { worstErr = e; worst = i; }
      }
      if (worst < 0) return h;
      known.splice(worst, 1);
    }
    return homography(known.map(function (k) { return [k[0], k[1]]; }), known.map(function (k) { return [k[2], k[3]]; }));
  }

  function pixel(img, x, y) {
    x = Math.floor(x); y = Math.floor(y);
    return x >= 0 && y >= 0 && x < img.w && y < img.h ? img.bits[y * img.w + x] : 0;
  }

  // Best match of the 5x5 alignment pattern (dark centre, light ring, dark
  // ring) near (px, py), with module vectors u and v. Searches coarsely,
  // then pixel by pixel, and returns the centroid of the best positions.
  function findAlignment(img, px, py, u, v, radius) {
    var ms = Math.sqrt(u[0] * u[0] + u[1] * u[1]);
    // Coarse search on the binarized pixels, fine search on grey levels.
    function score(x, y, fine) {
      var s = 0;
      for (var j = -2; j <= 2; j++) {
        for (var i = -2; i <= 2; i++) {
          var ring = Math.max(Math.abs(i), Math.abs(j)), px = x + i * u[0] + j * v[0], py = y + i * u[1] + j * v[1];
          if ((fine ? moduleAt(img, px, py) : pixel(img, px, py)) === (ring === 1 ? 0 : 1)) s++;
        }
      }
      return s;
    }
    function search(cx, cy, r, step, fine) {
      var best = -1, bestD = 0, pts = [];
      for (var dy = -r; dy <= r; dy += step) {
        for (var dx = -r; dx <= r; dx += step) {
          var s = score(cx + dx, cy + dy, fine), d = dx * dx + dy * dy;
          if (s > best || (s === best && d < bestD)) { best = s; bestD = d; pts = []; }
          if (s === best) pts.push([cx + dx, cy + dy]);
        }
      }
      return { score: best, pts: pts };
    }
    var coarse = search(px, py, radius * ms, Math.max(1, ms / 2));
    if (coarse.score < 21) return null;
    var c = coarse.pts[0];
    // The coarse list keeps the nearest best first; refine around it.
    var d2 = Infinity;
    for (var k = 0; k < coarse.pts.length; k++) {
      var e = (coarse.pts[k][0] - px) * (coarse.pts[k][0] - px) + (coarse.pts[k][1] - py) * (coarse.pts[k][1] - py);
      if (e < d2) { d2 = e; c = coarse.pts[k]; }
    }
    var fine = search(c[0], c[1], Math.max(1, ms * 0.7), Math.max(0.5, ms / 8), true);
    var sx = 0, sy = 0;
    for (k = 0; k < fine.pts.length; k++) { sx += fine.pts[k][0]; sy += fine.pts[k][1]; }
    // Its centre module is surrounded by a light ring: centroid within 1.1
    // modules (the ring's outer edge, 1.5, stays out even if ms is off).
    var f = { x: sx / fine.pts.length, y: sy / fine.pts.length, ms: ms };
    refineCenter(img, f, 1.1);
    return [f.x, f.y];
  }

  // Version info (versions 7+): 18 bits in 6x3 blocks beside the top-right
  // and the bottom-left finder, read in each finder's own frame (centre and
  // module vectors), so neither the code's size nor perspective matter.
  // Bit i is at row i / 3, column dim - 11 + i % 3 (transposed for the
  // bottom-left copy): 7 to 5 modules before the finder's centre.
  function readVersion(img, tr, trU, trV, bl, blU, blV) {
    var a = 0, b = 0;
    for (var i = 17; i >= 0; i--) {
      var along = (i % 3) - 7, across = Math.floor(i / 3) - 3;
      a = (a << 1) | moduleAt(img, tr.x + along * trU[0] + across * trV[0], tr.y + along * trU[1] + across * trV[1]);
      b = (b << 1) | moduleAt(img, bl.x + across * blU[0] + along * blV[0], bl.y + across * blU[1] + along * blV[1]);
    }
    var k = nearestCode(VERSION_CODES, [a, b]);
    return k < 0 ? 0 : k + 7;
  }

  // ------------------------------------------------------- reading a grid
  function isFunctionMap(version) {
    var dim = version * 4 + 17, fm = new Uint8Array(dim * dim);
    function fill(x0, y0, w, h) {
      for (var y = y0; y < y0 + h; y++) for (var x = x0; x < x0 + w; x++) fm[y * dim + x] = 1;
    }
    fill(0, 0, 9, 9); fill(dim - 8, 0, 8, 9); fill(0, dim - 8, 9, 8); // finders, format
    fill(6, 0, 1, dim); fill(0, 6, dim, 1); // timing
    var pos = alignmentPositions(version), last = pos.length - 1;
    for (var i = 0; i <= last; i++) {
      for (var j = 0; j <= last; j++) {
        if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
        fill(pos[i] - 2, pos[j] - 2, 5, 5);
      }
    }
    if (version >= 7) { fill(dim - 11, 0, 3, 6); fill(0, dim - 11, 6, 3); }
    return fm;
  }

  var MASKS = [
    function (i, j) { return (i + j) % 2 === 0; },
    function (i) { return i % 2 === 0; },
    function (i, j) { return j % 3 === 0; },
    function (i, j) { return (i + j) % 3 === 0; },
    function (i, j) { return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0; },
    function (i, j) { return (i * j) % 2 + (i * j) % 3 === 0; },
    function (i, j) { return ((i * j) % 2 + (i * j) % 3) % 2 === 0; },
    function (i, j) { return ((i + j) % 2 + (i * j) % 3) % 2 === 0; }
  ];

  // Format info: 15 bits in two copies, read through at(x, y) -> 0/1.
  // Returns {level: 0-3 for L, M, Q, H, mask} or null.
  function readFormat(at, dim) {
    var a = 0, b = 0, i;
    for (i = 0; i <= 5; i++) a = (a << 1) | at(i, 8);
    a = (a << 1) | at(7, 8); a = (a << 1) | at(8, 8); a = (a << 1) | at(8, 7);
    for (i = 5; i >= 0; i--) a = (a << 1) | at(8, i);
    for (i = dim - 1; i >= dim - 7; i--) b = (b << 1) | at(8, i);
    for (i = dim - 8; i < dim; i++) b = (b << 1) | at(i, 8);
    var ka = nearestCode(FORMAT_CODES, [a]), kb = nearestCode(FORMAT_CODES, [b]);
    var k = ka < 0 ? kb : kb < 0 ? ka : popcount(FORMAT_CODES[ka] ^ a) <= popcount(FORMAT_CODES[kb] ^ b) ? ka : kb;
    if (k < 0) return null;
    // Sure: both copies agree, or one has at most one wrong bit. Any 15 bits
    // are within 3 of some format code half the time; this, 1 in 30.
    var sure = ka === kb || popcount(FORMAT_CODES[k] ^ (k === ka ? a : b)) <= 1;
    return { level: [1, 0, 3, 2][k >> 3], mask: k & 7, sure: sure };
  }

  function gridReader(grid, dim) {
    return function (x, y) { return grid[y * dim + x]; };
  }

  // Module grid -> text, or null. fmt: format info read beforehand, if any
  // (the grid's own copy is tried too).
  function decodeGrid(grid, version, fmt) {
    var dim = version * 4 + 17, own = readFormat(gridReader(grid, dim), dim), text = null;
    if (fmt) text = decodeWith(grid, version, fmt);
    if (text === null && own && (!fmt || own.level !== fmt.level || own.mask !== fmt.mask)) text = decodeWith(grid, version, own);
    return text;
  }

  function decodeWith(grid, version, fmt) {
    var dim = version * 4 + 17;
    var fm = isFunctionMap(version), mask = MASKS[fmt.mask], bytes = [], cur = 0, nb = 0;
    // Zigzag: column pairs from the right, skipping the timing column.
    for (var right = dim - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      var up = ((right + 1) & 2) === 0;
      for (var k = 0; k < dim; k++) {
        var y = up ? dim - 1 - k : k;
        for (var c = 0; c < 2; c++) {
          var x = right - c;
          if (fm[y * dim + x]) continue;
          cur = (cur << 1) | (grid[y * dim + x] ^ (mask(y, x) ? 1 : 0));
          if (++nb === 8) { bytes.push(cur); cur = 0; nb = 0; }
        }
      }
    }
    // De-interleave: short blocks first; long ones have one more data byte.
    var ecLen = EC_PER_BLOCK[fmt.level][version - 1], nBlocks = NUM_BLOCKS[fmt.level][version - 1];
    var total = bytes.length, shortLen = Math.floor(total / nBlocks), nShort = nBlocks - total % nBlocks;
    var blocks = [], b, i, p = 0;
    for (b = 0; b < nBlocks; b++) blocks.push(new Uint8Array(shortLen + (b < nShort ? 0 : 1)));
    var shortData = shortLen - ecLen;
    if (shortData < 1) return null;
    for (i = 0; i <= shortData; i++) {
      for (b = 0; b < nBlocks; b++) if (i < shortData || b >= nShort) blocks[b][i] = bytes[p++];
    }
    for (i = 0; i < ecLen; i++) {
      for (b = 0; b < nBlocks; b++) blocks[b][blocks[b].length - ecLen + i] = bytes[p++];
    }
    var maxErr = Math.floor((ecLen - reservedBytes(version, fmt.level)) / 2), data = [];
    for (b = 0; b < nBlocks; b++) {
      if (!rsCorrect(blocks[b], ecLen, maxErr)) return null;
      for (i = 0; i < blocks[b].length - ecLen; i++) data.push(blocks[b][i]);
    }
    return parseSegments(data, version);
  }

  // ------------------------------------------------------------- segments
  var ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  // ECI assignment -> TextDecoder label (26: UTF-8; 3 and 1: ISO-8859-1).
  var ECI = { 20: "shift_jis", 21: "windows-1250", 22: "windows-1251", 23: "windows-1252",
    24: "windows-1256", 25: "utf-16be", 26: "utf-8", 27: "us-ascii", 28: "big5", 29: "gbk", 30: "euc-kr" };

  function latin1(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }

  // Bytes -> text. Without an ECI, UTF-8 when the bytes are valid UTF-8
  // (what today's encoders write), else ISO-8859-1 (the standard's default).
  function decodeBytes(bytes, label) {
    if (label === "latin1") return latin1(bytes);
    try {
      return new TextDecoder(label || "utf-8", { fatal: true }).decode(new Uint8Array(bytes));
    } catch (e) {
      return latin1(bytes);
    }
  }

  function parseSegments(data, version) {
    var pos = 0, len = data.length * 8, out = "", buf = [], label = null;
    var sizeClass = version < 10 ? 0 : version < 27 ? 1 : 2;
    function read(n) {
      if (pos + n > len) throw new Error("short");
      var v = 0;
      for (var i = 0; i < n; i++, pos++) v = (v << 1) | ((data[pos >> 3] >> (7 - (pos & 7))) & 1);
      return v;
    }
    function flush() {
      if (buf.length) out += decodeBytes(buf, label);
      buf = [];
    }
    try {
      while (len - pos >= 4) {
        var mode = read(4), n, v;
        if (mode === 0) break;
        if (mode === 1) { // numeric: 3 digits in 10 bits
          flush();
          for (n = read([10, 12, 14][sizeClass]); n > 0; n -= 3) {
            var digits = Math.min(n, 3);
            v = read([0, 4, 7, 10][digits]);
            if (v >= Math.pow(10, digits)) return null;
            out += (1000 + v).toString().slice(4 - digits);
          }
        } else if (mode === 2) { // alphanumeric: 2 characters in 11 bits
          flush();
          for (n = read([9, 11, 13][sizeClass]); n >= 2; n -= 2) {
            v = read(11);
            if (v >= 45 * 45) return null;
            out += ALNUM[Math.floor(v / 45)] + ALNUM[v % 45];
          }
          if (n === 1) {
            v = read(6);
            if (v >= 45) return null;
            out += ALNUM[v];
          }
        } else if (mode === 4) { // bytes
          for (n = read([8, 16, 16][sizeClass]); n > 0; n--) buf.push(read(8));
        } else if (mode === 8) { // kanji: 13 bits per Shift JIS character
          flush();
          var sjis = [];
          for (n = read([8, 10, 12][sizeClass]); n > 0; n--) {
            v = read(13);
            v = ((Math.floor(v / 0xc0) << 8) | (v % 0xc0)) + (v < 0x1f00 ? 0x8140 : 0xc140);
            sjis.push(v >> 8, v & 0xff);
          }
          out += decodeBytes(sjis, "shift_jis");
        } else if (mode === 7) { // ECI: the charset of the bytes that follow
          flush();
          v = read(8);
          if ((v & 0x80) === 0) { /* one byte */ } else if ((v & 0xc0) === 0x80) v = ((v & 0x3f) << 8) | read(8);
          else if ((v & 0xe0) === 0xc0) v = ((v & 0x1f) << 16) | read(16);
          else return null;
          label = v <= 3 ? "latin1" : v <= 18 && v !== 14 ? "iso-8859-" + (v - 2) : ECI[v] || null;
        } else if (mode === 3) { // structured append header: sequence info only
          read(16);
        } else if (mode === 9) { // FNC1 second position: an application id
          read(8);
        } else if (mode !== 5) { // 5 is FNC1 first position: nothing to read
          return null;
        }
      }
    } catch (e) {
      return null;
    }
    flush();
    return out;
  }

  // -------------------------------------------------------------- driver
  // Decode with finders tl, tr, bl (image coordinates), or null.
  function tryTriple(img, tl, tr, bl) {
    function unit(a, b) {
      var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy);
      return [dx / d, dy / d, d];
    }
    var u = unit(tl, tr), v = unit(tl, bl);
    // Module sizes along each axis, from the finders' own widths (the
    // candidates' sizes come from horizontal and vertical runs, up to 1.4
    // times too large when the code is turned).
    var tlU = measureFinder(img, tl, u[0], u[1]), trU = measureFinder(img, tr, u[0], u[1]);
    var tlV = measureFinder(img, tl, v[0], v[1]), blV = measureFinder(img, bl, v[0], v[1]);
    var trV = measureFinder(img, tr, v[0], v[1]), blU = measureFinder(img, bl, u[0], u[1]);
    tl.ms = (tlU + tlV) / 2; tr.ms = (trU + trV) / 2; bl.ms = (blU + blV) / 2;
    var sizes = { tlU: tlU, trU: trU, tlV: tlV, blV: blV };
    refineCenter(img, tl, 2.1); refineCenter(img, tr, 2.1); refineCenter(img, bl, 2.1);
    u = unit(tl, tr); v = unit(tl, bl);
    // Format info beside the finders, in their own frames: a cheap test that
    // this is a code at all, whatever its size and perspective.
    var frames = [[tl, tlU, tlV, 3.5, 3.5], [tr, trU, trV, FAR - 3.5, 3.5], [bl, blU, blV, 3.5, FAR - 3.5]];
    var fmt = readFormat(function (x, y) {
      var f = frames[x >= FAR - 8 ? 1 : y >= FAR - 8 ? 2 : 0], dx = x + 0.5 - f[3], dy = y + 0.5 - f[4];
      return moduleAt(img, f[0].x + dx * f[1] * u[0] + dy * f[2] * v[0], f[0].y + dx * f[1] * u[1] + dy * f[2] * v[1]);
    }, FAR);
    if (!fmt || !fmt.sure) return null;
    var est = (u[2] / ((tlU + trU) / 2) + v[2] / ((tlV + blV) / 2)) / 2 + 7;
    var guess = Math.round((est - 17) / 4), versions = [guess, guess + 1, guess - 1], tried = {};
    if (guess >= 6) {
      // Versions 7+ say which they are: try that first. (Data modules of a
      // smaller version can pass for version info now and then.)
      var read = readVersion(img, tr, [u[0] * trU, u[1] * trU], [v[0] * trV, v[1] * trV],
        bl, [u[0] * blU, u[1] * blU], [v[0] * blV, v[1] * blV]);
      if (read) versions.unshift(read);
    }
    for (var t = 0; t < versions.length; t++) {
      var version = versions[t];
      if (version < 1 || version > 40 || tried[version]) continue;
      var initial = finderMap(tl, tr, bl, sizes, version * 4 + 17);
      tried[version] = true;
      var text = sampleAndDecode(img, tl, tr, bl, initial, version, fmt);
      if (text !== null) return text;
    }
    return null;
  }

  // Module -> image map from the finders alone. Perspective shows in how
  // module size changes between finders: along the top edge, a homography
  // gives x -> A x / (1 + c x), whose slope falls from A at the top-left to
  // A / (1 + c L)^2 at the top-right. The two size ratios fix c for both
  // edges; the finder centres fix the rest. (A parallelogram when the sizes
  // are equal.)
  function finderMap(tl, tr, bl, s, dim) {
    var L = dim - 7, cu = (Math.sqrt(s.tlU / s.trU) - 1) / L, cv = (Math.sqrt(s.tlV / s.blV) - 1) / L;
    if (!(Math.abs(cu * L) < 0.5 && Math.abs(cv * L) < 0.5)) cu = cv = 0;
    var au = [(tr.x - tl.x) * (1 + cu * L) / L, (tr.y - tl.y) * (1 + cu * L) / L];
    var av = [(bl.x - tl.x) * (1 + cv * L) / L, (bl.y - tl.y) * (1 + cv * L) / L];
    return function (x, y) {
      var dx = x - 3.5, dy = y - 3.5, w = 1 + cu * dx + cv * dy;
      return [tl.x + (dx * au[0] + dy * av[0]) / w, tl.y + (dx * au[1] + dy * av[1]) / w];
    };
  }

  // The module grid through map.
  function sampleGrid(img, map, dim) {
    var grid = new Uint8Array(dim * dim);
    for (var y = 0; y < dim; y++) {
      for (var x = 0; x < dim; x++) {
        var q = map(x + 0.5, y + 0.5);
        grid[y * dim + x] = moduleAt(img, q[0], q[1]);
      }
    }
    return grid;
  }

  function sampleAndDecode(img, tl, tr, bl, initial, version, fmt) {
    var dim = version * 4 + 17, maps = [initial];
    if (version >= 2) {
      var persp = locateGrid(img, tl, tr, bl, initial, version);
      if (persp) maps.unshift(persp);
    }
    for (var m = 0; m < maps.length; m++) {
      var text = decodeGrid(sampleGrid(img, maps[m], dim), version, fmt);
      if (text !== null) return text;
    }
    return null;
  }

  // Likely finder triples, best first: two similar legs at a right angle.
  function triples(cands) {
    var good = cands.filter(function (c) { return c.n >= 2; });
    if (good.length < 3) good = cands.slice();
    good.sort(function (a, b) { return b.n - a.n; });
    good = good.slice(0, 12);
    // Real finders are crossed by many rows; false ones in data, few.
    var strong = good.length >= 3 ? good[2].n : 1, out = [];
    for (var i = 0; i < good.length; i++) {
      for (var j = i + 1; j < good.length; j++) {
        for (var k = j + 1; k < good.length; k++) {
          var t = [good[i], good[j], good[k]];
          var msMin = Math.min(t[0].ms, t[1].ms, t[2].ms), msMax = Math.max(t[0].ms, t[1].ms, t[2].ms);
          if (msMax > 1.8 * msMin) continue;
          // The corner is opposite the longest side.
          var d = [dist(t[1], t[2]), dist(t[0], t[2]), dist(t[0], t[1])];
          var ci = d[0] >= d[1] && d[0] >= d[2] ? 0 : d[1] >= d[2] ? 1 : 2;
          var a = t[ci], b = t[(ci + 1) % 3], c = t[(ci + 2) % 3];
          var ab = dist(a, b), ac = dist(a, c), ms = (msMin + msMax) / 2;
          var cos = ((b.x - a.x) * (c.x - a.x) + (b.y - a.y) * (c.y - a.y)) / (ab * ac);
          var ratio = Math.max(ab, ac) / Math.min(ab, ac);
          if (Math.abs(cos) > 0.45 || ratio > 1.6 || Math.min(ab, ac) < 10 * ms || Math.max(ab, ac) > 200 * ms) continue;
          // Clockwise in image coordinates: top-left, top-right, bottom-left.
          var cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
          var weakest = Math.min(t[0].n, t[1].n, t[2].n);
          out.push({ s: Math.abs(cos) + (ratio - 1) + Math.log(msMax / msMin) + Math.max(0, 1 - weakest / strong),
            f: cross > 0 ? [a, b, c] : [a, c, b] });
        }
      }
    }
    out.sort(function (x, y) { return x.s - y.s; });
    return out;
  }

  function dist(a, b) {
    var dx = a.x - b.x, dy = a.y - b.y;
    return Math.sqrt(dx * dx + dy * dy);
  }

  function scan(img, deadline) {
    var cands = findFinders(img), list = triples(cands);
    for (var i = 0; i < list.length && i < MAX_TRIPLES && Date.now() < deadline; i++) {
      var f = list[i].f, copy = f.map(function (c) { return { x: c.x, y: c.y, ms: c.ms, n: c.n }; });
      var text = tryTriple(img, copy[0], copy[1], copy[2]);
      if (text !== null) return text;
    }
    return null;
  }

  function decode(imageData) {
    try {
      var w = imageData && imageData.width, h = imageData && imageData.height;
      if (!(w > 0 && h > 0 && w % 1 === 0 && h % 1 === 0 && w * h <= MAX_INPUT) ||
          !imageData.data || imageData.data.length < w * h * 4) return null;
      var deadline = Date.now() + TIME_BUDGET_MS;
      var gray = toGray(imageData);
      var img = binarize(gray);
      var text = scan(img, deadline);
      if (text !== null) return text;
      // Light-on-dark codes: the same search on the inverted image.
      for (var i = 0; i < img.bits.length; i++) { img.bits[i] ^= 1; img.g[i] = 255 - img.g[i]; }
      for (i = 0; i < img.thr.length; i++) img.thr[i] = 255 - img.thr[i];
      return Date.now() < deadline ? scan(img, deadline) : null;
    } catch (e) {
      return null;
    }
  }

  globalThis.AccoladeQrScan = { decode: decode };
})();
