"""One answer everywhere, where deals are made: the helper's table of typed values
(tests/vectors/helper.json: path, typed value, level, team → decider or refusal) run side
by side by every reader the product has, each through its own evaluator:

- the site's decision helper, in node (decision-helper.js);
- `playbook ask` (commands/ask.py `answer`, the Python port);
- the DMN export, loaded by dmn-moddle and evaluated with feelin;
- the OPA bundle, evaluated in rego-cpp;
- the csv export, read as a CRM reads an approval table (a row per band: the row whose
  `above` < value <= `up_to`, for the path, team and level).

Then the same over random bands: generated team overlays (edges and deciders, plain and by
level) written into the sample, with an oracle computed from the raw YAML alone.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from sales_playbook.commands import ask
from sales_playbook.errors import PlaybookError
from sales_playbook.history.effective import in_force
from sales_playbook.model import dmn, matrix, rego
from sales_playbook.model.playbook import Playbook
from sales_playbook.runtime.output import write_tree
from sales_playbook.source.check import check
from sales_playbook.source.validate import Memo

from .conftest import SAMPLE, TODAY
from .test_exports import Opa, probe, run_dmn
from .test_helper_logic import VECTORS, helper_data, run_node
from .test_overlay_property import (
    LADDER,
    NoAliases,
    at,
    decider,
    discount_bands,
    payment_bands,
    raw,
)

TEAM = "oeffentlicher-sektor"
TEAM_FILE = "teams/oeffentlicher-sektor.yml"


def csv_decider(rows: list[dict[str, str]], case: dict[str, Any]) -> str | None:
    """Who decides `case` by the csv export alone: the one row of its path, team and level
    whose band holds the value (None: no row holds it)."""
    where = (case["path"], case["team"], case["level"])
    held = [
        r["decider_role_id"]
        for r in rows
        if (r["path_id"], r["team_id"], r["level_id"]) == where
        and (r["above"] == "" or case["value"] > float(r["above"]))
        and (r["up_to"] == "" or case["value"] <= float(r["up_to"]))
    ]  # fmt: skip
    assert len(held) <= 1, (case, held)  # the bands do not overlap
    return held[0] if held else None


class Readers:
    """Every reader of one playbook's bands, each given the same cases."""

    def __init__(self, model: Playbook, folder: Path) -> None:
        self.model = model
        self.data = matrix.decision_matrix(model)
        self.dmn = folder / "decisions.dmn"
        self.dmn.write_text(dmn.matrix_dmn(self.data), "utf-8")
        self.bundle = folder / "bundle"
        write_tree(rego.bundle(self.data), self.bundle)
        self.rows = list(csv.DictReader(io.StringIO(matrix.matrix_csv(self.data))))

    def numeric(self, cases: list[dict[str, Any]]) -> dict[str, list[str | None]]:
        """The decider of each case (path, value, team, level) by dmn, opa and csv."""
        keys = ("value", "level", "team")
        given = [{"decision": dmn.decision_id(c["path"]), **{k: c[k] for k in keys}} for c in cases]
        results = run_dmn(self.dmn, given)["results"]
        assert all(len(r["matched"]) <= 1 for r in results)  # UNIQUE
        opa = Opa(
            self.bundle, [{k: c[k] for k in ("path", "value", "level", "team")} for c in cases]
        )
        return {
            "dmn": [r["outputs"].get("decider") for r in results],
            "opa": opa.each("data.playbook.decisions.band_of(q).decider.id"),
            "csv": [csv_decider(self.rows, c) for c in cases],
        }

    def typed(self, cases: list[dict[str, Any]]) -> dict[str, list[str]]:
        """What the helper (node) and `playbook ask` answer to each typed case (path, text,
        team, level, as_typed): the decider's id, or the state of a refusal."""
        sets = {"x": helper_data(self.model)}
        node = run_node(sets, [
            {"set": "x", "path": c["path"], "text": c["text"], "level": c["level"] or None,
             "team": c["team"], "as_typed": c.get("as_typed", False)}
            for c in cases
        ])  # fmt: skip
        asked = [
            ask.answer(self.model, self.data, c["path"] or "-", c["text"], c["team"], c["level"],
                       as_typed=c.get("as_typed", False))
            for c in cases
        ]  # fmt: skip
        return {
            "helper": [_said(r["state"], r["decider"]) for r in node],
            "ask": [_said(a["state"], (a.get("decider") or {}).get("id")) for a in asked],
        }


def _said(state: str, decider: str | None) -> str:
    if state == "answer":
        return decider or "outside"
    return {"ask": "ask", "unreadable": "unreadable", "confirm": "confirm"}.get(state, state)


