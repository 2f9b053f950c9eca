"""The live preview's pages, rendered again only where what they are made from changed.

A full render (`render.render_docs`) takes about half a second at 1,000 entries, and the
preview renders on every save. An entry's page is made from the entry, the playbook's
settings (all of `Playbook` but its entries: title, version, roles, glossary, onboarding)
and the entries its templates look up with `entry()`; it is rendered again only when
one of these changed. Every other page (start page, overviews, roles, glossary, tags)
lists entries and is rendered again on any change. The result is `render_docs`' own
(tests/test_serve.py holds the two to each other after edits, additions and deletions).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import jinja2

from . import render
from .model import Entry, Playbook
from .parallel import over_cores
from .search import SEARCH_DATA, search_data

Lookups = tuple[tuple[str, Entry | None], ...]  # entries a page looked up, as they were


@dataclass(frozen=True)
class EntryPage:
    entry: Entry
    lookups: Lookups
    text: str


Plan = Sequence[tuple[str, str, dict[str, Any]]]


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, so that a new environment is quick to make.

    The preview makes one per render: Jinja2 keeps the macros a template imports with the
    globals of the first render, so an environment cannot outlive its model.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:  # the bucket checks the template's checksum
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class Pages:
    """Every generated file of the preview's docs, kept from one render to the next."""

    def __init__(self) -> None:
        self.model: Playbook | None = None
        self.settings: Playbook | None = None  # the model without its entries
        self.explain = render.Abbreviations("")
        self.entry_pages: dict[str, EntryPage] = {}
        self.docs: dict[str, str] = {}
        self.assets = render.assets()
        self.compiled = CompiledTemplates()

    def render(self, model: Playbook) -> dict[str, str]:
        """What `render.render_docs(model)` gives, rendering only what changed."""
        if model == self.model:
            return self.docs
        env = render.environment(model)
        env.bytecode_cache = self.compiled
        settings = replace(model, entries=())
        if settings != self.settings:  # every page shows some of them
            self.explain = render.Abbreviations(env.get_template("_abbreviations.md.j2").render())
            self.entry_pages = {}
        by_id = {e.id: e for e in model.entries}
        plan = render.page_plan(model)
        stale = [
            page
            for page in plan
            if not _still_valid(self.entry_pages.get(page[0]), page[2].get("e"), by_id)
        ]
        made = dict(_made(env, self.explain, stale, by_id))
        docs: dict[str, str] = {}
        for path, _, context in plan:
            if path in made:
                text, lookups = made[path]
                entry = context.get("e")
                if isinstance(entry, Entry):
                    self.entry_pages[path] = EntryPage(entry, lookups, text)
                docs[path] = text
            else:
                docs[path] = self.entry_pages[path].text
        self.entry_pages = {p: self.entry_pages[p] for p in docs if p in self.entry_pages}
        docs.update(self.assets)
        docs[render.DECISIONS_SCRIPT] = render.decisions_script(model)
        docs[SEARCH_DATA] = json.dumps(search_data(model), ensure_ascii=False, sort_keys=True)
        self.model, self.settings, self.docs = model, settings, docs
        return docs


def _made(
    env: jinja2.Environment, explain: render.Abbreviations, plan: Plan, by_id: Mapping[str, Entry]
) -> list[tuple[str, tuple[str, Lookups]]]:
    """Each page of `plan` rendered, with the entries it looked up."""
    looked_up: set[str] = set()
    find: Callable[[str], Entry] = env.globals["entry"]  # type: ignore[assignment]

    def entry(entry_id: str) -> Entry:
        looked_up.add(entry_id)
        return find(entry_id)

    env.globals["entry"] = entry  # before any template is loaded: imports keep globals

    def make(part: Plan) -> list[tuple[str, tuple[str, Lookups]]]:
        made = []
        for path, name, context in part:
            looked_up.clear()
            text = explain(env.get_template(name).render(here=path, **context))
            lookups = tuple((i, by_id.get(i)) for i in sorted(looked_up))
            made.append((path, (text, lookups)))
        return made

    return [page for part in over_cores(make, plan, render.PARALLEL_FROM) for page in part]


def _still_valid(page: EntryPage | None, entry: Any, by_id: Mapping[str, Entry]) -> bool:
    """Whether an entry's page made before is still what rendering it again would give."""
    return (
        page is not None
        and page.entry == entry
        and all(by_id.get(entry_id) == then for entry_id, then in page.lookups)
    )
