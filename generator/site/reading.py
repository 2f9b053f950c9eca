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

from ..model.playbook import EscalationPath, Playbook
from ..text import labels

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
    reserved = {w for phrase in _reading_words(taken) for w in words_of(phrase)}
    found: dict[str, list[str]] = {}
    for path in model.of_kind("escalation_path"):
        if not isinstance(path, EscalationPath):
            continue
        names = [path.title, path.quantity.name, *path.keywords]
        # a glossary term belongs to the path when it (or a synonym) is one of the path's
        # names or a word of its title or quantity: "Rabatt" brings "Nachlass", "Discount"
        own = {n.lower() for n in names} | set(words_of(f"{path.title} {path.quantity.name}"))
        for term in model.terms:
            spelled = [s for s in (term.term, term.abbreviation, *term.synonyms) if s]
            if any(s.lower() in own for s in spelled):
                names += spelled
        words = {w for name in names for w in words_of(name)}
        # short function words of a name ("in", "ab", "der") and the reading's own words
        # (units, filler, comparison words) are never a path's noun
        found[path.id] = sorted(w for w in words if len(w) > 2 and w not in reserved)
    return found


def _reading_words(taken: dict[str, Any]) -> list[str]:
    """Every word and phrase of a reading config (units, multipliers, filler, ...)."""
    found: list[str] = []
    for key in ("approx", "net", "filler"):
        found += taken.get(key, [])
    for key in ("units", "compare", "compare_after"):
        for phrases in taken.get(key, {}).values():
            found += phrases
    for key in ("scales", "scaled_units"):
        found += list(taken.get(key, {}))
    return [str(w) for w in found]


def reading(model: Playbook) -> dict[str, Any]:
    """What the decision helper's script reads typed values with (`data.reading`)."""
    return {**config(model.language), "nouns": nouns(model)}
