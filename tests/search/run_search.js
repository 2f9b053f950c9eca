/* Runs the site's search worker in node, through its message protocol, on a batch of
 * queries. stdin: {"worker": path of worker.js, "index": Material's search index (or a
 * path to it), "queries": [text, ...]}; stdout: for each query the result's groups as
 * [[{location, title, text, terms, score}, ...], ...], best first. */
"use strict";
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const worker = require(input.worker);
const index = typeof input.index === "string" ? JSON.parse(fs.readFileSync(input.index, "utf8")) : input.index;
const ready = worker.handler({ type: 0, data: { config: index.config, docs: index.docs, options: { suggest: false } } });
if (ready.type !== 1) throw new Error("no READY after SETUP");
const out = input.queries.map(function (q) {
  const message = worker.handler({ type: 2, data: q });
  if (message.type !== 3) throw new Error("no RESULT after QUERY");
  return message.data.items.map(function (group) {
    return group.map(function (d) {
      return { location: d.location, title: d.title, text: d.text, terms: d.terms, score: d.score };
    });
  });
});
process.stdout.write(JSON.stringify(out));
