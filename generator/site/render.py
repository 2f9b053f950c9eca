"""Model -> the generated MkDocs project, in memory: {docs-relative path: text}.

No disk writes here, so tests can render without a build.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..history.releases import Change, Step, Version
from ..model import overlay
from ..model.answers import answer, answer_text, merged
from ..model.kinds import BY_NAME, ENTRY_KINDS, KINDS, kind_of, stylesheet
from ..model.levels import at_level, level_name
from ..model.playbook import (
    Band,
    Entry,
    EscalationPath,
    FlexibleZone,
    NonNegotiable,
    Playbook,
    Role,
    Underperformance,
)
from ..model.refs import render_refs
from ..resources import mkdocs_base, template_dir
from ..runtime.cache import Cache
from ..runtime.gcpause import paused_gc
from ..runtime.parallel import over_cores
from ..source.site_settings import NO_SETTINGS, SiteSettings
from ..text import Text, labels, table_cell
from .board import board
from .feed import FEED_FILE, anchor
from .levelviews import (
    LevelDecides,
    LevelView,
    RoleBand,
    level_decides,
    level_grid,
    level_views,
    onboarding_view,
    role_bands,
)
from .pagekeys import PageKeys
from .reading import reading
from .search import SEARCH_DATA, search_data, view_snippets
from .variants import Live, entry_variants
from .views import View, role_in_teams, view_classes, views

FOLDER_OF_KIND = {k.name: k.folder for k in KINDS}


def entry_url(entry_or_kind: Any, entry_id: str | None = None) -> str:
    """Docs-absolute link to an entry page (MkDocs resolves it relative to docs/)."""
    if entry_id is None:
        return f"/{FOLDER_OF_KIND[entry_or_kind.kind]}/{entry_or_kind.id}.md"
    return f"/{FOLDER_OF_KIND[entry_or_kind]}/{entry_id}.md"


def role_url(role_id: str) -> str:
    return f"/roles/{role_id}.md"


@dataclass(frozen=True)
class BandRow:
    path: EscalationPath
    band: Band
    index: int
    # with no level chosen, where levels decide a range differently: (level name, role id)
    by_level: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RoleView:
    """Everything one role decides, is consulted or informed on, and owns."""

    role: Role
    decides: tuple[RoleBand, ...]
    consulted: tuple[RoleBand, ...]
    informed: tuple[RoleBand, ...]
    levels: tuple[LevelView, ...]  # the role's autonomy levels, lowest first
    by_level: tuple[LevelDecides, ...]  # a role with levels: what it decides at each
    owns: tuple[Any, ...]
    zones: tuple[FlexibleZone, ...]  # the decision zones: the rep role's own
    rules: tuple[NonNegotiable, ...]
    steps: tuple[tuple[Underperformance, Any], ...]
    escalates_to: Role | None


def band_rows(model: Playbook) -> tuple[BandRow, ...]:
    return tuple(
        BandRow(path, band, i)
        for path in model.of_kind("escalation_path")
        if isinstance(path, EscalationPath)
        for i, band in enumerate(path.bands)
    )


def role_view(model: Playbook, role: Role) -> RoleView:
    by_level = level_decides(model, role.id) if role.levels else ()
    shown = {row.path.id for row in by_level}  # what varies by its levels is shown there
    return RoleView(
        role=role,
        decides=tuple(r for r in role_bands(model, role.id, "decides") if r.path.id not in shown),
        consulted=role_bands(model, role.id, "consult"),
        informed=role_bands(model, role.id, "inform"),
        levels=level_views(model, role.id),
        by_level=by_level,
        owns=tuple(e for e in model.in_force if e.owner == role.id),
        zones=tuple(
            e for e in model.in_force if isinstance(e, FlexibleZone) and role.id == model.rep_role
        ),
        rules=tuple(
            e for e in model.in_force if isinstance(e, NonNegotiable) and role.id in e.applies_to
        ),
        steps=tuple(
            (e, step)
            for e in model.in_force
            if isinstance(e, Underperformance)
            for step in e.steps
            if step.owner == role.id
        ),
        escalates_to=model.role(role.escalates_to) if role.escalates_to else None,
    )


START_LIST = 12  # entries per list on the start page; the overviews list them all


@dataclass(frozen=True)
class StartView:
    """What the start page shows: the first entries of each kind and how many there are."""

    lists: dict[str, tuple[Entry, ...]]
    totals: dict[str, int]
    rows: tuple[BandRow, ...]  # the bands of the escalation paths shown
    rep_rows: tuple[BandRow, ...]  # bands a rep decides alone
    rep_total: int


def start_view(model: Playbook) -> StartView:
    rows = band_rows(model)
    shown_paths = {p.id for p in model.of_kind("escalation_path")[:START_LIST]}
    rep_rows = tuple(r for r in rows if r.band.decider == model.rep_role)
    return StartView(
        lists={kind: model.of_kind(kind)[:START_LIST] for kind in ENTRY_KINDS},
        totals={kind: len(model.of_kind(kind)) for kind in ENTRY_KINDS},
        rows=tuple(r for r in rows if r.path.id in shown_paths),
        rep_rows=rep_rows[:START_LIST],
        rep_total=len(rep_rows),
    )


@dataclass(frozen=True)
class YourRange:
    """What the rep decides alone on a path, in words; with no level chosen and levels
    that differ, every level's range, labelled."""

    path: EscalationPath
    ranges: tuple[tuple[str, str], ...]  # (level name or "", range)


