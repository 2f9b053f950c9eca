"""Properties of team overlays and autonomy levels, over generated sources.

(a) No overlay loosens without an `overlay-loosens` error, and a strictly tightening one
    gets none: hypothesis writes the sample's team file with generated bands (edges and
    deciders, with and without level maps), freedoms and triggers; an oracle written here,
    from the raw data alone, says whether the team's entry is looser anywhere.
(b) `level-not-monotonic` is reported exactly when a higher level's own range is smaller
    than a lower level's: generated per-level edges and deciders of the discount path.

The sample is copied once per test; each example rewrites one file and validates with a
memo, so unchanged files are not parsed again.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sales_playbook.source.check import validate
from sales_playbook.source.validate import Memo

from .conftest import SAMPLE, TODAY

LADDER = ("einsteiger", "zertifiziert", "senior")
TEAM_FILE = "teams/oeffentlicher-sektor.yml"
DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91}
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

Bands = list[dict[str, Any]]


def raw(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("property") / "playbook"
    shutil.copytree(SAMPLE, folder)
    return folder


class NoAliases(yaml.SafeDumper):
    """Shared lists written out each time: the playbook's YAML allows no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class Checker:
    """Validates the copy after one file was rewritten; the rules of its errors."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.memo = folder, Memo()
        self.original = {p: p.read_bytes() for p in folder.rglob("*.yml")}

    def rules(self, file: str, data: Any) -> set[str]:
        text = yaml.dump(data, Dumper=NoAliases, allow_unicode=True, sort_keys=False)
        (self.folder / file).write_text(text, "utf-8")
        _, problems = validate(self.folder, TODAY, self.memo)
        # (a text elsewhere that references the rep's limit is wrong where the rep decides
        # no band at all: that is the texts' problem, not the one drawn here)
        return {p.rule for p in problems if p.severity == "error" and p.rule != "wrong-reference"}

    def restore(self) -> None:
        for path, content in self.original.items():
            path.write_bytes(content)


@pytest.fixture
def checker(copy: Path) -> Iterator[Checker]:
    checker = Checker(copy)
    yield checker
    checker.restore()


# --- an oracle, from raw data: who decides a value at a level -------------------------------


def at(value: Any, level: str) -> Any:
    """A value that may vary by level, at `level` (the nearest named level at or below)."""
    if not isinstance(value, dict):
        return value
    named = [value[lv] for lv in LADDER[: LADDER.index(level) + 1] if lv in value]
    return named[-1]


def decider(bands: Bands, level: str, value: float) -> str | None:
    for band in bands:
        above, up_to = at(band.get("above"), level), at(band.get("up_to"), level)
        if above is not None and up_to is not None and above == up_to:
            continue  # empty at this level
        if (above is None or value > above) and (up_to is None or value <= up_to):
            return str(at(band["decider"], level))
    return None


@cache
def chain() -> dict[str, str | None]:
    return {r["id"]: r.get("escalates_to") for r in raw(SAMPLE / "playbook.yml")["roles"]}


def above_in_chain(low: str, high: str) -> bool:
    escalates, seen, current = chain(), set(), escalates_to(low)
    while current is not None and current not in seen:
        if current == high:
            return True
        seen.add(current)
        current = escalates[current]
    return False


def escalates_to(role: str) -> str | None:
    return chain()[role]


def looser_bands(org: Bands, team: Bands, top: float) -> bool:
    """Whether, at some level, some value is decided by a role that is not the org's
    decider nor above it in the `escalates_to` chain (integer edges: halves suffice)."""
    points = [k / 2 for k in range(int(top * 2) + 1)]
    for level in LADDER:
        for value in points:
            before, after = decider(org, level, value), decider(team, level, value)
            if after != before and not (before and after and above_in_chain(before, after)):
                return True
    return False


def rank(level: str | None) -> int:
    return -1 if level is None else LADDER.index(level)


def looser_freedoms(org: list[Any], team: list[Any]) -> bool:
    """A freedom the organisation does not grant, or granted from a lower level."""
    granted = {f["freedom"] if isinstance(f, dict) else f: f for f in org}
    for item in team:
        text = item["freedom"] if isinstance(item, dict) else item
        if text not in granted:
            return True
        before = granted[text].get("from_level") if isinstance(granted[text], dict) else None
        after = item.get("from_level") if isinstance(item, dict) else None
        if rank(after) < rank(before):
            return True
    return False


def looser_triggers(org: list[dict[str, Any]], team: list[dict[str, Any]]) -> bool:
    """A trigger dropped, a threshold that fires later, or a longer period."""
    by_id = {t["id"]: t for t in team}
    for trigger in org:
        mine = by_id.get(trigger["id"])
        if mine is None:
            return True
        later = (
            mine["threshold"] < trigger["threshold"]
            if trigger["comparison"] == "below"
            else mine["threshold"] > trigger["threshold"]
        )
        longer = (
            mine["periods"] * DAYS[mine["period"]] > trigger["periods"] * DAYS[trigger["period"]]
        )
        if later or longer:
            return True
    return False


# --- generated overlays ---------------------------------------------------------------------


@st.composite
def edge_map(draw: st.DrawFn, low: int, high: int, tops: tuple[int, ...] = ()) -> tuple[Any, int]:
    """An edge, plain or by level (non-decreasing, levels left out take the one below),
    and its highest value; `tops`: at most these per level (a tightening)."""
    tops = tops or (high,) * len(LADDER)
    if draw(st.booleans()):
        value = draw(st.integers(low, min(high, tops[0])))
        return value, value
    values = [draw(st.integers(low, min(high, tops[0])))]
    for top in tops[1:]:
        values.append(draw(st.integers(values[-1], max(values[-1], min(high, top)))))
    mapping = {"einsteiger": values[0]}
    for level, value in zip(LADDER[1:], values[1:], strict=True):
        if value != at(mapping, LADDER[LADDER.index(level) - 1]) or draw(st.booleans()):
            mapping[level] = value
    return mapping, values[-1]


def band(above: Any, up_to: Any, who: Any, org: Bands) -> dict[str, Any]:
    """A band; response time, channel, consult and inform as the org's band of that decider."""
    plain = who if isinstance(who, str) else who["einsteiger"]
    same = next((b for b in org if b["decider"] == plain), org[-1])
    result: dict[str, Any] = {} if above is None else {"above": above}
    if up_to is not None:
        result["up_to"] = up_to
    result["decider"] = who
    for key in ("consult", "inform", "response_time_hours", "channel"):
        if key in same:
            result[key] = same[key]
    return result


