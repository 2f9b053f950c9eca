"""What the site's search knows beyond the page text: model -> plain data.

The search engine (assets/javascripts/search-engine.js) gets this beside the index of the
page texts (site/search_index.py writes both):
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

from ..model.answers import answer_text
from ..model.kinds import BY_NAME, KINDS
from ..model.overlay import apply
from ..model.playbook import Entry, EscalationPath, FlexibleZone, Playbook, Team, Underperformance
from ..text import Text, labels
from .variants import live_for

# How much a match on each kind of page counts: entries (each kind its own weight, see
# kinds.py) above role pages and guides, overviews and general pages last.
ROLE, GUIDE, OVERVIEW, GENERAL = 1.0, 1.0, 0.7, 0.6
# what of the decision helper's reading words the search needs
READING = ("decimal", "thousands", "approx", "net", "units", "scales", "scaled_units")
# an underperformance trigger's units, as a rep types the value ("unter 70 %")
TRIGGER_UNITS = {"percent": "percent", "target": "percent"}


def search_data(model: Playbook) -> dict[str, Any]:
    """{"pages": {site location: {boost, summary?, terms?, situations?, answers?,
    sections?, thresholds?, definitions?, quantities?, teams?}}, "synonyms": [[...]],
    "definition": pattern of a question for a word's meaning, "numbers": how numbers with
    units read, "teams" and "levels": [{id, names, words, pages, rules}]}

    A page with `sections` is found by its sections as well (glossary terms, onboarding
    weeks); one with `thresholds` ranks higher when the query holds a number, one with
    `quantities` ({unit, minimum, maximum}) when the query holds a number whose unit and
    size fit one of them, one with `definitions` when it asks what a word means. Its
    cases' `situations` count more than its text, what is right there and why (`answers`)
    a little. A page's `teams` holds, for each team that tightens it and each level of the
    rep role it differs by (`level:<id>`), what holds there: the snippet when the query
    names that team or level.
    """
    t = labels(model.language)
    fmt = Text(model.language)
    live = live_for(model).plain
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
    own_rules = model.team_rules
    for entry in [*model.in_force, *(n for n in own_rules if n.in_force)]:
        page: dict[str, Any] = {
            "boost": BY_NAME[entry.kind].search_boost,
            # the one answer: a path's from its bands, a text's references filled in as the
            # default view shows them (no level chosen: every level's value, labelled)
            "summary": snippet(model, entry, fmt),
            "terms": [*entry.keywords, *id_words(entry.id)],
        }
        if entry.cases:  # what reps meet, and what is right there and why
            page["situations"] = [live(c.situation) for c in entry.cases]
            page["answers"] = [live(f"{c.right} {c.why}") for c in entry.cases]
        if isinstance(entry, EscalationPath):
            page["terms"] += t["search_units"][entry.quantity.unit]
            page["thresholds"] = True
            q = entry.quantity
            page["quantities"] = [{"unit": q.unit, "minimum": q.minimum, "maximum": q.maximum}]
        elif isinstance(entry, Underperformance):
            units = sorted(
                {TRIGGER_UNITS[x.unit] for x in entry.triggers if x.unit in TRIGGER_UNITS}
            )
            page["quantities"] = [{"unit": u, "minimum": 0, "maximum": None} for u in units]
        pages.setdefault(location(entry.kind, entry.id), page)
    for role in model.roles:
        pages[f"roles/{role.id}.html"] = {
            "boost": ROLE,
            "summary": live(role.description),
        }
    teams = []
    snippets = view_snippets(model)
    for team in model.teams:
        teams.append(team_words(model, team))
        for entry_id, summary in team_summaries(model, team, snippets).items():
            where = pages.get(location(model.entry(entry_id).kind, entry_id))
            if where is not None:
                where.setdefault("teams", {})[team.id] = summary
    levels = level_words(model, snippets)
    for level in levels:
        for where, summary in level.pop("summaries").items():
            pages[where].setdefault("teams", {})[level["id"]] = summary
    synonyms = [
        [term.term, *([term.abbreviation] if term.abbreviation else []), *term.synonyms]
        for term in model.terms
        if term.synonyms or (term.abbreviation and term.abbreviation != term.term)
    ]
    reading = t.get("helper_reading") or {}
    return {
        "pages": pages,
        "synonyms": synonyms + [list(group) for group in t.get("search_words", [])],
        "definition": t["search_definition"],
        "numbers": {key: reading[key] for key in READING if key in reading},
        "teams": teams,
        "levels": levels,
    }


def snippet(model: Playbook, entry: Entry, fmt: Text) -> str:
    """An entry's snippet as the default view shows it: a path's answer from its bands,
    else its summary with its references filled in (no level chosen)."""
    if isinstance(entry, EscalationPath):
        return answer_text(model, entry, fmt)
    return live_for(model).plain(entry.summary, entry.team)


def view_snippets(model: Playbook) -> dict[str, dict[str, str]]:
    """For each page whose snippet depends on the reader's team and level, the snippet of
    every view, by "team|level" ("|" the default: no team, no level chosen). The site
    shows the one of the view chosen on the device in the search results
    (search.js); pages alike in every view are left out."""
    fmt = Text(model.language)
    t = fmt.t
    live = live_for(model)
    own_rules = [n for n in model.team_rules if n.in_force]
    found: dict[str, dict[str, str]] = {}
    for entry in [*model.in_force, *(() if model.team else own_rules)]:
        texts: dict[str, str] = {"|": snippet(model, entry, fmt)}
        for view in live.views:
            key = f"{view.team.id if view.team and not model.team else ''}|{view.level}"
            if isinstance(entry, EscalationPath):
                try:
                    held = view.model.entry(entry.id)
                except KeyError:
                    continue
                assert isinstance(held, EscalationPath)
                text = answer_text(view.model, held, fmt)
                if view.level and entry.by_level:  # (resolved: say which level)
                    text = f"{t['answer']['level_line'].format(level=view.level_name)}: {text}"
                if held.team and view.team and not model.team:
                    text = f"{t['card_team'].format(team=view.team.name)}: {text}"
            else:
                text = live.at(entry.summary, view, entry.team)
            texts.setdefault(key, text)
        if len(set(texts.values())) > 1:
            found[location(entry.kind, entry.id)] = texts
    return found


def location(kind: str, entry_id: str) -> str:
    return f"{BY_NAME[kind].folder}/{entry_id}.html"


def id_words(entry_id: str) -> list[str]:
    """The words of an id, as its authors named the entry: `rabatt-obergrenze` is about a
    "Rabatt" and an "Obergrenze" (a rep typing "Rabattobergrenze" means it)."""
    return [w for w in re.split(r"[-_]+", entry_id) if len(w) > 1]


def team_words(model: Playbook, team: Team) -> dict[str, Any]:
    """What names a team in a query (its name, the words of its id, its description) and
    which pages it concerns: the entries it tightens (`pages`) and its own non-negotiables
    (`rules`, their pages at /non-negotiables/<id>.html)."""
    known = {e.id for e in model.in_force}
    tightened = {
        location(model.entry(x.entry).kind, x.entry) for x in team.tightenings if x.entry in known
    }
    own = {location(n.kind, n.id) for n in team.own_rules if n.in_force}
    return {
        "id": team.id,
        "names": [team.name, " ".join(id_words(team.id))],
        "words": [description_words(team.description, model.language)],
        "pages": sorted(tightened - own),
        "rules": sorted(own),
    }


def description_words(text: str, language: str) -> str:
    """The words of a team's description that may name it: in German its nouns (written
    with a capital: "Behörden", "Vergaberecht"), not what it does ("betreut")."""
    if language != "de":
        return text
    return " ".join(w for w in re.findall(r"[^\W\d_][\w-]*", text) if w[0].isupper())


def level_words(model: Playbook, snippets: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """The rep role's levels as the search names them, like teams: each level's name, the
    pages that differ by level (escalation paths whose bands vary by level, zones with
    freedoms granted from a level) and, for each path, what the rep decides at that level
    (the snippet when the query names the level: "Stufe Senior: bis 12 %: du selbst · …",
    from `snippets`, each view's: `view_snippets`). Ids are `level:<id>`, apart from the
    teams'."""
    found = []
    for level in model.levels_of(model.rep_role):
        summaries: dict[str, str] = {}
        for entry in model.in_force:
            where = location(entry.kind, entry.id)
            if isinstance(entry, EscalationPath) and entry.by_level:
                # the answer at that level, as a reader who chose it sees it (search.js
                # then gives a team's reader the team's at that level)
                summaries[where] = snippets[where][f"|{level.id}"]
            elif isinstance(entry, FlexibleZone) and any(entry.freedom_levels):
                summaries[where] = ""
        found.append(
            {
                "id": f"level:{level.id}",
                "names": [level.name],
                "words": [],
                "pages": sorted(summaries),
                "rules": [],
                "summaries": {k: v for k, v in summaries.items() if v},
            }
        )
    return found


def team_summaries(
    model: Playbook, team: Team, snippets: dict[str, dict[str, str]]
) -> dict[str, str]:
    """For each entry a team tightens, what holds in the team, in one line: an escalation
    path's answer as the team's reader sees it with no level chosen (from `snippets`,
    each view's: `view_snippets`; search.js knows a snippet by its text), a zone's
    freedoms, else the team's reason."""
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
            views = snippets.get(location(entry.kind, entry.id), {})
            key = f"{'' if model.team else team.id}|"  # (a team's own site names no team)
            if key in views:
                found[entry.id] = views[key]
                continue
            text = answer_text(view, entry, fmt)  # alike in every view: no view to match
        elif isinstance(entry, FlexibleZone) and "freedoms" in fields:
            live = live_for(model)
            shown = live.view_of(team.id)  # the team's, no level chosen
            text = "; ".join(live.at(f, shown).rstrip(".") for f in entry.freedoms) + "."
        found[entry.id] = f"{head}: {text}"
    return found
