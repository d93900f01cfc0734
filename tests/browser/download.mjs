// Clicks the download buttons of verification pages of a lean site and
// saves what the browser makes: the baked PNG and SVG (baked in the page by
// static/download.js) and the QR code PNG (drawn from the inline SVG).
// Usage: node download.mjs PUBLIC_DIR JSON_ARGS with
// {pages: [{page, name}], out: DIR} → {files: {name: {png, svg, qr}}, problems}.
import path from "node:path";
import { start } from "./lib.mjs";

const { root, args, server, base, b } = await start();
const out = { files: {}, problems: [] };

// Clicks `selector` and saves the download it starts as `file`.
async function download(page, selector, file) {
  const button = await page.$(selector);
  if (!button) return null;
  const [d] = await Promise.all([page.waitForEvent("download", { timeout: 10000 }), button.click()]);
  const target = path.join(args.out, file);
  await d.saveAs(target);
  return { path: target, suggested: d.suggestedFilename() };
}

try {
  for (const { page: url, name } of args.pages) {
    const context = await b.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    page.on("pageerror", (e) => out.problems.push(`page error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") out.problems.push(`console: ${m.text()}`); });
    page.on("dialog", async (d) => { out.problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
    await page.goto(`${base}/${url}`, { waitUntil: "load" });
    out.files[name] = {
      png: await download(page, "[data-bake$='.png']:not([hidden])", `${name}.png`),
      svg: await download(page, "[data-bake$='.svg']:not([hidden])", `${name}.svg`),
      qr: await download(page, "[data-qr-png]:not([hidden])", `${name}-qr.png`),
    };
    await context.close();
  }
} finally {
  await b.close();
  server.close();
}
console.log(JSON.stringify(out));
