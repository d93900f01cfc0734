#!/usr/bin/env node
// Tests the verifier page's bundled QR reader, themes/default/static/qrscan.js.
// QR codes come from independent encoders (the `qrcode` npm package, and
// segno for fixtures.json), are drawn into images under the conditions a
// camera meets (scale, rotation, tilt, blur, noise, uneven light, damage, a
// cluttered 1280x720 frame) and decoded; zbarimg reads the same images as
// the reference. Rules:
//   - a decode that returns a wrong text fails, in every condition;
//   - in the clean, scaled, rotated and fixture sets, qrscan.js must read
//     every image (and so everything zbar reads);
//   - in the harder sets, its success rate must stay above a floor;
//   - frames without a QR code give null, never an exception.
// Needs: node 18+, `qrcode` from npm (looked up in $QRSCAN_NODE,
// or target/node/qrscan), zbarimg (zbar-tools) unless
// QRSCAN_NO_ZBAR=1. Options: --save DIR keeps the images (PPM); --only COND.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import * as S from "./scene.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const args = process.argv.slice(2);
const saveDir = args.includes("--save") ? args[args.indexOf("--save") + 1] : null;
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const useZbar = process.env.QRSCAN_NO_ZBAR !== "1";

const nodeDirs = [process.env.QRSCAN_NODE, path.join(repo, "target/node/qrscan")];
const nodeDir = nodeDirs.find((d) => d && fs.existsSync(path.join(d, "node_modules/qrcode")));
if (!nodeDir) {
  console.error("qrscan: the qrcode npm package is missing (scripts/install-test-tools installs it)");
  process.exit(2);
}
const require = createRequire(path.join(nodeDir, "package.json"));
const QR = require("qrcode");
const ECC = require("qrcode/lib/core/error-correction-code");
const ECL = require("qrcode/lib/core/error-correction-level");
const QrUtils = require("qrcode/lib/core/utils");

// The decoder is a plain script that sets globalThis.AccoladeQrScan. It is
// timed in this context; a fresh context (as bare as a page: no require, no
// process) checks once that it needs nothing of node's. (Code in a vm
// context runs several times slower: its global lookups are intercepted.)
const src = fs.readFileSync(path.join(repo, "themes/default/static/qrscan.js"), "utf8");
vm.runInThisContext(src, { filename: "qrscan.js" });
const decode = globalThis.AccoladeQrScan.decode;
// (The sandbox copy gets a different source text: V8 would share compiled
// code between identical scripts, and typed arrays of two realms then make
// it several times slower here.)
const sandbox = vm.createContext({ TextDecoder });
vm.runInContext(`${src}\n// sandbox copy\n`, sandbox, { filename: "qrscan-sandbox.js" });

