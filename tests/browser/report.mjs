// The issuer's report (`accolade report`) in headless Chromium, opened as
// the local file it is (file://): every chart is an image with a name and
// a table, stays inside its box at a phone's and a desktop's width without
// widening the page, prints (print CSS, a PDF of one page or more, no chart
// taller than a page or left to be cut by a page break), and axe-core
// (injected through the DevTools protocol) finds nothing, with every
// <details> table open.
// Usage: node report.mjs SITE_DIR '{"file": ".../report.html", "charts": N, "shot": "out.png"}'
// → {widths: {"390": {...}, "1280": {...}}, print: {...}, problems: [...]}
import fs from "node:fs";
import path from "node:path";
import { browser, strictPage, pdfPages } from "./lib.mjs";

const modules = process.env.ACCOLADE_TEST_NODE_MODULES || path.resolve("target/node/node_modules");
const axeSource = fs.readFileSync(path.join(modules, "axe-core/axe.min.js"), "utf8");
const args = JSON.parse(process.argv[3]);
const url = `file://${args.file}`;
const out = { widths: {}, print: {}, problems: [] };
const b = await browser();

// Nothing may be fetched: the file is self-contained.
function watch(page) {
  page.on("request", (r) => {
    if (r.url() !== url && !r.url().startsWith("data:")) out.problems.push(`request: ${r.url()}`);
  });
}

// Each chart: its name, its table, and whether its box stays inside its
// container and the page.
function charts() {
  const vw = document.documentElement.clientWidth;
  return [...document.querySelectorAll("svg")].map((svg) => {
    const box = svg.getBoundingClientRect();
    const holder = svg.parentElement.getBoundingClientRect();
    const named = (svg.getAttribute("aria-labelledby") || "")
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent.trim() || "")
      .join(" ");
    const figure = svg.closest("figure");
    return {
      caption: named,
      role: svg.getAttribute("role"),
      table: !!figure?.querySelector("table th[scope=col]"),
      rows: figure ? figure.querySelectorAll("tbody tr").length : 0,
      width: box.width,
      height: box.height,
      inside:
        box.left >= holder.left - 0.5 &&
        box.right <= holder.right + 0.5 &&
        box.left >= -0.5 &&
        box.right <= vw + 0.5,
    };
  });
}

async function audit(page) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() =>
    window.axe.run(document, { rules: { "target-size": { enabled: true } } }),
  );
  return {
    rules: r.passes.length + r.violations.length,
    violations: r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 300), why: n.failureSummary })),
    })),
  };
}

try {
  for (const width of [390, 1280]) {
    const page = await strictPage(b, out.problems);
    watch(page);
    await page.setViewportSize({ width, height: width < 600 ? 844 : 800 });
    await page.goto(url, { waitUntil: "load" });
    const closed = await page.evaluate(charts);
    // The tables behind the charts, open, must not widen the page either.
    await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
    const open = await page.evaluate(charts);
    const w = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    const all = [...closed, ...open];
    out.widths[width] = {
      ...w,
      charts: closed.length,
      outside: all.filter((c) => !c.inside).map((c) => `${c.caption} (${Math.round(c.width)} px)`),
      unnamed: all.filter((c) => c.role !== "img" || c.caption.length < 10 || !c.table).map((c) => c.caption),
      axe: await audit(page),
    };
    if (out.widths[width].unnamed.length) out.problems.push(`charts without a text alternative at ${width}: ${out.widths[width].unnamed}`);
    if (closed.length !== args.charts) out.problems.push(`${closed.length} charts at ${width}, not ${args.charts}`);
    await page.close();
  }

  // Printed on A4: print CSS is there, the PDF has pages, and no chart is
  // taller than the printable area or allowed to break across pages.
  const page = await strictPage(b, out.problems);
  watch(page);
  await page.goto(url, { waitUntil: "load" });
  out.print.printCss = await page.evaluate(() => {
    const rules = [...document.styleSheets].flatMap((s) => [...s.cssRules]);
    const media = rules.some((r) => r instanceof CSSMediaRule && r.media.mediaText.includes("print"));
    const pageRule = rules.some((r) => r instanceof CSSPageRule);
    return media && pageRule;
  });
  await page.emulateMedia({ media: "print" });
  // A4 less the 14 mm margins of @page, at 96 px an inch.
  const printable = ((297 - 28) / 25.4) * 96;
  const sized = await page.evaluate(() =>
    [...document.querySelectorAll("figure.chart")].map((f) => ({
      caption: f.querySelector("figcaption").textContent.trim(),
      height: f.getBoundingClientRect().height,
      breakInside: getComputedStyle(f).breakInside,
    })),
  );
  out.print.tooTall = sized.filter((f) => f.height > printable).map((f) => `${f.caption}: ${Math.round(f.height)} px`);
  out.print.splittable = sized.filter((f) => f.breakInside !== "avoid").map((f) => f.caption);
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  out.print.pages = pdfPages(pdf);
  out.print.bytes = pdf.length;
  await page.close();

  // The README's picture: the first screenful of a desktop, down to the
  // end of the first chart.
  if (args.shot) {
    const shot = await b.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    await shot.goto(url, { waitUntil: "load" });
    const bottom = await shot.evaluate(() => {
      const f = document.querySelector("figure.chart");
      return Math.ceil(f.getBoundingClientRect().bottom + window.scrollY + 16);
    });
    await shot.screenshot({ path: args.shot, clip: { x: 0, y: 0, width: 1280, height: Math.max(800, bottom) }, fullPage: true });
    await shot.close();
  }
} finally {
  await b.close();
}
console.log(JSON.stringify(out));