@st.composite
def discount_bands(draw: st.DrawFn, org: Bands, strict: bool) -> Bands:
    """Four bands over 0-100 %: the rep's edge (by level or not), then three more;
    `strict`: edges no higher and deciders no lower than the org's (mostly)."""
    if strict:
        first, highest = draw(edge_map(1, 14, (5, 10, 12)))
        second = draw(st.integers(highest + 1, 15))
        third = draw(st.integers(second + 1, 25))
        pools = [["vertrieb"], ["teamleitung", "vertriebsleitung"],
                 ["vertriebsleitung", "geschaeftsfuehrung"],
                 ["geschaeftsfuehrung", "geschaeftsfuehrung", "vertriebsleitung"]]  # fmt: skip
    else:
        first, highest = draw(edge_map(1, 14))
        second = draw(st.integers(highest + 1, 30))
        third = draw(st.integers(second + 1, 60))
        pools = [["vertrieb"] if isinstance(first, dict) else ["vertrieb", "teamleitung"],
                 ["vertrieb", "teamleitung", "vertriebsleitung", "finanzen"],
                 ["teamleitung", "vertriebsleitung", "geschaeftsfuehrung", "finanzen"],
                 ["vertriebsleitung", "geschaeftsfuehrung"]]  # fmt: skip
    deciders = [draw(st.sampled_from(pool)) for pool in pools]
    edges = [None, first, second, third, 100]
    return [band(edges[i], edges[i + 1], deciders[i], org) for i in range(4)]


