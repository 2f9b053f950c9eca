/* Runs the site's search engine in node on a batch of queries. stdin: {"engine": path of
 * search-engine.js, "index": the site's search index (or a path to it), "queries":
 * [text, ...]}; stdout: for each query the result's groups as
 * [[{location, title, text, terms, score}, ...], ...], best first. */
"use strict";
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const engine = require(input.engine);
const index = typeof input.index === "string" ? JSON.parse(fs.readFileSync(input.index, "utf8")) : input.index;
const search = new engine.Search(index);
const out = input.queries.map(function (q) {
  return search.query(q).items.map(function (group) {
    return group.map(function (d) {
      return { location: d.location, title: d.title, text: d.text, terms: d.terms, score: d.score };
    });
  });
});
process.stdout.write(JSON.stringify(out));
