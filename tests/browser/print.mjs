// Prints certificates to PDF on A4 and US Letter in headless Chromium and
// reports the page count of each; also loads pages under the site's strict
// CSP and reports any script error, CSP violation or dialog (XSS), and
// checks the in-browser expiry re-check with a clock past the expiry date.
// Usage: node print.mjs PUBLIC_DIR JSON_ARGS  → prints one JSON result.
import { start, strictPage, pdfPages } from "./lib.mjs";

const { root, args, server, base, b } = await start();
const result = { pdf: {}, problems: [], expiry: null, copy: null };
try {
  for (const cert of args.certificates) {
    const page = await strictPage(b, result.problems);
    await page.goto(`${base}/${cert}`, { waitUntil: "load" });
    for (const format of ["A4", "Letter"]) {
      const pdf = await page.pdf({ format, printBackground: true });
      result.pdf[`${cert} ${format}`] = pdfPages(pdf);
    }
    await page.close();
  }
  for (const p of args.pages) {
    const page = await strictPage(b, result.problems);
    await page.goto(`${base}/${p}`, { waitUntil: "load" });
    await page.close();
  }
  if (args.expiring) {
    // A page built while the award was valid, viewed after its expiry date.
    const page = await b.newPage();
    await page.clock.setFixedTime(new Date(`${args.expiring.after}T12:00:00Z`));
    await page.goto(`${base}/${args.expiring.page}`, { waitUntil: "load" });
    await page.waitForTimeout(200);
    result.expiry = {
      status: await page.getAttribute("#status", "data-status"),
      className: await page.getAttribute("#status", "class"),
      label: await page.textContent("[data-status-label]"),
    };
    await page.close();
  }
  if (args.copy) {
    const context = await b.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    await page.goto(`${base}/${args.copy}`, { waitUntil: "load" });
    await page.click("button[data-copy-target=snippet-email]");
    result.copy = {
      clipboard: await page.evaluate(() => navigator.clipboard.readText()),
      snippet: await page.inputValue("#snippet-email"),
    };
    await context.close();
  }
} finally {
  await b.close();
  server.close();
}
console.log(JSON.stringify(result));