def unset_rows(model: Playbook, path: EscalationPath) -> tuple[BandRow, ...]:
    """A levelled path's value ranges with who decides them at each level (one grid of
    levels, for a reader who has chosen none); a range all levels decide alike is a
    plain row."""
    grid = level_grid(model, path)
    if grid is None:
        return tuple(BandRow(path, b, i) for i, b in enumerate(path.bands))
    rows = []
    for i, row in enumerate(grid.rows):
        deciders = tuple(d for d in row.deciders if d is not None)
        band = dataclasses.replace(row.span, decider=deciders[0] if deciders else "")
        same = len(set(row.deciders)) == 1 and deciders
        levelled = tuple(
            (lv.name, d) for lv, d in zip(grid.levels, row.deciders, strict=True) if d is not None
        )
        rows.append(BandRow(path, band, i, () if same else levelled))
    return tuple(rows)


def your_ranges(model: Playbook, levels: Sequence[View], path: EscalationPath) -> YourRange:
    fmt = Text(model.language)

    def own(m: Playbook) -> str:
        held = m.entry(path.id)
        assert isinstance(held, EscalationPath)
        found = [fmt.band_range(b, held.quantity) for b in held.bands if b.decider == m.rep_role]
        return ", ".join(found) or str(fmt.t["ref_nothing"])

    ranges = merged(tuple((v.level_name, own(v.model)) for v in levels))
    if len(ranges) == 1:
        ranges = (("", ranges[0][1]),)
    return YourRange(path, ranges)


@dataclass(frozen=True)
class StartVariant:
    """The start page's parts that depend on the rep's team and level (see views.py)."""

    view: View
    start: StartView
    yours: tuple[YourRange, ...]  # what the rep decides alone, path by path
    team_rules: tuple[NonNegotiable, ...]  # the team's own non-negotiables
    varying_zones: frozenset[str]  # zones whose freedoms differ between views: listed
    first_of_team: bool  # the team's first view: parts that do not vary by level go here
    team_classes: str  # the classes of such a part


