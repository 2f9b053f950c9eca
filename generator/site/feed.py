"""The change log as an Atom feed (RFC 4287), `feed.xml` in the site, for reps to subscribe.

Built with ElementTree, so every text is escaped; one entry per commit that changed the
playbook's meaning. Reproducible: every date comes from the commits, none from the build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from html import escape

from ..history.releases import Release
from ..model.playbook import Playbook
from ..text import Text, labels

ATOM = "http://www.w3.org/2005/Atom"
XML = "http://www.w3.org/XML/1998/namespace"
FEED_FILE = "feed.xml"
NEWS_PAGE = "neu.md"  # "Was ist neu für mich": the change log for one role, level and team


def role_feed(role_id: str) -> str:
    """The file of one role's feed: only the changes that concern that role."""
    return f"feed-{role_id}.xml"


def for_role(releases: Sequence[Release], role_id: str) -> list[Release]:
    """The releases with only the changes that concern `role_id` (a change that names no
    role concerns everyone); releases left with none are dropped."""
    found = []
    for release in releases:
        mine = tuple(c for c in release.changes if not c.roles or role_id in c.roles)
        if mine:
            found.append(dataclasses.replace(release, changes=mine))
    return found


FEED_LIMIT = 30  # entries


def anchor(release: Release) -> str:
    """The id of a commit's section on the change-log page."""
    return f"c-{release.commit[:12]}"


def _stamp(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _summary(release: Release) -> str:
    """The changes as HTML (escaped once here, and once more as the element's text)."""
    parts = []
    for change in release.changes:
        items = "".join(f"<li>{escape(s)}</li>" for s in change.sentences)
        parts.append(f"<p><strong>{escape(change.title)}</strong></p><ul>{items}</ul>")
    return "".join(parts)


def atom(
    model: Playbook,
    releases: Sequence[Release],
    role_id: str = "",
    updated: Sequence[Release] = (),
) -> str:
    """The feed of `releases` (newest first); with `role_id`, that role's (`for_role`: the
    caller filters; it may have none), titled and linked as such. `updated`: the releases
    whose newest dates the feed (default `releases`; at least one between them)."""
    t = labels(model.language)
    page = f"{model.site_url}changelog.html"
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {f"{{{XML}}}lang": model.language})
    _sub(feed, "id", page + (f"#{role_id}" if role_id else ""))
    title = t["changelog_title"]
    if role_id:
        title = t["news_for"].format(role=model.role(role_id).name)
    _sub(feed, "title", f"{model.title} \u2013 {title}")
    _sub(feed, "subtitle", t["changelog_lead"])
    _sub(feed, "updated", _stamp(max(r.time for r in (*releases, *updated))))
    _sub(feed, "link", rel="alternate", type="text/html", href=page)
    own = role_feed(role_id) if role_id else FEED_FILE
    _sub(feed, "link", rel="self", type="application/atom+xml", href=model.site_url + own)
    author = _sub(feed, "author")
    _sub(author, "name", model.organisation)
    for release in releases[:FEED_LIMIT]:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"{page}#{release.commit}")
        titles = ", ".join(c.title for c in release.changes)
        _sub(entry, "title", f"{Text(model.language).date(release.date)}: {titles}")
        _sub(entry, "updated", _stamp(release.time))
        _sub(entry, "link", rel="alternate", type="text/html", href=f"{page}#{anchor(release)}")
        if model.repo_url:
            _sub(entry, "link", rel="related", href=f"{model.repo_url}/commit/{release.commit}")
        _sub(entry, "summary", _summary(release), type="html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"
