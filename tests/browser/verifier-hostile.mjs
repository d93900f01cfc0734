// Drops hostile files on the /verify/ page, one page each, and reports what
// the page answered, how long it took, and whether the tab still responds.
// Usage: node verifier-hostile.mjs PUBLIC_DIR JSON_ARGS with {files: [{name, path}]}.
import { start, strictPage } from "./lib.mjs";

const { root, args, server, base, b } = await start();
const out = { files: {}, problems: [] };

try {
  for (const f of args.files) {
    const before = out.problems.length;
    const p = await strictPage(b, out.problems);
    await p.goto(`${base}/verify/`, { waitUntil: "load" });
    const started = Date.now();
    let answer;
    try {
      await p.setInputFiles("#credential-file", f.path);
      await p.waitForSelector("#verifier-result [data-result]", { timeout: 15000 });
      answer = {
        result: await p.getAttribute("#verifier-result [data-result]", "data-result"),
        text: (await p.textContent("#verifier-result")).replace(/\s+/g, " ").trim(),
      };
    } catch (e) {
      answer = { result: "no answer", text: String(e.message).split("\n")[0] };
    }
    answer.ms = Date.now() - started;
    // The tab still runs script promptly.
    const t0 = Date.now();
    const alive = await Promise.race([p.evaluate(() => 1 + 1), new Promise((r) => setTimeout(() => r(0), 5000))]);
    answer.responsive = alive === 2 && Date.now() - t0 < 5000;
    answer.problems = out.problems.slice(before).map((m) => m.slice(0, 80));
    out.files[f.name] = answer;
    await p.close();
  }
} finally {
  await b.close();
  server.close();
}
console.log(JSON.stringify(out));
