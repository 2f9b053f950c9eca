"""Prose that drifts from the bands: references to band edges, and numbers that match none.

Two checks over every free-text field of every source (a field is free text when its
schema is `defs.schema.json`'s `line` or `text`; found from the schemas, so a new field
or kind is covered without listing it here):

- references (`{path}`, `{path:role}`, see `model/refs.py`): an unknown path or role is an
  `unknown-reference`, a reference to an entry that is no escalation path or to a role
  that decides no band of the path (in no team, at no level) a `wrong-reference`;
- `text-contradicts-bands` (a warning; an error with `--strict`): a number written with
  a path's unit ("20 %", "50k", "1 Mio. EUR", "60 Tage", "3 Klauseln") as a limit
  ("bis 20 %", "über 10 %", "10-20 %", "20 % oder mehr") near that path's terms (its id,
  title, keywords, quantity name, and the glossary synonyms of those, in the same
  sentence; or anywhere in the path's own entry) that matches no band edge of the path.

Which edges count: the organisation's at every level, plus a team's where the text is
the team's own or names the team. Onboarding is read before the certification, at the
lowest level of the level role, so its numbers are held to that level's edges (plus
those of the levels a sentence names). A number a case is about (its `value`) may stand
in that case's texts, and numbers that are not stated as a limit ("will 12 % Rabatt")
are left alone.

Every problem points at the reference or the number itself, inside the text: positions
are exact for plain and quoted scalars on one line and for literal blocks (`|`), and
best effort for folded ones (`>`, or plain and quoted text over several lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from ..model import levelmaps
from ..model.kinds import ENTRY_KINDS, KIND_NAMES
from ..model.refs import Ref, refs_in
from ..parse import JsonPath, Source
from .suggest import choices, closest
from .textfields import Positions, texts
from .textnumbers import Number, numbers, sentences

RULE = "text-contradicts-bands"
PATH_KIND = "escalation_path"
WHOLE_UNITS = frozenset({"count", "days", "months"})
UNIT_NAMES = {"percent": "%", "eur": "EUR", "days": "days", "months": "months", "count": ""}

# --- what the sources say about paths ------------------------------------------------------


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _num(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Edges:
    """A path's band edges as one set of bands holds them."""

    every: frozenset[float]  # at every level
    by_level: dict[str, frozenset[float]]  # at each level of the level role
    deciders: frozenset[str]
    open_deciders: frozenset[str] = frozenset()  # who decides an open-ended band


def _edges(bands: Any, maximum: float | None, ladders: levelmaps.Ladders) -> Edges:
    ladder = levelmaps.ladder_of(bands, ladders)
    every: set[float] = set()
    deciders: set[str] = set()
    open_deciders: set[str] = set()
    for band in _list(bands):
        for name in ("above", "up_to"):
            value = _dict(band).get(name)
            for v in value.values() if isinstance(value, dict) else [value]:
                number = _num(v)
                if number is not None:
                    every.add(float(number))
        decider = _dict(band).get("decider")
        for d in decider.values() if isinstance(decider, dict) else [decider]:
            if isinstance(d, str):
                deciders.add(d)
                if _dict(band).get("up_to") is None:
                    open_deciders.add(d)
    if maximum is not None:
        every.add(float(maximum))
    by_level: dict[str, frozenset[float]] = {}
    steps = ladder[1] if ladder else ()
    for level in steps:
        resolved, _ = levelmaps.resolve(bands, steps, level)
        at = {
            float(v)
            for b in resolved
            for v in (_num(_dict(b).get("above")), _num(_dict(b).get("up_to")))
            if v is not None
        }
        by_level[level] = frozenset(at | ({float(maximum)} if maximum is not None else set()))
    return Edges(frozenset(every), by_level, frozenset(deciders), frozenset(open_deciders))


@dataclass(frozen=True)
class PathInfo:
    id: str
    unit: str
    terms: tuple[str, ...]  # lower case
    count_words: tuple[str, ...]  # for a count: the nouns it counts, lower case
    org: Edges
    teams: dict[str, Edges]  # teams that set the path's bands themselves
    level_role: str | None


