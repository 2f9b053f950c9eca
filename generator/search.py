"""What the site's search knows beyond the page text: model -> plain data.

The search worker (site_templates/search/worker.js) gets this beside Material's index:
for each page how much it counts, its one-line answer (the result's snippet) and the
words reps type for it that the page does not show (an entry's `keywords`, the unit of
an escalation path); and the glossary's synonym groups, which widen every query.
"""

from __future__ import annotations

from typing import Any

from .kinds import BY_NAME, KINDS
from .model import EscalationPath, Playbook
from .text import labels

# How much a match on each kind of page counts: entries (each kind its own weight, see
# kinds.py) above role pages and guides, overviews and general pages last.
ROLE, GUIDE, OVERVIEW, GENERAL = 1.0, 1.0, 0.7, 0.6
# in the generated docs, for the build to put into the search index (not a page of its own)
SEARCH_DATA = "playbook-search.json"


def search_data(model: Playbook) -> dict[str, Any]:
    """{"pages": {site location: {boost, summary?, terms?, sections?, thresholds?}},
    "synonyms": [[...]], "definition": pattern of a question for a word's meaning}

    A page with `sections` is found by its sections as well (glossary terms, onboarding
    weeks); one with `thresholds` ranks higher when the query holds a number, one with
    `definitions` when it asks what a word means.
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
    for entry in model.in_force:
        page: dict[str, Any] = {
            "boost": BY_NAME[entry.kind].search_boost,
            "summary": entry.summary,
            "terms": list(entry.keywords),
        }
        if isinstance(entry, EscalationPath):
            page["terms"] += t["search_units"][entry.quantity.unit]
            page["thresholds"] = True
        pages[f"{BY_NAME[entry.kind].folder}/{entry.id}.html"] = page
    for role in model.roles:
        pages[f"roles/{role.id}.html"] = {"boost": ROLE, "summary": role.description}
    synonyms = [
        [t.term, *([t.abbreviation] if t.abbreviation else []), *t.synonyms]
        for t in model.terms
        if t.synonyms or (t.abbreviation and t.abbreviation != t.term)
    ]
    return {"pages": pages, "synonyms": synonyms, "definition": t["search_definition"]}
