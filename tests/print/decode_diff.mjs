// Differential test of the site's print-credential decoder
// (themes/default/static/cborld.js) against the reference stack: Digital
// Bazaar's @digitalbazaar/cborld (CBOR-LD 1.0, registry entry 1),
// data-integrity + eddsa-jcs-2022-cryptosuite (signing, verifying) and the
// `canonicalize` package (JCS). Installed by scripts/install-test-tools into
// target/node/print/ (or $ACCOLADE_PRINT_NODE_MODULES).
//
//   node tests/print/decode_diff.mjs --contexts DIR [--count N] [--fuzz N] [--seed N]
//     Generates N print credentials, signs each with a fresh Ed25519 key,
//     encodes them with the reference; checks that our decoder and the
//     reference's give back the original, that our JCS is the package's,
//     that our verifyJcs accepts each and rejects each with one character
//     of a name changed, and the base32 QR text round trip. Then mutates
//     the CBOR-LD bytes (flips, truncations, insertions): our decoder must
//     throw its own Error or return a document verifyJcs rejects (or the
//     unchanged document), quickly, never crash.
//
//   node tests/print/decode_diff.mjs --contexts DIR --check FILE.json
//     FILE.json: [{"credential": {...}, "qr": "VC1-...", "publicKeyMultibase": "z6Mk..."}]
//     (from our Rust build). Checks the reference encodes each credential to
//     exactly the bytes in `qr`, both decoders give the credential back, and
//     the reference stack and verifyJcs verify it with that key.
//
// DIR holds the context documents (src/openbadges/contexts/). Exit code 0
// and a one-line summary on success; 1 and the first mismatch on failure.

import { createRequire } from "node:module";
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual, inspect } from "node:util";
import { webcrypto } from "node:crypto";
import vm from "node:vm";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");

// ---------- arguments ----------

const args = { count: 150, fuzz: 4000, seed: 1 };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  const next = () => {
    if (i + 1 >= process.argv.length) usage(`${a} needs a value`);
    return process.argv[++i];
  };
  if (a === "--contexts") args.contexts = next();
  else if (a === "--check") args.check = next();
  else if (a === "--count") args.count = Number(next());
  else if (a === "--fuzz") args.fuzz = Number(next());
  else if (a === "--seed") args.seed = Number(next());
  else usage(`unknown argument ${a}`);
}
if (!args.contexts) usage("--contexts DIR is required");
function usage(msg) {
  console.error(`decode_diff: ${msg}\nusage: node tests/print/decode_diff.mjs --contexts DIR ` +
    "[--check FILE.json | --count N --fuzz N --seed N]");
  process.exit(2);
}

// ---------- the reference packages ----------

