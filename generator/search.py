"""What the site's search knows beyond the page text: model -> plain data.

The search worker (site_templates/search/worker.js) gets this beside Material's index:
for each page how much it counts, its one-line answer (the result's snippet) and the
words reps type for it that the page does not show (an entry's `keywords` and the words
of its id, the unit of an escalation path); the situations of its cases; the glossary's
synonym groups and the language's own (`search_words` in the i18n files), which widen
every query; how a number with its unit reads (the decision helper's words,
`helper_reading`) and which pages it fits; and each team's words and pages.
"""

from __future__ import annotations

import re
from typing import Any

from .kinds import BY_NAME, KINDS
from .model import (
    Band,
    EscalationPath,
    FlexibleZone,
    NonNegotiable,
    Playbook,
    QualificationRule,
    Team,
    Underperformance,
)
from .overlay import apply
from .text import Text, labels

# How much a match on each kind of page counts: entries (each kind its own weight, see
# kinds.py) above role pages and guides, overviews and general pages last.
ROLE, GUIDE, OVERVIEW, GENERAL = 1.0, 1.0, 0.7, 0.6
# in the generated docs, for the build to put into the search index (not a page of its own)
SEARCH_DATA = "playbook-search.json"
# what of the decision helper's reading words the search needs
READING = ("decimal", "thousands", "approx", "net", "units", "scales", "scaled_units")
# an underperformance trigger's units, as a rep types the value ("unter 70 %")
TRIGGER_UNITS = {"percent": "percent", "target": "percent"}


def search_data(model: Playbook) -> dict[str, Any]:
    """{"pages": {site location: {boost, summary?, terms?, situations?, sections?,
    thresholds?, definitions?, quantities?, teams?}}, "synonyms": [[...]], "definition":
    pattern of a question for a word's meaning, "numbers": how numbers with units read,
    "teams": [{id, names, words, pages}]}

    A page with `sections` is found by its sections as well (glossary terms, onboarding
    weeks); one with `thresholds` ranks higher when the query holds a number, one with
    `quantities` ({unit, minimum, maximum}) when the query holds a number whose unit and
    size fit one of them, one with `definitions` when it asks what a word means. A page's
    `teams` holds, for each team that tightens it, what holds there: the snippet when the
    query names that team.
    """
    t = labels(model.language)
    words = t["search_pages"]
    pages: dict[str, dict[str, Any]] = {
        "index.html": {"boost": GUIDE, "terms": words["index"]},
        "roles/index.html": {"boost": OVERVIEW, "terms": words["roles"]},
        "glossary.html": {
            "boost": GENERAL,
            "terms": words["glossary"],
            "sections": True,
            "definitions": True,
        },
    }
    if model.onboarding:
        pages["onboarding.html"] = {
            "boost": GUIDE,
            "terms": [t["onboarding"], *words["onboarding"]],  # its name in the navigation
            "sections": True,
        }
    for kind in KINDS:
        pages[f"{kind.folder}/index.html"] = {"boost": OVERVIEW, "terms": words[kind.name]}
    own_rules = [n for team in model.teams for n in team.non_negotiables if n.status != "draft"]
    for entry in [*model.in_force, *(n for n in own_rules if n.in_force)]:
        page: dict[str, Any] = {
            "boost": BY_NAME[entry.kind].search_boost,
            "summary": entry.summary,
            "terms": [*entry.keywords, *id_words(entry.id)],
        }
        if entry.cases:
            page["situations"] = [f"{c.situation} {c.right} {c.why}" for c in entry.cases]
        if isinstance(entry, EscalationPath):
            page["terms"] += t["search_units"][entry.quantity.unit]
            page["thresholds"] = True
            q = entry.quantity
            page["quantities"] = [{"unit": q.unit, "minimum": q.minimum, "maximum": q.maximum}]
        elif isinstance(entry, Underperformance):
            units = sorted({TRIGGER_UNITS[x.unit] for x in entry.triggers if x.unit in TRIGGER_UNITS})
            page["quantities"] = [{"unit": u, "minimum": 0, "maximum": None} for u in units]
        pages.setdefault(location(entry.kind, entry.id), page)
    for role in model.roles:
        pages[f"roles/{role.id}.html"] = {"boost": ROLE, "summary": role.description}
    teams = []
    for team in model.teams:
        teams.append(team_words(model, team))
        for entry_id, summary in team_summaries(model, team).items():
            where = pages.get(location(model.entry(entry_id).kind, entry_id))
            if where is not None:
                where.setdefault("teams", {})[team.id] = summary
    synonyms = [
        [t.term, *([t.abbreviation] if t.abbreviation else []), *t.synonyms]
        for t in model.terms
        if t.synonyms or (t.abbreviation and t.abbreviation != t.term)
    ]
    reading = t.get("helper_reading") or {}
    return {
        "pages": pages,
        "synonyms": synonyms + [list(group) for group in t.get("search_words", [])],
        "definition": t["search_definition"],
        "numbers": {key: reading[key] for key in READING if key in reading},
        "teams": teams,
    }


