// Checks themes/default/static/qrgen.js, the browser's QR encoder:
// 1. module for module against the npm `qrcode` package, given the same
//    segments, level and mask, for print URLs, short URLs, Chinese text and
//    mixes, and for every version 1-40 at every level;
// 2. the automatic mask choice against qrcode's, explaining each difference
//    (qrcode's penalty rules N3 and N4 differ from ISO/IEC 18004, see below);
// 3. readability: rasters read back with zbarimg, longest print URLs included.
// Run: node tests/qrgen/run.mjs [-v]. qrcode comes from $QRGEN_NODE (a
// node_modules folder), else target/node/qrscan/node_modules (installed by
// scripts/install-test-tools). Prints one summary line; exits 1 on the
// first failure.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const verbose = process.argv.includes("-v") || !!process.env.QRGEN_VERBOSE;
const log = (...a) => { if (verbose) console.log(...a); };

const nodeDirs = [process.env.QRGEN_NODE, join(root, "target/node/qrscan/node_modules")];
const nodeDir = nodeDirs.find((d) => d && existsSync(join(d, "qrcode")));
if (!nodeDir) fail("npm package qrcode not found (set QRGEN_NODE to a node_modules folder holding it)");
const require = createRequire(join(nodeDir, "x.js"));
const QRCode = require("qrcode");
const MaskPattern = require("qrcode/lib/core/mask-pattern");
const Version = require("qrcode/lib/core/version");
const Mode = require("qrcode/lib/core/mode");
const ECLevel = require("qrcode/lib/core/error-correction-level");

vm.runInThisContext(readFileSync(join(root, "themes/default/static/qrgen.js"), "utf8"), { filename: "qrgen.js" });
const Q = globalThis.AccoladeQrGen;

let passed = 0;
function fail(msg) { console.error("qrgen: FAIL " + msg); console.log("qrgen: " + passed + " passed, 1 failed"); process.exit(1); }
function check(cond, msg) { if (!cond) fail(msg()); passed++; }

// Deterministic pseudo-random texts (mulberry32).
let seed = 0x9e3779b9;
function rand() { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }
const pick = (s, n) => Array.from({ length: n }, () => s[Math.floor(rand() * s.length)]).join("");
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const vcUrl = (len, zh) => {
  const prefix = "https://credentials.example.org/" + (zh ? "zh-CN/" : "") + "verify/#VC1-";
  return prefix + pick(B32, len - prefix.length);
};
const short = (m) => ({ size: m.size, get: (r, c) => m.dark[r * m.size + c], data: m.dark });

// ---- 1. Same segments, level and mask: identical modules ---------------------

function reference(segments, level, mask) {
  return QRCode.create(segments.map((s) => ({ data: s.data, mode: s.mode })), { errorCorrectionLevel: level, maskPattern: mask });
}

function sameModules(ours, ref, what) {
  check(ours.size === ref.modules.size, () => `${what}: size ${ours.size} != qrcode's ${ref.modules.size}`);
  const a = ours.dark, b = ref.modules.data;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) fail(`${what}: module row ${Math.floor(i / ours.size)} col ${i % ours.size} differs (version ${ours.version})`);
  }
  passed++;
}

const texts = [];
for (let i = 0; i < 24; i++) texts.push(vcUrl(900 + Math.floor(rand() * 501), i % 3 === 0));
texts.push(vcUrl(1400), vcUrl(1400, true), vcUrl(900), vcUrl(1300));
texts.push("https://credentials.example.org/verify/", "https://example.org/a/b?c=d#e", "HTTPS://EXAMPLE.ORG/X",
  "短文本", "证书验证：张三获得了高级数据分析徽章。" + "中文内容".repeat(30), "12345678901234567890",
  "Mixed: ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 then lower case", "émoji 😀 and ÅÄÖ", "a",
  "ORDER-" + "7".repeat(200) + "-" + pick("abcdef", 40), pick("ABC123 $%*+-./:", 500) + pick("xyz", 50),
  "https://credentials.example.org/verify/#VC1-not base32", "#VC1-" + pick(B32, 100));
for (const level of ["L", "M", "Q", "H"]) {
  for (let i = 0; i < 6; i++) texts.push(pick("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF:/.-_?=&#", 10 + Math.floor(rand() * 1200)));
}

