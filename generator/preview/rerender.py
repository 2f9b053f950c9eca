"""The live preview's pages, rendered again only where what they are made from changed.

A full render (`render.render_docs`) takes about half a second at 1,000 entries, and the
preview renders on every save. An entry's page is made from the entry, the playbook's
settings (all of `Playbook` but its entries: title, version, roles, glossary, onboarding)
and the entries its templates look up with `entry()`; it is rendered again only when
one of these changed, or a path that some text references as a live value (model/refs.py).
Every other page (start page, overviews, roles, glossary, tags) lists entries and is
rendered again on any change. So an entry's template must reach
other entries through `entry()` only (not `pb.entries`). The result is `render_docs`'
own (tests/test_serve.py holds the two to each other after every sort of change).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import jinja2

from ..model.matrix import decision_matrix
from ..model.playbook import Entry, Playbook
from ..model.refs import paths_referenced
from ..runtime.parallel import over_cores
from ..site import render, scripts
from ..site.templates import environment

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
    """Every generated file of the preview's docs, kept from one render to the next.

    `render` may leave pages as they were for a while (`stale`): the preview renders the
    pages people look at first and the others with `render_stale` a few at a time.
    """

    def __init__(self) -> None:
        self.model: Playbook | None = None
        self.settings: Playbook | None = None  # the model without its entries
        self.env: jinja2.Environment | None = None
        self.looked_up: set[str] = set()  # the entries the page being rendered looked up
        self.explain = render.Abbreviations("")
        self.plan: dict[str, tuple[str, dict[str, Any]]] = {}  # path -> template, context
        self.by_id: dict[str, Entry] = {}
        self.entry_pages: dict[str, EntryPage] = {}
        self.texts: dict[str, str] = {}  # each page as last rendered
        self.stale: set[str] = set()  # pages whose text is not yet the model's
        self.extras: dict[str, str] = {}  # assets, the helper's data, the snippets
        self.assets = scripts.assets()
        self.compiled = CompiledTemplates()

    def render(self, model: Playbook, urgent: Container[str] | None = None) -> dict[str, str]:
        """The docs of `model`: what `render.render_docs(model)` gives, rendering only what
        changed; with `urgent`, only those pages (and new ones) for now."""
        if model != self.model:
            self._follow(model)
        wanted = self.stale if urgent is None else {p for p in self.stale if p in urgent}
        self._render(wanted | (self.stale - self.texts.keys()))
        return self.docs()

    def render_stale(self, paths: Iterable[str]) -> dict[str, str]:
        """The docs, with these pages rendered for the model if they were stale."""
        self._render(self.stale.intersection(paths))
        return self.docs()

    def docs(self) -> dict[str, str]:
        return {**{path: self.texts[path] for path in self.plan}, **self.extras}

    def _follow(self, model: Playbook) -> None:
        """Take `model` as the one to render: which pages are stale now."""
        self.env, self.looked_up = _recording(environment(model))
        self.env.bytecode_cache = self.compiled
        settings = replace(model, entries=())
        if settings != self.settings:  # every page shows some of them
            template = self.env.get_template("_abbreviations.md.j2")
            self.explain = render.Abbreviations(template.render())
            self.entry_pages = {}
        by_id = {e.id: e for e in model.entries}
        # a live value (`{rabatt-freigabe}`) shows another path's bands on any page that
        # holds it: when a referenced path changes, every page may show it
        referenced = paths_referenced((repr(settings), repr(model.entries)))
        if any(self.by_id.get(i) != by_id.get(i) for i in referenced):
            self.entry_pages = {}
        self.by_id = by_id
        self.plan = {path: (name, context) for path, name, context in render.page_plan(model)}
        self.stale = {
            path
            for path, (_, context) in self.plan.items()
            if not _still_valid(self.entry_pages.get(path), context.get("e"), self.by_id)
        }
        self.texts = {path: text for path, text in self.texts.items() if path in self.plan}
        self.entry_pages = {p: page for p, page in self.entry_pages.items() if p in self.plan}
        self.extras = {
            **self.assets,
            scripts.MATRIX_SCRIPT: scripts.matrix_script(decision_matrix(model)),
            scripts.DECISIONS_SCRIPT: scripts.decisions_script(model),
            scripts.SNIPPETS_SCRIPT: scripts.snippets_script(model),
        }
        self.model, self.settings = model, settings

    def _render(self, paths: set[str]) -> None:
        if not paths or self.env is None:
            return
        part = [(path, *self.plan[path]) for path in self.plan if path in paths]
        assert self.model is not None  # followed with the environment
        maker = PageMaker(self.model, (self.env, self.explain, self.looked_up))
        made = _made(maker, part)
        for path, (text, lookups) in made:
            entry = self.plan[path][1].get("e")
            if isinstance(entry, Entry):
                self.entry_pages[path] = EntryPage(entry, lookups, text)
            self.texts[path] = text
        self.stale -= paths


def _recording(env: jinja2.Environment) -> tuple[jinja2.Environment, set[str]]:
    """`env`, noting each entry its templates look up with `entry()` in the set.

    Before any template is loaded: a template keeps the globals of the first render in
    the macros it imports."""
    looked_up: set[str] = set()
    find: Callable[[str], Entry] = env.globals["entry"]  # type: ignore[assignment]

    def entry(entry_id: str) -> Entry:
        looked_up.add(entry_id)
        return find(entry_id)

    env.globals["entry"] = entry
    return env, looked_up


class PageMaker:
    """Renders pages, each with the entries it looked up (`_recording`).

    Picklable, so that it runs in worker processes however they are started
    (runtime/parallel.py): pickled, it carries only the model, and a spawned worker makes
    its own recording environment from it on its first part.
    """

    Tools = tuple[jinja2.Environment, render.Abbreviations, set[str]]

    def __init__(self, model: Playbook, tools: Tools | None = None) -> None:
        self.model, self._tools = model, tools
        self.by_id = {e.id: e for e in model.entries}

    def tools(self) -> Tools:
        if self._tools is None:
            env, looked_up = _recording(environment(self.model))
            explain = render.Abbreviations(env.get_template("_abbreviations.md.j2").render())
            self._tools = (env, explain, looked_up)
        return self._tools

    def __call__(self, part: Plan) -> list[tuple[str, tuple[str, Lookups]]]:
        env, explain, looked_up = self.tools()
        made = []
        for path, name, context in part:
            looked_up.clear()
            text = render.page_text(
                explain(env.get_template(name).render(here=path, **context)), path
            )
            lookups = tuple((i, self.by_id.get(i)) for i in sorted(looked_up))
            made.append((path, (text, lookups)))
        return made

    def __getstate__(self) -> dict[str, Any]:
        return {"model": self.model}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.model, self._tools = state["model"], None
        self.by_id = {e.id: e for e in self.model.entries}


def _made(maker: PageMaker, plan: Plan) -> list[tuple[str, tuple[str, Lookups]]]:
    """Each page of `plan` rendered, with the entries it looked up."""
    return [page for part in over_cores(maker, plan, render.PARALLEL_FROM) for page in part]


def _still_valid(page: EntryPage | None, entry: Any, by_id: Mapping[str, Entry]) -> bool:
    """Whether an entry's page made before is still what rendering it again would give."""
    return (
        page is not None
        and page.entry == entry
        and all(by_id.get(entry_id) == then for entry_id, then in page.lookups)
    )
