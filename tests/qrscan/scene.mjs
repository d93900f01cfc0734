// Test-only image synthesis for tests/qrscan/run.mjs: draws QR matrices into
// RGB scenes under a chosen pose (scale, rotation, tilt seen through a
// pinhole camera), then degrades them (blur, noise, uneven light, clutter).
// Everything is seeded, so a run is reproducible.

export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.range = (lo, hi) => lo + next() * (hi - lo);
  next.pick = (arr) => arr[Math.floor(next() * arr.length)];
  next.gauss = () => {
    const u = Math.max(next(), 1e-12), v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return next;
}

export function scene(w, h, rgb = [255, 255, 255]) {
  const s = { w, h, c: [new Float32Array(w * h), new Float32Array(w * h), new Float32Array(w * h)] };
  for (let k = 0; k < 3; k++) s.c[k].fill(rgb[k]);
  return s;
}

// 3x3 homography mapping 4 points src[i] -> dst[i] (returns a function).
export function homography(src, dst) {
  const A = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = src[i], [X, Y] = dst[i];
    A.push([x, y, 1, 0, 0, 0, -X * x, -X * y, X], [0, 0, 0, x, y, 1, -Y * x, -Y * y, Y]);
  }
  for (let i = 0; i < 8; i++) {
    let p = i;
    for (let j = i + 1; j < 8; j++) if (Math.abs(A[j][i]) > Math.abs(A[p][i])) p = j;
    [A[i], A[p]] = [A[p], A[i]];
    for (let j = 0; j < 8; j++) {
      if (j === i) continue;
      const f = A[j][i] / A[i][i];
      for (let k = i; k < 9; k++) A[j][k] -= f * A[i][k];
    }
  }
  const h = A.map((r, i) => r[8] / r[i]);
  return (x, y) => {
    const z = h[6] * x + h[7] * y + 1;
    return [(h[0] * x + h[1] * y + h[2]) / z, (h[3] * x + h[4] * y + h[5]) / z];
  };
}

// Image corners of a square of side `side` pixels centred at (cx, cy),
// turned by `rot` degrees, tilted by tiltX/tiltY degrees (about its
// horizontal/vertical axis) and seen by a pinhole camera `focal` sides away.
export function pose({ cx, cy, side, rot = 0, tiltX = 0, tiltY = 0, focal = 2.5 }) {
  const r = (rot * Math.PI) / 180, ax = (tiltX * Math.PI) / 180, ay = (tiltY * Math.PI) / 180;
  const f = focal * side;
  return [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([sx, sy]) => {
    let x = (sx * side) / 2, y = (sy * side) / 2, z = 0;
    [x, y] = [x * Math.cos(r) - y * Math.sin(r), x * Math.sin(r) + y * Math.cos(r)];
    [y, z] = [y * Math.cos(ax), y * Math.sin(ax)];
    [x, z] = [x * Math.cos(ay) - z * Math.sin(ay), x * Math.sin(ay) + z * Math.cos(ay)];
    const k = f / (f + z);
    return [cx + x * k, cy + y * k];
  });
}

// Draws an n x n module matrix (get(x, y) -> dark) with `quiet` light
// modules around it, so its outer corners land on `corners` (TL, TR, BR,
// BL). Anti-aliased by supersampling.
export function drawQr(s, n, get, corners, { quiet = 4, dark = [18, 18, 24], light = [250, 248, 240], ss = 3 } = {}) {
  const side = n + 2 * quiet;
  const toModule = homography(corners, [[0, 0], [side, 0], [side, side], [0, side]]);
  const xs = corners.map((p) => p[0]), ys = corners.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs))), x1 = Math.min(s.w - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys))), y1 = Math.min(s.h - 1, Math.ceil(Math.max(...ys)));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let inside = 0, nDark = 0;
      for (let j = 0; j < ss; j++) {
        for (let i = 0; i < ss; i++) {
          const [u, v] = toModule(x + (i + 0.5) / ss, y + (j + 0.5) / ss);
          if (u < 0 || v < 0 || u >= side || v >= side) continue;
          inside++;
          const mx = Math.floor(u) - quiet, my = Math.floor(v) - quiet;
          if (mx >= 0 && my >= 0 && mx < n && my < n && get(mx, my)) nDark++;
        }
      }
      if (!inside) continue;
      const cover = inside / (ss * ss), fd = nDark / inside, p = y * s.w + x;
      for (let k = 0; k < 3; k++) {
        const col = light[k] + (dark[k] - light[k]) * fd;
        s.c[k][p] = s.c[k][p] * (1 - cover) + col * cover;
      }
    }
  }
}

export function fillRect(s, x, y, w, h, rgb) {
  for (let yy = Math.max(0, y | 0); yy < Math.min(s.h, y + h); yy++) {
    for (let xx = Math.max(0, x | 0); xx < Math.min(s.w, x + w); xx++) {
      for (let k = 0; k < 3; k++) s.c[k][yy * s.w + xx] = rgb[k];
    }
  }
}

export function fillCircle(s, cx, cy, r, rgb) {
  for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(s.h, cy + r); y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(s.w, cx + r); x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) for (let k = 0; k < 3; k++) s.c[k][y * s.w + x] = rgb[k];
    }
  }
}

