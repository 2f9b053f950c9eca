"""One band-and-number logic: the decision helper's script (run in node) and
generator/bands.py `find_band` answer the same on a shared table of typed inputs
(tests/vectors/helper.json) and on random bands with values on both sides of every edge."""

from __future__ import annotations

import dataclasses
import itertools
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales_playbook.bands import find_band
from sales_playbook.levels import at_level
from sales_playbook.model import EscalationPath, Playbook
from sales_playbook.overlay import apply
from sales_playbook.render import decisions_script
from sales_playbook.resources import template_dir

from .conftest import SampleBuild

HERE = Path(__file__).parent
VECTORS = json.loads((HERE / "vectors" / "helper.json").read_text("utf-8"))
RUNNER = HERE / "vectors" / "run_helper.js"
HELPER = template_dir() / "assets" / "javascripts" / "decision-helper.js"
NODE = shutil.which("node")


def helper_data(model: Playbook) -> dict[str, Any]:
    """What the page reads: window.playbookDecisions, as `playbook build` writes it."""
    script = decisions_script(model)
    return json.loads(script.removeprefix("window.playbookDecisions = ").rstrip().rstrip(";"))


def run_node(sets: dict[str, Any], cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The helper's answers to a whole batch, in one node process."""
    assert NODE is not None, "node is missing: `make test` installs it (Debian's npm)"
    payload = json.dumps({"helper": str(HELPER), "sets": sets, "cases": cases})
    done = subprocess.run(
        [NODE, str(RUNNER)], input=payload, capture_output=True, text=True, check=True, timeout=60
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def paths_of(model: Playbook) -> dict[str, EscalationPath]:
    return {p.id: p for p in model.of_kind("escalation_path") if isinstance(p, EscalationPath)}


def level_of(row: dict[str, Any]) -> str:
    """The rep's level a row of the table is read at."""
    return str(row.get("level") or VECTORS["level"])


def view_of(model: Playbook, row: dict[str, Any]) -> Playbook:
    """The playbook as a row of the table reads it: the team's view, at the row's level."""
    return at_level(apply(model, row.get("team", "")), level_of(row))


def decider(path: EscalationPath, value: float) -> str:
    q = path.quantity
    index = find_band(value, q.minimum, q.maximum, [(b.above, b.up_to) for b in path.bands])
    return "outside" if index is None else path.bands[index].decider


def test_the_table_covers_every_form_and_all_four_paths(sample: SampleBuild) -> None:
    rows = VECTORS["de"]
    assert len(rows) >= 60
    assert {r["path"] for r in rows} == {"", *paths_of(sample.result.model)}
    readable = {r["text"] for r in rows if r["expect"] != "unreadable"}
    unreadable = {r["text"] for r in rows if r["expect"] == "unreadable"}
    assert set(VECTORS["must_read"]) <= readable
    assert set(VECTORS["must_not_read"]) <= unreadable


@pytest.mark.parametrize("language", ["de", "en"])
def test_expected_deciders_are_what_find_band_says(sample: SampleBuild, language: str) -> None:
    checked = 0
    for row in VECTORS[language]:
        if "value" not in row:
            continue
        path = paths_of(view_of(sample.result.model, row))[row["path"] or row["inferred"]]
        assert decider(path, row["value"]) == row["expect"], row
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_helper_in_node_answers_the_table(sample: SampleBuild, language: str) -> None:
    model = dataclasses.replace(sample.result.model, language=language)
    rows = VECTORS[language]
    tightened = {t.entry for team in model.teams for t in team.tightenings}
    cases = [{"set": "sample", **r, "level": level_of(r)} for r in rows]
    results = run_node({"sample": helper_data(model)}, cases)
    wrong = []
    for row, got in zip(rows, results, strict=True):
        expect = row["expect"]
        if expect in ("unreadable", "ask"):
            ok = got["state"] == expect
        else:
            ok = (
                got["state"] == "answer"
                and got["value"] == row["value"]
                and got["path"] == (row["path"] or row["inferred"])
                and (got["decider"] or "outside") == expect
                and got["team"] == (row.get("team", "") if got["path"] in tightened else "")
            )
        if not ok:
            wrong.append((row, got))
    assert wrong == []


# ---------------------------------------------------------------- property-based vectors

UNITS = ("percent", "eur", "days", "months", "count")
STEP = {"percent": Decimal("0.01"), "eur": Decimal("0.01"), "days": Decimal(1)}


@st.composite
def random_path(draw: Any, index: int) -> dict[str, Any]:
    """An escalation path with random bands: edges in the unit's usual precision."""
    unit = draw(st.sampled_from(UNITS))
    top = {"percent": 100, "eur": 10**9, "days": 2000, "months": 240, "count": 50}[unit]
    places = {"percent": 2, "eur": 2, "days": 1, "months": 2, "count": 0}[unit]
    raw = draw(st.lists(st.integers(1, top * 10**places), min_size=1, max_size=5, unique=True))
    edges = sorted(Decimal(n).scaleb(-places) for n in raw)
    minimum = Decimal(draw(st.integers(0, int(edges[0]))))
    if minimum >= edges[0]:
        minimum = Decimal(0)
    open_end = draw(st.booleans())
    maximum = None if open_end else edges[-1] + Decimal(draw(st.integers(1, 100)))
    bounds: list[tuple[Decimal | None, Decimal | None]] = [(None, edges[0])]
    bounds += [(a, b) for a, b in itertools.pairwise(edges)]
    bounds.append((edges[-1], maximum))
    return {
        "id": f"p{index}",
        "unit": unit,
        "minimum": minimum,
        "maximum": maximum,
        "bounds": bounds,
        "places": places,
    }


def around(edge: Decimal, unit: str) -> list[Decimal]:
    """Values on both sides of an edge, from far to the smallest step a rep would type."""
    if unit == "count":
        return [edge - 1, edge, edge + 1]
    deltas = [Decimal(1), Decimal("0.01"), Decimal("0.0001"), Decimal("0.000001")]
    return [edge + d * s for d in deltas for s in (-1, 1)] + [edge]


def plain(value: Decimal, language: str, group: bool) -> str:
    """The value as a rep types it; a fraction of exactly three places gets a fourth,
    since `12,125` is ambiguous in German (12.125 or 12125) and so read as nothing."""
    text = format(value.normalize(), "f")
    whole, _, frac = text.partition(".")
    if len(frac) == 3:
        frac += "0"
    thousands, decimal = (",", ".") if language == "en" else (".", ",")
    if group and len(whole) > 3:
        whole = f"{int(whole):,}".replace(",", thousands)
    return whole + (decimal + frac if frac else "")


def typed(value: Decimal, unit: str, language: str, style: int) -> tuple[str, Decimal]:
    """(text, value in the path's unit) in one of several shorthand styles."""
    de = language == "de"
    if unit == "eur" and style % 4 == 1 and value >= 1000:
        return plain(value / 1000, language, False) + (" T€" if de else "k"), value
    if unit == "eur" and style % 4 == 2 and value >= 10**5:
        return plain(value / 10**6, language, False) + (" Mio" if de else "m"), value
    if unit == "eur" and style % 4 == 3:
        prefix = style // 4 % 2 == 1
        return ("EUR " if prefix else "") + plain(value, language, True) + (
            "" if prefix else " €"
        ), value
    if unit == "percent" and style % 2:
        return ("ca. " if style % 3 == 0 else "") + plain(value, language, False) + " %", value
    if unit == "days" and style % 3 == 1:
        months = (value / 30).quantize(Decimal("0.01"))
        return plain(months, language, False) + (" Monate" if de else " months"), months * 30
    if unit == "days" and style % 3 == 2:
        weeks = (value / 7).quantize(Decimal("0.1"))
        return plain(weeks, language, False) + (" Wochen" if de else " weeks"), weeks * 7
    if unit == "months" and style % 2:
        return plain(value, language, False) + (" Monate" if de else " months"), value
    return plain(value, language, style % 2 == 0), value


@st.composite
def batches(draw: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    paths = [draw(random_path(i)) for i in range(draw(st.integers(1, 6)))]
    language = draw(st.sampled_from(["de", "en"]))
    cases = []
    for p in paths:
        edges = [p["minimum"]] + [up for _, up in p["bounds"] if up is not None]
        for edge in edges:
            for value in around(edge, p["unit"]):
                if value < 0 or len(value.normalize().as_tuple().digits) > 15:
                    continue  # negative and over-long numbers are unreadable by design
                style = draw(st.integers(0, 11))
                text, exact = typed(value, p["unit"], language, style)
                cases.append({"set": language, "path": p["id"], "text": text, "exact": exact})
    return paths, cases


def num(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


def as_data(p: dict[str, Any], language: str) -> dict[str, Any]:
    return {
        "id": p["id"],
        "unit": p["unit"],
        "minimum": float(p["minimum"]),
        "maximum": num(p["maximum"]),
        "bands": [
            {"above": num(a), "up_to": num(b), "decider_id": f"role{i}"}
            for i, (a, b) in enumerate(p["bounds"])
        ],
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batches())
def test_random_bands_the_helper_and_find_band_agree(
    batch: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    paths, cases = batch
    language = cases[0]["set"] if cases else "de"
    sets = {language: {"language": language, "paths": [as_data(p, language) for p in paths]}}
    results = run_node(sets, [{k: c[k] for k in ("set", "path", "text")} for c in cases])
    by_id = {p["id"]: p for p in paths}
    for case, got in zip(cases, results, strict=True):
        p = by_id[case["path"]]
        value = float(case["exact"])
        bounds = [
            (None if a is None else float(a), None if b is None else float(b))
            for a, b in p["bounds"]
        ]
        maximum = None if p["maximum"] is None else float(p["maximum"])
        expected = find_band(value, float(p["minimum"]), maximum, bounds)
        assert got["state"] == "answer", (case, got)
        assert got["value"] == value, (case, got)
        assert got["band"] == expected, (case, got, expected)
