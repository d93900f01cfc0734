// Prints verification pages to PDF on A4 and US Letter in headless Chromium
// (their print view is the award's certificate) and reports the page count
// of each and what the print view shows; follows the old certificate
// addresses to the page and counts the print dialogs they open; reads the
// sharing kit that static/share.js builds and copies a snippet; also loads
// pages under the site's strict CSP and reports any script error, CSP
// violation or dialog (XSS), and checks the in-browser expiry re-check with
// a clock past the expiry date.
// Usage: node print.mjs PUBLIC_DIR JSON_ARGS  → prints one JSON result.
import { start, strictPage, pdfPages } from "./lib.mjs";

const { root, args, server, base, b } = await start();
const result = { pdf: {}, printView: {}, stubs: {}, share: {}, problems: [], expiry: null, copy: null };

// The status icon style.css draws into the page's empty .status__icon: the
// mask it is drawn with, its size and colour (null when there is none).
function statusIcon() {
  const el = document.querySelector(".status__icon");
  if (!el) return null;
  const s = getComputedStyle(el, "::before");
  const mask = s.maskImage && s.maskImage !== "none" ? s.maskImage : s.webkitMaskImage;
  return { mask, width: parseFloat(s.width), height: parseFloat(s.height), color: s.backgroundColor };
}

// What the print view shows: each element's `display` and the void mark's text.
function printView() {
  const shown = (sel) => {
    const el = document.querySelector(sel);
    return el ? getComputedStyle(el).display !== "none" : null;
  };
  const text = (sel) => (document.querySelector(sel) || {}).textContent || "";
  return {
    certificate: shown(".cert-title") && shown(".cert-l1") && shown(".cert-l2"),
    earner: shown(".credential__earner-name") ? text(".credential__earner-name").trim() : null,
    badge: shown(".credential__title") ? text(".credential__title").trim() : null,
    qr: shown(".qr-panel svg.qr"),
    status: shown("#status") ? document.querySelector("#status").getAttribute("data-status") : null,
    void: shown(".void") ? text(".void") : null,
    hidden: [".site-nav", ".site-footer", ".share", ".qr-panel h2", ".qr-panel__links"]
      .filter((s) => shown(s) === true),
  };
}

try {
  for (const p of args.prints || []) {
    const page = await strictPage(b, result.problems);
    await page.goto(`${base}/${p}`, { waitUntil: "load" });
    for (const format of ["A4", "Letter"]) {
      const pdf = await page.pdf({ format, printBackground: true });
      result.pdf[`${p} ${format}`] = pdfPages(pdf);
    }
    await page.emulateMedia({ media: "print" });
    result.printView[p] = { ...(await page.evaluate(printView)), icon: await page.evaluate(statusIcon) };
    await page.close();
  }
  for (const stub of args.stubs || []) {
    // window.print is counted, not run (the init script is injected by the
    // browser, outside the page's CSP).
    const page = await strictPage(b, result.problems);
    await page.addInitScript(() => {
      window.__prints = 0;
      window.print = () => { window.__prints += 1; };
    });
    await page.goto(`${base}/${stub}`);
    await page.waitForURL((url) => !url.pathname.includes("/certificate/"), { timeout: 30_000 });
    await page.waitForLoadState("load");
    await page.waitForTimeout(200);
    result.stubs[stub] = {
      path: new URL(page.url()).pathname + new URL(page.url()).hash,
      prints: await page.evaluate(() => window.__prints),
    };
    // A reload does not print again: the hash is gone (the init script
    // runs again, so the count starts from 0).
    await page.reload({ waitUntil: "load" });
    await page.waitForTimeout(200);
    result.stubs[stub].printsAfterReload = await page.evaluate(() => window.__prints);
    // The page's own button prints.
    await page.click("#print-certificate");
    result.stubs[stub].printsAfterClick = await page.evaluate(() => window.__prints);
    await page.close();
  }
  for (const p of args.share || []) {
    const page = await strictPage(b, result.problems);
    await page.goto(`${base}/${p}`, { waitUntil: "load" });
    // The kit is built once the language's strings have been fetched.
    await page.waitForSelector("#snippet-markdown");
    result.share[p] = await page.evaluate(() => {
      const href = (sel) => Array.from(document.querySelectorAll(sel), (a) => a.getAttribute("href"));
      const text = (sel) => document.querySelector(sel).textContent;
      const copy = document.querySelector("#share-kit button.copy");
      return {
        labels: {
          share_linkedin_hint: text("#share-kit > p.share__hint"),
          share_post_heading: text("#share-kit > h3:nth-of-type(1)"),
          share_snippets_heading: text("#share-kit > h3:nth-of-type(2)"),
          share_snippet_email: text("label[for=snippet-email]"),
          share_snippet_html: text("label[for=snippet-html]"),
          share_snippet_markdown: text("label[for=snippet-markdown]"),
          share_copy: copy.textContent,
          share_copied: copy.getAttribute("data-copied"),
        },
        linkedin_add: document.querySelector("#linkedin-add").getAttribute("href"),
        posts: href("#share-kit .share__buttons a"),
        email_snippet: document.querySelector("#snippet-email").value,
        html_snippet: document.querySelector("#snippet-html").value,
        markdown_snippet: document.querySelector("#snippet-markdown").value,
        fields: Array.from(document.querySelectorAll("#share-kit .copy-field"), (f) => [
          f.querySelector("dt").textContent,
          f.querySelector("code").textContent,
          f.querySelector("code").id,
          f.querySelector("button.copy").getAttribute("data-copy-target"),
        ]),
        copyButtons: document.querySelectorAll("#share-kit button.copy").length,
      };
    });
    await page.close();
  }
  for (const p of args.pages || []) {
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
      icon: await page.evaluate(statusIcon),
    };
    // Printed, it is no clean certificate either.
    await page.emulateMedia({ media: "print" });
    result.expiry.void = await page.evaluate(() => {
      const v = document.querySelector(".void");
      return v && getComputedStyle(v).display !== "none" ? v.textContent : null;
    });
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
