// Runs axe-core (the accessibility engine, installed under target/node by
// scripts/install-test-tools) on pages of a built site in headless
// Chromium, at a phone's and a desktop's viewport, under the site's strict
// CSP. axe is injected through the DevTools protocol, which the page's
// policy does not govern, so the page runs exactly as a visitor's would.
// Usage: node a11y.mjs PUBLIC_DIR JSON_ARGS with
// {pages: ["path", ...], stubs: ["path", ...], verifier: [{page, file, name}]}:
// `stubs` are pages that lead elsewhere at once (the certificate address),
// checked where they are; `verifier` drops `file` on the verifier `page`
// and checks the page showing its verdict (reported as "page name").
// → {pages: {"WIDTHxHEIGHT path": {path, lang, rules, violations}}, problems}
import fs from "node:fs";
import path from "node:path";
import { start, strictPage } from "./lib.mjs";

const modules = process.env.ACCOLADE_TEST_NODE_MODULES || path.resolve("target/node/node_modules");
const axeSource = fs.readFileSync(path.join(modules, "axe-core/axe.min.js"), "utf8");
const VIEWPORTS = [
  { width: 390, height: 844 }, // a phone
  { width: 1280, height: 800 }, // a desktop
];

const { args, server, base, b } = await start();
const out = { pages: {}, problems: [] };

// axe's default rules (WCAG 2.0-2.2 A and AA, and its best practices),
// with target-size (WCAG 2.2 AA, off by default) added.
async function audit(page) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() =>
    window.axe.run(document, { rules: { "target-size": { enabled: true } } }),
  );
  return {
    path: new URL(page.url()).pathname,
    lang: await page.getAttribute("html", "lang"),
    // How many rules found something to check: a page that never loaded
    // (or an axe that never ran) checks next to nothing.
    rules: r.passes.length + r.violations.length,
    violations: r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html, why: n.failureSummary })),
    })),
  };
}

async function open(viewport, url, { stub = false } = {}) {
  const page = await strictPage(b, out.problems);
  await page.setViewportSize(viewport);
  if (stub) {
    // Stay on the page: its refresh to the verification page is cancelled
    // (as a visitor's Escape would), so the page itself is checked.
    await page.route(`${base}/**`, (route) =>
      route.request().isNavigationRequest() && route.request().url() !== url
        ? route.abort("aborted")
        : route.continue(),
    );
  }
  // networkidle: the scripts have fetched what they build the page from
  // (the sharing kit's strings, the status re-check).
  await page.goto(url, { waitUntil: stub ? "load" : "networkidle" });
  if (stub) await page.waitForTimeout(300);
  return page;
}

try {
  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}x${viewport.height}`;
    for (const p of args.pages || []) {
      const page = await open(viewport, `${base}/${p}`);
      out.pages[`${size} ${p}`] = await audit(page);
      await page.close();
    }
    for (const p of args.stubs || []) {
      const page = await open(viewport, `${base}/${p}`, { stub: true });
      out.pages[`${size} ${p}`] = await audit(page);
      await page.close();
    }
    for (const { page: p, file, name } of args.verifier || []) {
      const page = await open(viewport, `${base}/${p}`);
      await page.setInputFiles("#credential-file", file);
      await page.waitForSelector("#verifier-result [data-result]", { timeout: 30_000 });
      await page.waitForLoadState("networkidle");
      out.pages[`${size} ${p} ${name}`] = await audit(page);
      await page.close();
    }
  }
} finally {
  await b.close();
  server.close();
}
console.log(JSON.stringify(out));