if (useZbar && spawnSync("zbarimg", ["--version"]).status !== 0) {
  console.error("qrscan: zbarimg is missing (apt package zbar-tools); QRSCAN_NO_ZBAR=1 skips it");
  process.exit(2);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qrscan-"));
if (saveDir) fs.mkdirSync(saveDir, { recursive: true });

// ------------------------------------------------------------ payloads
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const VERIFY = "https://badges.example.org/verify/#";

function vc1(R, len) {
  let s = "VC1-";
  for (let i = 0; i < len; i++) s += B32[R.int(32)];
  return s;
}

// A matrix from the qrcode package: content is a string (its own optimal
// mixed segmentation) or a list of segments.
function encode(content, level, version) {
  const opts = { errorCorrectionLevel: level };
  if (version) opts.version = version;
  const q = QR.create(content, opts);
  const n = q.modules.size, d = q.modules.data;
  return { n, get: (x, y) => d[y * n + x] === 1, q, version: q.version, level };
}

function payloads(R) {
  const cred = vc1(R, 1100);
  const zh = "恭喜！您已获得徽章：高级数据分析。验证：https://badges.example.org/v/zh/42";
  return [
    { name: "vc1-M", text: VERIFY + cred, qr: encode([{ data: VERIFY, mode: "byte" }, { data: cred, mode: "alphanumeric" }], "M") },
    { name: "url-L", text: "https://badges.example.org/verify/3f2a9c", qr: encode("https://badges.example.org/verify/3f2a9c", "L") },
    { name: "url-Q", text: "https://badges.example.org/awards/2024/data-analysis/alice-example.html", qr: encode("https://badges.example.org/awards/2024/data-analysis/alice-example.html", "Q") },
    { name: "zh-M", text: zh, qr: encode(zh, "M") },
  ];
}

// ---------------------------------------------------------- rendering
function render(qr, { ms = 4, rot = 0, tiltX = 0, tiltY = 0, focal = 2.5, quiet = 4, w, h, cx, cy, bg, clutterSeed, ss } = {}) {
  const side = (qr.n + 2 * quiet) * ms;
  const W = w || Math.ceil(side * 1.5 + 20), H = h || W;
  const s = S.scene(W, H, bg || [255, 255, 255]);
  if (clutterSeed !== undefined) S.clutter(s, S.rng(clutterSeed));
  const corners = S.pose({ cx: cx ?? W / 2, cy: cy ?? H / 2, side, rot, tiltX, tiltY, focal });
  S.drawQr(s, qr.n, qr.get, corners, { quiet, ss });
  return s;
}

// Codeword damage within the error correction budget: per block, up to
// 80% of the errors the decoder may correct (fewer in versions 1-3, whose
// reserved bytes lower that). Uses the encoder's own block structure and
// function-pattern map, and the standard's module placement.
function damage(qr, R, { share = 0.8, blob = false } = {}) {
  const { n, q } = qr, version = q.version, level = ECL[qr.level];
  const order = [];
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const up = ((right + 1) & 2) === 0;
    for (let k = 0; k < n; k++) {
      const y = up ? n - 1 - k : k;
      for (let c = 0; c < 2; c++) if (!q.modules.reservedBit[y * n + right - c]) order.push([right - c, y]);
    }
  }
  const total = QrUtils.getSymbolTotalCodewords(version), blocks = ECC.getBlocksCount(version, level);
  const ec = ECC.getTotalCodewordsCount(version, level) / blocks;
  const shortLen = Math.floor(total / blocks), nShort = blocks - (total % blocks), shortData = shortLen - ec;
  const blockOf = [];
  for (let i = 0; i <= shortData; i++) for (let b = 0; b < blocks; b++) if (i < shortData || b >= nShort) blockOf.push(b);
  for (let i = 0; i < ec; i++) for (let b = 0; b < blocks; b++) blockOf.push(b);
  const reserved = version === 1 ? { L: 3, M: 2, Q: 1, H: 1 }[qr.level] : version === 2 && qr.level === "L" ? 2 : version === 3 && qr.level === "L" ? 1 : 0;
  const budget = Math.floor(Math.floor((ec - reserved) / 2) * share);
  const flip = new Set();
  const hits = new Array(blocks).fill(0);
  const cwOf = (x, y) => { const i = order.findIndex(([a, b]) => a === x && b === y); return i < 0 ? -1 : i >> 3; };
  if (blob) {
    // A stain: a disc of modules in the middle, shrunk until within budget.
    for (let r = Math.floor(n / 5); r >= 1; r--) {
      const cws = new Set();
      for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
        if ((x - n / 2) ** 2 + (y - n / 2) ** 2 <= r * r) { const c = cwOf(x, y); if (c >= 0 && c < total) cws.add(c); }
      }
      const per = new Array(blocks).fill(0);
      for (const c of cws) per[blockOf[c]]++;
      if (Math.max(...per) <= budget) {
        for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if ((x - n / 2) ** 2 + (y - n / 2) ** 2 <= r * r) flip.add(y * n + x);
        break;
      }
    }
  } else {
    const byBlock = Array.from({ length: blocks }, () => []);
    for (let c = 0; c < total; c++) byBlock[blockOf[c]].push(c);
    for (let b = 0; b < blocks; b++) {
      const pick = byBlock[b].slice().sort(() => R() - 0.5).slice(0, budget);
      for (const c of pick) {
        hits[b]++;
        const mods = order.slice(c * 8, c * 8 + 8), k = 1 + R.int(8);
        for (let i = 0; i < k; i++) { const [x, y] = mods[R.int(8)]; flip.add(y * n + x); }
      }
    }
  }
  // And two wrong bits in the first copy of the format information.
  flip.add(8 * n + 1); flip.add(3 * n + 8);
  return { ...qr, get: (x, y) => qr.get(x, y) !== flip.has(y * n + x) };
}

// ------------------------------------------------------------ the cases
const cases = [];
function add(cond, name, text, make, extra = {}) {
  if (!only || only === cond) cases.push({ cond, name, text, make, ...extra });
}
const HARD = new Set(["perspective", "blur", "noise", "lighting", "damaged", "photo"]);
// Regression floors, a little under today's rates (the images are seeded).
const FLOOR = { perspective: 0.9, blur: 0.3, noise: 0.9, lighting: 0.9, damaged: 0.9, photo: 0.85 };