// A desk-photo background: gradient, shapes, lines of "text", a
// checkerboard, bar-like stripes and one lone finder-like decoy.
export function clutter(s, R) {
  const a = [R.range(60, 200), R.range(60, 200), R.range(60, 200)], b = [R.range(60, 220), R.range(60, 220), R.range(60, 220)];
  for (let y = 0; y < s.h; y++) {
    for (let x = 0; x < s.w; x++) {
      const t = (x / s.w + y / s.h) / 2;
      for (let k = 0; k < 3; k++) s.c[k][y * s.w + x] = a[k] + (b[k] - a[k]) * t;
    }
  }
  const col = () => [R.range(0, 255), R.range(0, 255), R.range(0, 255)];
  for (let i = 0; i < 12; i++) fillRect(s, R.range(0, s.w), R.range(0, s.h), R.range(20, 300), R.range(20, 200), col());
  for (let i = 0; i < 8; i++) fillCircle(s, R.range(0, s.w), R.range(0, s.h), R.range(10, 90), col());
  // Lines of text: dark blobs of glyph size on a light card.
  const tx = R.range(0, s.w - 400), ty = R.range(0, s.h - 200);
  fillRect(s, tx, ty, 400, 200, [235, 235, 230]);
  for (let line = 0; line < 8; line++) {
    for (let x = tx + 10; x < tx + 380; x += R.range(6, 14)) {
      if (R() < 0.8) fillRect(s, x, ty + 12 + line * 22, R.range(2, 8), R.range(8, 13), [30, 30, 30]);
    }
  }
  const cb = R.range(4, 12), bx = R.range(0, s.w - 200), by = R.range(0, s.h - 200);
  for (let y = 0; y < 160; y += cb) for (let x = 0; x < 160; x += cb) if (((x + y) / cb) % 2 === 0) fillRect(s, bx + x, by + y, cb, cb, [20, 20, 20]);
  const sx = R.range(0, s.w - 300), sy = R.range(0, s.h - 100);
  for (let x = 0; x < 280; x += R.range(2, 9)) fillRect(s, sx + x, sy, R.range(1, 5), 80, [10, 10, 10]);
  const m = R.range(4, 10), fx = R.range(0, s.w - 9 * m), fy = R.range(0, s.h - 9 * m);
  fillRect(s, fx - m, fy - m, 9 * m, 9 * m, [255, 255, 255]);
  fillRect(s, fx, fy, 7 * m, 7 * m, [0, 0, 0]);
  fillRect(s, fx + m, fy + m, 5 * m, 5 * m, [255, 255, 255]);
  fillRect(s, fx + 2 * m, fy + 2 * m, 3 * m, 3 * m, [0, 0, 0]);
}

// Gaussian-like blur: three box blurs of radius r per axis (sigma is
// sqrt(r * (r + 1)) pixels).
export function blur(s, r) {
  const tmp = new Float32Array(s.w * s.h);
  for (const ch of s.c) {
    for (let pass = 0; pass < 3; pass++) {
      box(ch, tmp, s.w, s.h, r, 1, s.w);
      box(tmp, ch, s.h, s.w, r, s.w, 1);
    }
  }
}

// One box pass along lines of length len (stride step), lines `stride` apart.
function box(src, dst, len, lines, r, step, stride) {
  for (let l = 0; l < lines; l++) {
    const base = l * stride;
    let acc = 0;
    for (let i = -r; i <= r; i++) acc += src[base + Math.min(len - 1, Math.max(0, i)) * step];
    for (let i = 0; i < len; i++) {
      dst[base + i * step] = acc / (2 * r + 1);
      acc += src[base + Math.min(len - 1, i + r + 1) * step] - src[base + Math.max(0, i - r) * step];
    }
  }
}

export function noise(s, sigma, R) {
  for (let p = 0; p < s.w * s.h; p++) {
    const l = R.gauss() * sigma;
    for (let k = 0; k < 3; k++) s.c[k][p] += l + R.gauss() * sigma * 0.3;
  }
}

// Uneven light: a strong gradient plus a soft shadow (or a bright glare).
export function lighting(s, { from = 0.35, to = 1.1, angle = 30, shadow = null, glare = null }) {
  const ca = Math.cos((angle * Math.PI) / 180), sa = Math.sin((angle * Math.PI) / 180);
  const span = Math.abs(ca) * s.w + Math.abs(sa) * s.h;
  for (let y = 0; y < s.h; y++) {
    for (let x = 0; x < s.w; x++) {
      const t = ((x - s.w / 2) * ca + (y - s.h / 2) * sa) / span + 0.5;
      let f = from + (to - from) * t, add = 0;
      if (shadow) f *= 1 - shadow.depth * Math.exp(-(((x - shadow.x) ** 2 + (y - shadow.y) ** 2) / (2 * shadow.r * shadow.r)));
      if (glare) add = glare.amount * Math.exp(-(((x - glare.x) ** 2 + (y - glare.y) ** 2) / (2 * glare.r * glare.r)));
      for (let k = 0; k < 3; k++) s.c[k][y * s.w + x] = s.c[k][y * s.w + x] * f + add;
    }
  }
}

// Lower contrast: squeeze towards mid-grey.
export function contrast(s, factor, mid = 128) {
  for (const ch of s.c) for (let p = 0; p < ch.length; p++) ch[p] = mid + (ch[p] - mid) * factor;
}

export function toImageData(s) {
  const data = new Uint8ClampedArray(s.w * s.h * 4);
  for (let p = 0, q = 0; p < s.w * s.h; p++, q += 4) {
    data[q] = s.c[0][p]; data[q + 1] = s.c[1][p]; data[q + 2] = s.c[2][p]; data[q + 3] = 255;
  }
  return { width: s.w, height: s.h, data };
}

export function toPpm(img) {
  const head = Buffer.from(`P6\n${img.width} ${img.height}\n255\n`);
  const body = Buffer.alloc(img.width * img.height * 3);
  for (let p = 0, q = 0; q < body.length; p += 4, q += 3) {
    body[q] = img.data[p]; body[q + 1] = img.data[p + 1]; body[q + 2] = img.data[p + 2];
  }
  return Buffer.concat([head, body]);
}