@st.composite
def payment_bands(draw: st.DrawFn, org: Bands, strict: bool) -> Bands:
    """Four bands of days, the last open: the first decided by level or not."""
    by_level = [{"einsteiger": "teamleitung", "zertifiziert": "vertrieb"},
                {"einsteiger": "teamleitung", "senior": "vertrieb"}]  # fmt: skip
    if strict:
        first, highest = draw(edge_map(10, 50, (30, 30, 45)))
        second = draw(st.integers(highest + 1, 60))
        third = draw(st.integers(second + 1, 90))
        pools = [[*by_level, "teamleitung"], ["teamleitung", "vertriebsleitung"],
                 ["geschaeftsfuehrung", "geschaeftsfuehrung", "finanzen"],
                 ["geschaeftsfuehrung"]]  # fmt: skip
    else:
        first, highest = draw(edge_map(10, 50))
        second = draw(st.integers(highest + 1, 70))
        third = draw(st.integers(second + 1, 120))
        pools = [[*by_level, "vertrieb", "teamleitung"],
                 ["teamleitung", "vertriebsleitung", "finanzen"],
                 ["teamleitung", "finanzen", "vertriebsleitung", "geschaeftsfuehrung"],
                 ["finanzen", "geschaeftsfuehrung"]]  # fmt: skip
    deciders = [draw(st.sampled_from(pool)) for pool in pools]
    edges = [None, first, second, third, None]
    return [band(edges[i], edges[i + 1], deciders[i], org) for i in range(4)]


@st.composite
def freedoms(draw: st.DrawFn, org: list[Any], strict: bool) -> list[Any]:
    """Some of the organisation's freedoms, each from some level or none (`strict`: from
    the org's level or a higher one); unless strict, maybe a new one or one reworded."""
    levels = {f["freedom"] if isinstance(f, dict) else f: rank(_from(f)) for f in org}
    kept = draw(st.lists(st.sampled_from(list(levels)), min_size=1, max_size=len(levels),
                         unique=True))  # fmt: skip
    result: list[Any] = []
    for text in kept:
        choices = [lv for lv in (None, *LADDER) if not strict or rank(lv) >= levels[text]]
        level = draw(st.sampled_from(choices))
        result.append(text if level is None else {"freedom": text, "from_level": level})
    extra = None if strict else draw(st.sampled_from([None, "new", "reworded"]))
    if extra == "new":
        result.append("Geschenke an Kunden bis 500 Euro.")
    elif extra == "reworded":
        first = result[0] if isinstance(result[0], str) else result[0]["freedom"]
        result[0] = first.removesuffix(".") + " nach eigenem Ermessen."
    return result


def _from(freedom: Any) -> str | None:
    return freedom.get("from_level") if isinstance(freedom, dict) else None


@st.composite
def triggers(draw: st.DrawFn, org: list[dict[str, Any]], strict: bool) -> list[dict[str, Any]]:
    """The org's triggers, mostly kept, thresholds and periods moved (`strict`: all kept,
    each firing no later)."""
    result = []
    for trigger in org:
        if not strict and draw(st.integers(0, 5)) == 0:
            continue
        earlier = 1 if trigger["comparison"] == "below" else -1
        low, high = (0, 20) if strict else (-20, 20)
        moved = trigger["threshold"] + earlier * draw(st.integers(low, high))
        periods = trigger["periods"] + draw(st.integers(-1, 0 if strict else 1))
        result.append({**trigger, "threshold": min(100, max(1, moved)), "periods": max(1, periods)})
    return result or org[:1]


@pytest.fixture(scope="module")
def org() -> dict[str, Any]:
    return {
        name: raw(SAMPLE / folder / f"{name}.yml")
        for folder, name in (
            ("escalation-paths", "rabatt-freigabe"),
            ("escalation-paths", "zahlungsziel-freigabe"),
            ("flexible-zones", "kreative-loesungen"),
            ("underperformance", "leistungsschwaeche"),
        )
    }


