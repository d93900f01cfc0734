// Screenshots of notify's messages for the README: each HTML part in
// PUBLIC_DIR/_mail/<name>.html (its site links made relative, so the badge
// images load from the built site), at a mail program's width, into OUT.
// Usage: node scripts/message-screenshots.mjs PUBLIC_DIR '{"out": "docs/messages"}'
// (with ACCOLADE_TEST_NODE_MODULES pointing at target/node/node_modules).
import fs from "node:fs";
import path from "node:path";
import { serve, browser } from "../tests/browser/lib.mjs";

const [root, argsJson] = process.argv.slice(2);
const { out } = JSON.parse(argsJson);
// Mail programs ignore the site's CSP; inline styles must apply.
const server = await serve(root, { csp: false });
const base = `http://127.0.0.1:${server.address().port}`;
const b = await browser();
const page = await b.newPage({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 1 });
for (const file of fs.readdirSync(path.join(root, "_mail")).sort()) {
  await page.goto(`${base}/_mail/${file}`);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: path.join(out, file.replace(/\.html$/, ".png")), fullPage: true });
}
console.log(JSON.stringify({ done: true }));
await b.close();
server.close();
