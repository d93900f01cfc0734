// Prints verification pages to PDF on A4 and US Letter in headless Chromium
// (their print view is the award's certificate) and reports the page count
// of each and what the print view shows; follows the old certificate
// addresses to the page and counts the print dialogs they open; reads the
// sharing kit that static/share.js builds and copies a snippet; also loads
// pages under the site's strict CSP and reports any script error, CSP
// violation or dialog (XSS), and checks the in-browser expiry re-check with
// a clock past the expiry date.
// Each printed sheet is also rasterised (pdftoppm, from Debian's
// poppler-utils) to find where its frame is and whether anything is drawn
// outside it, and saved as PNG under `shots` for a person to look at.
// The certificate's QR code is read back with zbar (zbarimg) from each
// sheet rasterised at 300 dpi, and from a screenshot of the page laid out
// for print at a phone photo's size (`args.scans`: page → expected text;
// `args.phoneSheetPx`: the A4 sheet's height in the photo, in pixels).
// Usage: node print.mjs PUBLIC_DIR JSON_ARGS  → prints one JSON result.
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { start, strictPage, pdfPages } from "./lib.mjs";

const { root, args, server, base, b } = await start();
const result = { pdf: {}, sheets: {}, printView: {}, stubs: {}, share: {}, scans: {}, problems: [], expiry: null, copy: null };

// The sheets, in mm, and the margin style.css's `@page` keeps.
const SHEETS = { A4: [210, 297], Letter: [215.9, 279.4] };
const MARGIN = 12;
const PX_PER_MM = 96 / 25.4;

// Where the first page of a PDF draws its frame, in mm from the sheet's
// top left corner: the outermost rows and columns that are mostly dark
// (the frame's border runs the page's width and height; nothing else
// does). `outside` counts the pixels drawn (not white) outside it.
function sheet(pdfFile) {
  const DPI = 72;
  const mm = (px) => Math.round((px / DPI) * 25.4 * 10) / 10;
  const pgm = execFileSync("pdftoppm", ["-r", String(DPI), "-gray", "-f", "1", "-l", "1", "-singlefile", pdfFile]);
  const head = pgm.toString("latin1", 0, 40).match(/^P5\s+(\d+)\s+(\d+)\s+255\s/);
  const [w, h] = [Number(head[1]), Number(head[2])];
  const px = pgm.subarray(head[0].length);
  const dark = (x, y) => px[y * w + x] < 160;
  const rows = [];
  for (let y = 0; y < h; y++) {
    let n = 0;
    for (let x = 0; x < w; x++) n += dark(x, y);
    if (n > 0.6 * w) rows.push(y);
  }
  const cols = [];
  for (let x = 0; x < w; x++) {
    let n = 0;
    for (let y = 0; y < h; y++) n += dark(x, y);
    if (n > 0.6 * h) cols.push(x);
  }
  if (!rows.length || !cols.length) return { width: mm(w), height: mm(h), frame: null, outside: null };
  const [top, bottom, left, right] = [rows[0], rows.at(-1) + 1, cols[0], cols.at(-1) + 1];
  let outside = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // One pixel of anti-aliasing around the frame is the frame's.
      const inside = y >= top - 1 && y <= bottom && x >= left - 1 && x <= right;
      if (!inside && px[y * w + x] < 250) outside++;
    }
  }
  return {
    width: mm(w),
    height: mm(h),
    frame: { top: mm(top), bottom: mm(bottom), left: mm(left), right: mm(right) },
    outside,
  };
}

// The texts of the QR codes zbar finds in an image file, one per code
// (none: an empty list).
function zbar(file) {
  try {
    const out = execFileSync("zbarimg", ["--quiet", "--raw", file], { stdio: ["ignore", "pipe", "ignore"] });
    return out.toString("utf8").split("\n").filter((l) => l !== "");
  } catch (e) {
    if (e.status === 4) return []; // zbarimg: no symbol found
    throw e;
  }
}

// The print QR code as laid out for print: its width in CSS px, and its
// modules across (quiet zone included: the SVG's viewBox). print.js draws
// it as SVG (static/qrgen.js) once the page is idle.
function printQr() {
  const svg = document.querySelector(".qr-panel .qr-print svg");
  if (!svg) return null;
  return { width: svg.getBoundingClientRect().width, natural: svg.viewBox.baseVal.width };
}

// Waits for print.js to have drawn the certificate's code.
async function qrDrawn(page) {
  await page.waitForSelector(".qr-panel__code--print .qr-print svg", { state: "attached", timeout: 60_000 });
}