@SETTINGS
@given(data=st.data())
def test_no_overlay_loosens_without_an_overlay_loosens_error(
    checker: Checker, org: dict[str, Any], data: st.DataObject
) -> None:
    team = raw(SAMPLE / TEAM_FILE)
    discount = org["rabatt-freigabe"]["bands"]
    payment = org["zahlungsziel-freigabe"]["bands"]
    zone = org["kreative-loesungen"]["freedoms"]
    steps = org["leistungsschwaeche"]["triggers"]
    strict = data.draw(st.booleans())
    which = data.draw(
        st.lists(
            st.sampled_from(["discount", "payment", "zone", "triggers"]), min_size=1, unique=True
        )
    )
    tighten: list[dict[str, Any]] = []
    looser = False
    if "discount" in which:
        bands = data.draw(discount_bands(discount, strict))
        tighten.append({"entry": "rabatt-freigabe", "why": "Geprüft.", "bands": bands})
        looser |= looser_bands(discount, bands, 100)
    if "payment" in which:
        bands = data.draw(payment_bands(payment, strict))
        tighten.append({"entry": "zahlungsziel-freigabe", "why": "Geprüft.", "bands": bands})
        looser |= looser_bands(payment, bands, 200)
    if "zone" in which:
        kept = data.draw(freedoms(zone, strict))
        tighten.append({"entry": "kreative-loesungen", "why": "Geprüft.", "freedoms": kept})
        looser |= looser_freedoms(zone, kept)
    if "triggers" in which:
        mine = data.draw(triggers(steps, strict))
        tighten.append({"entry": "leistungsschwaeche", "why": "Geprüft.", "triggers": mine})
        looser |= looser_triggers(steps, mine)
    team = {k: v for k, v in team.items() if k != "non_negotiables"} | {"tighten": tighten}

    event(f"strict: {strict}, loosens: {looser}")
    rules = checker.rules(TEAM_FILE, team)

    assert rules <= {"overlay-loosens"}, rules  # the generated overlay is otherwise valid
    assert ("overlay-loosens" in rules) == looser, tighten


# --- monotonicity -------------------------------------------------------------------------


@st.composite
def levelled_path(draw: st.DrawFn) -> tuple[dict[str, Any], bool]:
    """The discount path with generated per-level edges and deciders of the rep's band,
    and whether the oracle finds a higher level whose own range is smaller."""
    edges = {lv: draw(st.integers(1, 14)) for lv in LADDER}
    deciders = {lv: draw(st.sampled_from(["vertrieb", "vertrieb", "teamleitung"])) for lv in LADDER}
    up_to = {lv: v for i, (lv, v) in enumerate(edges.items())
             if i == 0 or v != edges[LADDER[i - 1]] or draw(st.booleans())}  # fmt: skip
    who: Any = deciders
    if len(set(deciders.values())) == 1 and draw(st.booleans()):
        who = deciders["einsteiger"]
    path = raw(SAMPLE / "escalation-paths/rabatt-freigabe.yml")
    rest = path["bands"][2:]
    second = {**path["bands"][1], "above": up_to}
    path["bands"] = [{**path["bands"][0], "up_to": up_to, "decider": who}, second, *rest]
    for key in ("examples", "cases"):
        path.pop(key, None)
    # its texts are not what is drawn here (a reference to the rep's limit would be wrong
    # where the rep decides no band)
    path["summary"] = "Rabatt nach Freigabebändern."

    def own(level: str) -> tuple[int, int] | None:  # the rep's range at a level: [0, edge]
        return (0, edges[level]) if deciders[level] == "vertrieb" else None

    smaller = False
    for low, high in itertools.pairwise(LADDER):
        mine, theirs = own(low), own(high)
        if mine is not None and (theirs is None or theirs[1] < mine[1]):
            smaller = True
    return path, smaller


@SETTINGS
@given(generated=levelled_path())
def test_level_not_monotonic_exactly_when_a_higher_level_decides_less(
    checker: Checker, generated: tuple[dict[str, Any], bool]
) -> None:
    path, smaller = generated
    (checker.folder / TEAM_FILE).unlink(missing_ok=True)  # the team's copy is another test's

    event(f"a higher level decides less: {smaller}")
    rules = checker.rules("escalation-paths/rabatt-freigabe.yml", path)

    assert rules <= {"level-not-monotonic"}, rules
    assert ("level-not-monotonic" in rules) == smaller, path["bands"][0]
