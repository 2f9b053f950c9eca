"""One band-and-number logic: the decision helper's script (run in node) and
generator/model/bands.py `find_band` answer the same on a shared table of typed inputs
(tests/vectors/helper.json) and on random bands with values on both sides of every edge;
the texts it writes from the decision matrix are the pages'."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales_playbook.model.bands import find_band
from sales_playbook.model.levels import at_level
from sales_playbook.model.matrix import decision_matrix
from sales_playbook.model.overlay import apply, why
from sales_playbook.model.playbook import Band, EscalationPath, Playbook, Quantity
from sales_playbook.resources import template_dir
from sales_playbook.site.reading import config
from sales_playbook.site.scripts import decisions_script
from sales_playbook.text import Text

from .conftest import SampleBuild

HERE = Path(__file__).parent
VECTORS = json.loads((HERE / "vectors" / "helper.json").read_text("utf-8"))
RUNNER = HERE / "vectors" / "run_helper.js"
HELPER = template_dir() / "assets" / "javascripts" / "decision-helper.js"
NODE = shutil.which("node")


def helper_data(model: Playbook) -> dict[str, Any]:
    """What the page reads: window.playbookDecisions, as `playbook build` writes it, with
    the decision matrix (window.playbookMatrix, the site's decisions.json) as `matrix`."""
    script = decisions_script(model)
    data: dict[str, Any] = json.loads(
        script.removeprefix("window.playbookDecisions = ").rstrip().rstrip(";")
    )
    return {**data, "matrix": decision_matrix(model)}


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


def probe(value: float, compare: str | None) -> float:
    """The value a comparison word points to: "über 60" just above 60, "unter 60" just
    below, "bis 60" and "ab 60" 60 itself."""
    if compare == "above":
        return math.nextafter(value, math.inf)
    if compare == "below":
        return math.nextafter(value, -math.inf)
    return value


def band_of(path: EscalationPath, value: float, compare: str | None = None) -> int | None:
    q = path.quantity
    bounds = [(b.above, b.up_to) for b in path.bands]
    return find_band(probe(value, compare), q.minimum, q.maximum, bounds)


def decider(path: EscalationPath, value: float, compare: str | None = None) -> str:
    index = band_of(path, value, compare)
    return "outside" if index is None else path.bands[index].decider


def near(path: EscalationPath, row: dict[str, Any]) -> str | None:
    """The decider across the edge an answer names too: for "ca." within 10 % of an edge
    of the value's band (the closer edge), for "ab X" when X is its band's upper edge."""
    value, index = row["value"], band_of(path, row["value"], row.get("compare"))
    if index is None:
        return None
    bands, last = path.bands, len(path.bands) - 1
    if row.get("compare") == "at_least":
        across = index + 1 if index < last and bands[index].up_to == value else None
        return None if across is None else bands[across].decider
    words = config("de")["approx"] + config("en")["approx"]
    if not any(w in row["text"].lower().split() or row["text"].startswith("~") for w in words):
        return None
    found: list[tuple[float, int]] = []
    for edge, across in (
        (bands[index - 1].up_to if index else None, index - 1),
        (bands[index].up_to if index < last else None, index + 1),
    ):
        if edge is not None and edge > 0 and abs(value - edge) <= 0.1 * edge:
            found.append((abs(value - edge), across))
    return bands[min(found)[1]].decider if found else None


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
        if row["expect"] == "confirm":
            continue
        assert decider(path, row["value"], row.get("compare")) == row["expect"], row
        assert near(path, row) == row.get("near"), row
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
        elif expect == "confirm":
            ok = (
                got["state"] == "confirm"
                and got["value"] == row["value"]
                and got["suggest"] == row.get("suggest")
                and got["suggest_text"] == row.get("suggest_text", got["suggest_text"])
            )
        else:
            ok = (
                got["state"] == "answer"
                and got["value"] == row["value"]
                and got["path"] == (row["path"] or row["inferred"])
                and (got["decider"] or "outside") == expect
                and got["compare"] == row.get("compare")
                and got["near"] == row.get("near")
                and got["team"] == (row.get("team", "") if got["path"] in tightened else "")
            )
        if not ok:
            wrong.append((row, got))
    assert wrong == []


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_suggestion_read_back_answers_for_the_suggested_value(
    sample: SampleBuild, language: str
) -> None:
    """The button under "Meinst du 1,5 Mio. EUR?" retypes the suggestion: read back, it
    is answered (no second question) with the value the question named."""
    model = dataclasses.replace(sample.result.model, language=language)
    rows = [r for r in VECTORS[language] if r["expect"] == "confirm"]
    cases = [{"set": "sample", **r, "level": level_of(r)} for r in rows]
    data = {"sample": helper_data(model)}
    asked = [(c, got) for c, got in zip(cases, run_node(data, cases), strict=True)]
    offered = [(c, got) for c, got in asked if got["suggest"] is not None]
    assert len(offered) >= 2
    again = run_node(data, [{**c, "text": got["suggest_text"]} for c, got in offered])
    for (case, got), back in zip(offered, again, strict=True):
        assert back["state"] == "answer", (case, got, back)
        assert back["value"] == got["suggest"], (case, got, back)


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
    """A random path as the decision matrix holds it (one answer: no team, no level)."""
    bands = [
        {
            "above": num(a), "up_to": num(b),
            "decider": {"id": f"role{i}", "name": f"Role {i}", "handles": []},
            "consult": [], "inform": [], "response_time_hours": 0, "channel": "", "note": "",
        }
        for i, (a, b) in enumerate(p["bounds"])
    ]  # fmt: skip
    return {
        "id": p["id"],
        "title": p["id"],
        "decision": p["id"],
        "quantity": {
            "name": p["id"],
            "unit": p["unit"],
            "minimum": float(p["minimum"]),
            "maximum": num(p["maximum"]),
        },
        "answers": [{"team": "", "level": "", "bands": bands}],
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
    sets = {
        language: {
            "language": language,
            "reading": config(language),
            "matrix": {"paths": [as_data(p, language) for p in paths]},
        }
    }
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
        if got["state"] == "confirm":  # asked, not answered: only where a value looks mistyped
            assert looks_mistyped(p, value, case["text"]), (case, got)
        else:
            assert got["state"] == "answer", (case, got)
        assert got["value"] == value, (case, got)
        assert got["band"] == expected, (case, got, expected)


def looks_mistyped(p: dict[str, Any], value: float, text: str) -> bool:
    """What the helper asks about instead of answering: a value 1,000 times away from
    every band edge (no multiplier typed), or a fraction below 1 typed without "%" on a
    percent path with no edge below 1."""
    edges = [float(e) for bound in p["bounds"] for e in bound if e is not None and e > 0]
    if value <= 0 or not edges or re.search(r"(t€|k|mio|\dm)$", text.lower()):
        return False
    if p["unit"] == "percent" and "%" not in text and value < 1 and min(edges) >= 1:
        return True
    return all(value / e >= 1000 or e / value >= 1000 for e in edges)


# ------------------------------------------------- what the pages print, read back

NUMBER = re.compile(r"\d[\d.,\u00a0 ]*\d|\d")


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_number_the_pages_print_reads_back_as_itself(
    sample: SampleBuild, language: str
) -> None:
    """Every band edge of every path, in every team's view and at every level, as the
    pages print it (`Text.amount`, "bis …", "über …", "ab …"), and every band's range as
    the pages print it: read back by the helper, each gives the same value (and a range
    with one number the band it names); a range with two numbers is refused, not misread."""
    model = dataclasses.replace(sample.result.model, language=language)
    fmt = Text(language)
    t = fmt.t
    levels = [lv.id for lv in model.levels_of(model.rep_role)] or [VECTORS["level"]]
    cases: list[dict[str, Any]] = []
    expect: list[tuple[float | None, str | None, int | None]] = []
    for team in ["", *(tm.id for tm in model.teams)]:
        for level in levels:
            view = at_level(apply(model, team), level)
            for path in paths_of(view).values():
                q, base = path.quantity, {"set": "sample", "path": path.id, "level": level}
                base["team"] = team
                edges = {q.minimum, *(e for b in path.bands for e in (b.above, b.up_to))}
                edges |= {q.maximum}
                for edge in sorted(e for e in edges if e is not None):
                    shown = fmt.amount(edge, q.unit)
                    forms = [(shown, None), (t["up_to"].format(v=shown), "at_most")]
                    forms.append((t["above"].format(v=shown), "above"))
                    forms.append((t["exactly"].format(v=shown), None))
                    if "from" in t:
                        forms.append((t["from"].format(v=shown), "at_least"))
                    for text, compare in forms:
                        cases.append({**base, "text": text})
                        expect.append((edge, compare, None))
                for index, band in enumerate(path.bands):
                    text = fmt.band_range(band, q)
                    count = len(NUMBER.findall(text))
                    if count:
                        cases.append({**base, "text": text})
                        expect.append((None, "range" if count > 1 else None, index))
    results = run_node({"sample": helper_data(model)}, cases)
    wrong = []
    for case, (value, compare, band), got in zip(cases, expect, results, strict=True):
        if compare == "range":
            ok = got["state"] == "unreadable"
        elif band is not None:
            ok = got["state"] == "answer" and got["band"] == band
        else:
            ok = got["state"] == "answer" and got["value"] == value and got["compare"] == compare
        if not ok:
            wrong.append((case, got))
    assert len(cases) >= 200
    assert wrong == []


# ------------------------------------------- the helper's texts, written as the pages do

PATHS_RUNNER = HERE / "vectors" / "run_paths.js"


def helper_paths(data: dict[str, Any], teams: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The paths the helper shows for each team, as its script makes them from the matrix."""
    assert NODE is not None, "node is missing: `make test` installs it (Debian's npm)"
    payload = json.dumps({"helper": str(HELPER), "data": data, "teams": teams})
    done = subprocess.run(
        [NODE, str(PATHS_RUNNER)], input=payload, capture_output=True, text=True, check=True,
        timeout=60,
    )  # fmt: skip
    found: dict[str, list[dict[str, Any]]] = json.loads(done.stdout)
    return found


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_helper_writes_each_band_as_the_pages_do(sample: SampleBuild, language: str) -> None:
    """The helper makes its texts from the matrix's numbers (no second computation of the
    bands): each band's range, response time, decider, consult and inform, what the rep
    decides alone, and each team's reason are what the pages write for the same view
    (`Text`, at every level of the rep role where a path's bands differ by it)."""
    model = dataclasses.replace(sample.result.model, language=language)
    fmt = Text(language)
    teams = ["", *(t.id for t in model.teams)]
    shown = helper_paths(helper_data(model), teams)

    def texts(path: EscalationPath, bands: Any) -> list[tuple[Any, ...]]:
        def names(ids: tuple[str, ...]) -> str:
            return ", ".join(model.role(r).name for r in ids)

        return [
            (b.above, b.up_to, fmt.band_range(b, path.quantity), model.role(b.decider).name,
             b.decider, names(b.consult), names(b.inform), fmt.hours(b.response_time_hours),
             b.channel)
            for b in bands
        ]  # fmt: skip

    def got(bands: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        keys = ("above", "up_to", "range", "decider", "decider_id", "consult", "inform")
        return [(*(b[k] for k in keys), b["response"], b["channel"]) for b in bands]

    def own(path: EscalationPath, bands: Any) -> str:
        rep = [b for b in bands if b.decider == model.rep_role]
        return ", ".join(fmt.band_range(b, path.quantity) for b in rep)

    for team in teams:
        view = apply(model, team)
        expected = paths_of(view)
        assert [p["id"] for p in shown[team]] == list(expected)
        for p in shown[team]:
            path = expected[p["id"]]
            assert got(p["bands"]) == texts(path, path.bands), (team, path.id)
            assert p["own"] == own(path, path.bands)
            levelled = path.level_role == model.rep_role
            assert [lb["level"] for lb in p["by_level"]] == [
                lb.level for lb in (path.by_level if levelled else ())
            ]
            for lb, held in zip(p["by_level"], path.by_level, strict=False):
                assert got(lb["bands"]) == texts(path, held.bands), (team, path.id, lb["level"])
                assert lb["own"] == own(path, held.bands)
            assert (p["team"], p["why"]) == (path.team, why(view, path) if path.team else "")
            assert p["unit_name"] == fmt.t["unit_names"][path.quantity.unit]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["de", "en"]),
    st.sampled_from(UNITS),
    st.lists(
        st.one_of(
            st.integers(0, 10**12),
            st.integers(0, 10**7).map(lambda n: n / 8),  # exact halves of a cent: 0,125
            st.floats(0, 1e9, allow_nan=False).map(lambda x: round(x, 3)),
            st.floats(0, 1e6, allow_nan=False),
        ),
        min_size=1,
        max_size=6,
        unique=True,
    ),
    st.integers(0, 24 * 400),
)
def test_the_helper_writes_any_band_as_the_pages_do(
    sample: SampleBuild, language: str, unit: str, numbers: list[float], hours: int
) -> None:
    """Random edges (whole numbers, exact halves of a cent, long fractions): the helper's
    amounts, ranges and response times are Text's, to the character."""
    edges = sorted(set(numbers))
    minimum = 0.0 if edges[0] > 0 else edges[0]
    bounds = [(None, edges[0]), *itertools.pairwise(edges), (edges[-1], None)]
    quantity = Quantity(name="q", unit=unit, minimum=minimum, maximum=None)
    bands = [
        Band(above=a, up_to=b, lower=minimum if a is None else a, decider="r", consult=(),
             inform=(), response_time_hours=hours, channel="", note="")
        for a, b in bounds
    ]  # fmt: skip
    data = helper_data(dataclasses.replace(sample.result.model, language=language))
    data["matrix"] = {
        "paths": [
            {
                "id": "p", "title": "p", "decision": "p",
                "quantity": {"name": "q", "unit": unit, "minimum": minimum, "maximum": None},
                "answers": [{"team": "", "level": "", "bands": [
                    {"above": b.above, "up_to": b.up_to,
                     "decider": {"id": "r", "name": "R", "handles": []}, "consult": [],
                     "inform": [], "response_time_hours": hours, "channel": "", "note": ""}
                    for b in bands
                ]}],
            }
        ],
        "roles": [{"id": "r", "name": "R", "handles": []}],
    }  # fmt: skip
    [path] = helper_paths(data, [""])[""]
    fmt = Text(language)
    assert [b["range"] for b in path["bands"]] == [fmt.band_range(b, quantity) for b in bands]
    assert path["bands"][0]["response"] == fmt.hours(hours)