// A photo of the printed sheet, as a phone gives it, `sheetPx` tall (A4):
// the page laid out for print (on the page area of an A4 sheet), drawn
// straight at that size by Chromium ("screenshot": the QR's pixels are
// sampled nearest-neighbour, as image-rendering: pixelated asks), and drawn
// 4x as large then scaled down smoothly to that size ("camera": every pixel
// the average of what it covers, as a camera's sensor sees the sheet; no
// blur beyond that). Returns each image's file and what zbar reads in it.
async function phoneShots(p, sheetPx, file) {
  const [w, h] = SHEETS.A4;
  const scale = sheetPx / (h * PX_PER_MM);
  const viewport = { width: Math.floor((w - 2 * MARGIN) * PX_PER_MM), height: Math.floor((h - 2 * MARGIN) * PX_PER_MM) };
  const out = { sheetPx, scale };
  for (const [kind, dsf] of [["screenshot", scale], ["camera", 4]]) {
    const context = await b.newContext({ viewport, deviceScaleFactor: dsf });
    const page = await context.newPage();
    page.setDefaultNavigationTimeout(90_000);
    page.on("pageerror", (e) => result.problems.push(`${p} (${kind}): page error: ${e.message}`));
    await page.emulateMedia({ media: "print" });
    await page.goto(`${base}/${p}`, { waitUntil: "load" });
    await qrDrawn(page);
    const qr = await page.evaluate(printQr);
    let png = await page.screenshot();
    if (kind === "camera") {
      const size = { width: Math.round(viewport.width * scale), height: Math.round(viewport.height * scale) };
      const blank = await context.newPage();
      const data = await blank.evaluate(async ({ url, size }) => {
        const img = new Image();
        img.src = url;
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = size.width;
        canvas.height = size.height;
        const g = canvas.getContext("2d");
        g.imageSmoothingEnabled = true;
        g.imageSmoothingQuality = "high";
        g.drawImage(img, 0, 0, size.width, size.height);
        return canvas.toDataURL("image/png");
      }, { url: `data:image/png;base64,${png.toString("base64")}`, size });
      png = Buffer.from(data.slice(data.indexOf(",") + 1), "base64");
    }
    const shot = `${file}_phone_${sheetPx}_${kind}.png`;
    fs.writeFileSync(shot, png);
    out[kind] = {
      png: shot,
      texts: zbar(shot),
      modulePx: qr ? Math.round((qr.width * scale * 100) / qr.natural) / 100 : null,
    };
    await context.close();
  }
  return out;
}

// The frame (the body's border box) and the void mark's box as laid out
// for print on a page area of the viewport's size, in CSS px.
function printBoxes() {
  const box = (el) => {
    if (!el || getComputedStyle(el).display === "none") return null;
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  };
  return {
    page: { width: innerWidth, height: innerHeight },
    frame: box(document.body),
    void: box(document.querySelector(".void")),
  };
}

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
    // Which QR codes print: the signed print credential's, or the address's.
    qr: { print: shown(".qr-panel .qr-print svg"), address: shown(".qr-panel__code > svg.qr") },
    status: shown("#status") ? document.querySelector("#status").getAttribute("data-status") : null,
    void: shown(".void") ? text(".void") : null,
    hidden: [".site-nav", ".site-footer", ".share", ".qr-panel h2", ".qr-panel__links"]
      .filter((s) => shown(s) === true),
  };
}

try {
  if (args.shots) fs.mkdirSync(args.shots, { recursive: true });
  for (const p of args.prints || []) {
    const page = await strictPage(b, result.problems);
    await page.goto(`${base}/${p}`, { waitUntil: "load" });
    await qrDrawn(page);
    for (const format of ["A4", "Letter"]) {
      const pdf = await page.pdf({ format, printBackground: true });
      result.pdf[`${p} ${format}`] = pdfPages(pdf);
      if (args.shots) {
        const file = path.join(args.shots, `${p.replace(/\/+$/, "").replace(/\//g, "_")}_${format}`);
        fs.writeFileSync(`${file}.pdf`, pdf);
        result.sheets[`${p} ${format}`] = sheet(`${file}.pdf`);
        execFileSync("pdftoppm", ["-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", `${file}.pdf`, file]);
        result.sheets[`${p} ${format}`].png = `${file}.png`;
        if (args.scans && p in args.scans) {
          // The sheet as a 300-dpi scan, and what zbar reads on it.
          execFileSync("pdftoppm", ["-r", "300", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", `${file}.pdf`, `${file}_300dpi`]);
          result.scans[p] ??= {};
          result.scans[p][format] = { png: `${file}_300dpi.png`, texts: zbar(`${file}_300dpi.png`) };
        }
      }
    }
    if (args.shots && args.scans && p in args.scans) {
      const file = path.join(args.shots, p.replace(/\/+$/, "").replace(/\//g, "_"));
      result.scans[p].phone = await phoneShots(p, args.phoneSheetPx || 1500, file);
    }
    await page.emulateMedia({ media: "print" });
    // Laid out for print on each sheet's page area.
    result.printView[p] = { boxes: {} };
    for (const [format, [w, h]] of Object.entries(SHEETS)) {
      await page.setViewportSize({
        width: Math.floor((w - 2 * MARGIN) * PX_PER_MM),
        height: Math.floor((h - 2 * MARGIN) * PX_PER_MM),
      });
      result.printView[p].boxes[format] = await page.evaluate(printBoxes);
    }
    Object.assign(result.printView[p], await page.evaluate(printView), {
      icon: await page.evaluate(statusIcon),
      printQr: await page.evaluate(printQr),
    });
    if (result.scans[p] && result.printView[p].printQr) {
      // Pixels per module on the 300-dpi scan.
      const { width, natural } = result.printView[p].printQr;
      result.scans[p].modulePx300dpi = Math.round(((width / PX_PER_MM / 25.4) * 300 * 100) / natural) / 100;
    }
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