{
  // Every version and level, mixed segments filling about 3/4 of the symbol.
  const R = S.rng(1);
  for (const level of ["L", "M", "Q", "H"]) {
    for (let v = 1; v <= 40; v++) {
      const cap = Math.floor(((QrUtils.getSymbolTotalCodewords(v) - ECC.getTotalCodewordsCount(v, ECL[level])) * 0.75));
      let qr, text;
      for (let len = Math.max(4, cap); !qr; len = Math.floor(len * 0.9)) {
        text = "";
        while (text.length < len) {
          const kind = R.int(3);
          const k = 1 + R.int(20);
          for (let i = 0; i < k; i++) text += kind === 0 ? R.int(10) : kind === 1 ? B32[R.int(32)] : "abcdefghijklmnopqrstuvwxyz/?=&._-"[R.int(33)];
        }
        text = text.slice(0, len);
        try { qr = encode(text, level, v); } catch { qr = null; }
      }
      add("clean", `v${v}-${level}`, text, () => render(qr, { ms: 3 }));
    }
  }
}
{
  // The certificate shape at its full range of lengths.
  const R = S.rng(2);
  for (const len of [900, 1000, 1100, 1200, 1300]) {
    const cred = vc1(R, len), qr = encode([{ data: VERIFY, mode: "byte" }, { data: cred, mode: "alphanumeric" }], "M");
    add("clean", `vc1-${len}-M-v${qr.version}`, VERIFY + cred, () => render(qr, { ms: 3 }));
  }
  for (const url of ["https://b.example/x", "https://badges.example.org/verify/3f2a9c", "https://badges.example.org/awards/2024/data-analysis/alice-example.html?lang=en"]) {
    for (const level of ["L", "Q"]) {
      const qr = encode(url, level);
      add("clean", `url-${level}-v${qr.version}`, url, () => render(qr, { ms: 4 }));
    }
  }
}
{
  const fx = JSON.parse(fs.readFileSync(path.join(here, "fixtures.json"), "utf8"));
  for (const c of fx.cases) {
    const qr = { n: c.rows.length, get: (x, y) => c.rows[y][x] === "1" };
    const text = c.text ?? undefined;
    for (const rot of [0, 90]) add("fixtures", `${c.name}-r${rot}`, text, () => render(qr, { ms: 4, rot }), { group: c.name.startsWith("structured") ? "sa" + rot : null, joined: c.joined });
  }
}
const P = payloads(S.rng(3));
for (const p of P) {
  for (const ms of [1.6, 2, 2.5, 3.3, 5, 8, 12]) add("scaled", `${p.name}-ms${ms}`, p.text, () => render(p.qr, { ms }));
  for (const rot of [90, 180, 270, 10, 17, 23, 30, 45, 133]) add("rotated", `${p.name}-r${rot}`, p.text, () => render(p.qr, { ms: 4, rot }));
  for (const [tx, ty, rot] of [[25, 0, 0], [0, 30, 5], [20, 20, 15], [-30, 15, 200], [35, -10, 80]]) {
    add("perspective", `${p.name}-t${tx},${ty},${rot}`, p.text, () => render(p.qr, { ms: 5, tiltX: tx, tiltY: ty, rot, focal: 2 }));
  }
  for (const r of [1, 2, 3]) add("blur", `${p.name}-r${r}`, p.text, () => { const s = render(p.qr, { ms: 5, rot: 7 }); S.blur(s, r); return s; });
  for (const sigma of [10, 25, 40]) add("noise", `${p.name}-s${sigma}`, p.text, () => { const s = render(p.qr, { ms: 5, rot: 12 }); S.noise(s, sigma, S.rng(sigma)); return s; });
  add("lighting", `${p.name}-gradient`, p.text, () => { const s = render(p.qr, { ms: 5 }); S.lighting(s, { from: 0.25, to: 1.15, angle: 20 }); return s; });
  add("lighting", `${p.name}-shadow`, p.text, () => { const s = render(p.qr, { ms: 5, rot: 20 }); S.lighting(s, { from: 0.9, to: 1, shadow: { x: s.w * 0.4, y: s.h * 0.45, r: s.w * 0.15, depth: 0.65 } }); return s; });
  add("lighting", `${p.name}-glare-lowcontrast`, p.text, () => { const s = render(p.qr, { ms: 5, rot: -8 }); S.contrast(s, 0.35); S.lighting(s, { from: 0.7, to: 1.2, angle: 100, glare: { x: s.w * 0.6, y: s.h * 0.3, r: s.w * 0.12, amount: 70 } }); return s; });
  for (const seed of [11, 12, 13]) add("damaged", `${p.name}-cw${seed}`, p.text, () => render(damage(p.qr, S.rng(seed)), { ms: 4, rot: seed * 7 }));
  add("damaged", `${p.name}-stain`, p.text, () => render(damage(p.qr, S.rng(14), { blob: true }), { ms: 4 }));
}
{
  // Photo-like 1280x720 frames: clutter, a code at a random pose, camera blur and noise.
  const R = S.rng(4);
  for (let i = 0; i < 24; i++) {
    const p = P[i % P.length];
    // Within the frame whatever the rotation and tilt: 0.75 side from the centre.
    const side = R.range(260, 460), ms = side / (p.qr.n + 8), half = side * 0.75;
    const opts = { w: 1280, h: 720, ms, cx: R.range(half, 1280 - half), cy: R.range(half, 720 - half),
      rot: R.range(-180, 180), tiltX: R.range(-20, 20), tiltY: R.range(-20, 20), clutterSeed: 100 + i, ss: 2 };
    const br = R.int(2) + (ms > 4 ? 1 : 0), sigma = R.range(3, 12), light = R.range(0.5, 0.9);
    add("photo", `${p.name}-${i}`, p.text, () => {
      const s = render(p.qr, opts);
      if (br) S.blur(s, br);
      S.lighting(s, { from: light, to: 1.05, angle: R.range(0, 360) });
      S.noise(s, sigma, S.rng(200 + i));
      return s;
    }, { ms: Math.round(ms * 10) / 10 });
  }
}
{
  // No QR code at all: the decoder must say null, quickly, without throwing.
  for (let i = 0; i < 6; i++) add("garbage", `clutter-${i}`, null, () => { const s = S.scene(1280, 720); S.clutter(s, S.rng(300 + i)); S.noise(s, 6, S.rng(i)); return s; });
  add("garbage", "noise", null, () => { const s = S.scene(640, 480, [128, 128, 128]); S.noise(s, 90, S.rng(9)); return s; });
  add("garbage", "white", null, () => S.scene(320, 240));
  add("garbage", "black", null, () => S.scene(320, 240, [0, 0, 0]));
  add("garbage", "checker", null, () => { const s = S.scene(400, 400); for (let y = 0; y < 400; y += 10) for (let x = 0; x < 400; x += 10) if ((x + y) % 20 === 0) S.fillRect(s, x, y, 10, 10, [0, 0, 0]); return s; });
  add("garbage", "finders-only", null, () => { const qr = encode("finders only", "M"); return render({ n: qr.n, get: (x, y) => qr.get(x, y) && ((x < 7 || x >= qr.n - 7) && (y < 7 || y >= qr.n - 7)) }, { ms: 6 }); });
}