const masks = { same: 0, differ: 0, why: {} };
function compareMaskChoice(text, level, ours, forced, segments) {
  const ref = reference(segments, level);
  if (ours.mask === ref.maskPattern) {
    sameModules(ours, ref, `auto mask ${level} ${JSON.stringify(text.slice(0, 40))}`);
    masks.same++;
    return;
  }
  masks.differ++;
  // Rescore our eight masked symbols with qrcode's rules, then swap in the
  // standard's N3 (quiet zone counts as light) and N4 (no off-by-one above
  // 50%) one at a time, to name the rule that makes the difference.
  const argmin = (f) => { let best = 0; for (let m = 1; m < 8; m++) if (f(m) < f(best)) best = m; return best; };
  const parts = forced.map((m) => {
    const d = short(m);
    return { n1: MaskPattern.getPenaltyN1(d), n2: MaskPattern.getPenaltyN2(d), n3q: MaskPattern.getPenaltyN3(d),
      n4q: MaskPattern.getPenaltyN4(d), n3s: stdN3(m), n4s: stdN4(m) };
  });
  check(argmin((m) => parts[m].n1 + parts[m].n2 + parts[m].n3q + parts[m].n4q) === ref.maskPattern,
    () => `qrcode's own scores do not reproduce its mask choice for ${JSON.stringify(text.slice(0, 40))}`);
  check(argmin((m) => parts[m].n1 + parts[m].n2 + parts[m].n3s + parts[m].n4s) === ours.mask,
    () => `the test's standard scores do not reproduce our mask choice for ${JSON.stringify(text.slice(0, 40))}`);
  const n4 = argmin((m) => parts[m].n1 + parts[m].n2 + parts[m].n3q + parts[m].n4s) === ours.mask;
  const n3 = argmin((m) => parts[m].n1 + parts[m].n2 + parts[m].n3s + parts[m].n4q) === ours.mask;
  const why = n4 && n3 ? "N3 or N4" : n4 ? "N4" : n3 ? "N3" : "N3 and N4";
  masks.why[why] = (masks.why[why] || 0) + 1;
}

// The standard's N3, scored independently of qrcode.js: 40 per 1011101 with
// four light modules before or after it (each side counts), the quiet zone
// being light.
function stdN3(m) {
  const n = m.size; let score = 0;
  for (const vertical of [false, true]) {
    for (let a = 0; a < n; a++) {
      const at = (i) => (i < 0 || i >= n ? 0 : vertical ? m.dark[i * n + a] : m.dark[a * n + i]);
      for (let i = 0; i + 7 <= n; i++) {
        if (![1, 0, 1, 1, 1, 0, 1].every((v, k) => at(i + k) === v)) continue;
        if ([1, 2, 3, 4].every((k) => at(i - k) === 0)) score += 40;
        if ([0, 1, 2, 3].every((k) => at(i + 7 + k) === 0)) score += 40;
      }
    }
  }
  return score;
}
// N4: 10 per whole 5% of deviation from half dark.
function stdN4(m) {
  const dark = m.dark.reduce((a, b) => a + b, 0), total = m.size * m.size;
  return 10 * Math.floor(Math.abs(dark / total - 0.5) * 20);
}

function differential(text, level) {
  const auto = Q.matrix(text, level);
  check(auto !== null, () => `${JSON.stringify(text.slice(0, 40))} did not fit`);
  if (text.includes("#VC1-") && /^[A-Z2-7-]*$/.test(text.slice(text.indexOf("#VC1-") + 1))) {
    const h = text.indexOf("#VC1-") + 1;
    check(JSON.stringify(auto.segments) === JSON.stringify([{ mode: "byte", data: text.slice(0, h) }, { mode: "alphanumeric", data: text.slice(h) }]),
      () => `print URL segments ${JSON.stringify(auto.segments).slice(0, 100)}`);
  }
  check(auto.segments.map((s) => s.data).join("") === text, () => "segments do not add up to the text");
  const forced = [];
  for (let m = 0; m < 8; m++) {
    const ours = Q.matrix(text, level, { mask: m });
    check(ours.mask === m && ours.version === auto.version, () => `mask ${m} forced: got mask ${ours.mask}`);
    sameModules(ours, reference(auto.segments, level, m), `${level} mask ${m} ${JSON.stringify(text.slice(0, 40))}`);
    forced.push(ours);
  }
  compareMaskChoice(text, level, auto, forced, auto.segments);
  return auto;
}

for (const text of texts) for (const level of ["L", "M", "Q", "H"]) differential(text, level);