const nodeModules = resolve(repo, process.env.ACCOLADE_PRINT_NODE_MODULES || "target/node/print/node_modules");
if (!existsSync(nodeModules)) {
  console.error(`decode_diff: ${nodeModules} is missing; run scripts/install-test-tools`);
  process.exit(2);
}
const require = createRequire(join(nodeModules, "_.js"));
async function load(name) {
  const dir = join(nodeModules, name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (pkg.type !== "module") return require(name);
  const entry = typeof pkg.exports === "string" ? pkg.exports : pkg.exports?.["."]?.import ?? pkg.exports?.["."]?.default ?? pkg.main;
  return import(pathToFileURL(join(dir, entry)).href);
}
const cborld = await load("@digitalbazaar/cborld");
const { DataIntegrityProof } = await load("@digitalbazaar/data-integrity");
const jcsSuite = await load("@digitalbazaar/eddsa-jcs-2022-cryptosuite");
const Ed25519Multikey = await load("@digitalbazaar/ed25519-multikey");
const jsigs = require("jsonld-signatures");
const refCanonicalize = require("canonicalize");

// ---------- our decoder, loaded as the browser loads it ----------

const sandbox = { TextDecoder, TextEncoder, crypto: webcrypto, btoa, Uint8Array, console };
sandbox.globalThis = sandbox;
vm.createContext(sandbox);
const ourFile = join(repo, "themes/default/static/cborld.js");
vm.runInContext(readFileSync(ourFile, "utf8"), sandbox, { filename: ourFile });
const ours = sandbox.AccoladePrint;
// Values made in the sandbox have its own Object/Array/Uint8Array; compare
// by their JSON form so prototypes from another realm do not matter.
const plain = (v) => JSON.parse(JSON.stringify(v));

// ---------- contexts and the document loader ----------

const CONTEXT_FILES = {
  "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
  "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
  "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
};
const CREDENTIAL_CONTEXTS = Object.keys(CONTEXT_FILES).slice(0, 2);
const contexts = new Map();
for (const [url, file] of Object.entries(CONTEXT_FILES)) {
  const path = join(args.contexts, file);
  if (existsSync(path)) contexts.set(url, JSON.parse(readFileSync(path, "utf8")));
  else if (CREDENTIAL_CONTEXTS.includes(url)) usage(`${path} is missing`);
}
// What the site publishes for the browser: the two credential contexts.
const loadContext = (url) => {
  if (!CREDENTIAL_CONTEXTS.includes(url)) throw new Error(`unknown context ${url}`);
  return JSON.parse(JSON.stringify(contexts.get(url)));
};

const didDocs = new Map(); // DID (and verification method id) -> document
function addKey(vmId, controller, publicKeyMultibase) {
  const method = { id: vmId, type: "Multikey", controller, publicKeyMultibase };
  didDocs.set(controller, {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    id: controller, verificationMethod: [method], assertionMethod: [vmId],
  });
  didDocs.set(vmId, { "@context": "https://w3id.org/security/multikey/v1", ...method });
}
async function documentLoader(url) {
  const doc = contexts.get(url) ?? didDocs.get(url);
  if (!doc) throw new Error(`documentLoader: no document for ${url}`);
  return { contextUrl: null, documentUrl: url, document: structuredClone(doc) };
}

// ---------- helpers ----------

let rand = mulberry32(args.seed);
function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (n) => Math.floor(rand() * n);
const pick = (list) => list[int(list.length)];

// RFC 4648 base32, written here independently of cborld.js.
function base32(bytes) {
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let out = "", acc = 0, bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b; bits += 8;
    while (bits >= 5) { bits -= 5; out += A[(acc >> bits) & 31]; }
    acc &= 0xff;
  }
  if (bits) out += A[(acc << (5 - bits)) & 31];
  return out;
}
function unbase32(text) {
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const out = []; let acc = 0, bits = 0;
  for (const c of text) {
    const v = A.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    acc = (acc << 5) | v; bits += 5;
    if (bits >= 8) { bits -= 8; out.push((acc >> bits) & 0xff); }
    acc &= 0xff;
  }
  return Uint8Array.from(out);
}

class Mismatch extends Error {}
function check(ok, what, detail) {
  if (!ok) throw new Mismatch(`${what}${detail === undefined ? "" : "\n" + inspect(detail, { depth: null, colors: false })}`);
}
const encode = (doc) => cborld.encode({ jsonldDocument: doc, documentLoader, registryEntryId: 1 });
const refDecode = (bytes) => cborld.decode({ cborldBytes: bytes, documentLoader });

async function refVerify(credential) {
  const suite = new DataIntegrityProof({ cryptosuite: jcsSuite.createVerifyCryptosuite() });
  const result = await jsigs.verify(structuredClone(credential), {
    suite, purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader,
  });
  return result;
}

// ---------- generated credentials ----------

const NAMES = [
  "Ana María García", "张伟", "王小明（北京）", "Zoë O'Brien-Łukasiewicz", "🎓 Graduate 🚀",
  'The "Quoted" Name', "Back\\slash \\u0041 name", "Tab\there", "line\nbreak", "Ünïcödé ñ ß ø",
  "  leading and trailing  ", "x", "Ǆemal Ðorđević", "Ελληνικά", "עברית", "日本語の名前",
  "control \u0001\u001f chars", "\u2028line sep\u2029", "emoji family 👨‍👩‍👧‍👦", "a".repeat(300),
  "長い名前".repeat(60), "<script>alert(1)</script>", "mixed 中文 and English and 🙂",
];
const BADGES = ["Azure Cloud Architect", "数据科学基础", "First Aid — Level 2", "C++ & \"Rust\"", "R".repeat(200)];
const HOSTS = ["badges.example.org", "learn.contoso.com", "x.example", "badges.example.org:8443", "sub.domain.example.co.uk"];
const DATES = [
  "2026-03-01T00:00:00Z", "2024-02-29T23:59:59Z", "2026-03-01T12:30Z", "2026-03-01T00:00:00.123Z",
  "2026-03-01T00:00:00.5Z", "2026-03-01T00:00:00.000Z", "2026-03-01T10:00:00+01:00", "1969-12-31T23:59:59Z",
  "1970-01-01T00:00:00Z", "2099-12-31T23:59:59Z", "2038-01-19T03:14:08Z", "2026-03-01T00:00:00.120Z",
];

