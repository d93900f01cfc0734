// A claim address in Chromium, under the site's CSP. args.mode "pending":
// what the claim page shows and where its buttons lead; "claimed": where
// the address leads once the award is accepted (its refresh followed).
import { start, strictPage } from "./lib.mjs";

const { args, server, base, b } = await start();
const problems = [];
const page = await strictPage(b, problems);
await page.goto(`${base}/${args.page}`);
let result;
if (args.mode === "pending") {
  result = await page.evaluate(() => ({
    title: document.title,
    h1: document.querySelector("h1")?.textContent,
    kicker: document.querySelector(".eyebrow")?.textContent,
    buttons: [...document.querySelectorAll(".claim__actions a")].map((a) => a.getAttribute("href")),
    robots: document.querySelector('meta[name="robots"]')?.content,
    referrer: document.querySelector('meta[name="referrer"]')?.content,
    image: document.querySelector(".badge-hero__art")?.naturalWidth > 0,
  }));
} else {
  await page.waitForURL((url) => url.pathname.endsWith(args.verify), { timeout: 30_000 });
  await page.waitForSelector("[data-status-label]");
  result = {
    path: new URL(page.url()).pathname,
    status: await page.textContent("[data-status-label]"),
  };
}
console.log(JSON.stringify({ ...result, problems }));
await b.close();
server.close();