# words of a quantity's name that say nothing about which path it is
_STOP = frozenset({
    "anzahl", "gesamte", "gesamten", "gegenüber", "über", "unter", "einer", "eines", "nach",
    "ohne", "with", "from", "number", "total", "amount", "the", "and", "per", "days",
    "months", "percent",
})  # fmt: skip
# a unit's own words name no path ("Tage" is a keyword of a path in days)
UNIT_WORDS = frozenset({
    "%", "prozent", "percent", "eur", "euro", "€", "tage", "tagen", "tag", "days", "day",
    "monate", "monaten", "monat", "months", "month", "stück",
})  # fmt: skip


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w-]*", text)


def _is_noun(word: Any) -> bool:
    return isinstance(word, str) and " " not in word and len(word) >= 5


def path_infos(sources: list[Source]) -> dict[str, PathInfo]:
    settings = next((s.data for s in sources if s.kind == "playbook"), None)
    ladders = levelmaps.ladders(settings)
    german = _dict(settings).get("language", "de") == "de"
    glossary = [
        _dict(t) for s in sources if s.kind == "glossary" for t in _list(_dict(s.data).get("terms"))
    ]
    team_bands: dict[str, dict[str, Any]] = {}
    for s in sources:
        team = _dict(s.data).get("id") if s.kind == "team" else None
        for tightening in _list(_dict(s.data).get("tighten")) if isinstance(team, str) else ():
            entry, bands = _dict(tightening).get("entry"), _dict(tightening).get("bands")
            if isinstance(entry, str) and isinstance(team, str) and bands is not None:
                team_bands.setdefault(entry, {})[team] = bands
    found: dict[str, PathInfo] = {}
    for s in sources:
        data = _dict(s.data)
        if s.kind != PATH_KIND or not isinstance(data.get("id"), str):
            continue
        quantity = _dict(data.get("quantity"))
        unit = quantity.get("unit")
        if not isinstance(unit, str):
            continue
        name = _str(quantity.get("name"))
        name_words = [
            w
            for w in _words(name)
            if len(w) >= 4 and (w[0].isupper() or not german) and w.lower() not in _STOP
        ]
        terms = {data["id"], *name_words}
        title = data.get("title")
        if isinstance(title, str):
            terms.add(title)
        terms |= {k for k in _list(data.get("keywords")) if isinstance(k, str)}
        lowered = {t.lower() for t in terms}
        for term in glossary:
            names = [term.get("term"), term.get("abbreviation"), *_list(term.get("synonyms"))]
            names = [n for n in names if isinstance(n, str)]
            if any(n.lower() in lowered for n in names):
                terms |= set(names)
        kept = tuple(
            sorted({t.lower() for t in terms if len(t) >= 3 and t.lower() not in UNIT_WORDS})
        )
        maximum = _num(quantity.get("maximum"))
        org = _edges(data.get("bands"), maximum, ladders)
        ladder = levelmaps.ladder_of(data.get("bands"), ladders)
        found[data["id"]] = PathInfo(
            id=data["id"],
            unit=unit,
            terms=kept,
            count_words=tuple(
                sorted(
                    {w.lower() for w in name_words}
                    | {k.lower() for k in _list(data.get("keywords")) if _is_noun(k)}
                )
            )
            if unit == "count"
            else (),
            org=org,
            teams={
                team: _edges(bands, maximum, ladders)
                for team, bands in team_bands.get(data["id"], {}).items()
            },
            level_role=ladder[0] if ladder else None,
        )
    return found


# --- references ------------------------------------------------------------------------------


