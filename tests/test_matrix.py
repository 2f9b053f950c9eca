"""decisions.json: the answers as data, in every built site and from `playbook export`."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from sales_playbook.model import matrix
from sales_playbook.resources import template_dir

from .conftest import ROOT, SAMPLE, SampleBuild, run_main

SCHEMA = json.loads((ROOT / "schemas" / "decisions.schema.json").read_text("utf-8"))
HELPER = template_dir() / "assets" / "javascripts" / "decision-helper.js"
RUNNER = Path(__file__).parent / "vectors" / "run_paths.js"
NODE = shutil.which("node")


def edges(bands: list[dict[str, Any]]) -> list[tuple[Any, Any, str]]:
    """What decides who decides: each band's edges and decider."""
    return [
        (b["above"], b["up_to"], b["decider"]["id"] if "decider_id" not in b else b["decider_id"])
        for b in bands
    ]


def script_data(path: Path, name: str) -> Any:
    """The document a generated script sets `window.<name>` to."""
    text = path.read_text("utf-8")
    return json.loads(text.removeprefix(f"window.{name} = ").rstrip(";\n"))


def helper_data(site: Path) -> dict[str, Any]:
    """What the site's decision helper reads: window.playbookDecisions (its words), with
    window.playbookMatrix (the bands) as `matrix`, as decision-helper.js puts them together."""
    scripts = site / "assets" / "javascripts"
    data: dict[str, Any] = script_data(scripts / "playbook-data.js", "playbookDecisions")
    return {**data, "matrix": script_data(scripts / "decisions.js", "playbookMatrix")}


