"""What each generated page depends on, as a cache key (runtime/cache.py): a page served from the
cache must be the page the templates would render now.

A page's key covers
- the tool: its version, its code and its page templates and UI texts (any edit to them
  changes every key, so a checkout being worked on never serves a stale page);
- everything model-wide but the entries (title, language, roles, glossary, onboarding,
  settings): every page may show some of it (role names, abbreviations, the version);
- the page's path, template and context, walked: an entry in it counts with all its data
  and its history; where the template looks entries up by id (`entry(…)`, found in its
  syntax tree with the macros it imports), so do the entries each one names (a related
  entry, a successor, a bound: their titles are shown), and a text that is an entry's id;
- for a kind's overview, which reads the model itself, every entry of that kind; a
  template that reads more of the model than that gets every entry in its key;
- in every key, the paths that any text references as a live value (`{rabatt-freigabe}`,
  refs.py): a text shows their bands wherever it stands.

When unsure, more goes into the key: a needless render costs a millisecond, a stale page
is wrong.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache as memoized
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from .. import __version__
from ..model.kinds import BY_NAME, ENTRY_KINDS
from ..model.playbook import Entry, Playbook
from ..model.refs import paths_referenced
from ..resources import template_dir
from ..runtime.cache import files_digest, key

FORMAT = "pages/2"  # change when what goes into a key changes
QUOTED_NAME = re.compile(r"'([a-z0-9][a-z0-9_-]*)'")  # an id as repr() shows it
# templates that read entries from the model (`pb.of_kind(kind)`), not from their context
READS_KIND = frozenset({"kind_index.md.j2"})
# what templates may read from `pb` in any page: all of it is in every key
MODEL_FIELDS = tuple(f.name for f in dataclasses.fields(Playbook) if f.name != "entries")
MODEL_WIDE = frozenset({*MODEL_FIELDS, "role"})
# what a kind's overview reads from `pb` besides: the entries of its kind
KIND_READS = frozenset({"of_kind", "retired_of_kind"})
# entry pages read the history (`trails`) of their own entry, which is in its digest
ENTRY_PAGES = frozenset(BY_NAME[kind].page_template for kind in ENTRY_KINDS)
ABBREVIATIONS = "_abbreviations.md.j2"  # rendered once, its lines added to every page


@memoized
def tool_digest() -> str:
    """The tool's version, code, page templates and UI texts."""
    package = Path(__file__).resolve().parent
    pages, texts = template_dir() / "pages", template_dir() / "i18n"
    return key(__version__, files_digest(package, pattern="*.py"), files_digest(pages, texts))


@dataclass(frozen=True)
class Reads:
    """What a template, with the macros it imports, takes from outside its context."""

    names: frozenset[str]  # globals and variables: `entry`, `pb`, `trails` ...
    model: frozenset[str]  # attributes of `pb` (`pb.title`, `pb.of_kind(…)`)
    whole_model: bool  # `pb` itself handed on (to a macro, a filter): anything may be read


def _names(node: nodes.Node) -> set[str]:
    return {n.name for n in node.find_all(nodes.Name)}


def _model(node: nodes.Node) -> tuple[set[str], bool]:
    attrs = [g.attr for g in node.find_all(nodes.Getattr) if _is_pb(g.node)]
    uses = sum(1 for n in node.find_all(nodes.Name) if n.name == "pb")
    return set(attrs), uses > len(attrs)


