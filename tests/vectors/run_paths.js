/* The paths the decision helper shows, as it makes them from the decision matrix, in node.
 * stdin: {"helper": path of decision-helper.js, "data": window.playbookDecisions with the
 *         matrix as `matrix` (window.playbookMatrix), "teams": [team ids; "" = none chosen]}
 * stdout: {team: the helper's paths for that team (`forTeam`): bands with their texts
 *         (range, response, names), `own`, `by_level`, the team's mark and reason}. */
"use strict";
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const helper = require(input.helper);
const out = {};
input.teams.forEach(function (team) { out[team] = helper.forTeam(input.data, team); });
process.stdout.write(JSON.stringify(out));