// ------------------------------------------------------------ running
const badInputs = [null, undefined, {}, { width: 10, height: 10 }, { width: 10, height: 10, data: new Uint8ClampedArray(10) },
  { width: -1, height: 5, data: new Uint8ClampedArray(0) }, { width: 1, height: 1, data: new Uint8ClampedArray(4) }, { width: 3.5, height: 2, data: new Uint8ClampedArray(40) }];
const failures = [];
let checks = 1;
{
  const qr = encode("sandbox ✓", "M"), img = S.toImageData(render(qr, { ms: 3 }));
  const got = sandbox.AccoladeQrScan.decode(img);
  if (got !== "sandbox ✓") failures.push(`in a bare context: ${got}`);
}
for (const b of badInputs) {
  checks++;
  let r;
  try { r = decode(b); } catch (e) { r = e; }
  if (r !== null) failures.push(`bad input ${JSON.stringify(b && { width: b.width, height: b.height })}: returned ${r}`);
}

// Warm the JIT first (a page decodes frame after frame), so the times
// below are not mostly compilation.
for (let i = 0; i < 3; i++) {
  for (const p of P) decode(S.toImageData(render(p.qr, { ms: 3, rot: 20 * i })));
}

const stats = {};
const groups = {};
for (const c of cases) {
  const img = S.toImageData(c.make());
  const t0 = performance.now();
  let got;
  try { got = decode(img); } catch (e) { got = e; }
  const ms = performance.now() - t0;
  let zbar = null;
  const file = path.join(saveDir || tmp, `${c.cond}-${c.name}.ppm`.replace(/[^\w.,-]/g, "_"));
  if (useZbar || saveDir) fs.writeFileSync(file, S.toPpm(img));
  if (useZbar) {
    const z = spawnSync("zbarimg", ["-q", "--raw", "-Sdisable", "-Sqrcode.enable", file], { encoding: "utf8" });
    zbar = z.status === 0 ? z.stdout.replace(/\n$/, "") : null;
  }
  if (!saveDir && useZbar) fs.unlinkSync(file);
  const st = (stats[c.cond] ??= { n: 0, ok: 0, zok: 0, both: 0, zOnly: 0, times: [], large: [] });
  st.n++;
  st.times.push(ms);
  if (img.width * img.height >= 1280 * 720) st.large.push(ms);
  checks++;
  if (got instanceof Error) { failures.push(`${c.cond}/${c.name}: threw ${got.stack}`); continue; }
  if (c.group) {
    (groups[c.group] ??= { parts: [], joined: null, cond: c.cond }).parts.push(got);
    if (c.joined) groups[c.group].joined = c.joined;
    if (got !== null) st.ok++;
    if (zbar !== null) st.zok++;
    continue;
  }
  const ok = got === c.text, zok = zbar === c.text;
  if (ok) st.ok++;
  if (zok) st.zok++;
  if (zok && !ok) st.zOnly++;
  if (got !== null && !ok) failures.push(`${c.cond}/${c.name}: WRONG text ${JSON.stringify(String(got).slice(0, 80))}`);
  else if (c.text === null) { /* garbage: null is the answer */ }
  else if (!ok && !HARD.has(c.cond)) failures.push(`${c.cond}/${c.name}: not decoded${zok ? " (zbar decoded it)" : ""}`);
}
for (const [name, g] of Object.entries(groups)) {
  checks++;
  if (g.parts.join("") !== g.joined) failures.push(`${g.cond}/${name}: structured append parts ${JSON.stringify(g.parts)}`);
}
for (const [cond, st] of Object.entries(stats)) {
  checks++;
  if (HARD.has(cond) && st.ok / st.n < FLOOR[cond]) failures.push(`${cond}: success rate ${st.ok}/${st.n} below the floor ${FLOOR[cond]}`);
  if (Math.max(...st.times) > 1500) failures.push(`${cond}: a frame took ${Math.max(...st.times).toFixed(0)} ms`);
}
// Steady-state time for 1280x720 frames, as in a camera loop: the median of
// five decodes of each of a few photo frames and frames without a code.
const bench = [];
for (const c of cases.filter((c) => c.cond === "photo" || c.cond === "garbage").filter((c, i) => i % 4 === 0)) {
  const img = S.toImageData(c.make());
  if (img.width !== 1280) continue;
  const t = [];
  for (let i = 0; i < 5; i++) { const t0 = performance.now(); decode(img); t.push(performance.now() - t0); }
  bench.push(t.sort((a, b) => a - b)[2]);
}
checks++;
const benchMed = bench.length ? bench.slice().sort((a, b) => a - b)[Math.floor(bench.length / 2)] : 0;
if (bench.length && benchMed > 400) failures.push(`1280x720 frames take ${benchMed.toFixed(0)} ms (median of medians)`);
fs.rmSync(tmp, { recursive: true, force: true });