def test_every_reader_gives_the_table_s_answer_on_every_row(tmp_path: Path) -> None:
    checked = check(SAMPLE, TODAY)
    model, _ = in_force(checked.model, SAMPLE, TODAY)
    answers: dict[str, list[str | None]] = {}
    rows = []
    for language in ("de", "en"):
        view = dataclasses.replace(model, language=language)
        readers = Readers(view, tmp_path)
        cases = [
            {"path": r["path"], "text": r["text"], "level": r.get("level") or VECTORS["level"],
             "team": r.get("team", ""), "expect": r["expect"], "row": r,
             "as_typed": r.get("as_typed", False)}
            for r in VECTORS[language]
        ]  # fmt: skip
        typed = readers.typed(cases)
        for name, found in typed.items():
            answers.setdefault(name, []).extend(found)
        valued = [
            c
            for c in cases
            if "value" in c["row"] and c["expect"] not in ("unreadable", "ask", "confirm")
        ]
        numeric = readers.numeric([
            {"path": c["row"]["path"] or c["row"]["inferred"],
             "value": probe(c["row"]["value"], c["row"].get("compare")),
             "level": c["level"], "team": c["team"]}
            for c in valued
        ])  # fmt: skip
        index = {id(c): i for i, c in enumerate(valued)}
        for name, found in numeric.items():
            answers.setdefault(name, []).extend(
                (found[index[id(c)]] or "outside") if id(c) in index else None for c in cases
            )
        rows.extend(cases)
    assert len(rows) >= 280
    wrong = []
    for number, case in enumerate(rows):
        said = {name: found[number] for name, found in answers.items() if found[number] is not None}
        if set(said.values()) != {case["expect"]}:
            wrong.append((case["row"], said))
    assert wrong == []
    numeric_rows = sum(1 for found in answers["csv"] if found is not None)
    assert numeric_rows >= 200  # most rows are read by all five


# ----------------------------------------------------------------- random overlays


SETTINGS = settings(
    max_examples=12,
    # a failure is shown as drawn: shrinking a whole batch of cases takes minutes
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    copy = tmp_path_factory.mktemp("one-table") / "playbook"
    shutil.copytree(SAMPLE, copy)
    yield copy


def oracle(org: dict[str, Any], team: dict[str, Any], case: dict[str, Any]) -> str | None:
    """Who decides, from the raw YAML alone: the team's bands where it tightens the path,
    else the organisation's; a level not known reads as the lowest."""
    entry = org[case["path"]]
    bands = entry["bands"]
    if case["team"]:
        bands = next((t["bands"] for t in team["tighten"] if t["entry"] == case["path"]), bands)
    maximum = entry["quantity"].get("maximum")
    value = case["value"]
    if value < entry["quantity"].get("minimum", 0) or (maximum is not None and value > maximum):
        return None
    return decider(bands, case["level"] or LADDER[0], value)


def values_of(bands: list[dict[str, Any]], maximum: float | None) -> set[float]:
    """Each edge at every level, and a value between it and the next; 0; beyond the end."""
    found = {0.0}
    for band in bands:
        for key in ("above", "up_to"):
            if key in band:
                for level in LADDER:
                    edge = float(at(band[key], level))
                    found |= {edge, edge + 0.5}
    if maximum is not None:
        found.add(float(maximum) + 1)
    return found


@SETTINGS
@given(data=st.data())
def test_random_overlays_get_one_answer_from_every_reader(
    folder: Path, tmp_path: Path, data: st.DataObject
) -> None:
    org = {
        name: raw(SAMPLE / "escalation-paths" / f"{name}.yml")
        for name in ("rabatt-freigabe", "zahlungsziel-freigabe")
    }
    team = raw(SAMPLE / TEAM_FILE)
    discount = data.draw(discount_bands(org["rabatt-freigabe"]["bands"], True))
    payment = data.draw(payment_bands(org["zahlungsziel-freigabe"]["bands"], True))
    team["tighten"] = [
        {"entry": "rabatt-freigabe", "why": "Geprüft.", "bands": discount},
        {"entry": "zahlungsziel-freigabe", "why": "Geprüft.", "bands": payment},
    ]
    (folder / TEAM_FILE).write_text(
        yaml.dump(team, Dumper=NoAliases, allow_unicode=True, sort_keys=False), "utf-8"
    )
    try:
        checked = check(folder, TODAY, memo=Memo())
    except PlaybookError:  # a drawn overlay that loosens somewhere: not this test's matter
        assume(False)
        raise
    model, _ = in_force(checked.model, folder, TODAY)
    readers = Readers(model, tmp_path)
    cases = []
    for path, bands in (("rabatt-freigabe", discount), ("zahlungsziel-freigabe", payment)):
        entry = org[path]
        maximum = entry["quantity"].get("maximum")
        values = values_of(entry["bands"], maximum) | values_of(bands, maximum)
        unit = " %" if path == "rabatt-freigabe" else " Tage"
        for team_id in ("", TEAM):
            for level in ("", *LADDER):
                for value in sorted(values):
                    text = f"{value:g}".replace(".", ",") + unit
                    cases.append({"path": path, "team": team_id, "level": level,
                                  "value": value, "text": text, "as_typed": True})  # fmt: skip
    expected = [oracle(org, team, c) or "outside" for c in cases]
    numeric = readers.numeric(cases)
    typed = readers.typed(cases)
    wrong = []
    for number, (case, want) in enumerate(zip(cases, expected, strict=True)):
        said = {name: (found[number] or "outside") for name, found in numeric.items()}
        said |= {name: found[number] for name, found in typed.items()}
        if case["level"] == "" and said.get("ask") == "by-level":
            # no level chosen where deciders differ by level: the site shows each level's
            # decider side by side, `ask` lists them and exits 1 (state "by-level")
            del said["ask"]
        if set(said.values()) != {want}:
            wrong.append((case, want, said))
    assert wrong[:5] == []
