"""Model -> the generated MkDocs project, in memory: {docs-relative path: text}.

No disk writes here, so tests can render without a build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..history.releases import Change, Step, Version, recent
from ..model import overlay
from ..model.answers import answer
from ..model.kinds import BY_NAME, ENTRY_KINDS
from ..model.matrix import decision_matrix
from ..model.playbook import (
    Entry,
    EscalationPath,
    Playbook,
)
from ..runtime.cache import Cache
from ..runtime.gcpause import paused_gc
from ..runtime.parallel import over_cores
from ..text import Text
from .board import board
from .feed import FEED_FILE, NEWS_PAGE, role_feed
from .levelviews import (
    level_grid,
    onboarding_view,
)
from .marks import mark_content
from .news import news_items
from .pagekeys import PageKeys
from .pageviews import (
    RoleView,
    role_view,
    start_view,
    start_views,
)
from .scripts import (
    DECISIONS_SCRIPT,
    MATRIX_SCRIPT,
    SNIPPETS_SCRIPT,
    assets,
    decisions_script,
    matrix_script,
    snippets_script,
)
from .templates import FOLDER_OF_KIND, environment
from .variants import entry_variants
from .views import View, role_in_teams, view_classes, views


def tagged(model: Playbook) -> list[tuple[str, list[Entry]]]:
    """The tags page: each tag, in order, with the entries in force that carry it, by title."""
    pages = [e for e in (*model.entries, *model.team_rules) if e.in_force]
    tags = sorted({tag for e in pages for tag in e.tags})
    by_title = sorted(pages, key=lambda e: e.title.casefold())
    return [(tag, [e for e in by_title if tag in e.tags]) for tag in tags]


def page_plan(
    model: Playbook,
    changes: Sequence[tuple[Change, Entry | None]] | None = None,
    log: Sequence[Version] = (),
) -> list[tuple[str, str, dict[str, Any]]]:
    """(docs path, template, context) for every page of the site."""
    plan: list[tuple[str, str, dict[str, Any]]] = [
        ("index.md", "index.md.j2", {"start": start_view(model), "views": start_views(model)}),
        ("roles/index.md", "roles.md.j2", {}),
        ("glossary.md", "glossary.md.j2", {}),
        ("tags.md", "tags.md.j2", {"tagged": tagged(model)}),
        ("board.md", "board.md.j2", {"board": board(model)}),
    ]
    if model.onboarding:
        track = model.onboarding
        view = onboarding_view(model, track)
        # what the next level brings, as each team holds it (the team switch shows one)
        teams = () if model.team else model.teams
        gains = [(view_classes("", "", True), "", view.gains)] + [
            (
                view_classes(team.id, "", False),
                team.name,
                onboarding_view(overlay.apply(model, team.id), track).gains,
            )
            for team in teams
        ]
        if len({g for _, _, g in gains}) == 1:
            gains = []  # alike in every team: said once
        context = {"track": track, "view": view, "team_gains": gains}
        plan.append(("onboarding.md", "onboarding.md.j2", context))
    if changes:
        # from the change log where there is one: each row's date, commit and sentences
        # are one change's; else the last commit touching each file
        rows = recent(log)
        linked = {e.id: e for e in model.entries}
        context = {"rows": rows, "changes": [] if rows else changes, "linked": linked}
        plan.append(("changes.md", "changes.md.j2", context))
    if log:
        linkable = {e.id: e for e in model.entries}
        context = {"log": log, "linkable": linkable, "feed": FEED_FILE}
        plan.append(("changelog.md", "changelog.md.j2", context))
        items = news_items(log)
        context = {"items": items, "linked": linkable, "feed": FEED_FILE, "role_feed": role_feed}
        plan.append((NEWS_PAGE, "news.md.j2", context))
    all_views = views(model)
    for kind in ENTRY_KINDS:
        folder = FOLDER_OF_KIND[kind]
        plan.append((f"{folder}/index.md", "kind_index.md.j2", {"kind": kind}))
        plan += [
            (f"{folder}/{e.id}.md", BY_NAME[kind].page_template, entry_context(model, e, all_views))
            for e in (*model.entries, *model.team_rules)
            if e.kind == kind
        ]
    plan += [
        (f"roles/{role.id}.md", "role.md.j2", {"view": role_view(model, role)})
        for role in model.roles
    ]
    for _, name, context in plan:  # each team's stricter values, shown by the team switch
        if name == "role.md.j2" and isinstance(context["view"], RoleView):
            context["in_teams"] = role_in_teams(model, context["view"].role.id)
    return plan


def entry_context(model: Playbook, entry: Entry, all_views: Sequence[View] = ()) -> dict[str, Any]:
    """What an entry's page gets: the entry; the entry in each view where views differ
    (site/variants.py); a path also its answer, its bands by level side by side; and where
    teams hold it stricter."""
    context: dict[str, Any] = {
        "e": entry,
        "stricter": stricter_in_teams(model, entry),
        "variants": entry_variants(model, all_views or views(model), entry.id),
    }
    if isinstance(entry, EscalationPath):
        context["grid"] = level_grid(model, entry)
        context["own_answer"] = answer(model, entry, Text(model.language))
    return context


def stricter_in_teams(model: Playbook, entry: Entry) -> list[dict[str, Any]]:
    """Each team that tightens the entry (on the organisation's site): the team, its
    reason, its values, and the titles of the bounds it adds (its own rules unlinked:
    their pages are on the team's site)."""
    found = []
    for team in () if model.team else model.teams:
        if not any(t.entry == entry.id for t in team.tightenings):
            continue
        view = overlay.apply(model, team.id)
        theirs = view.entry(entry.id)
        bounds = [
            {"title": view.entry(ref).title, "entry": model.entry(ref) if ref in ids else None}
            for ids in [{e.id for e in model.entries}]
            for ref in getattr(theirs, "bounded_by", ())
        ]
        grid = level_grid(view, theirs) if isinstance(theirs, EscalationPath) else None
        found.append(
            # the team's name, not the team: its other tightenings name other entries,
            # which would put them all into this page's cache key
            {"team": {"name": team.name}, "why": overlay.why(view, theirs), "entry": theirs}
            | {"grid": grid}
            | {"bounds": bounds}
        )
    return found


def page_files(model: Playbook) -> dict[str, str]:
    """Each entry's page (docs path) with the source file it is made from."""
    return {f"{FOLDER_OF_KIND[e.kind]}/{e.id}.md": e.file for e in model.entries}


def with_entries(
    model: Playbook, root: Path, changes: Sequence[Change]
) -> list[tuple[Change, Entry | None]]:
    """Each change with the entry its file holds (None for settings, glossary, onboarding)."""
    by_file = {Path(e.file).resolve(): e for e in model.entries}
    return [(c, by_file.get((root / c.file).resolve())) for c in changes]


PARALLEL_FROM = 300  # pages; fewer are rendered in this process


def render_docs(
    model: Playbook,
    changes: Sequence[tuple[Change, Entry | None]] | None = None,
    log: Sequence[Version] = (),
    trails: Mapping[str, Sequence[Step]] | None = None,
) -> dict[str, str]:
    """Every page; `changes`, `log` (the change log by version) and `trails` (each entry's
    history) come from git, and their pages and sections are left out without them."""
    return render_site(model, changes, log, trails).docs


@dataclass(frozen=True)
class Rendered:
    docs: dict[str, str]
    fresh: tuple[str, ...]  # the pages rendered now; the others came from the cache


def render_site(
    model: Playbook,
    changes: Sequence[tuple[Change, Entry | None]] | None = None,
    log: Sequence[Version] = (),
    trails: Mapping[str, Sequence[Step]] | None = None,
    cache: Cache | None = None,
    matrix: Mapping[str, Any] | None = None,
) -> Rendered:
    """Every page (see `render_docs`); with a `cache`, a page whose inputs are unchanged
    (site/pagekeys.py) is taken from it, and each page rendered is put into it. `matrix`:
    the decision matrix the site carries as decisions.json, for the decision helper (else
    `model`'s, of no commit)."""
    plan = page_plan(model, changes, log)
    keys = PageKeys(model, trails or {}) if cache is not None else None
    found: dict[str, str] = {}
    wanted: dict[str, str] = {}  # docs path -> cache key
    if cache is not None and keys is not None:
        for path, name, context in plan:
            wanted[path] = keys.of(path, name, context)
            page = _text(cache.get(wanted[path]))
            if page is not None:
                found[path] = page
    todo = [page for page in plan if page[0] not in found]
    fresh = _render(model, todo, trails) if todo else {}
    if cache is not None:
        for path, page in fresh.items():
            cache.put(wanted[path], page.encode("utf-8"))
    docs = {path: found[path] if path in found else fresh[path] for path, _, _ in plan}
    docs.update(assets())
    docs[MATRIX_SCRIPT] = matrix_script(decision_matrix(model) if matrix is None else matrix)
    docs[DECISIONS_SCRIPT] = decisions_script(model)
    docs[SNIPPETS_SCRIPT] = snippets_script(model)
    return Rendered(docs, tuple(fresh))


def _text(data: bytes | None) -> str | None:
    try:
        return None if data is None else data.decode("utf-8")
    except UnicodeDecodeError:
        return None


Plan = Sequence[tuple[str, str, dict[str, Any]]]


class PageRenderer:
    """Renders parts of a plan: `(path, template name, context)` -> {path: page}.

    Picklable, so that it runs in worker processes however they are started
    (runtime/parallel.py): pickled, it carries only the model and the trails, and a
    spawned worker makes its own environment from them on its first part.
    """

    def __init__(self, model: Playbook, trails: Mapping[str, Sequence[Step]] | None) -> None:
        self.model, self.trails = model, trails
        self._made: tuple[Any, Abbreviations, dict[str, Any]] | None = None

    def prepare(self, names: Iterable[str]) -> None:
        """The environment and these templates compiled now (forked workers share them)."""
        env, _, templates = self._tools()
        templates.update({name: env.get_template(name) for name in names})

    def _tools(self) -> tuple[Any, Abbreviations, dict[str, Any]]:
        if self._made is None:
            env = environment(self.model)
            env.globals["trails"] = self.trails or {}
            explain = Abbreviations(env.get_template("_abbreviations.md.j2").render())
            self._made = (env, explain, {})
        return self._made

    def __call__(self, part: Plan) -> dict[str, str]:
        env, explain, templates = self._tools()
        pages = {}
        for path, name, context in part:
            if name not in templates:
                templates[name] = env.get_template(name)
            text = explain(templates[name].render(here=path, **context))
            pages[path] = page_text(text, path)
        return pages

    def __getstate__(self) -> dict[str, Any]:
        return {"model": self.model, "trails": self.trails}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.model, self.trails, self._made = state["model"], state["trails"], None


# a Markdown link to a docs-absolute target, `](/roles/x.md)`, not one escaped in text
DOCS_ABSOLUTE = re.compile(r"(?<!\\)\]\(/(?!/)")


def page_text(page: str, path: str) -> str:
    """A rendered page as the docs hold it: links relative, content marked for the
    sanitiser (`sanitize.py`)."""
    return mark_content(relative_links(page, path))


def relative_links(page: str, path: str) -> str:
    """`page` (at `path` in the docs) with its docs-absolute links made relative to it:
    `](/roles/x.md)` on `escalation-paths/y.md` becomes `](../roles/x.md)`. MkDocs
    resolves either; other engines (Zensical) only the relative ones."""
    up = "../" * path.count("/")
    return DOCS_ABSOLUTE.sub(lambda _: f"]({up}", page)


def _render(
    model: Playbook,
    plan: Plan,
    trails: Mapping[str, Sequence[Step]] | None,
) -> dict[str, str]:
    """The pages of `plan`, over several cores when there are many."""
    renderer = PageRenderer(model, trails)
    renderer.prepare({name for _, name, _ in plan})
    docs: dict[str, str] = {}
    with paused_gc():
        for pages in over_cores(renderer, plan, PARALLEL_FROM):
            docs.update(pages)
    return docs


class Abbreviations:
    """Appends to a page the glossary's abbreviation lines (`*[term]: ...`) it uses.

    Python-Markdown's abbr extension searches every text node for every defined term,
    so appending all definitions to every page doubled the cost of converting it. A term
    counts as used where abbr's own pattern finds it: the term as a whole word.
    """

    LINE = re.compile(r"^\*\[(?P<term>[^\]]*?)\][ ]?:.*$", re.M)

    def __init__(self, definitions: str) -> None:
        self.lines = {m["term"]: m[0] for m in self.LINE.finditer(definitions)}
        self.patterns = {term: re.compile(rf"\b{re.escape(term)}\b") for term in self.lines}

    def __call__(self, page: str) -> str:
        lines = [
            line
            for term, line in self.lines.items()
            if term in page and self.patterns[term].search(page)  # `in` first: much faster
        ]
        if not lines:
            return page
        return page.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