def helper_paths(data: dict[str, Any], teams: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The paths the helper shows for each team, made in node from `data` (`forTeam`)."""
    assert NODE is not None, "node is missing: `make test` installs it (Debian's npm)"
    payload = json.dumps({"helper": str(HELPER), "data": data, "teams": teams})
    done = subprocess.run(
        [NODE, str(RUNNER)], input=payload, capture_output=True, text=True, check=True, timeout=60
    )
    found: dict[str, list[dict[str, Any]]] = json.loads(done.stdout)
    return found


def test_the_built_site_carries_decisions_json_valid_against_its_schema(
    sample: SampleBuild,
) -> None:
    data = json.loads((sample.site / "decisions.json").read_text("utf-8"))
    Draft202012Validator.check_schema(SCHEMA)
    assert list(Draft202012Validator(SCHEMA).iter_errors(data)) == []
    assert data["format"] == "playbook-decisions/1"
    ids = {p["id"] for p in data["paths"]}
    assert "rabatt-freigabe" in ids and len(ids) == len(data["paths"])


def test_the_helper_reads_decisions_json_itself(sample: SampleBuild) -> None:
    """One answer everywhere: the bands the site's decision helper reads are the matrix the
    site carries as decisions.json (the same document, shipped as a script for file://), and
    its own data holds no band, no decider and no number of a path."""
    data = json.loads((sample.site / "decisions.json").read_text("utf-8"))
    helper = helper_data(sample.site)
    assert helper["matrix"] == data
    own = json.dumps({k: v for k, v in helper.items() if k != "matrix"})
    for word in ('"bands"', '"by_level"', '"decider', '"answers"', '"paths"', '"minimum"'):
        assert word not in own, word


def test_decisions_json_gives_the_helper_s_answer_for_every_path_team_and_level(
    sample: SampleBuild,
) -> None:
    """The paths the helper shows (made in its script from the matrix) answer as the file
    does for every band of every path, for the organisation at every level and for every
    team; a path that differs by level is shown by level."""
    data = json.loads((sample.site / "decisions.json").read_text("utf-8"))
    helper = helper_data(sample.site)
    answers = {
        (p["id"], a["team"], a["level"]): edges(a["bands"])
        for p in data["paths"]
        for a in p["answers"]
    }
    levels = ["", *(lv["id"] for lv in data["levels"])]
    assert levels == ["", *(lv["id"] for lv in helper["levels"])]
    teams = ["", *(t["id"] for t in helper["teams"])]
    compared = 0
    for team, paths in helper_paths(helper, teams).items():
        assert [p["id"] for p in paths] == [p["id"] for p in data["paths"]]
        for path in paths:
            by_level = {lb["level"]: lb["bands"] for lb in path["by_level"]}
            for level in levels:
                expected = edges(by_level.get(level, path["bands"]) if level else path["bands"])
                assert answers[path["id"], team, level] == expected, (path["id"], team, level)
                compared += 1
    assert compared == len(data["paths"]) * len(levels) * len(teams)
    # a team's view of a path it does not tighten is the organisation's
    for (path_id, team, level), found in answers.items():
        if team and path_id not in helper["tightened"][team]:
            assert found == answers[path_id, "", level]


def test_rabatt_freigabe_as_a_crm_reads_it(sample: SampleBuild) -> None:
    data = json.loads((sample.site / "decisions.json").read_text("utf-8"))
    path = next(p for p in data["paths"] if p["id"] == "rabatt-freigabe")
    assert path["url"].endswith("/escalation-paths/rabatt-freigabe.html")
    assert path["quantity"]["unit"] == "percent"
    senior = next(a for a in path["answers"] if (a["team"], a["level"]) == ("", "senior"))
    first = senior["bands"][0]
    assert (first["above"], first["up_to"], first["decider"]["id"]) == (None, 12, "vertrieb")
    public = next(
        a for a in path["answers"] if (a["team"], a["level"]) == ("oeffentlicher-sektor", "senior")
    )
    assert public["bands"][0]["up_to"] < 12  # the team holds it stricter
    assert all("{" not in b["note"] for a in path["answers"] for b in a["bands"])  # live values


def test_export_writes_the_same_matrix_and_replaces_only_its_own_file(tmp_path: Path) -> None:
    out = tmp_path / "crm" / "decisions.json"
    code, _, err = run_main("export", str(SAMPLE), "--out", str(out))
    assert code == 0, err
    data = json.loads(out.read_text("utf-8"))
    assert list(Draft202012Validator(SCHEMA).iter_errors(data)) == []
    assert run_main("export", str(SAMPLE), "--out", str(out))[0] == 0  # its own: replaced
    code, out_text, _ = run_main("export", str(SAMPLE), "--team", "oeffentlicher-sektor")
    assert code == 0
    teams = {a["team"] for p in json.loads(out_text)["paths"] for a in p["answers"]}
    assert teams == {"", "oeffentlicher-sektor"}
    foreign = tmp_path / "matrix.json"
    foreign.write_text('{"mine": true}\n', "utf-8")
    code, _, err = run_main("export", str(SAMPLE), "--out", str(foreign))
    assert code == 2 and "did not make" in err
    assert foreign.read_text("utf-8") == '{"mine": true}\n'
    code, _, err = run_main("export", str(SAMPLE), "--team", "nirgends")
    assert code == 2 and "unknown team nirgends" in err


def test_a_team_s_own_site_carries_only_its_view(tmp_path: Path) -> None:
    source = tmp_path / "playbook"
    shutil.copytree(SAMPLE, source)
    site = tmp_path / "site"
    code, _, err = run_main(
        "build", str(source), "--team", "oeffentlicher-sektor", "--out", str(site),
        "--build-dir", str(tmp_path / "build"), "--no-history",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads((site / "decisions.json").read_text("utf-8"))
    assert {a["team"] for p in data["paths"] for a in p["answers"]} == {"oeffentlicher-sektor"}
    helper = helper_data(site)
    assert helper["matrix"] == data and helper["teams"] == []  # no switch: its view only
    [paths] = helper_paths(helper, [""]).values()  # no team chosen: the site's own
    rabatt = next(p for p in paths if p["id"] == "rabatt-freigabe")
    assert rabatt["team"] == "oeffentlicher-sektor" and rabatt["why"]
    assert rabatt["bands"][0]["up_to"] < 5  # the team's, not the organisation's


def test_the_csv_export_has_a_row_per_band_and_defuses_formulas(tmp_path: Path) -> None:
    """The csv rows say what the json says (a CRM imports either), and a text a
    spreadsheet would run as a formula is written inert."""
    source = tmp_path / "playbook"
    shutil.copytree(SAMPLE, source)
    path = source / "escalation-paths" / "rabatt-freigabe.yml"
    text = path.read_text("utf-8")
    channel = next(line for line in text.splitlines() if "channel:" in line).split(": ", 1)[1]
    path.write_text(text.replace(channel, '"=HYPERLINK(\\"http://x.invalid\\")"', 1), "utf-8")
    code, out, err = run_main("export", str(source), "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(matrix.CSV_COLUMNS)
    code, data_text, _ = run_main("export", str(source))
    data = json.loads(data_text)
    expected = [
        (p["id"], a["team"], a["level"], str(n), b["decider"]["id"])
        for p in data["paths"] for a in p["answers"] for n, b in enumerate(a["bands"], 1)
    ]  # fmt: skip
    found = [
        (r["path_id"], r["team_id"], r["level_id"], r["band"], r["decider_role_id"]) for r in rows
    ]
    assert found == expected
    cells = [cell for row in rows for cell in row.values()]
    assert '\'=HYPERLINK("http://x.invalid")' in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    wanted = ("rabatt-freigabe", "", "senior", "1")
    senior = next(
        r for r in rows if (r["path_id"], r["team_id"], r["level_id"], r["band"]) == wanted
    )
    assert (senior["above"], senior["up_to"], senior["unit"]) == ("", "12", "percent")
