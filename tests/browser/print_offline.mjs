// The verifier page with the network off (issue 28): one online visit to
// each language's verifier installs its service worker (wait for
// `.verifier[data-offline-ready]`); then the site's server is closed and
// the browser set offline, and each print QR code's address is opened in
// a page as a phone's camera app would open it. Reports what the page
// says for each code, the time the cached status list was fetched (the
// service worker's `x-accolade-fetched` stamp), and the time to a verdict
// on a throttled phone profile (CPU 4x slower, 390x844, offline).
// Usage: node print_offline.mjs PUBLIC_DIR JSON_ARGS with
//   { now: seconds (the pages' clock, the build's "now"),
//     verifiers: ["verify/", "zh-CN/verify/"],
//     codes: a JSON file of [{ key, text }] (text: a QR code's text,
//            https://…/verify/#VC1-…; too long for the command line),
//     phone: { text, runs } }
// → prints one JSON result.
import fs from "node:fs";
import { start } from "./lib.mjs";

const { args, server, base, b } = await start();
const result = { ready: {}, stamp: null, onLine: null, verdicts: {}, phone: null, problems: [] };
// Each problem once, with how often it happened.
const seen = new Map();
function problem(text) {
  if (!seen.has(text)) result.problems.push(text);
  seen.set(text, (seen.get(text) || 0) + 1);
}
const LONG = 120_000;

// A page that records script errors, console errors (CSP violations and
// failed loads among them) and dialogs as problems.
function watch(page, where) {
  page.setDefaultTimeout(LONG);
  page.setDefaultNavigationTimeout(LONG);
  page.on("pageerror", (e) => problem(`${where}: page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problem(`${where}: console: ${m.text()} (${m.location().url})`);
  });
  page.on("dialog", async (d) => { problem(`${where}: dialog: ${d.message()}`); await d.dismiss(); });
  return page;
}

// The same page as the QR code's address, on the test's server.
function local(text) {
  const u = new URL(text);
  return `${base}${u.pathname}${u.hash}`;
}

// One online visit: the page registers its service worker and says when
// everything it needs offline is cached.
async function visit(context, path, where) {
  const page = watch(await context.newPage(), where);
  const t0 = Date.now();
  await page.goto(`${base}/${path}`, { waitUntil: "load" });
  await page.waitForSelector(".verifier[data-offline-ready]", { state: "attached", timeout: LONG });
  const ms = Date.now() - t0;
  await page.close();
  return ms;
}

async function verdict(page) {
  await page.waitForFunction(() => {
    const r = document.getElementById("verifier-result");
    return r && !r.hasAttribute("data-checking") && r.querySelector("[data-result]");
  }, null, { timeout: LONG, polling: 50 });
  return page.evaluate(() => {
    const clean = (e) => e.textContent.replace(/\s+/g, " ").trim();
    const r = document.getElementById("verifier-result");
    const banner = r.querySelector("[data-result]");
    return {
      result: banner.getAttribute("data-result"),
      reason: banner.getAttribute("data-reason"),
      label: clean(r.querySelector(".status__label")),
      note: clean(r.querySelector(".status__note")),
      checks: Array.from(r.querySelectorAll(".verifier__checks li"), (li) => ({
        ok: li.classList.contains("check--ok"),
        text: clean(li),
      })),
      facts: Object.fromEntries(Array.from(r.querySelectorAll(".facts > div"), (d) =>
        [clean(d.querySelector("dt")), clean(d.querySelector("dd"))])),
      hints: Array.from(r.querySelectorAll(":scope > p.share__hint"), clean),
      links: r.querySelectorAll("a").length,
      onLine: navigator.onLine,
    };
  });
}

// Opens a code's address in `page` as a new document (not a hash change
// on the page already open).
async function open(page, text) {
  await page.goto("about:blank");
  await page.goto(local(text), { waitUntil: "commit" });
  return verdict(page);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const contexts = [];
try {
  // The pages' clock is the build's: an award valid when the site was
  // built is valid on the page. (The service worker's clock, which stamps
  // the status list, is the real one.)
  const desk = await b.newContext();
  contexts.push(desk);
  await desk.clock.setFixedTime(new Date(args.now * 1000));
  const phone = await b.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
  });
  contexts.push(phone);

  // Online, once.
  for (const v of args.verifiers) result.ready[v] = await visit(desk, v, `online ${v}`);
  result.ready[`phone ${args.verifiers[0]}`] = await visit(phone, args.verifiers[0], "phone online");

  // The network off: the server closed, and the browser offline.
  await new Promise((resolve) => {
    server.close(() => resolve());
    if (server.closeAllConnections) server.closeAllConnections();
    else resolve();
  });
  await desk.setOffline(true);
  await phone.setOffline(true);

  const page = watch(await desk.newPage(), "offline");
  // When the cached status list was fetched, as the service worker stamped it.
  await page.goto(`${base}/${args.verifiers[0]}`, { waitUntil: "load" });
  Object.assign(result, await page.evaluate(async () => {
    const root = document.querySelector(".verifier");
    const siteRoot = new URL(root.getAttribute("data-root"), location.href);
    const url = new URL(root.getAttribute("data-status-list"), siteRoot).href;
    const hit = await (await caches.open("accolade-verifier-v1")).match(url);
    return {
      stamp: hit ? hit.headers.get("x-accolade-fetched") : null,
      onLine: navigator.onLine,
      controlled: !!navigator.serviceWorker.controller,
    };
  }));

  const t0 = Date.now();
  for (const c of JSON.parse(fs.readFileSync(args.codes, "utf8"))) {
    result.verdicts[c.key] = await open(page, c.text);
  }
  result.codesMs = Date.now() - t0;
  await page.close();

  // Time to a verdict on a throttled phone: from the start of navigation
  // (the camera app opening the address) to the verdict in the page,
  // timed in the page (a mutation observer the browser injects, outside
  // the page's CSP).
  if (args.phone) {
    const p = watch(await phone.newPage(), "phone offline");
    await p.addInitScript(() => {
      const seen = () => {
        if (window.__verdictAt === undefined && document.querySelector("#verifier-result [data-result]")) {
          window.__verdictAt = performance.now();
        }
      };
      new MutationObserver(seen).observe(document, { childList: true, subtree: true });
    });
    const cdp = await phone.newCDPSession(p);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    const runs = [];
    let last = null;
    for (let i = 0; i < (args.phone.runs || 7); i++) {
      const t = Date.now();
      last = await open(p, args.phone.text);
      const inPage = await p.evaluate(() => window.__verdictAt);
      runs.push({ ms: Math.round(inPage), outside: Date.now() - t, result: last.result });
    }
    const ms = runs.map((r) => r.ms);
    result.phone = {
      runs,
      median: median(ms),
      max: Math.max(...ms),
      min: Math.min(...ms),
      verdict: last,
      viewport: p.viewportSize(),
      cpuThrottling: 4,
    };
    await p.close();
  }
} finally {
  for (const c of contexts) await c.close().catch(() => {});
  await b.close();
  if (server.listening) server.close();
}
result.problems = result.problems.map((p) => (seen.get(p) > 1 ? `${p} (${seen.get(p)} times)` : p));
console.log(JSON.stringify(result));
