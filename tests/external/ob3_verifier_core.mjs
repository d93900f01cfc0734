// Verifies Open Badges 3.0 credentials of a built site with
// @digitalcredentials/verifier-core, the engine of the Digital Credentials
// Consortium's VerifierPlus and Learner Credential Wallet: signature,
// expiry, revocation (Bitstring Status List) and the 1EdTech OB 3.0 JSON
// Schema. Offline: `fetch` is replaced before the library loads, so the
// issuer's DID document (did:web) and status list come from the built
// site, and the schema from the local copy. Any other request fails and is
// reported. Other 1EdTech OB 3.0 JSON Schemas (such as the
// EndorsementCredential one) are served from SCHEMA_FILE's folder when a
// copy of that name is there. The did:web documents of other hosts (such as
// an endorser's) come from DIDS_DIR, a folder of `*.did.json` documents,
// each found by its `id`; verifier-core resolves a did:key itself.
//
// Usage (run from the folder holding node_modules):
//   node ob3_verifier_core.mjs PUBLIC_DIR BASE_URL SCHEMA_FILE CASES_JSON [DIDS_DIR]
// CASES_JSON: [{name, file}] paths of credential.json files (or edited copies).
// Prints one JSON line per case:
//   {name, fatal: [error names], steps: {valid_signature, expiration,
//    revocation_status}, schema: [{schema, valid, errors}], refused: [urls]}
import fs from "node:fs";
import path from "node:path";

const [publicDir, baseUrl, schemaFile, casesFile, didsDir] = process.argv.slice(2);
const base = baseUrl.replace(/\/$/, "");
const SCHEMA_URL =
  "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
const SCHEMAS = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/";
const refused = [];

function json(body, status = 200) {
  return new Response(body, { status, headers: { "content-type": "application/json" } });
}

// The built site as the web: URL → file (a folder → index.html).
function fromSite(url) {
  const rel = url.slice(base.length + 1).split("#")[0].split("?")[0];
  if (rel.split("/").includes("..")) return json("{}", 404);
  const file = path.join(publicDir, rel === "" || rel.endsWith("/") ? rel + "index.html" : rel);
  if (!fs.existsSync(file)) return json('{"error": "not found"}', 404);
  return json(fs.readFileSync(file));
}

// Another 1EdTech schema, if a copy of it lies beside SCHEMA_FILE.
function otherSchema(url) {
  const name = url.slice(SCHEMAS.length);
  if (!/^ob_v3p0_[a-z_]+_schema\.json$/.test(name)) return null;
  const file = path.join(path.dirname(schemaFile), name);
  return fs.existsSync(file) ? json(fs.readFileSync(file)) : null;
}

// The did.json of a did:web of another host, from DIDS_DIR: the DID whose
// document `url` is (https://host/.well-known/did.json, or
// https://host/a/b/did.json for did:web:host:a:b).
function otherDid(url) {
  const u = new URL(url);
  if (u.protocol !== "https:" || !u.pathname.endsWith("/did.json")) return null;
  const dirs = u.pathname.slice(1, -"/did.json".length);
  if (dirs === "") return null;
  const segments = dirs === ".well-known" ? [] : dirs.split("/");
  const did = ["did:web:" + u.host.replace(":", "%3A"), ...segments].join(":");
  for (const name of fs.readdirSync(didsDir).filter((n) => n.endsWith(".did.json"))) {
    const text = fs.readFileSync(path.join(didsDir, name));
    if (JSON.parse(text).id === did) return json(text);
  }
  return null;
}

globalThis.fetch = async (input) => {
  const url = typeof input === "string" ? input : input.url ?? String(input.href ?? input);
  if (url === SCHEMA_URL) return json(fs.readFileSync(schemaFile));
  if (url.startsWith(base + "/")) return fromSite(url);
  const other = url.startsWith(SCHEMAS) ? otherSchema(url) : didsDir ? otherDid(url) : null;
  if (other) return other;
  refused.push(url);
  throw new TypeError(`offline: refusing to fetch ${url}`);
};

// One JSON line per case on stdout; the library's own logging (it prints
// "error checking schema" when a schema cannot be fetched) goes to stderr.
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");
console.log = (...args) => console.error(...args);

const { verifyCredential } = await import("@digitalcredentials/verifier-core");

const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
for (const c of cases) {
  refused.length = 0;
  const credential = JSON.parse(fs.readFileSync(c.file, "utf8"));
  const result = await verifyCredential({ credential, knownDIDRegistries: [] });
  const steps = {};
  for (const entry of result.log ?? []) {
    steps[entry.id] = entry.error ? `error: ${entry.error.name}: ${entry.error.message}` : entry.valid;
  }
  const schemaEntry = (result.additionalInformation ?? []).find((e) => e.id === "schema_check");
  const schema = Array.isArray(schemaEntry?.results)
    ? schemaEntry.results.map((r) => ({
        schema: r.schema,
        valid: r.result?.valid === true,
        errors: (r.result?.errors ?? []).map((e) => `${e.instancePath} ${e.message}`),
      }))
    : [{ schema: null, valid: false, errors: [String(schemaEntry?.results)] }];
  const fatal = (result.errors ?? []).map((e) => `${e.name}: ${e.message}`);
  print({ name: c.name, fatal, steps, schema, refused: [...refused] });
}