const pct = (a, n) => `${a}/${n}`.padEnd(8) + ` (${((100 * a) / n).toFixed(0)}%)`.padEnd(7);
const med = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log("condition     qrscan.js        zbarimg          zbar-only  decode ms median/max  (1280x720 frames; each image decoded once)");
for (const [cond, st] of Object.entries(stats)) {
  const big = st.large.length ? `  (${med(st.large).toFixed(0)}/${Math.max(...st.large).toFixed(0)})` : "";
  console.log(`${cond.padEnd(13)} ${pct(st.ok, st.n)}  ${useZbar ? pct(st.zok, st.n) : "(skipped)".padEnd(15)}  ${String(st.zOnly).padEnd(9)}  ${med(st.times).toFixed(1)}/${Math.max(...st.times).toFixed(1)}${big}`);
}
if (bench.length) console.log(`1280x720 frames, warm: median ${benchMed.toFixed(1)} ms, max ${Math.max(...bench).toFixed(1)} ms over ${bench.length} frames (load average ${os.loadavg()[0].toFixed(1)})`);
if (failures.length) {
  console.error(`FAIL ${failures[0]}`);
  for (const f of failures.slice(1, 20)) console.error(`     ${f}`);
  console.log(`qrscan: ${checks - failures.length} passed, ${failures.length} failed`);
  process.exit(1);
}
console.log(`qrscan: ${checks} passed, 0 failed`);