def location(kind: str, entry_id: str) -> str:
    return f"{BY_NAME[kind].folder}/{entry_id}.html"


def id_words(entry_id: str) -> list[str]:
    """The words of an id, as its authors named the entry: `rabatt-obergrenze` is about a
    "Rabatt" and an "Obergrenze" (a rep typing "Rabattobergrenze" means it)."""
    return [w for w in re.split(r"[-_]+", entry_id) if len(w) > 1]


def team_words(model: Playbook, team: Team) -> dict[str, Any]:
    """What names a team in a query and which pages it concerns: the entries it tightens
    and its own non-negotiables (their pages at /non-negotiables/<id>.html)."""
    known = {e.id for e in model.in_force}
    tightened = [location(model.entry(x.entry).kind, x.entry) for x in team.tightenings if x.entry in known]
    own = [location(n.kind, n.id) for n in team.non_negotiables if n.status != "draft" and n.in_force]
    return {
        "id": team.id,
        "names": [team.name, *id_words(team.id)],
        "words": [team.description, *(x.why for x in team.tightenings)],
        "pages": sorted(set(tightened + own)),
    }


def team_summaries(model: Playbook, team: Team) -> dict[str, str]:
    """For each entry a team tightens, what holds in the team, in one line: an escalation
    path's bands ("bis 3 %: du selbst · über 3 % bis 10 %: Teamleitung · …", the rep's
    own range at each level), a zone's freedoms, else the team's reason."""
    view = apply(model, team.id)
    fmt = Text(model.language)
    t = fmt.t
    head = t["card_team"].format(team=team.name)
    found: dict[str, str] = {}
    for tightening in team.tightenings:
        try:
            entry = view.entry(tightening.entry)
        except KeyError:
            continue  # an unknown entry is reported by validation
        if not entry.in_force:
            continue
        fields = {name for name, _ in tightening.fields}
        text = tightening.why
        if isinstance(entry, EscalationPath) and fields & {"bands", "by_level", "level_role"}:
            text = path_values(view, entry, fmt)
        elif isinstance(entry, FlexibleZone) and "freedoms" in fields:
            text = "; ".join(f.rstrip(".") for f in entry.freedoms) + "."
        elif isinstance(entry, QualificationRule | NonNegotiable | Underperformance):
            text = tightening.why
        found[entry.id] = f"{head}: {text}"
    return found


def path_values(model: Playbook, path: EscalationPath, fmt: Text) -> str:
    """A path's bands in one line, for the lowest level; where the rep's own first band
    reaches further at higher levels, each level's reach in brackets."""
    t = fmt.t
    parts = [band_text(model, band, path, fmt) for band in path.bands]
    reach = []
    levels = {lv.id: lv.name for lv in model.levels_of(path.level_role or "")}
    for lb in path.by_level[1:]:
        first = lb.bands[0] if lb.bands else None
        if first is not None and first.decider == model.rep_role and first != path.bands[0]:
            name = levels.get(lb.level, lb.level)
            reach.append(f"{t['as_level'].format(level=name)}: {fmt.band_range(first, path.quantity)}")
    if reach and parts:
        parts[0] += f" ({', '.join(reach)})"
    return " · ".join(parts)


def band_text(model: Playbook, band: Band, path: EscalationPath, fmt: Text) -> str:
    if band.decider == model.rep_role:
        who = fmt.t["helper_self_short"]
    else:
        roles = {r.id: r.name for r in model.roles}
        who = roles.get(band.decider, band.decider)
    return f"{fmt.band_range(band, path.quantity)}: {who}"
