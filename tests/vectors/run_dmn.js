/* Loads a DMN file as a DMN toolkit does and evaluates its decision tables.
 * stdin: {"file": the .dmn file, "cases": [{"decision": id, "value", "level", "team"}]}
 * stdout: {"warnings": dmn-moddle's import warnings, "tables": {decision id: {"hitPolicy",
 * "inputs": [input expression], "outputs": [output name], "rules": count}}, "results": one per
 * case: {"matched": ids of the rules that hold, "outputs": {name: value} of the first}}.
 * The file is read by dmn-moddle (bpmn.io's DMN 1.3 model, what dmn-js and Camunda's
 * modeller load), the rules are evaluated with feelin: each input entry as a FEEL unary
 * test of its input, each output entry as a FEEL expression. */
"use strict";
const fs = require("fs");

async function main() {
  const { DmnModdle } = await import("dmn-moddle");
  const feelin = await import("feelin");
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  const xml = fs.readFileSync(input.file, "utf8");
  const { rootElement, warnings } = await new DmnModdle().fromXML(xml, "dmn:Definitions");
  const tables = {};
  const byId = {};
  for (const element of rootElement.drgElement) {
    if (element.$type !== "dmn:Decision") continue;
    const table = element.decisionLogic;
    byId[element.id] = table;
    tables[element.id] = {
      hitPolicy: table.hitPolicy,
      name: element.name,
      inputs: table.input.map(function (i) { return i.inputExpression.text; }),
      outputs: table.output.map(function (o) { return o.name; }),
      rules: table.rule.length,
    };
  }
  const results = input.cases.map(function (c) {
    const table = byId[c.decision];
    const context = { value: c.value, level: c.level, team: c.team };
    const matched = table.rule.filter(function (rule) {
      return rule.inputEntry.every(function (entry, index) {
        const subject = context[table.input[index].inputExpression.text];
        const test = feelin.unaryTest(entry.text, { "?": subject });
        if (test.warnings.length) throw new Error(entry.text + ": " + JSON.stringify(test.warnings));
        return test.value === true;
      });
    });
    const outputs = {};
    if (matched.length) {
      matched[0].outputEntry.forEach(function (entry, index) {
        outputs[table.output[index].name] = feelin.evaluate(entry.text, {}).value;
      });
    }
    return { matched: matched.map(function (r) { return r.id; }), outputs: outputs };
  });
  process.stdout.write(JSON.stringify({ warnings: warnings.map(String), tables: tables, results: results }));
}

main().catch(function (error) {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});
