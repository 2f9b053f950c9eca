""" "Was ist neu für mich": the change log as facts, for the reader's role, level and team.

The items come from the same semantic diff as the change log (`history/releases.py`):
each merged change with its date ("Seit 03.11.2026") and what it means, never an
approval it needed. Each item carries classes saying whom it concerns, and the page's
script (`assets/javascripts/news.js`) shows a reader only theirs:

- `pb-news-role--<role>` for each role the entry concerns (`changes/compare.py: concerns`),
  or `pb-news-role--all`;
- `pb-news-level--<level>` for each level its sentences are for, or `pb-news-level--all`;
- `pb-news-team--<team>` on a change of that team's own file (only its readers see it), and
  `pb-news-same-for--<team>` where a team's own version of the entry did not change (its
  readers' corridor is as it was).

Without script (or a choice), every item shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..history.releases import Version

LIMIT = 60  # items: about half a year of an active playbook


@dataclass(frozen=True)
class NewsItem:
    date: dt.date
    id: str  # the entry's id (linked when it still exists), or the file's name
    title: str
    sentences: tuple[str, ...]
    classes: str


def news_items(versions: Sequence[Version], limit: int = LIMIT) -> list[NewsItem]:
    """The newest merged changes, newest first, with whom each concerns as classes."""
    items: list[NewsItem] = []
    for version in versions:
        for release in version.releases:
            if release.first:  # the playbook's beginning: everything would be news
                continue
            for change in release.changes:
                said = change.weighed  # neutral ones (an example, a case) are no news
                if not said:
                    continue
                classes = ["pb-news-item"]
                if change.kind == "team":
                    classes.append(f"pb-news-team--{change.id.removesuffix('.yml')}")
                classes += [f"pb-news-role--{r}" for r in change.roles or ("all",)]
                classes += [f"pb-news-level--{lv}" for lv in change.level_ids or ("all",)]
                classes += [f"pb-news-same-for--{team}" for team in change.unchanged_for]
                items.append(
                    NewsItem(release.date, change.id, change.title, said, " ".join(classes))
                )  # fmt: skip
    return items[:limit]
