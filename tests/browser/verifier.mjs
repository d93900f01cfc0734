// Drives the /verify/ page: drops files on it and enters IDs and emails,
// reporting what the page says. Usage: node verifier.mjs PUBLIC_DIR JSON_ARGS
// with {files: [{name, path}], email: {path, right, wrong}, id: "..."}.
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
  await page.waitForSelector("#verifier-result [data-result]", { timeout: 10000 });
  return {
    result: await page.getAttribute("#verifier-result [data-result]", "data-result"),
    text: (await page.textContent("#verifier-result")).replace(/\s+/g, " ").trim(),
  };
}

try {
  for (const f of args.files) {
    const p = await page();
    await p.goto(`${base}/${args.lang || ""}verify/`, { waitUntil: "load" });
    out.files[f.name] = await drop(p, f.path);
    await p.close();
  }
  const p = await page();
  await p.goto(`${base}/verify/`, { waitUntil: "load" });
  await drop(p, args.email.path);
  for (const [key, email] of [["right", args.email.right], ["wrong", args.email.wrong]]) {
    await p.fill("#recipient-email", email);
    await p.click("#verify-email button");
    await p.waitForSelector(".check--email", { timeout: 5000 });
    out.email[key] = await p.getAttribute(".check--email", "data-email-match");
  }
  await p.fill("#credential-id", args.id.toLowerCase());
  await Promise.all([p.waitForURL(`**/verify/${args.id}/`), p.click("#verify-id button")]);
  out.id = new URL(p.url()).pathname;
  await p.goto(`${base}/verify/`, { waitUntil: "load" });
  await p.fill("#credential-id", "NOSUCHID2222");
  await p.click("#verify-id button");
  await p.waitForSelector("#verifier-result [data-result=error]", { timeout: 5000 });
  out.unknown_id = (await p.textContent("#verifier-result")).includes("NOSUCHID2222");
  await p.close();
} finally {
  await b.close();
  server.close();
}
// Looking up an unknown ID is a 404 by design; anything else is a problem.
out.problems = out.problems.filter((p) => !/status of 404/.test(p));
console.log(JSON.stringify(out));