def _is_pb(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.name == "pb"


@memoized
def _parsed(template: str) -> nodes.Template:
    source = (template_dir() / "pages" / template).read_text("utf-8")
    return jinja2.Environment().parse(source)


@memoized
def _macro_reads(template: str) -> dict[str, tuple[set[str], set[str], bool]]:
    """Each macro of `template` with what it reads, macros it calls included."""
    macros = {m.name: m for m in _parsed(template).find_all(nodes.Macro)}
    reads = {name: (_names(m), *_model(m)) for name, m in macros.items()}
    changed = True
    while changed:  # until the macros calling macros have taken up what those read
        changed = False
        for name, (used, attrs, whole) in reads.items():
            for callee in used & macros.keys() - {name}:
                more_used, more_attrs, more_whole = reads[callee]
                if not (more_used <= used and more_attrs <= attrs and more_whole <= whole):
                    used, attrs, whole = used | more_used, attrs | more_attrs, whole or more_whole
                    reads[name] = (used, attrs, whole)
                    changed = True
    return reads


@memoized
def reads(template: str) -> Reads:
    """What `template` reads beyond its context; an import of a whole file, an include or
    an extends takes in all that file reads."""
    tree = _parsed(template)
    used = _names(tree)
    attrs, whole = _model(tree)
    pulled: list[tuple[set[str], set[str], bool]] = []
    for node in tree.find_all((nodes.FromImport, nodes.Import, nodes.Include, nodes.Extends)):
        name = getattr(node, "template", None)
        other = name.value if isinstance(name, nodes.Const) else None
        if not isinstance(other, str):  # a computed name: it may read anything
            return Reads(frozenset(used | {"entry"}), frozenset(attrs), True)
        macros = _macro_reads(other)
        wanted = [n if isinstance(n, str) else n[0] for n in getattr(node, "names", ())]
        if isinstance(node, nodes.FromImport) and all(n in macros for n in wanted):
            pulled += [macros[n] for n in wanted]
        else:
            found = reads(other)
            pulled.append((set(found.names), set(found.model), found.whole_model))
    for more_used, more_attrs, more_whole in pulled:
        used, attrs, whole = used | more_used, attrs | more_attrs, whole or more_whole
    return Reads(frozenset(used), frozenset(attrs), whole)


@memoized
def reads_all_entries(template: str) -> bool:
    """Whether `template` (or the glossary lines added to every page) reads from `pb`
    what no key covers: such a page depends on every entry."""
    allowed = MODEL_WIDE | (KIND_READS if template in READS_KIND else set())
    if "trails" in reads(template).names and template not in ENTRY_PAGES:
        return True  # each entry's history is in its digest; another page may read any
    return any(
        r.whole_model or bool(r.model - allowed) for r in (reads(template), reads(ABBREVIATIONS))
    )


class PageKeys:
    """The cache key of each page of one build (see the module's docstring)."""

    def __init__(self, model: Playbook, trails: Mapping[str, Any]) -> None:
        self.model = model
        self.by_id = {e.id: e for e in model.entries}  # the entries the digests are of
        model_wide = [f"{name}={getattr(model, name)!r}" for name in MODEL_FIELDS]
        texts = {e.id: repr(e) for e in model.entries}
        own = {i: (key(text, repr(trails.get(i, ()))), text) for i, text in texts.items()}
        # a live value (`{rabatt-freigabe}`, refs.py) in any text, an entry's or a team's or
        # the onboarding's, shows that path's bands on whatever page holds the text (and on
        # every page, through the glossary's lines): every key holds the paths referenced
        referenced = sorted(paths_referenced((*model_wide, *texts.values())) & own.keys())
        self.common = key(
            FORMAT, tool_digest(), *model_wide, *(f"ref {i}={own[i][0]}" for i in referenced)
        )
        # an entry with the entries it names: the titles its page and its rows show
        self.own = {entry_id: digest for entry_id, (digest, _) in own.items()}
        self.digests = {
            entry_id: key(digest, *self._named(text, entry_id, own))
            for entry_id, (digest, text) in own.items()
        }

    def _named(self, text: str, entry_id: str, own: Mapping[str, tuple[str, str]]) -> list[str]:
        names = sorted({n for n in QUOTED_NAME.findall(text) if n in own and n != entry_id})
        return [f"{n}={own[n][0]}" for n in names]

    def of(self, path: str, template: str, context: Mapping[str, Any]) -> str:
        # the entries a page shows count with those they name only where it looks them up
        digests = self.digests if "entry" in reads(template).names else self.own
        parts = [self.common, path, template, *self._walk(dict(context), digests)]
        if reads_all_entries(template):
            parts += self.digests.values()
        elif template in READS_KIND:
            kind = context["kind"]
            parts += [digests[e.id] for e in self.model.entries if e.kind == kind]
        return key(*parts)

    @cached_property
    def every_entry(self) -> str:
        return key(*self.digests.values())

    def _walk(self, value: Any, digests: Mapping[str, str]) -> Iterator[str]:
        """`value` as text for a key; an entry as its digest, a name of one with its digest;
        a playbook in a context (a team's or a level's view of this one, views.py) as what
        it is made from: this model (in `common` and `every_entry`), its team and level."""
        if isinstance(value, Playbook):
            yield f"playbook team={value.team!r} level={value.level!r} {self.every_entry}"
        elif isinstance(value, Entry):
            known = self.by_id.get(value.id) is value
            yield f"entry {value.id} {digests[value.id] if known else key(repr(value))}"
        elif isinstance(value, str):
            yield repr(value)
            if value in digests:
                yield f"names {digests[value]}"
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            yield type(value).__qualname__
            for field in dataclasses.fields(value):
                yield field.name
                yield from self._walk(getattr(value, field.name), digests)
        elif isinstance(value, Mapping):
            yield f"mapping {len(value)}"
            for item_key, item in value.items():
                yield from self._walk(item_key, digests)
                yield from self._walk(item, digests)
        elif isinstance(value, Sequence) and not isinstance(value, bytes):
            yield f"{type(value).__name__} {len(value)}"
            for item in value:
                yield from self._walk(item, digests)
        else:  # numbers, dates, None; anything else by its repr (an address: always a miss)
            yield f"{type(value).__name__} {value!r}"
