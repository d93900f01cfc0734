// The "Add to a digital wallet" part of verification pages, as a phone and
// a desktop show it. On the phone (touch, 390 px wide) it reads the deep
// link static/wallet.js makes and what is visible; on the desktop it saves
// a screenshot of the wallet QR code (for zbar) and says what is visible.
// Usage: node wallet.mjs PUBLIC_DIR JSON_ARGS with
// {pages: [{page, name}], out: DIR, shots: bool} →
// {pages: {name: {phone: {href, tap, scan}, desktop: {tap, scan, qr}}}, problems}.
import path from "node:path";
import { start } from "./lib.mjs";

const { args, server, base, b } = await start();
const out = { pages: {}, problems: [] };

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1280, height: 900 } };

async function open(options, url) {
  const context = await b.newContext(options);
  const page = await context.newPage();
  page.on("pageerror", (e) => out.problems.push(`${url}: page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") out.problems.push(`${url}: console: ${m.text()}`); });
  // A dccrequest: link must not be followed here: only read.
  await page.goto(`${base}/${url}`, { waitUntil: "load" });
  return { context, page };
}

const visible = (page, selector) => page.locator(selector).isVisible();

try {
  for (const { page: url, name } of args.pages) {
    const result = {};
    {
      const { context, page } = await open(PHONE, url);
      // wallet.js has built the part when the address is there.
      await page.waitForSelector("#wallet .wallet__address", { timeout: 10000 });
      const link = await page.$("#wallet-link");
      result.phone = {
        href: link && (await link.getAttribute("href")),
        tap: await visible(page, "#wallet-link"),
        scan: await visible(page, ".wallet__qr"),
        address: await visible(page, "#wallet-url"),
      };
      if (args.shots) {
        await page.locator("#wallet").screenshot({ path: path.join(args.out, `${name}-phone.png`) });
      }
      await context.close();
    }
    {
      const { context, page } = await open(DESKTOP, url);
      await page.waitForSelector("#wallet .wallet__address", { timeout: 10000 });
      const qr = path.join(args.out, `${name}-wallet-qr.png`);
      await page.locator(".wallet__qr").screenshot({ path: qr });
      result.desktop = {
        tap: await visible(page, "#wallet-link"),
        scan: await visible(page, ".wallet__qr"),
        qr,
      };
      if (args.shots) {
        await page.locator("#wallet").screenshot({ path: path.join(args.out, `${name}-desktop.png`) });
      }
      await context.close();
    }
    out.pages[name] = result;
  }
} finally {
  await b.close();
  server.close();
}
console.log(JSON.stringify(out));