def start_views(model: Playbook) -> tuple[StartVariant, ...]:
    found = views(model)
    zone_ids = {z.id for v in found for z in v.model.of_kind("flexible_zone")}
    varying = frozenset(
        i for i in zone_ids if len({getattr(v.model.entry(i), "freedoms", ()) for v in found}) > 1
    )
    seen: set[str] = set()
    variants = []
    for v in found:
        team = v.team.id if v.team else ""
        start = start_view(v.model)
        if v.unset:  # every level's value, labelled: a grid of levels per path
            levelled = [w for w in found if w.team == v.team and not w.unset]
            paths = v.model.of_kind("escalation_path")[:START_LIST]
            rows = tuple(
                r for p in paths if isinstance(p, EscalationPath) for r in unset_rows(v.model, p)
            )
            yours = tuple(
                your_ranges(v.model, levelled, p)
                for p in v.model.of_kind("escalation_path")
                if isinstance(p, EscalationPath)
                and any(b.decider == v.model.rep_role for b in p.every_band)
            )
            start = dataclasses.replace(start, rows=rows)
        else:
            yours = tuple(
                YourRange(
                    r.path, (("", Text(v.model.language).band_range(r.band, r.path.quantity)),)
                )
                for r in start.rep_rows
            )
        variants.append(
            StartVariant(
                view=v,
                start=start,
                yours=yours[:START_LIST],
                team_rules=tuple(n for n in (v.team.own_rules if v.team else ())),
                varying_zones=varying,
                first_of_team=team not in seen,
                team_classes=view_classes(team, "", not team),
            )
        )
        seen.add(team)
    return tuple(variants)


def environment(model: Playbook, templates: str = "pages") -> jinja2.Environment:
    """Jinja2 for one template folder: autoescaped, strict about missing values."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir() / templates),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no need to stat templates per page
    )
    env.filters["cell"] = table_cell
    live = Live(model, views(model))
    env.filters["live"] = live  # `{path}` references, per view
    env.filters["plain_live"] = live.plain  # ... as the default view shows them, as text
    env.globals["answer_of"] = lambda path: answer_text(model, path, Text(model.language))
    env.globals.update(
        pb=model,
        fmt=Text(model.language),
        t=labels(model.language),
        kinds=ENTRY_KINDS,
        folder_of=FOLDER_OF_KIND,
        entry_url=entry_url,
        role_url=role_url,
        role_name=lambda role_id: model.role(role_id).name,
        level_name=lambda level_id: level_name(model, level_id),
        entry=model.entry,
        team_name=lambda team_id: team.name if (team := model.team_named(team_id)) else team_id,
        team_rules=model.team_rules,
        kind_of=kind_of,
        kind_colours=stylesheet,
        trails={},
        commit_url=lambda commit: f"{model.repo_url}/commit/{commit}" if model.repo_url else "",
        anchor=anchor,
    )
    return env


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
        ("tags.md", "tags.md.j2", {}),
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
        meanings: dict[str, tuple[str, ...]] = {}  # entry id -> its newest change, in words
        for version in log:
            for release in version.releases:
                for change in release.changes:
                    meanings.setdefault(change.id, change.sentences)
        plan.append(("changes.md", "changes.md.j2", {"changes": changes, "meanings": meanings}))
    if log:
        linkable = {e.id: e for e in model.entries}
        context = {"log": log, "linkable": linkable, "feed": FEED_FILE}
        plan.append(("changelog.md", "changelog.md.j2", context))
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
) -> Rendered:
    """Every page (see `render_docs`); with a `cache`, a page whose inputs are unchanged
    (site/pagekeys.py) is taken from it, and each page rendered is put into it."""
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
    docs[DECISIONS_SCRIPT] = decisions_script(model)
    docs[SNIPPETS_SCRIPT] = snippets_script(model)
    docs[SEARCH_DATA] = json.dumps(search_data(model), ensure_ascii=False, sort_keys=True)
    return Rendered(docs, tuple(fresh))


def _text(data: bytes | None) -> str | None:
    try:
        return None if data is None else data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _render(
    model: Playbook,
    plan: Sequence[tuple[str, str, dict[str, Any]]],
    trails: Mapping[str, Sequence[Step]] | None,
) -> dict[str, str]:
    """The pages of `plan`, over several cores when there are many."""
    env = environment(model)
    env.globals["trails"] = trails or {}
    explain = Abbreviations(env.get_template("_abbreviations.md.j2").render())
    templates = {name: env.get_template(name) for name in {name for _, name, _ in plan}}

    def render_pages(part: Sequence[tuple[str, str, dict[str, Any]]]) -> dict[str, str]:
        return {
            path: explain(templates[name].render(here=path, **context))
            for path, name, context in part
        }

    docs: dict[str, str] = {}
    with paused_gc():
        for pages in over_cores(render_pages, plan, PARALLEL_FROM):
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


DECISIONS_SCRIPT = "assets/javascripts/playbook-data.js"
SNIPPETS_SCRIPT = "assets/javascripts/playbook-snippets.js"


def snippets_script(model: Playbook) -> str:
    """Each view's search snippet of the pages whose snippet depends on the reader's
    team and level (search.view_snippets), for search-view.js."""
    return script_global("playbookSnippets", view_snippets(model))


def script_global(name: str, data: Any) -> str:
    """A script that sets `window.<name>` to `data` (JSON; every `<` escaped, so no text
    can close a script element early)."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f"window.{name} = {payload};\n"


