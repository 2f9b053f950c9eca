"""Checks within one file: its id against its name, ids unique within a list, counts and
numbering that must agree, and words older YAML tools read as booleans."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath
from urllib.parse import urlsplit

from ...errors import Problem
from ...model.kinds import ENTRY_KINDS
from ...parse import Source
from .data import as_dict, as_list


def file_name(source: Source) -> Iterator[Problem]:
    entry_id = as_dict(source.data).get("id")
    stem = PurePath(source.file).stem
    if source.kind in (*ENTRY_KINDS, "team") and isinstance(entry_id, str) and entry_id != stem:
        yield source.problem(
            ("id",),
            "id-mismatch",
            f"id `{entry_id}` differs from the file name `{PurePath(source.file).name}`",
            f"rename the file to `{entry_id}.yml` or set `id: {stem}`",
        )


def local_ids(source: Source) -> Iterator[Problem]:
    data = as_dict(source.data)
    for field in ("criteria", "triggers", "steps"):
        seen: set[str] = set()
        for i, item in enumerate(as_list(data.get(field))):
            item_id = as_dict(item).get("id")
            if isinstance(item_id, str) and item_id in seen:
                yield source.problem(
                    (field, i, "id"),
                    "duplicate-id",
                    f"`{item_id}` is used twice in `{field}`",
                    "give each item its own id",
                )
            elif isinstance(item_id, str):
                seen.add(item_id)
    criteria = [as_dict(c) for c in as_list(data.get("criteria"))]
    optional = sum(1 for c in criteria if c.get("required") is False)
    needed = data.get("optional_min")
    if isinstance(needed, int) and not isinstance(needed, bool) and needed > optional:
        yield source.problem(
            ("optional_min",),
            "bad-value",
            f"asks for {needed} optional criteria, but only {optional} exist",
            f"lower `optional_min` to at most {optional}, or add optional criteria",
        )
    weeks = [as_dict(w).get("week") for w in as_list(data.get("weeks"))]
    if source.kind == "onboarding" and all(isinstance(w, int) for w in weeks):
        expected = list(range(1, len(weeks) + 1))
        if weeks != expected:
            yield source.problem(
                ("weeks",),
                "bad-value",
                f"weeks are numbered {weeks}, expected {expected}",
                "number the weeks 1, 2, 3 ... in order",
            )


def yaml11_words(source: Source) -> Iterator[Problem]:
    for path in source.yaml11_words:
        word = source.data
        for part in path:
            word = word[part]
        yield source.problem(
            path,
            "yaml11-boolean",
            f'`{word}` is read as the text "{word}" (older YAML tools read it as a boolean)',
            f'write "{word}" in quotes if you mean the text, or true/false for yes/no',
            severity="warning",
        )


PLACEHOLDER_DOMAINS = ("example.com", "example.net", "example.org")  # RFC 2606


def placeholder_site_url(source: Source) -> Iterator[Problem]:
    """`site_url` still the starter's placeholder: every printed card's QR code and short
    link would point there."""
    url = as_dict(source.data).get("site_url")
    if source.kind != "playbook" or not isinstance(url, str):
        return
    host = urlsplit(url).hostname or ""
    if any(host == d or host.endswith("." + d) for d in PLACEHOLDER_DOMAINS):
        yield source.problem(
            ("site_url",),
            "placeholder-site-url",
            f"site_url `{url}` is a placeholder: the QR codes and short links on every printed "
            "card would point to it",
            "set the address the site is published at, e.g. https://org.github.io/playbook/",
            severity="warning",
        )
