// Opens SVG files directly in Chromium, served without any
// Content-Security-Policy (as GitHub Pages or S3 would), and reports per file
// whether a dialog opened, a script ran or a request left for another file.
// Usage: node artwork.mjs DIR JSON_ARGS with {paths: ["badges/x.svg", ...]}.
import { start } from "./lib.mjs";

const { root, args, server, base, b } = await start({ csp: false });
const out = { files: {} };

try {
  for (const rel of args.paths) {
    const context = await b.newContext();
    const page = await context.newPage();
    const seen = { dialogs: [], requests: [], errors: [], console: [] };
    page.on("dialog", async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
    page.on("pageerror", (e) => seen.errors.push(e.message));
    page.on("console", (m) => seen.console.push(m.text()));
    // Any request but the file itself (and the favicon) is an outside reference.
    page.on("request", (r) => {
      const u = r.url();
      if (u !== `${base}/${rel}` && !u.endsWith("/favicon.ico")) seen.requests.push(u);
    });
    await page.goto(`${base}/${rel}`, { waitUntil: "load" });
    // Give timers and animations a moment, then hover, click and tab.
    await page.waitForTimeout(300);
    for (const [x, y] of [[300, 300], [5, 5], [25, 5], [45, 5]]) {
      await page.mouse.move(x, y);
      await page.mouse.click(x, y);
    }
    await page.keyboard.press("Tab");
    await page.waitForTimeout(300);
    // A click on a link may have navigated: that is a script run too.
    seen.url = page.url();
    out.files[rel] = seen;
    await context.close();
  }
} finally {
  await b.close();
  server.close();
}
console.log(JSON.stringify(out));