def check_refs(
    source: Source,
    path: JsonPath,
    text: str,
    refs: list[Ref],
    ctx: Context,
) -> Iterator[Problem]:
    for ref in refs:
        at = (source, path, text, ref.start, ref.end)
        shown = text[ref.start : ref.end]
        info = ctx.paths.get(ref.path)
        if info is None:
            what = ctx.entries.get(ref.path)
            if what == PATH_KIND:
                continue  # a path whose file is broken: reported there
            if what is not None:
                yield ctx.positions.problem(
                    *at,
                    "wrong-reference",
                    f"`{shown}` refers to `{ref.path}`, which is {_kind_noun(what)}, not an "
                    "escalation path: only a path's bands have a value to show",
                    _path_hint(ctx),
                )
                continue
            guess = closest(ref.path, ctx.path_ids)
            yield ctx.positions.problem(
                *at,
                "unknown-reference",
                f"`{shown}` refers to an escalation path `{ref.path}` that does not exist",
                (
                    f"did you mean `{{{guess}{':' + ref.role if ref.role else ''}}}`? "
                    if guess
                    else ""
                )
                + _path_hint(ctx),
            )
            continue
        role = ref.role or ctx.rep_role
        if ctx.roles is not None and ref.role and ref.role not in ctx.roles:
            guess = closest(ref.role, ctx.roles)
            yield ctx.positions.problem(
                *at,
                "unknown-reference",
                f"`{shown}` names a role `{ref.role}` that does not exist",
                (f"did you mean `{{{ref.path}:{guess}}}`? " if guess else "")
                + f"roles are defined in playbook.yml: {choices(ctx.roles)}; "
                f"write `{{{ref.path}}}` for the {ctx.rep_role or 'rep'} role's own limit",
            )
            continue
        deciders = info.org.deciders.union(*(e.deciders for e in info.teams.values()))
        opened = info.org.open_deciders.union(*(e.open_deciders for e in info.teams.values()))
        if role in opened and not _ABOVE_BEFORE.search(text[: ref.start]):
            yield ctx.positions.problem(
                *at,
                RULE,
                f"`{shown}`: the role `{role}` decides an open-ended band of `{ref.path}`, so "
                "the reference shows where that band starts, which is still decided below it",
                f"write „über {shown}“ (or “above”), or refer to a role whose band ends",
                "warning",
            )
        if role and deciders and role not in deciders:
            yield ctx.positions.problem(
                *at,
                "wrong-reference",
                f"`{shown}`: the role `{role}` decides no band of `{ref.path}` in any team "
                "or at any level, so it would always show as nothing",
                "refer to a role that decides a band there: "
                + ", ".join(f"`{{{ref.path}:{d}}}`" for d in sorted(deciders)),
            )


# what may stand before a reference to where an open-ended band starts
_ABOVE_BEFORE = re.compile(r"(?:über|above|over|mehr als|more than|>)\s*$", re.IGNORECASE)


def _kind_noun(kind: str) -> str:
    noun = KIND_NAMES.get(kind, kind.replace("_", " "))
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _path_hint(ctx: Context) -> str:
    if not ctx.path_ids:
        return "a reference `{path}` names an escalation path; this playbook has none"
    return (
        f"a reference `{{path}}` or `{{path:role}}` names an escalation path: "
        f"{choices(ctx.path_ids)}; write `{{{{` for a literal `{{`"
    )


# --- numbers in text: textnumbers.py ---------------------------------------------------------


def _inside_words(term: str) -> bool:
    """Whether a term is found inside other words too ("Rabatt" in "Sonderrabatt")."""
    return " " not in term and "-" not in term and len(term) >= 5


def _has_term(sentence: str, term: str) -> bool:
    if _inside_words(term):
        return term in sentence
    return re.search(r"(?<![\w])" + re.escape(term), sentence) is not None


class Terms:
    """Which paths a text names, in one scan however many paths there are.

    The scan finds, at each position, the longest term standing there; each term stands
    for its own paths and those of every term inside it."""

    def __init__(self, paths: dict[str, PathInfo]) -> None:
        owners: dict[str, set[str]] = {}
        for info in paths.values():
            for term in info.terms:
                owners.setdefault(term, set()).add(info.id)
        terms = sorted(owners, key=lambda t: (-len(t), t))
        self.paths_of = {
            t: frozenset().union(*(owners[u] for u in terms if u in t and _has_term(t, u)))
            for t in terms
        }
        alternatives = [
            re.escape(t) if _inside_words(t) else r"(?<![\w])" + re.escape(t) for t in terms
        ]
        self.pattern = re.compile("(?=(" + "|".join(alternatives) + "))") if terms else None
        self.cache: dict[str, frozenset[str]] = {}

    def named(self, text: str) -> frozenset[str]:
        """The ids of the paths whose terms a (lower case) text uses."""
        if self.pattern is None or not text:
            return frozenset()
        if text not in self.cache:
            found = {m.group(1) for m in self.pattern.finditer(text)}
            self.cache[text] = frozenset().union(*(self.paths_of[t] for t in found))
        return self.cache[text]