def decisions_script(model: Playbook) -> str:
    """The escalation bands, with texts ready to show, for the decision helper: the
    organisation's, each level's of the rep role, and each team's stricter ones."""
    fmt, t = Text(model.language), labels(model.language)

    def names(role_ids: tuple[str, ...]) -> str:
        return ", ".join(model.role(r).name for r in role_ids)

    def bands(p: EscalationPath, of: tuple[Band, ...], at: Playbook) -> list[dict[str, Any]]:
        return [
            {
                "above": b.above,
                "up_to": b.up_to,
                "range": fmt.band_range(b, p.quantity),
                "decider": model.role(b.decider).name,
                "decider_id": b.decider,
                "consult": names(b.consult),
                "inform": names(b.inform),
                "response": fmt.hours(b.response_time_hours),
                "channel": b.channel,
                # its live values as the view these bands are of holds them
                "note": render_refs(b.note, at, fmt),
            }
            for b in of
        ]

    at: dict[tuple[int, str], tuple[Playbook, Playbook]] = {}  # each view at each level

    def resolved(view: Playbook, level: str) -> Playbook:
        held = at.get((id(view), level))
        if held is None or held[0] is not view:  # (kept with its view: ids are reused)
            held = at[id(view), level] = (view, at_level(view, level))
        return held[1]

    def own(p: EscalationPath, of: tuple[Band, ...]) -> str:
        """What the rep decides alone, in words ("" for nothing)."""
        return ", ".join(fmt.band_range(b, p.quantity) for b in of if b.decider == model.rep_role)

    def path_data(view: Playbook, p: EscalationPath) -> dict[str, Any]:
        levelled = p.level_role == model.rep_role
        team = view.team_named(p.team) if p.team else None
        return {
            "id": p.id,
            "title": p.title,
            "decision": p.decision,
            "quantity": p.quantity.name,
            "unit": p.quantity.unit,
            "unit_name": t["unit_names"][p.quantity.unit],
            "placeholder": t["helper_placeholder"][p.quantity.unit],
            "minimum": p.quantity.minimum,
            "maximum": p.quantity.maximum,
            "bands": bands(p, p.bands, view),
            "own": own(p, p.bands),
            "by_level": [
                {
                    "level": lb.level,
                    "bands": bands(p, lb.bands, resolved(view, lb.level)),
                    "own": own(p, lb.bands),
                }
                for lb in (p.by_level if levelled else ())
            ],
            "team": team.id if team else "",
            "team_name": team.name if team else "",
            "why": overlay.why(view, p) if team else "",
        }

    def paths_of(view: Playbook, only_tightened: bool = False) -> list[dict[str, Any]]:
        return [
            path_data(view, p)
            for p in view.of_kind("escalation_path")
            if isinstance(p, EscalationPath) and (p.team or not only_tightened)
        ]

    teams = []
    for team in () if model.team else model.teams:  # a team's own site has no switch
        view = overlay.apply(model, team.id)
        teams.append({"id": team.id, "name": team.name, "paths": paths_of(view, True)})
    helper_labels = {
        k.removeprefix("helper_"): v
        for k, v in t.items()
        if k.startswith("helper_") and k != "helper_reading"  # shipped as `reading`
    }
    helper_labels.update({k: t[k] for k in ("consult", "inform", "response_time", "channel")})
    helper_labels.update(done=t["step_done"], progress=t["progress"])
    data = {
        "labels": helper_labels,
        "language": model.language,
        "levels": [{"id": lv.id, "name": lv.name} for lv in model.levels_of(model.rep_role)],
        "paths": paths_of(model),
        "reading": reading(model),
        "rep_role": model.rep_role,
        # where choices are kept on the device: per site, and per team's own site
        "site": f"{model.site_url}|{model.team}",
        "team": model.team,  # the team whose own site this is ("" for the organisation's)
        "teams": teams,
    }
    # `<` escaped so no text can close a script element early
    return script_global("playbookDecisions", data)