function randomId() {
  const A = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
  let s = "";
  for (let i = 0; i < 8; i++) s += pick(A);
  return s;
}

function makeCredential(issuerDid, vmId) {
  const scheme = rand() < 0.2 ? "http" : "https";
  const host = pick(HOSTS);
  const base = `${scheme}://${host}`;
  const badge = pick(BADGES);
  const slug = pick(["cloud-architect", "first-aid", "数据", "a%20b", "x"]);
  const c = {
    "@context": [...CREDENTIAL_CONTEXTS],
    id: rand() < 0.1 ? `urn:uuid:${crypto.randomUUID()}` : `${base}/verify/aw-${randomId()}/`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer: { id: issuerDid, type: ["Profile"], name: pick(NAMES.concat(["Contoso Learning", "清华大学"])) },
    validFrom: pick(DATES),
  };
  if (rand() < 0.6) c.validUntil = pick(DATES);
  if (rand() < 0.5) c.awardedDate = pick(DATES);
  c.name = badge;
  const hashed = rand() < 0.3;
  const identity = { type: "IdentityObject", identityHash: pick(NAMES), identityType: "name", hashed: false };
  if (hashed) {
    Object.assign(identity, { identityType: "emailAddress", hashed: true, salt: randomId(),
      identityHash: "sha256$" + Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex") });
  }
  c.credentialSubject = {
    type: ["AchievementSubject"], identifier: [identity],
    achievement: { id: `${base}/badges/${slug}/`, type: ["Achievement"], name: badge },
  };
  if (rand() < 0.9) {
    c.credentialStatus = {
      type: "BitstringStatusListEntry", statusPurpose: "revocation",
      statusListIndex: String(pick([0, 1, 7, 1234, 131071, int(1 << 20)])),
      statusListCredential: `${base}/status/${pick([1, 2, 10])}.json`,
    };
  }
  return c;
}

async function sign(doc, signer) {
  const suite = new DataIntegrityProof({
    signer, cryptosuite: jcsSuite.createSignCryptosuite(),
    date: pick(["2026-03-01T00:00:00Z", "2025-12-31T23:59:59Z", Date.now()]),
  });
  return jsigs.sign(structuredClone(doc), { suite, purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader });
}

// One character of a string changed (never to itself).
function tamper(s) {
  const chars = [...s];
  const i = int(chars.length);
  let c;
  do { c = pick(["a", "A", "é", "中", " ", "\"", "\\", "0", "🙂"]); } while (c === chars[i]);
  chars[i] = c;
  return chars.join("");
}
function nameFields(cred) {
  return [
    [cred, "name"], [cred.issuer, "name"], [cred.credentialSubject.achievement, "name"],
    [cred.credentialSubject.identifier[0], "identityHash"],
  ];
}

// ---------- the generated run ----------

async function generated() {
  const sizes = [];
  const samples = [];
  let tampered = 0;
  for (let n = 0; n < args.count; n++) {
    const useDidKey = n % 3 === 2;
    const key = await Ed25519Multikey.generate({ controller: "did:web:badges.example.org" });
    const pub = (await key.export({ publicKey: true })).publicKeyMultibase;
    const controller = useDidKey ? `did:key:${pub}` : pick(["did:web:badges.example.org", "did:web:learn.contoso.com%3A8443:issuer"]);
    const vmId = useDidKey ? `${controller}#${pub}` : `${controller}#key-1`;
    key.id = vmId;
    key.controller = controller;
    addKey(vmId, controller, pub);
    const signer = key.signer();
    signer.id = vmId;

    const original = await sign(makeCredential(controller, vmId), signer);
    check(original.proof?.["@context"], "the reference put no @context in the proof", original.proof);
    const bytes = await encode(original);
    const where = `credential ${n} (seed ${args.seed})`;

    // Decoding: ours == reference == original.
    const mine = plain(await ours.decode(bytes, loadContext));
    const theirs = await refDecode(bytes);
    check(isDeepStrictEqual(theirs, original), `${where}: reference decode differs from the original`, { original, theirs });
    check(isDeepStrictEqual(mine, original), `${where}: our decode differs from the original`, { original, mine });

    // JCS: ours == the canonicalize package.
    for (const v of [original, original.proof, original.credentialSubject]) {
      check(ours.canonicalize(v) === refCanonicalize(v), `${where}: canonicalize differs`, { v, ours: ours.canonicalize(v), ref: refCanonicalize(v) });
    }

    // Signatures: ours and the reference accept it, ours rejects a changed name.
    check(await ours.verifyJcs(mine, pub) === true, `${where}: verifyJcs rejected a valid credential`, mine);
    const ref = await refVerify(original);
    check(ref.verified, `${where}: the reference did not verify its own credential`, ref.error ?? ref.results);
    for (const [obj, field] of nameFields(mine)) {
      const saved = obj[field];
      obj[field] = tamper(saved);
      check(await ours.verifyJcs(mine, pub) === false, `${where}: verifyJcs accepted a changed ${field}`, obj[field]);
      obj[field] = saved;
      tampered++;
    }
    const other = (await (await Ed25519Multikey.generate()).export({ publicKey: true })).publicKeyMultibase;
    check(await ours.verifyJcs(mine, other) === false, `${where}: verifyJcs accepted another key`);

    // The QR text: base32 round trip, bare and as a link.
    const text = "VC1-" + base32(bytes);
    check(Buffer.from(ours.fromQrText(text)).equals(Buffer.from(bytes)), `${where}: fromQrText(VC1-…) round trip`, text);
    const link = `https://badges.example.org/verify/#${text}`;
    check(Buffer.from(ours.fromQrText(link)).equals(Buffer.from(bytes)), `${where}: fromQrText(link) round trip`, link);
    check(Buffer.from(unbase32(text.slice(4))).equals(Buffer.from(bytes)), `${where}: test base32 round trip`);

    sizes.push(bytes.length);
    if (samples.length < 6) samples.push({ bytes, doc: original, pub });
  }
  // JCS corner cases: number forms and key order by UTF-16 code units
  // (RFC 8785 section 3.2.3's example keys among them).
  const jcsCases = [
    { numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001, -0, 1e21, 1e-7, 123456789012345680000, 9007199254740991] },
    { "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis" },
    { literals: [null, true, false], string: "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/\u007f\u2028", nested: { b: [], a: {} } },
  ];
  for (const v of jcsCases) {
    check(ours.canonicalize(v) === refCanonicalize(v), "canonicalize differs on a JCS corner case", { v, ours: ours.canonicalize(v), ref: refCanonicalize(v) });
  }
  return { sizes, samples, tampered };
}

// ---------- hostile input ----------

const SandboxError = vm.runInContext("Error", sandbox);
const isOurError = (e) => e instanceof SandboxError && /^Print credential: /.test(e.message);

async function fuzz(samples) {
  const stats = { cases: 0, threw: 0, rejected: 0, same: 0, refAgrees: 0, refDiffers: 0, maxMs: 0 };
  const differs = [];
  for (let n = 0; n < args.fuzz; n++) {
    const { bytes, doc, pub } = samples[n % samples.length];
    const m = Uint8Array.from(bytes);
    let mutated;
    const kind = int(6);
    if (kind === 0) { m[int(m.length)] ^= 1 << int(8); mutated = m; }
    else if (kind === 1) { for (let k = 0; k < 1 + int(4); k++) m[int(m.length)] = int(256); mutated = m; }
    else if (kind === 2) mutated = m.slice(0, int(m.length));
    else if (kind === 3) { const i = int(m.length); mutated = Uint8Array.from([...m.slice(0, i), int(256), ...m.slice(i)]); }
    else if (kind === 4) { const i = int(m.length); mutated = Uint8Array.from([...m.slice(0, i), ...m.slice(i + 1 + int(3))]); }
    else { m[3 + int(m.length - 3)] = pick([0x18, 0x19, 0x1b, 0x5b, 0x7b, 0x9b, 0xbb, 0x9f, 0xbf, 0xc0, 0xf7, 0xfb]); mutated = m; }
    stats.cases++;
    const t0 = performance.now();
    let mine;
    try {
      mine = plain(await ours.decode(mutated, loadContext));
    } catch (e) {
      check(isOurError(e), `fuzz case ${n}: decode failed with a foreign error`, { e, hex: Buffer.from(mutated).toString("hex") });
      stats.threw++;
    }
    const ms = performance.now() - t0;
    stats.maxMs = Math.max(stats.maxMs, ms);
    check(ms < 1000, `fuzz case ${n}: decode took ${ms} ms`, Buffer.from(mutated).toString("hex"));
    if (mine === undefined) continue;
    if (isDeepStrictEqual(mine, doc)) { stats.same++; continue; }
    check(await ours.verifyJcs(mine, pub) === false, `fuzz case ${n}: verifyJcs accepted a changed document`, { mine, doc });
    stats.rejected++;
    // Where both decoders accept the bytes, do they agree?
    let theirs;
    try { theirs = await refDecode(mutated); } catch { continue; }
    if (isDeepStrictEqual(plain(theirs), mine)) stats.refAgrees++;
    else { stats.refDiffers++; if (differs.length < 3) differs.push({ hex: Buffer.from(mutated).toString("hex"), mine, theirs }); }
  }
  return { stats, differs };
}

// Hand-made hostile inputs: each must be refused with our own Error.
async function hostile(sample) {
  const h = (s) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ""), "hex"));
  const head = "d9cb1d8201";
  const text = (str) => { const b = Buffer.from(str); return (0x60 + b.length).toString(16) + b.toString("hex"); }; // < 24 bytes
  const deep = (n, open) => h(head + open.repeat(n) + "a0");
  const cases = {
    "empty": new Uint8Array(0),
    "not CBOR-LD": h("a0"),
    "other tag": h("d9cb1e8201a0"),
    "registry 0": h("d9cb1d8200a0"),
    "registry 2": h("d9cb1d8202a0"),
    "payload not a map": h(head + "80"),
    "trailing bytes": h(head + "a000"),
    "truncated": sample.slice(0, sample.length - 1),
    "huge array claim": h(head + "9bffffffffffffffff"),
    "huge map claim": h(head + "ba7fffffff00"),
    "huge string claim": h(head + "a1186478ff"),
    "64-bit integer": h(head + "a118641bffffffffffffffff"),
    "indefinite map": h(head + "bf18640aff"),
    "indefinite string": h(head + "a118647f6161ff"),
    "unknown term id": h(head + "a119fffe01"),
    "odd float key": h(head + "a1fb4059200000000000f6"), // key 100.5
    "tagged value": h(head + "a11864c11a00000000"),
    "undefined": h(head + "a11864f7"),
    "NaN": h(head + "a11864f97e00"),
    "duplicate key": h(head + "a2186401186401"),
    "nested arrays": deep(5000, "81"),
    "nested maps": deep(5000, "a11864"),
    "oversized": new Uint8Array(5000).fill(0x40),
    "bad UTF-8": h(head + "a1186462c328"),
    "unknown context": h(head + "a101" + "81" + text("https://example.org/ctx")),
    "too many contexts": h(head + "a10189" + [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => text(`https://x/${d}`)).join("")),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    const t0 = performance.now();
    try {
      await ours.decode(bytes, loadContext);
    } catch (e) {
      check(isOurError(e), `hostile input "${name}": foreign error`, e);
      check(performance.now() - t0 < 1000, `hostile input "${name}": slow`);
      continue;
    }
    throw new Mismatch(`hostile input "${name}" was accepted`);
  }
  // QR text that is not a print credential.
  for (const text of ["", "https://example.org/verify/", "VC1-", "VC2-AAAA", "VC1-AB=", "VC1-A", "VC1-AAA", "VC1-ab1", "VC1-AB", "x".repeat(100000), 42]) {
    try { ours.fromQrText(text); } catch (e) { check(isOurError(e), `fromQrText(${String(text).slice(0, 20)}): foreign error`, e); continue; }
    if (text !== "VC1-") throw new Mismatch(`fromQrText accepted ${JSON.stringify(String(text).slice(0, 40))}`);
  }
  return Object.keys(cases).length;
}