_DIGIT = re.compile(r"\d")
_NEXT_WORDS = re.compile(r"[\s\u00a0\u202f]+([^\W\d_][\w-]*)(?:\s+([^\W\d_][\w-]*))?")


def _counts(info: PathInfo, after: str) -> int:
    """How much of the text after a number names what a count path counts (" Klauseln",
    " abweichende Klauseln"); 0 when it names something else."""
    m = _NEXT_WORDS.match(after)
    if m is None:
        return 0
    for group in (2, 1):
        word = (m[group] or "").lower()
        for noun in info.count_words:
            n = min(len(noun), len(word), 6)
            if n >= 4 and word[:n] == noun[:n]:
                return m.end(group)
    return 0


# --- the checks ------------------------------------------------------------------------------


@dataclass
class Context:
    paths: dict[str, PathInfo]
    path_ids: list[str]
    entries: dict[str, str]  # id -> kind, for every entry
    roles: set[str] | None  # None: no playbook.yml to tell
    rep_role: str
    teams: dict[str, tuple[str, ...]]  # team id -> its id and the stems of its name's words
    lowest: dict[str, str]  # level role -> its lowest level
    levels: dict[str, tuple[str, str]]  # level id -> (its role, the word that names it)
    terms: Terms
    positions: Positions = field(default_factory=Positions)


def _context(sources: list[Source], unreadable: dict[str, str]) -> Context:
    settings = next((_dict(s.data) for s in sources if s.kind == "playbook"), None)
    entries = dict(unreadable)
    for s in sources:
        data = _dict(s.data)
        if s.kind in ENTRY_KINDS and isinstance(data.get("id"), str):
            entries.setdefault(data["id"], s.kind)
        if s.kind == "team":
            for rule in _list(data.get("non_negotiables")):
                if isinstance(_dict(rule).get("id"), str):
                    entries.setdefault(rule["id"], "non_negotiable")
    paths = path_infos(sources)
    roles = None
    lowest: dict[str, str] = {}
    levels: dict[str, tuple[str, str]] = {}
    if settings is not None:
        roles = set()
        for role in _list(settings.get("roles")):
            if isinstance(_dict(role).get("id"), str):
                roles.add(role["id"])
                ladder = [_dict(lv) for lv in _list(role.get("levels"))]
                for n, lv in enumerate(ladder):
                    if isinstance(lv.get("id"), str):
                        if n == 0:
                            lowest[role["id"]] = lv["id"]
                        words = _words(lv["name"]) if isinstance(lv.get("name"), str) else []
                        word = (words[0] if words else lv["id"]).lower()
                        levels[lv["id"]] = (role["id"], word[: max(4, min(len(word), 8))])
    teams: dict[str, tuple[str, ...]] = {}
    for s in sources:
        data = _dict(s.data)
        if s.kind == "team" and isinstance(data.get("id"), str):
            stems = tuple(w.lower()[: max(4, len(w) - 2)] for w in _words(_str(data.get("name"))))
            teams[data["id"]] = (data["id"].lower(), *[w for w in stems if len(w) >= 4])
    rep = _dict(_dict(settings).get("defaults")).get("rep_role")
    return Context(
        paths=paths,
        path_ids=sorted(paths),
        entries=entries,
        roles=roles,
        rep_role=rep if isinstance(rep, str) else "",
        teams=teams,
        lowest=lowest,
        levels=levels,
        terms=Terms(paths),
    )


