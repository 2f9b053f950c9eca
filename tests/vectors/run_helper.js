/* Runs the decision helper's reading and band logic in node on a batch of typed inputs.
 * stdin: {"helper": path of decision-helper.js, "sets": {name: window.playbookDecisions
 *         (with its `reading` words) and the decision matrix as `matrix`
 *         (window.playbookMatrix)}, "cases": [{"set", "path" ("" = all paths of the set),
 *         "text", "level" (optional: the rep's level), "team" (optional: the team's view),
 *         "as_typed" (optional: answer a value that looks mistyped as typed)}]}
 * stdout: one result per case: {state, path, band, decider, value, compare, near (the
 * decider across a close edge), reason, understood; for "confirm": suggest, suggest_text}. */
"use strict";
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const helper = require(input.helper);
const results = input.cases.map(function (c) {
  const set = input.sets[c.set];
  const all = helper.forTeam(set, c.team || "");
  const paths = c.path ? all.filter(function (p) { return p.id === c.path; }) : all;
  const o = helper.decide(c.text, paths, set, c.level || null, !!c.as_typed);
  const r = { state: o.state, path: null, band: null, decider: null, value: null, reason: null };
  if (o.state === "answer" || o.state === "confirm") {
    r.path = o.path.id;
    r.value = o.value;
    r.band = o.band;
    r.compare = o.read.compare;
    r.decider = o.band === null ? null : o.path.bands[o.band].decider_id;
    r.level = o.path.level || null;
    r.team = o.path.team || "";
  }
  if (o.state === "answer") {
    r.understood = helper.describe(o, o.path, set);
    r.near = o.near ? o.path.bands[o.near.band].decider_id : null;
    r.near_edge = o.near ? o.near.edge : null;
  } else if (o.state === "confirm") {
    r.suggest = o.suggestion ? o.suggestion.value : null;
    r.suggest_text = o.suggestion ? o.suggestion.text : null;
  } else if (o.state === "ask") {
    r.paths = o.paths.map(function (p) { return p.id; });
  } else {
    r.reason = o.reason;
  }
  return r;
});
process.stdout.write(JSON.stringify(results));