// Without WebCrypto (an http: page) verifyJcs must say it cannot check,
// not that the credential is forged.
async function noWebCrypto(sample) {
  const bare = { TextDecoder, TextEncoder, btoa, Uint8Array };
  bare.globalThis = bare;
  vm.createContext(bare);
  vm.runInContext(readFileSync(ourFile, "utf8"), bare, { filename: ourFile });
  const doc = plain(await bare.AccoladePrint.decode(sample.bytes, loadContext));
  const outcome = await bare.AccoladePrint.verifyJcs(doc, sample.pub).then((v) => `resolved ${v}`, (e) => e.message);
  check(/cannot check/.test(outcome), "verifyJcs without WebCrypto did not reject with \"cannot check\"", outcome);
}

// ---------- --check: the Rust build's output ----------

async function checkFile(file) {
  const items = JSON.parse(readFileSync(file, "utf8"));
  check(Array.isArray(items) && items.length > 0, `${file}: expected a non-empty JSON array`);
  for (const [i, item] of items.entries()) {
    const { credential, qr, publicKeyMultibase: pub } = item;
    const where = `${file} item ${i} (${credential?.id})`;
    // "VC1-…", or the whole link "https://…/verify/#VC1-…".
    const code = typeof qr === "string" ? qr.slice(qr.indexOf("#") + 1) : "";
    check(code.startsWith("VC1-"), `${where}: qr is not "VC1-…" or a link to "#VC1-…"`, qr);
    const bytes = unbase32(code.slice(4));
    check(base32(bytes) === code.slice(4), `${where}: qr is not canonical base32 (uppercase, no padding)`, qr);
    check(Buffer.from(ours.fromQrText(qr)).equals(Buffer.from(bytes)), `${where}: fromQrText disagrees with base32`);
    const refBytes = await encode(credential);
    if (!Buffer.from(refBytes).equals(Buffer.from(bytes))) {
      let at = 0;
      while (at < bytes.length && bytes[at] === refBytes[at]) at++;
      check(false, `${where}: the reference encodes the credential to other bytes (${refBytes.length} bytes, ` +
        `qr has ${bytes.length}; first difference at byte ${at})`,
        { qr: Buffer.from(bytes).toString("hex"), reference: Buffer.from(refBytes).toString("hex") });
    }
    const theirs = await refDecode(bytes);
    check(isDeepStrictEqual(theirs, credential), `${where}: reference decode differs from the credential`, { credential, theirs });
    const mine = plain(await ours.decode(bytes, loadContext));
    check(isDeepStrictEqual(mine, credential), `${where}: our decode differs from the credential`, { credential, mine });
    const vmId = credential.proof?.verificationMethod;
    const did = String(vmId).split("#")[0];
    addKey(vmId, did, pub);
    const ref = await refVerify(credential);
    check(ref.verified, `${where}: the reference stack does not verify it with ${pub}`, ref.error ?? ref.results);
    check(await ours.verifyJcs(mine, pub) === true, `${where}: verifyJcs does not verify it`);
    // The same without the proof's @context: what it costs.
    const bare = structuredClone(credential);
    delete bare.proof["@context"];
    const bareBytes = await encode(bare);
    console.log(`item ${i}: ${bytes.length} bytes CBOR-LD, ${qr.length} chars QR text ` +
      `(${bytes.length - bareBytes.length} bytes for the proof's @context), ${JSON.stringify(credential).length} bytes JSON`);
  }
  return items.length;
}