# The fields whose text the site, the cards and the search fill references in, for the
# reader's team and level (variants.Live); elsewhere (titles, names, channels, a team's
# reason) a reference would show as written.
FILLED_IN = frozenset({
    "summary", "rule", "why", "do", "dont", "instead", "on_breach", "freedoms", "freedom",
    "examples", "situation", "right", "note", "intro", "goal", "question", "answer",
    "description", "reached_by", "definition", "evidence", "hypothesis", "measure",
    "time_box", "stop_condition", "report",
})  # fmt: skip
NOT_FILLED_IN = {  # (kind, where the field stands, field): shown as written there
    ("team", "", "description"),
    ("team", "tighten", "why"),  # a team's reason for tightening: badges, board, helper
    ("escalation_path", "", "examples"),
    ("glossary", "terms", "definition"),  # its tooltip on every page: no team switch there
}


def filled_in(kind: str, path: JsonPath) -> bool:
    """Whether the site, the cards and the search fill live values in at `path`."""
    name = next((step for step in reversed(path) if isinstance(step, str)), "")
    top = str(path[0]) if len(path) > 1 else ""
    if (kind, top, name) in NOT_FILLED_IN or (kind, "", name) in NOT_FILLED_IN:
        return False
    return name in FILLED_IN


def _not_filled_in(source: Source, path: JsonPath, text: str, ref: Ref, ctx: Context) -> Problem:
    name = next((step for step in reversed(path) if isinstance(step, str)), "")
    shown = text[ref.start : ref.end]
    return ctx.positions.problem(
        source,
        path,
        text,
        ref.start,
        ref.end,
        "wrong-reference",
        f"`{shown}`: references are not filled in in `{name}`, which is shown as written",
        "write the value itself here; a reference can stand in a summary, a rule, its "
        "reasons, do and don't, freedoms, notes, cases and the onboarding's texts",
        "warning",  # (braces there are plain text: it may be meant)
    )


def check(sources: list[Source], unreadable_entries: dict[str, str] | None = None) -> list[Problem]:
    """References and numbers that contradict the bands, in every free-text field."""
    ctx = _context(sources, unreadable_entries or {})
    problems: list[Problem] = []
    for source in sources:
        for path, text in texts(source):
            if "{" not in text and not _DIGIT.search(text):
                continue
            refs = refs_in(text)
            if refs and not filled_in(source.kind, path):
                problems += [_not_filled_in(source, path, text, ref, ctx) for ref in refs]
                refs = []  # (its numbers are still checked)
            problems += check_refs(source, path, text, refs, ctx)
            problems += _contradictions(source, path, text, refs, ctx)
    return problems


def _owner(source: Source, path: JsonPath) -> str | None:
    """The path a text belongs to: its own entry's, or the one a team tightens."""
    data = _dict(source.data)
    if source.kind == PATH_KIND and isinstance(data.get("id"), str):
        return str(data["id"])
    if source.kind == "team" and path[:1] == ("tighten",) and len(path) > 1:
        tightenings, at = _list(data.get("tighten")), path[1]
        if isinstance(at, int) and 0 <= at < len(tightenings):
            return _str(_dict(tightenings[at]).get("entry")) or None
    return None


def _case_value(source: Source, path: JsonPath) -> float | None:
    """The value a case is about, for the texts of that case."""
    if "cases" not in path:
        return None
    at = path.index("cases")
    node: Any = source.data
    for step in path[: at + 2]:
        node = _step(node, step)
    return _num(_dict(node).get("value"))


def _step(node: Any, step: str | int) -> Any:
    """One step into raw data; None where there is nothing."""
    if isinstance(node, dict):
        return node.get(step) if isinstance(step, str) else None
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return None


def _context_text(source: Source, path: JsonPath) -> str:
    """Text read together with a field: a self-check's question with its answer."""
    if source.kind == "onboarding" and path[-1:] == ("answer",):
        node: Any = source.data
        for step in path[:-1]:
            node = _step(node, step)
        question = _dict(node).get("question")
        return question.lower() if isinstance(question, str) else ""
    return ""


