/* Runs the decision helper's reading and band logic in node on a batch of typed inputs.
 * stdin: {"helper": path of decision-helper.js, "sets": {name: window.playbookDecisions},
 *         "cases": [{"set", "path" ("" = all paths of the set), "text",
 *                    "level" (optional: the rep's level), "team" (optional: the team's view)}]}
 * stdout: one result per case: {state, path, band, decider, value, reason, understood}. */
"use strict";
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const helper = require(input.helper);
const results = input.cases.map(function (c) {
  const set = input.sets[c.set];
  const all = helper.forTeam(set, c.team || "");
  const paths = c.path ? all.filter(function (p) { return p.id === c.path; }) : all;
  const o = helper.decide(c.text, paths, set.language, c.level || null);
  const r = { state: o.state, path: null, band: null, decider: null, value: null, reason: null };
  if (o.state === "answer") {
    r.path = o.path.id;
    r.value = o.value;
    r.band = o.band;
    r.decider = o.band === null ? null : o.path.bands[o.band].decider_id;
    r.understood = helper.describe(o, o.path, set.language);
    r.level = o.path.level || null;
    r.team = o.path.team || "";
  } else if (o.state === "ask") {
    r.paths = o.paths.map(function (p) { return p.id; });
  } else {
    r.reason = o.reason;
  }
  return r;
});
process.stdout.write(JSON.stringify(results));
