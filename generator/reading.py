"""What the decision helper reads in a typed value, shipped to its script.

The words (units, multipliers, filler, comparison words) and the number conventions
(decimal and thousands mark) live in one place: `helper_reading` in the i18n files
(site_templates/i18n/<language>.yml). On top of them come each escalation path's own
nouns (its title, its quantity's name, its keywords and the glossary's synonyms of
those words), so that "Rabatt 20 %" or "3 Klauseln" read as the value of that path.
"""

from __future__ import annotations

import re
from typing import Any

from .model import EscalationPath, Playbook
from .text import labels

# letters (with an abbreviation's dot), as the helper's script splits typed text
WORD = re.compile(r"[a-zäöüß]+\.?")


def config(language: str) -> dict[str, Any]:
    """The reading words and number conventions of one language (a fresh copy)."""
    found = labels(language).get("helper_reading")
    if not isinstance(found, dict):
        raise RuntimeError(f"i18n/{language}.yml has no helper_reading block")
    return dict(found)


def words_of(text: str) -> list[str]:
    """The words of a name as the script reads them: lower case, letters only."""
    return WORD.findall(text.lower())


def nouns(model: Playbook) -> dict[str, list[str]]:
    """Each escalation path's own words, by path id: what a rep may type around the
    value that names the thing, not the number ("Rabatt", "Zahlungsziel", "Klauseln")."""
    taken = config(model.language)
    reserved = set(taken.get("filler", ())) | {
        w for kind in taken.get("compare", {}).values() for w in kind
    }
    found: dict[str, list[str]] = {}
    for path in model.of_kind("escalation_path"):
        if not isinstance(path, EscalationPath):
            continue
        names = [path.title, path.quantity.name, *path.keywords]
        own = {w for name in names for w in words_of(name)}
        for term in model.terms:
            spelled = [term.term, term.abbreviation, *term.synonyms]
            if any(set(words_of(s)) and set(words_of(s)) <= own for s in spelled if s):
                names += spelled
        words = {w for name in names for w in words_of(name)}
        # short function words of a name ("in", "ab", "der") are filler or comparison
        # words, never a noun: "ab" in "Zahlungsziel in Tagen ab Rechnungsdatum"
        found[path.id] = sorted(w for w in words if len(w) > 2 and w not in reserved)
    return found


def reading(model: Playbook) -> dict[str, Any]:
    """What the decision helper's script reads typed values with (`data.reading`)."""
    return {**config(model.language), "nouns": nouns(model)}