def _contradictions(
    source: Source, path: JsonPath, text: str, refs: list[Ref], ctx: Context
) -> Iterator[Problem]:
    if not ctx.paths or not _DIGIT.search(text):
        return
    found = [n for n in numbers(text, [(r.start, r.end) for r in refs]) if n.limit]
    if not found:
        return
    owner = _owner(source, path)
    case_value = _case_value(source, path)
    around = _context_text(source, path)
    own_team = _dict(source.data).get("id") if source.kind == "team" else None
    onboarding = source.kind == "onboarding"
    spans = sentences(text)
    for number in found:
        if number.value == case_value:
            continue
        a, b = next(((a, b) for a, b in spans if a <= number.start < b), (0, len(text)))
        sentence = text[a:b].lower()
        named = ctx.terms.named(sentence) | ctx.terms.named(around)
        near = [
            info
            for info in (ctx.paths[i] for i in sorted(named | {owner or ""}) if i in ctx.paths)
            if (info.unit == number.unit or (info.unit == "count" and not number.unit))
            and (info.unit != "count" or _counts(info, number.after))
        ]
        if not near or (not onboarding and any(number.value in i.org.every for i in near)):
            continue  # the organisation's edges hold everywhere outside onboarding
        teams = {own_team} if isinstance(own_team, str) else set()
        teams |= {t for t, names in ctx.teams.items() if _names_team(sentence, names)}
        named_levels = {lv for lv, (_, word) in ctx.levels.items() if word in sentence}
        allowed: set[float] = set()
        shown: list[tuple[PathInfo, set[float], str]] = []
        for info in near:
            edges_of, scope_of = _allowed(info, teams, onboarding, named_levels, ctx)
            allowed |= edges_of
            shown.append((info, edges_of, scope_of))
        if _matches(number, allowed, near):
            continue
        info, edges, scope = next(
            (s for s in shown if s[0].id == owner),
            min(shown, key=lambda s: _distance(sentence, s[0])),
        )
        end = number.end + (_counts(info, number.after) if info.unit == "count" else 0)
        written = text[number.start : end]
        unit = UNIT_NAMES.get(info.unit, "")
        listed = ", ".join(_fmt(v) for v in sorted(edges)) + (f" {unit}" if unit else "")
        ref = "{" + info.id + "}"
        yield ctx.positions.problem(
            source,
            path,
            text,
            number.start,
            end,
            RULE,
            f"`{written}` matches no edge of `{info.id}`{scope} ({listed})",
            f"write `{ref}` (or `{{{info.id}:ROLE}}`) to show the live value, "
            "or correct the number to one of the edges",
            "warning",
        )


def _names_team(sentence: str, names: tuple[str, ...]) -> bool:
    """Whether a sentence names a team: its id, or every word of its name (inflected)."""
    return names[0] in sentence or (len(names) > 1 and all(w in sentence for w in names[1:]))


def _matches(number: Number, allowed: set[float], near: list[PathInfo]) -> bool:
    """Whether a number is an edge; in whole units (counts, days, months) "ab 3" is the
    edge "über 2" too."""
    if number.value in allowed or number.value == 0:
        return True
    whole = all(info.unit in WHOLE_UNITS for info in near)
    return whole and number.value.is_integer() and number.value - 1 in allowed


def _distance(sentence: str, info: PathInfo) -> int:
    hits = [sentence.find(t) for t in info.terms if t in sentence]
    return min(hits) if hits else len(sentence)


def _fmt(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def _allowed(
    info: PathInfo, teams: set[str], onboarding: bool, named_levels: set[str], ctx: Context
) -> tuple[set[float], str]:
    """The edges a number may match, and how the message names where they hold."""
    sets = [info.org, *(info.teams[t] for t in sorted(teams) if t in info.teams)]
    where = ""
    if teams & set(info.teams):
        where = " in the organisation or " + ", ".join(
            f"team `{t}`" for t in sorted(teams & set(info.teams))
        )
    if onboarding and info.level_role and info.level_role in ctx.lowest:
        levels = {ctx.lowest[info.level_role]} | {
            lv for lv in named_levels if ctx.levels[lv][0] == info.level_role
        }
        edges: set[float] = set()
        for s in sets:
            for level in levels:
                edges |= s.by_level.get(level, s.every)
        names = ", ".join(f"`{lv}`" for lv in sorted(levels))
        return edges, f"{where} at level {names}, where onboarding is read"
    return set().union(*(s.every for s in sets)), where
