// Drives the /verify/ page: drops files on it and enters IDs and emails,
// reporting what the page says. Usage: node verifier.mjs PUBLIC_DIR JSON_ARGS
// with {files: [{name, path, lang?}], email?: {path, right, wrong, lang?},
// id?: "...", lang?: "zh-CN/", now?: seconds}. A file's `lang` (a path
// prefix like "zh-CN/") picks the page's language, else `lang`.
import { start, strictPage } from "./lib.mjs";

const { root, args, server, base, b } = await start();
const out = { files: {}, email: {}, id: null, problems: [] };

async function page() {
  const p = await strictPage(b, out.problems);
  if (args.now) await p.clock.setFixedTime(new Date(args.now * 1000));
  return p;
}

async function drop(page, path) {
  await page.setInputFiles("#credential-file", path);
  // Bounded, with room for a loaded machine (the suite shares two cores).
  await page.waitForSelector("#verifier-result [data-result]", { timeout: 30000 });
  const texts = (sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent.replace(/\s+/g, " ").trim()));
  return {
    result: await page.getAttribute("#verifier-result [data-result]", "data-result"),
    text: (await page.textContent("#verifier-result")).replace(/\s+/g, " ").trim(),
    label: (await texts("#verifier-result .status__label"))[0] ?? null,
    notes: await texts("#verifier-result .status__note"),
    checks: await page.$$eval("#verifier-result .check", (els) =>
      els.map((e) => ({ ok: e.classList.contains("check--ok"), text: e.textContent.replace(/\s+/g, " ").trim() }))),
    facts: Object.fromEntries(await page.$$eval("#verifier-result .facts > div", (els) =>
      els.map((e) => [e.querySelector("dt").textContent.trim(), e.querySelector("dd").textContent.trim()]))),
  };
}

try {
  for (const f of args.files) {
    const p = await page();
    await p.goto(`${base}/${f.lang ?? args.lang ?? ""}verify/`, { waitUntil: "load" });
    out.files[f.name] = await drop(p, f.path);
    await p.close();
  }
  const p = await page();
  if (args.email) {
    await p.goto(`${base}/${args.email.lang ?? ""}verify/`, { waitUntil: "load" });
    out.email.dropped = await drop(p, args.email.path);
    for (const [key, email] of [["right", args.email.right], ["wrong", args.email.wrong]]) {
      await p.fill("#recipient-email", email);
      await p.click("#verify-email button");
      // The answer replaces the last one: wait for this address's.
      await p.waitForFunction((e) => {
        const li = document.querySelector(".check--email");
        return li && li.textContent.includes(e.trim().toLowerCase());
      }, email, { timeout: 15000 });
      out.email[key] = await p.getAttribute(".check--email", "data-email-match");
    }
  }
  if (args.id) {
    await p.goto(`${base}/verify/`, { waitUntil: "load" });
    await p.fill("#credential-id", args.id.toLowerCase());
    await Promise.all([p.waitForURL(`**/verify/${args.id}/`), p.click("#verify-id button")]);
    out.id = new URL(p.url()).pathname;
    await p.goto(`${base}/verify/`, { waitUntil: "load" });
    await p.fill("#credential-id", "NOSUCHID2222");
    await p.click("#verify-id button");
    await p.waitForSelector("#verifier-result [data-result=error]", { timeout: 15000 });
    out.unknown_id = (await p.textContent("#verifier-result")).includes("NOSUCHID2222");
  }
  await p.close();
} finally {
  await b.close();
  server.close();
}
// Looking up an unknown ID is a 404 by design; anything else is a problem.
out.problems = out.problems.filter((p) => !/status of 404/.test(p));
console.log(JSON.stringify(out));
