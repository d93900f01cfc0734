// The deep links verification pages offer a phone: each page opened in
// headless Chromium as a phone (touch, 390 px wide), the link
// static/wallet.js puts on #wallet-link read from the DOM once the wallet
// part is built. tests/wallet.rs hands these links to the wallet's own
// deep-link code (lcw.ts).
// Usage: node page_links.mjs PUBLIC_DIR JSON_ARGS with {pages: [path]} →
// {links: {path: href or null}, problems: [...]}.
import { start } from "../browser/lib.mjs";

const { args, server, base, b } = await start();
const out = { links: {}, problems: [] };
const context = await b.newContext({
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
});
const page = await context.newPage();
// The suite runs browsers and builds side by side on two cores: a slow
// load is not a failure.
page.setDefaultNavigationTimeout(90_000);
page.on("pageerror", (e) => out.problems.push(`${page.url()}: page error: ${e.message}`));
try {
  for (const path of args.pages) {
    // A dccrequest: link is only read, never followed.
    await page.goto(`${base}/${path}`, { waitUntil: "load" });
    await page.waitForSelector("#wallet .wallet__address", { timeout: 30_000 });
    const link = await page.$("#wallet-link");
    out.links[path] = link && (await link.getAttribute("href"));
  }
} catch (e) {
  out.problems.push(`${page.url()}: ${e.message}`);
} finally {
  await context.close();
  await b.close();
  server.close();
}
console.log(JSON.stringify(out));
