// Badge pages with labour-market insights, in Chromium at a phone's and a
// desktop's width: each salary chart is there with its text alternative,
// stays inside its box and the page, and draws one bar per table row whose
// length is what the content says; the page prints.
// Usage: node insights.mjs PUBLIC_DIR JSON_ARGS with {pages: ["path", ...]}
// → {pages: {"WIDTH path": {charts: [{label, caption, inside, bars: [[x, width]]}], overflow, pdf}}, problems}
import { start, strictPage } from "./lib.mjs";

const { args, server, base, b } = await start();
const out = { pages: {}, problems: [] };

try {
  for (const width of [390, 1280]) {
    for (const path of args.pages) {
      const page = await strictPage(b, out.problems);
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/${path}`, { waitUntil: "networkidle" });
      const result = await page.evaluate(() => {
        const charts = [...document.querySelectorAll("svg.salary-chart")].map((svg) => {
          const box = svg.getBoundingClientRect();
          const holder = svg.closest(".panel").getBoundingClientRect();
          const caption = document.getElementById(svg.getAttribute("aria-labelledby"));
          // The range bars, in the chart's own units (its viewBox).
          const bars = [...svg.querySelectorAll("rect")]
            .filter((r) => r.getAttribute("fill") === "#4A7AC4")
            .map((r) => [Number(r.getAttribute("x")), Number(r.getAttribute("width"))]);
          return {
            role: svg.getAttribute("role"),
            caption: caption ? caption.textContent.trim() : null,
            inside: box.left >= holder.left - 0.5 && box.right <= holder.right + 0.5 && box.width > 100,
            rows: svg.closest("figure").querySelectorAll("tbody tr").length,
            bars,
          };
        });
        return { charts, overflow: document.documentElement.scrollWidth > window.innerWidth };
      });
      if (width === 1280) {
        await page.emulateMedia({ media: "print" });
        const pdf = await page.pdf({ format: "A4" });
        result.pdf = pdf.length;
      }
      out.pages[`${width} ${path}`] = result;
      await page.close();
    }
  }
} finally {
  await b.close();
  server.close();
}
console.log(JSON.stringify(out));