// ---------- main ----------

try {
  if (args.check) {
    const n = await checkFile(args.check);
    console.log(`decode_diff --check: ok, ${n} credentials match the reference byte for byte and verify`);
  } else {
    const t0 = performance.now();
    const { sizes, samples, tampered } = await generated();
    const hostileCount = await hostile(samples[0].bytes);
    await noWebCrypto(samples[0]);
    const { stats, differs } = await fuzz(samples);
    for (const d of differs) console.log("note: both decoders accept mutated bytes but disagree:", inspect(d, { depth: null }));
    sizes.sort((a, b) => a - b);
    console.log(`decode_diff: ok, ${sizes.length} credentials (CBOR-LD ${sizes[0]}–${sizes[sizes.length - 1]} bytes, ` +
      `median ${sizes[sizes.length >> 1]}), ${tampered} tampered names rejected, ${hostileCount} hostile inputs refused, ` +
      `${stats.cases} mutations (${stats.threw} refused, ${stats.rejected} decoded but unverifiable, ${stats.same} unchanged; ` +
      `reference agrees on ${stats.refAgrees}/${stats.refAgrees + stats.refDiffers} it also decodes; slowest ${stats.maxMs.toFixed(1)} ms), ` +
      `seed ${args.seed}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
} catch (e) {
  console.error(e instanceof Mismatch ? `decode_diff: MISMATCH: ${e.message}` : e);
  process.exit(1);
}
