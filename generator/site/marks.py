"""The marks around a generated page's content, for the sanitiser (`sanitize.py`) to find
in the page the engine built. (Apart from the sanitiser: rendering needs no nh3.)
"""

from __future__ import annotations

import re

# raw HTML that escaped text cannot forge (it has no `<`), and a forged one inside would
# be cleaned with the rest: the first start and the last end count
START, END = "<!-- playbook:content -->", "<!-- /playbook:content -->"
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def mark_content(page: str) -> str:
    """A generated Markdown page with its content (all but the front matter) marked."""
    front = FRONT_MATTER.match(page)
    cut = front.end() if front else 0
    return f"{page[:cut]}\n{START}\n\n{page[cut:]}\n\n{END}\n"
