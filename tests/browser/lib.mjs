// Shared helpers for the browser tests: a static server for a built site
// (sending the site's own Content-Security-Policy from _headers) and a
// headless Chromium from Debian driven by playwright-core.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

// playwright-core lives under target/node (installed by scripts/install-test-tools).
const modules = process.env.ACCOLADE_TEST_NODE_MODULES || path.resolve("target/node/node_modules");
const { chromium } = createRequire(path.join(modules, "noop.js"))("playwright-core");

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/ld+json", ".svg": "image/svg+xml", ".png": "image/png",
  ".xml": "application/xml", ".txt": "text/plain", ".ttf": "font/ttf",
};

function csp(root) {
  const headers = fs.readFileSync(path.join(root, "_headers"), "utf8");
  const line = headers.split("\n").find((l) => l.trim().startsWith("Content-Security-Policy:"));
  return line.split(":").slice(1).join(":").trim();
}

// With ACCOLADE_TEST_SERVER_PORT set, the site is already served on that
// loopback port (e.g. by nginx in tests/nginx.rs) and nothing is started.
// `{ csp: false }` serves without the site's policy, as a host that ignores
// _headers (GitHub Pages, S3) would.
export function serve(root, { csp: withCsp = true } = {}) {
  const external = process.env.ACCOLADE_TEST_SERVER_PORT;
  if (external) return Promise.resolve({ address: () => ({ port: Number(external) }), close() {} });
  const policy = withCsp ? csp(root) : null;
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.join(root, p);
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) { res.writeHead(404, { "Content-Type": TYPES[".html"] }); return res.end(fs.readFileSync(path.join(root, "404.html"))); }
    const headers = { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" };
    if (policy) headers["Content-Security-Policy"] = policy;
    res.writeHead(200, headers);
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// What every script starts with: PUBLIC_DIR and JSON_ARGS from its
// command line, the site served (see `serve` for the options) and a browser.
export async function start(serveOptions) {
  const [root, argsJson] = process.argv.slice(2);
  const args = JSON.parse(argsJson);
  const server = await serve(root, serveOptions);
  const base = `http://127.0.0.1:${server.address().port}`;
  return { root, args, server, base, b: await browser() };
}

export async function browser() {
  return chromium.launch({
    executablePath: process.env.ACCOLADE_TEST_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/// Opens a page that fails the test on any script error, CSP violation or dialog.
export async function strictPage(b, problems) {
  const page = await b.newPage();
  // The suite runs browsers, nginx and builds side by side on two cores:
  // a slow load is not a failure, a page that never loads still is.
  page.setDefaultNavigationTimeout(90_000);
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("dialog", async (d) => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
  return page;
}

export function pdfPages(buffer) {
  const text = buffer.toString("latin1");
  return (text.match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}