def assets() -> dict[str, str]:
    root = template_dir() / "assets"
    return {
        "assets/stylesheets/kinds.css": stylesheet(".pb-kind--{kind}"),
        **{
            f"assets/{path.relative_to(root).as_posix()}": path.read_text("utf-8")
            for path in sorted(root.rglob("*"))
            if path.is_file()
        },
    }


def nav(model: Playbook, with_changes: bool = False, with_changelog: bool = False) -> list[Any]:
    t = labels(model.language)
    items: list[Any] = [{t["start_title"]: "index.md"}]
    items += [{t["kinds"][k]["many"]: f"{FOLDER_OF_KIND[k]}/index.md"} for k in ENTRY_KINDS]
    items.append({t["roles"]: "roles/index.md"})
    items.append({t["board"]["title"]: "board.md"})
    if model.onboarding:
        items.append({t["onboarding"]: "onboarding.md"})
    if with_changes:
        items.append({t["changes_title"]: "changes.md"})
    if with_changelog:
        items.append({t["changelog_title"]: "changelog.md"})
    items += [{t["glossary"]: "glossary.md"}, {t["tags"]: "tags.md"}]
    items.append({t["cards_title"]: "cards/index.html"})
    return items


def mkdocs_config(
    model: Playbook,
    docs_dir: Path,
    site_dir: Path,
    *,
    with_changes: bool = False,
    with_changelog: bool = False,
    settings: SiteSettings = NO_SETTINGS,
) -> dict[str, Any]:
    """The project's base mkdocs.yml with this playbook's settings merged in, and the
    organisation's own (`settings`: palette, logo, favicon)."""
    config: dict[str, Any] = yaml.safe_load(mkdocs_base().read_text("utf-8"))
    theme = dict(config.get("theme", {}))
    if "custom_dir" in theme:
        theme["custom_dir"] = str((mkdocs_base().parent / theme["custom_dir"]).resolve())
    theme.update(settings.theme())
    theme["language"] = model.language
    plugins = [_search_language(p, model.language) for p in config.get("plugins", [])]
    # the theme prints these without escaping them
    copyright = f"{model.organisation} · {labels(model.language)['version']} {model.version}"
    config.update(
        site_name=escape(model.title),
        site_url=model.site_url,
        site_description=escape(model.description or model.title),
        copyright=escape(copyright),
        # a MkDocs hook: only harmless HTML leaves the build (not imported here: it needs nh3)
        hooks=[*config.get("hooks", []), str(Path(__file__).resolve().with_name("sanitize.py"))],
        docs_dir=str(docs_dir.resolve()),
        site_dir=str(site_dir.resolve()),
        theme=theme,
        plugins=plugins,
        nav=nav(model, with_changes, with_changelog),
    )
    return config


def _search_language(plugin: Any, language: str) -> Any:
    if plugin == "search":
        return {"search": {"lang": language}}
    if isinstance(plugin, dict) and "search" in plugin:
        return {"search": {**(plugin["search"] or {}), "lang": language}}
    return plugin


def dump_config(config: dict[str, Any]) -> str:
    return "# generated by `playbook build`; edit mkdocs.yml instead\n" + json.dumps(
        config, indent=2, ensure_ascii=False
    )
