"""`playbook export --format dmn|opa`: loaded and evaluated by the tools that take them.

DMN: read by dmn-moddle (bpmn.io's DMN 1.3 model, as dmn-js and Camunda's modeller read
it), checked against the OMG's DMN 1.3 schema (the XSD dmn-moddle ships) and every rule
evaluated with feelin's FEEL (tests/vectors/run_dmn.js). OPA: the bundle's policy and its
generated tests evaluated by rego-cpp (regopy). Both must give the decision helper's
answer for every typed value of tests/vectors/helper.json and decisions.json's at every
band's edges, for every path, team and level.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import regopy
from lxml import etree

from sales_playbook.model import dmn, rego

from .conftest import ROOT, SAMPLE, run_main

HERE = Path(__file__).parent
VECTORS = json.loads((HERE / "vectors" / "helper.json").read_text("utf-8"))
RUNNER = HERE / "vectors" / "run_dmn.js"
MODDLE = ROOT / "node_modules" / "dmn-moddle"
XSD = MODDLE / "resources" / "dmn" / "xsd" / "DMN13.xsd"
NODE = shutil.which("node")
MISSING = "make test installs dmn-moddle and feelin (NPM_TOOLS in the Makefile)"


def export(tmp_path: Path, form: str, *args: str, source: Path = SAMPLE) -> Path:
    out = tmp_path / ("bundle" if form == "opa" else f"decisions.{form}")
    code, _, err = run_main("export", str(source), "--format", form, "--out", str(out), *args)
    assert code == 0, err
    return out


def matrix_of(source: Path = SAMPLE) -> dict[str, Any]:
    code, out, err = run_main("export", str(source))
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def run_dmn(file: Path, cases: list[dict[str, Any]]) -> dict[str, Any]:
    """dmn-moddle's reading of `file` and the rules that hold for each case."""
    assert NODE is not None and MODDLE.is_dir() and (ROOT / "node_modules" / "feelin").is_dir(), (
        MISSING
    )
    payload = json.dumps({"file": str(file), "cases": cases})
    done = subprocess.run(
        [NODE, str(RUNNER)], input=payload, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


class Opa:
    """The bundle in rego-cpp: its data, policy and tests; `cases`: inputs under
    `data.cases`, to evaluate many in one query (rego-cpp compiles each query anew)."""

    def __init__(self, folder: Path, cases: list[dict[str, Any]] | None = None) -> None:
        self.rego = regopy.Interpreter()
        for name in ("policy.rego", "policy_test.rego"):
            self.rego.add_module(name, (folder / name).read_text("utf-8"))
        self.rego.add_data_json((folder / "data.json").read_text("utf-8"))
        if cases is not None:
            self.rego.add_data_json(json.dumps({"cases": cases}))

    def query(self, query: str, given: dict[str, Any] | None = None) -> Any:
        """The value of `query` (None: undefined), for the input `given`."""
        if given is not None:
            self.rego.set_input_term(json.dumps(given))
        output = str(self.rego.query(f"x := {query}"))
        if output == "undefined":
            return None
        return json.loads(output)["bindings"]["x"]

    def each(self, expression: str) -> list[Any]:
        """`expression` (of `q`, a case) for every case: None where it is undefined."""
        found = self.query(f"{{i: v | some i, q in data.cases; v := {expression}}}")
        # the keys: numbers in Rego, strings in JSON
        return [found.get(str(i)) for i in range(len(self.query("data.cases")))]


def just_above(value: float) -> float:
    """A value just above `value` that every engine tells apart from it (rego-cpp reads
    numbers to 15 digits, so the next float would equal `value` there, and takes no
    exponent in JSON, which Python writes below 1e-4)."""
    return value + max(1e-4, abs(value) * 1e-9)


def probe(value: float, compare: str | None) -> float:
    """The value a comparison word points to (as tests/test_helper_logic.py reads it)."""
    if compare == "above":
        return just_above(value)
    if compare == "below":
        return -just_above(-value)
    return value


def vector_cases(roles: set[str]) -> list[dict[str, Any]]:
    """Every row of the helper's table with a value and a decider (or 'outside') to give."""
    cases = []
    for language in ("de", "en"):
        for row in VECTORS[language]:
            expect = row["expect"]
            if "value" not in row or (expect not in roles and expect != "outside"):
                continue
            cases.append({
                "path": row["path"] or row["inferred"],
                "value": probe(row["value"], row.get("compare")),
                "level": row.get("level") or VECTORS["level"],
                "team": row.get("team", ""),
                "expect": None if expect == "outside" else expect,
                "text": row["text"],
            })  # fmt: skip
    return cases


def edge_cases(matrix: dict[str, Any]) -> list[dict[str, Any]]:
    """For every path, team and level: each band's lowest value, its middle and its
    highest, and values outside the path's range, with decisions.json's decider."""
    cases = []
    for path in matrix["paths"]:
        quantity = path["quantity"]
        for answer in path["answers"]:
            where = {"path": path["id"], "team": answer["team"], "level": answer["level"]}
            for index, band in enumerate(answer["bands"]):
                low = quantity["minimum"] if index == 0 else just_above(band["above"])
                high = band["up_to"] if band["up_to"] is not None else quantity["maximum"]
                values = [low, high, (low + high) / 2] if high is not None else [low, low * 10 + 7]
                decider = band["decider"]
                for value in values:
                    cases.append({**where, "value": value, "expect": decider["id"],
                                  "name": decider["name"]})  # fmt: skip
            outside = [-just_above(-quantity["minimum"])]
            if quantity["maximum"] is not None:
                outside.append(just_above(quantity["maximum"]))
            cases.extend({**where, "value": v, "expect": None, "name": None} for v in outside)
    return cases


def test_the_dmn_loads_in_dmn_moddle_and_meets_the_dmn_1_3_schema(tmp_path: Path) -> None:
    file = export(tmp_path, "dmn")
    assert XSD.is_file(), MISSING
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(etree.parse(str(file))), schema.error_log
    loaded = run_dmn(file, [])
    assert loaded["warnings"] == []
    matrix = matrix_of()
    assert list(loaded["tables"]) == [p["id"] for p in matrix["paths"]]
    for path in matrix["paths"]:
        table = loaded["tables"][path["id"]]
        assert table["name"] == path["title"] and table["hitPolicy"] == "UNIQUE"
        assert (table["inputs"], table["outputs"]) == (
            ["value", "level", "team"], ["decider", "decider_name"]
        )  # fmt: skip


def test_the_dmn_gives_the_helper_s_answer_for_every_typed_value(tmp_path: Path) -> None:
    file = export(tmp_path, "dmn")
    matrix = matrix_of()
    cases = vector_cases({r["id"] for r in matrix["roles"]})
    assert len(cases) >= 150
    given = [
        {"decision": c["path"], **{k: c[k] for k in ("value", "level", "team")}} for c in cases
    ]
    results = run_dmn(file, given)["results"]
    for case, result in zip(cases, results, strict=True):
        assert len(result["matched"]) <= 1, (case, result)  # UNIQUE
        assert result["outputs"].get("decider") == case["expect"], (case, result)


def test_the_dmn_gives_decisions_json_s_answer_at_every_band_edge(tmp_path: Path) -> None:
    """One rule per value for every path, team and level ("" too): the band's decider;
    none outside the range."""
    file = export(tmp_path, "dmn")
    cases = edge_cases(matrix_of())
    given = [
        {"decision": dmn.decision_id(c["path"]), **{k: c[k] for k in ("value", "level", "team")}}
        for c in cases
    ]
    results = run_dmn(file, given)["results"]
    for case, result in zip(cases, results, strict=True):
        assert len(result["matched"]) == (0 if case["expect"] is None else 1), (case, result)
        assert result["outputs"].get("decider") == case["expect"], (case, result)
        assert result["outputs"].get("decider_name") == case["name"], (case, result)
    # teams that answer alike share rules: fewer rules than bands
    rules = sum(t["rules"] for t in run_dmn(file, [])["tables"].values())
    assert rules < sum(len(a["bands"]) for p in matrix_of()["paths"] for a in p["answers"])


def test_one_team_s_export_holds_its_view_and_the_organisation_s(tmp_path: Path) -> None:
    team = "oeffentlicher-sektor"
    file = export(tmp_path, "dmn", "--team", team)
    text = file.read_text("utf-8")
    assert f'<text>"","{team}"</text>' in text
    cases = [
        {"decision": "rabatt-freigabe", "value": 9, "level": "senior", "team": t}
        for t in ("", team, "nirgends")
    ]
    results = run_dmn(file, cases)["results"]
    found = [r["outputs"].get("decider") for r in results]
    assert found == ["vertrieb", "teamleitung", None]  # senior: up to 12, up to 8
    folder = export(tmp_path, "opa", "--team", team)
    data = json.loads((folder / "data.json").read_text("utf-8"))["playbook"]["matrix"]
    assert {a["team"] for p in data["paths"] for a in p["answers"]} == {"", team}


def test_the_dmn_carries_untrusted_titles_as_text(tmp_path: Path) -> None:
    source = tmp_path / "playbook"
    shutil.copytree(SAMPLE, source)
    path = source / "escalation-paths" / "rabatt-freigabe.yml"
    title = 'Rabatt <b>&amp; \\"alles\\"</b> \\\\ ]]> \\e'  # YAML: quotes, a backslash, ESC
    path.write_text(
        path.read_text("utf-8").replace("title: Rabattfreigabe", f'title: "{title}"'), "utf-8"
    )
    book = source / "playbook.yml"
    name = 'Account \\"Exec\\" \\\\ <x>'
    book.write_text(
        book.read_text("utf-8").replace("name: Account Executive", f'name: "{name}"'), "utf-8"
    )
    file = export(tmp_path, "dmn", source=source)
    root = etree.parse(str(file)).getroot()
    decision = root.find(f"{{{dmn.NS}}}decision[@id='rabatt-freigabe']")
    assert decision is not None
    title = next(p["title"] for p in matrix_of(source)["paths"] if p["id"] == "rabatt-freigabe")
    assert decision.get("name") == title.replace("\x1b", "\ufffd")
    assert title.startswith('Rabatt <b>&amp; "alles"</b> \\ ]]>')
    loaded = run_dmn(file, [{"decision": "rabatt-freigabe", "value": 1, "level": "", "team": ""}])
    assert loaded["warnings"] == []
    assert loaded["results"][0]["outputs"]["decider_name"] == 'Account "Exec" \\ <x>'


def test_feel_literals() -> None:
    assert dmn.xml_text("a\x1b\x00b\tc\n") == "a\ufffd\ufffdb\tc\n"
    assert [dmn.feel_number(v) for v in (0, 10, 12.5, 1e-7, 2.5e6, 100.0)] == [
        "0", "10", "12.5", "0.0000001", "2500000", "100"
    ]  # fmt: skip
    assert dmn.feel_string('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert dmn.decision_id("90-tage") == "_90-tage" and dmn.decision_id("rabatt") == "rabatt"
    quantity = {"minimum": 0, "maximum": None}
    assert dmn.value_test(0, None, 10, quantity) == "[0..10]"
    assert dmn.value_test(1, 10, 15.5, quantity) == "(10..15.5]"
    assert dmn.value_test(2, 250000, None, quantity) == "> 250000"
    assert dmn.value_test(2, 25, None, {"minimum": 0, "maximum": 100}) == "(25..100]"


def test_the_opa_bundle_passes_its_own_tests_in_rego_cpp(tmp_path: Path) -> None:
    folder = export(tmp_path, "opa")
    assert sorted(p.name for p in folder.iterdir()) == [
        ".manifest", ".playbook-output", "data.json", "policy.rego", "policy_test.rego"
    ]  # fmt: skip
    manifest = json.loads((folder / ".manifest").read_text("utf-8"))
    assert manifest["roots"] == ["playbook"] and manifest["rego_version"] == 1
    tests = (folder / "policy_test.rego").read_text("utf-8")
    names = re.findall(r"^(test_\w+) if \{$", tests, re.MULTILINE)
    matrix = matrix_of()
    edges = sum(2 * len(a["bands"]) for p in matrix["paths"] for a in p["answers"])
    assert len(names) == len(set(names)) >= edges
    passed = Opa(folder).query(f"data.{rego.PACKAGE}_test")
    assert sorted(n for n in names if passed.get(n) is not True) == []
    # the tests test: with a decider changed in the data, its edges fail
    data = json.loads((folder / "data.json").read_text("utf-8"))
    band = data["playbook"]["matrix"]["paths"][1]["answers"][0]["bands"][0]
    band["decider"]["id"] = "nobody"
    (folder / "data.json").write_text(json.dumps(data), "utf-8")
    passed = Opa(folder).query(f"data.{rego.PACKAGE}_test")
    assert 2 <= len([n for n in names if passed.get(n) is not True]) < len(names)


def opa_cases(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: c[k] for k in ("path", "value", "level", "team")} for c in cases]


def test_the_opa_policy_gives_the_helper_s_answer_for_every_typed_value(tmp_path: Path) -> None:
    matrix = matrix_of()
    cases = vector_cases({r["id"] for r in matrix["roles"]})
    given = opa_cases(cases)
    roles = [{**g, "role": c["expect"] or "nobody"} for g, c in zip(given, cases, strict=True)]
    opa = Opa(export(tmp_path, "opa"), given + roles)
    found = opa.each("data.playbook.decisions.band_of(q).decider.id")
    allowed = opa.each("data.playbook.decisions.allowed(q)")
    for number, case in enumerate(cases):
        assert found[number] == case["expect"], case
        assert bool(allowed[number]) is (case["expect"] == matrix["rep_role"]), case
        assert bool(allowed[len(cases) + number]) is (case["expect"] is not None), case
    # the rules for `input` answer as the functions do
    for case in cases[:: max(1, len(cases) // 12)]:
        inputs = {k: case[k] for k in ("path", "value", "level", "team")}
        assert opa.query("data.playbook.decisions.approver", inputs) == case["expect"], case
        assert opa.query("data.playbook.decisions.allow") is (case["expect"] == matrix["rep_role"])


def test_the_opa_policy_gives_decisions_json_s_answer_at_every_band_edge(tmp_path: Path) -> None:
    cases = edge_cases(matrix_of())
    opa = Opa(export(tmp_path, "opa"), opa_cases(cases))
    found = opa.each("data.playbook.decisions.band_of(q).decider.id")
    assert [(c, f) for c, f in zip(cases, found, strict=True) if c["expect"] != f] == []
    # left out: the organisation's view, the level not known
    given = {"path": "rabatt-freigabe", "value": 4}
    band = opa.query("data.playbook.decisions.band", given)
    assert band["decider"]["id"] == "vertrieb" and band["up_to"] == 5
    assert opa.query("data.playbook.decisions.approver", {**given, "team": "nirgends"}) is None
    assert opa.query("data.playbook.decisions.allow") is False


@pytest.mark.parametrize("form", ["dmn", "opa"])
def test_export_replaces_only_what_it_wrote(form: str, tmp_path: Path) -> None:
    out = export(tmp_path, form)
    export(tmp_path, form)  # its own: replaced
    foreign = tmp_path / "theirs"
    foreign.mkdir()
    (foreign / "policy.rego").write_text("package mine\n", "utf-8")
    if form == "dmn":
        foreign = foreign / "policy.rego"
    code, _, err = run_main("export", str(SAMPLE), "--format", form, "--out", str(foreign))
    assert code == 2 and ("did not make" in err or "playbook did not make" in err), err
    assert (tmp_path / "theirs" / "policy.rego").read_text("utf-8") == "package mine\n"
    source = tmp_path / "playbook"
    shutil.copytree(SAMPLE, source)
    inside = source / out.name
    code, _, err = run_main("export", str(source), "--format", form, "--out", str(inside))
    assert code == 2 and "inside the playbook folder" in err, err
    assert not inside.exists()
    if form == "opa":
        code, _, err = run_main("export", str(SAMPLE), "--format", "opa")
        assert code == 2 and "--out DIR" in err
    else:  # a file it wrote, changed since, is not its own any more
        json_file = tmp_path / "decisions.json"
        assert run_main("export", str(SAMPLE), "--out", str(json_file))[0] == 0
        json_file.write_text(json_file.read_text("utf-8") + " ", "utf-8")
        code, _, err = run_main("export", str(SAMPLE), "--format", "dmn", "--out", str(json_file))
        assert code == 2 and "did not make" in err


@pytest.mark.parametrize("form", ["dmn", "opa"])
def test_a_broken_playbook_writes_nothing(form: str, tmp_path: Path) -> None:
    source = tmp_path / "playbook"
    shutil.copytree(SAMPLE, source)
    (source / "non-negotiables" / "keine-nebenabreden.yml").write_text("id: [\n", "utf-8")
    out = tmp_path / "out" / ("bundle" if form == "opa" else "decisions.dmn")
    code, stdout, err = run_main("export", str(source), "--format", form, "--out", str(out))
    assert code == 1 and "keine-nebenabreden.yml" in err and stdout == ""
    assert not (tmp_path / "out").exists()
