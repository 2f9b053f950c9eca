"""Where a long word in a card's or the poster's title may break: soft hyphens (U+00AD)
at the points of the language's hyphenation patterns (pyphen, LibreOffice's dictionaries).

The Typst templates use them only for a title whose words do not fit whole
(`site_templates/cards/fit.typ`); a soft hyphen prints as "-" at a break and as nothing
elsewhere.
"""

from __future__ import annotations

import re
from functools import cache

SOFT_HYPHEN = "\u00ad"
# the fix for a title no size fits, on a card and on the poster alike
WIDE_TITLE_HINT = (
    "shorten the title's longest word, or break it where it may be broken with a hyphen or "
    "a soft hyphen (\\u00ad in a YAML double-quoted string)"
)
LONG = 8  # shorter words are not broken
WORD = re.compile(rf"[^\W\d_]{{{LONG},}}")


@cache
def _dictionary(language: str) -> object | None:
    import pyphen

    found = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=found) if found else None


def breakable(text: str, language: str) -> str:
    """`text` with soft hyphens where its long words may break (unchanged for a language
    without patterns, and where a soft hyphen is already written)."""
    dictionary = _dictionary(language)
    if dictionary is None or SOFT_HYPHEN in text:
        return text
    inserted = dictionary.inserted  # type: ignore[attr-defined]
    return WORD.sub(lambda word: str(inserted(word.group(), hyphen=SOFT_HYPHEN)), text)