// Every version at every level: the longest lower-case text that fits it.
for (const level of ["L", "M", "Q", "H"]) {
  for (let v = 1; v <= 40; v++) {
    const cap = Version.getCapacity(v, ECLevel.from(level), Mode.BYTE);
    const text = pick("abcdefghijklmnopqrstuvwxyz", cap);
    const got = differential(text, level);
    check(got.version === v, () => `${level}: ${cap} bytes took version ${got.version}, not ${v}`);
    if (v < 40) check(Q.matrix(text + "a", level).version === v + 1, () => `${level}: ${cap + 1} bytes not version ${v + 1}`);
  }
  const tooLong = pick("abc", Version.getCapacity(40, ECLevel.from(level), Mode.BYTE) + 1);
  check(Q.matrix(tooLong, level) === null && Q.svg(tooLong, level, "x") === "", () => `${level}: too long text not refused`);
}

// ---- 2. SVG shape --------------------------------------------------------------

{
  const text = vcUrl(1300), q = Q.matrix(text, "M"), s = Q.svg(text, "M", 'A & B <"cert">');
  const full = q.size + 8;
  check(s.startsWith("<svg ") && s.includes(`viewBox="0 0 ${full} ${full}"`) && s.includes('shape-rendering="crispEdges"') &&
    s.includes('role="img"') && s.includes("<title>A &amp; B &lt;&quot;cert&quot;&gt;</title>") &&
    !/<svg[^>]* (width|height)=/.test(s) && (s.match(/<path /g) || []).length === 1 && s.includes(`<rect width="${full}" height="${full}" fill="#fff"/>`),
  () => "svg shape: " + s.slice(0, 300));
  // The path, drawn back onto a grid, is the matrix.
  const grid = new Uint8Array(q.size * q.size);
  for (const [, x, y, w] of s.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let i = 0; i < +w; i++) grid[(+y - 4) * q.size + (+x - 4 + i)] = 1;
  }
  check(grid.every((v, i) => v === q.dark[i]), () => "svg path does not draw the matrix");
}

// ---- 3. Readability: zbarimg reads what we draw --------------------------------

const dir = mkdtempSync(join(tmpdir(), "qrgen-"));
function zbar(q) {
  const px = 4, full = (q.size + 8) * px, img = Buffer.alloc(full * full, 255);
  for (let y = 0; y < q.size; y++) for (let x = 0; x < q.size; x++) {
    if (!q.dark[y * q.size + x]) continue;
    for (let dy = 0; dy < px; dy++) img.fill(0, ((y + 4) * px + dy) * full + (x + 4) * px, ((y + 4) * px + dy) * full + (x + 5) * px);
  }
  const file = join(dir, "q.pgm");
  writeFileSync(file, Buffer.concat([Buffer.from(`P5\n${full} ${full}\n255\n`), img]));
  // Binary: the bytes as encoded, decoded as UTF-8 here (zbar guesses charsets otherwise).
  const out = execFileSync("zbarimg", ["--raw", "-q", "-Sbinary", file], { maxBuffer: 1 << 20, stdio: ["ignore", "pipe", "ignore"] });
  return out.toString("utf8").replace(/\n$/, "");
}
const readable = [vcUrl(1400), vcUrl(1400, true), vcUrl(1300), vcUrl(900, true), "https://example.org/a/b?c=d#e",
  "证书验证：张三获得了高级数据分析徽章。", "émoji 😀 and ÅÄÖ", "ORDER-" + "7".repeat(200) + "-xyz"];
try {
  for (const text of readable) for (const level of ["L", "M", "Q", "H"]) {
    const q = Q.matrix(text, level);
    const got = zbar(q);
    check(got === text, () => `zbarimg read ${JSON.stringify(got.slice(0, 60))}... for ${level} version ${q.version} ${JSON.stringify(text.slice(0, 60))}`);
  }
} finally { rmSync(dir, { recursive: true, force: true }); }

// ---- Speed and size (shown with -v) ------------------------------------------------

if (verbose) {
  const text = vcUrl(1300);
  for (let i = 0; i < 5; i++) Q.matrix(text, "M");
  let t = performance.now(); const N = 30;
  for (let i = 0; i < N; i++) Q.matrix(text, "M");
  const ms = (performance.now() - t) / N;
  t = performance.now(); for (let i = 0; i < N; i++) Q.svg(text, "M", "QR"); const svgMs = (performance.now() - t) / N;
  const q = Q.matrix(text, "M");
  log(`1300-char print URL at M: version ${q.version}, mask ${q.mask}; matrix ${ms.toFixed(2)} ms, svg ${svgMs.toFixed(2)} ms, svg ${Q.svg(text, "M", "QR").length} bytes`);
  log(`automatic mask equals qrcode's in ${masks.same} of ${masks.same + masks.differ}; differences decided by: ${JSON.stringify(masks.why)}`);
}
console.log(`qrgen: ${passed} passed, 0 failed`);
