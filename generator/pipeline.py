"""The whole build, top to bottom: load -> validate -> model -> render -> write -> mkdocs."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import carddata, diff, feed, git, links, overlay, render, scaffold, siteconfig
from . import kinds as registry
from .assemble import build_model
from .cache import Cache
from .cardoptions import CardOptions, n_up_problem
from .checkcache import StoredMemo
from .errors import PlaybookError, Problem, UsageError, errors_only
from .extras import site_engine
from .gcpause import paused_gc
from .history import Release, recent_changes, trails, versions
from .levels import at_level
from .load import display_path, load_file, load_playbook
from .model import Playbook
from .output import building, make_folder, mark, replace_file, undone_on_failure, write_files
from .siteconfig import NO_SETTINGS, SiteSettings
from .validate import Memo, default_interval, validate


@dataclass(frozen=True)
class Checked:
    model: Playbook
    problems: tuple[Problem, ...]  # warnings that did not stop the run
    site: SiteSettings = NO_SETTINGS  # the organisation's mkdocs.yml

    @property
    def summary(self) -> str:
        warnings = len(self.problems)
        return f"{len(self.model.entries)} entries, {warnings} warning(s)"


@dataclass(frozen=True)
class Built(Checked):
    pages: int = 0
    seconds: float = 0.0
    rendered: tuple[str, ...] = ()  # the pages rendered, not taken from the build cache

    @property
    def summary(self) -> str:
        reused = self.pages - len(self.rendered)
        cached = f" ({reused} from the build cache)" if reused else ""
        return f"{self.pages} pages{cached}, {super().summary}, {self.seconds:.1f} s"


def check(
    root: Path,
    today: dt.date,
    *,
    strict: bool = False,
    preview: bool = False,
    site_config: Path | None = None,
    memo: Memo | None = None,
) -> Checked:
    """Validate `root`; raise PlaybookError with every problem if any must stop us.

    `site_config`: the organisation's mkdocs.yml (theme palette, logo, favicon); by
    default the one beside `root`, if there is one. Its problems are reported with the rest.
    `memo`: what unchanged files gave last time (the live preview's).
    """
    with paused_gc():
        sources, problems = validate(root, today, memo)
        site, site_problems = siteconfig.load(site_config, root)
        problems = sorted(problems + site_problems)
        if errors_only(problems) or (strict and problems):
            raise PlaybookError(problems)
        model = build_model(sources, today, default_interval(sources), preview=preview)
    return Checked(model, tuple(problems), site)


def source_epoch(root: Path, model: Playbook) -> int:
    """The build's timestamp, from the sources alone: reproducible builds.

    SOURCE_DATE_EPOCH if set, else the last commit touching `root`, else the newest review.
    """
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    last = git.commits(root, 1)
    if last:
        return last[0].time
    newest = max((e.last_reviewed for e in model.entries), default=dt.date(2000, 1, 1))
    return int(dt.datetime.combine(newest, dt.time(), dt.UTC).timestamp())


CACHE = "cache"  # in the build folder: what a rebuild can reuse (cache.py)
HISTORY_LIMIT = 50  # commits read for the change log, its feed and the entries' history


def changelog(root: Path, today: dt.date, limit: int = HISTORY_LIMIT) -> list[Release]:
    """The meaning of each recent commit touching `root`, newest first (empty outside git).

    When the history holds no more than `limit` commits, the oldest (which created the
    playbook) is included as well, marked `first`: everything in it is new.
    """
    commits = git.commits(root, limit + 1)
    releases: list[Release] = []
    with tempfile.TemporaryDirectory() as scratch:
        models: dict[str, Playbook | None] = {}
        folders: dict[str, Path] = {}

        def model_at(commit: str) -> Playbook | None:
            if commit not in models:
                try:
                    folder = git.export(commit, root, Path(scratch) / commit)
                    models[commit] = check(folder, today).model if folder else None
                    folders[commit] = folder or Path(scratch)
                except (PlaybookError, git.GitError):
                    models[commit] = None  # an old version that no longer validates
            return models[commit]

        def inside(changes: list[diff.EntryChange], old: str, new: str) -> list[diff.EntryChange]:
            """Files relative to the playbook folder, not to this run's scratch folder: the
            same on every build (the change log's page is cached by what it is made of)."""
            return [
                replace(c, file=_inside(c.file, folders[old if c.change == "removed" else new]))
                for c in changes
            ]

        def release(commit: git.Commit, changes: list[diff.EntryChange], first: bool) -> None:
            if changes:
                releases.append(
                    Release(
                        commit.date, commit.subject, tuple(changes), commit.id, commit.time, first
                    )
                )

        for newer, older in itertools.pairwise(commits):
            before, after = model_at(older.id), model_at(newer.id)
            if before and after:
                release(newer, inside(diff.compare(before, after), older.id, newer.id), False)
        if commits and len(commits) <= limit:
            oldest = commits[-1]
            created = model_at(oldest.id)
            if created:
                changes = diff.compare(_empty(created), created)
                release(oldest, inside(changes, oldest.id, oldest.id), True)
    return releases


@contextmanager
def discarding(*caches: Cache) -> Iterator[None]:
    """What the caches staged and did not save is dropped on the way out."""
    try:
        yield
    finally:
        for cache in caches:
            cache.discard()


def build(
    root: Path,
    site_dir: Path,
    build_dir: Path,
    today: dt.date,
    *,
    strict: bool = False,
    preview: bool = False,
    history: bool = True,
    site_config: Path | None = None,
    team: str | None = None,
) -> Built:
    """Validate, render and build the site (drafts only in a `preview` build).

    `history`: add the pages made from the git history of `root` (in a git checkout).
    `site_config`: the organisation's mkdocs.yml (see `check`).
    `team`: build that team's site: its effective playbook (`overlay.apply`). The build
    cache serves both: a page's key holds the model's `team` and each entry's values.
    Writes nothing unless all of it succeeds: the MkDocs project (`build_dir`) and the
    site are built in fresh folders and swapped in together.
    """
    site_engine("build")
    from . import cards, poster, site
    from .board import board

    started = time.perf_counter()
    # reused work: each unchanged file's parse and own checks, each page's Markdown, each
    # group of laid-out cards; saved on success only
    parsed = Cache(build_dir / CACHE / "sources")
    pages, laid_out = Cache(build_dir / CACHE / "pages"), Cache(build_dir / CACHE / "cards")
    with discarding(parsed, pages, laid_out):  # a failed build leaves none of them behind
        checked = check(
            root, today, strict=strict, preview=preview, site_config=site_config,
            memo=StoredMemo(store=parsed),
        )  # fmt: skip
        checked = replace(checked, model=team_view(checked.model, team))

        # first render everything in memory: a template error or an overflowing card writes nothing
        changes = recent_changes(root) if history else None
        dated = render.with_entries(checked.model, root, changes) if changes else None
        releases = changelog(root, today) if history else []
        published = [r for r in releases if not r.first]  # not "everything is new"
        log = versions(root, published, checked.model.language) if published else []
        trail = trails(checked.model, releases)
        rendered = render.render_site(checked.model, dated, log, trail, pages)
        docs: dict[str, str | bytes] = {**rendered.docs}
        fresh = rendered.fresh
        del rendered  # what is on disk need not stay in memory while MkDocs builds
        if published:
            docs[feed.FEED_FILE] = feed.atom(checked.model, published)
        epoch = source_epoch(root, checked.model)
        # the poster is laid out beside the cards (they run in a worker process of their own)
        printable = board(checked.model).printable  # else the board page links no poster
        board_key = poster.site_key(checked.model, epoch) if printable else ""
        board_pdf = laid_out.get(board_key) if printable else None
        with ThreadPoolExecutor(1) as beside:
            board_job = (
                beside.submit(poster.site_pdf, checked.model, epoch)
                if printable and board_pdf is None
                else None
            )
            docs.update(cards.site_files(checked.model, epoch, laid_out))
            if board_job is not None:
                board_pdf = board_job.result()
                laid_out.put(board_key, board_pdf)
        if board_pdf is not None:
            docs[poster.SITE_FILE] = board_pdf
        docs.update(checked.site.docs_files())
        docs_dir, config_file = build_dir / "docs", build_dir / "mkdocs.yml"

        def config(docs_at: Path, site_at: Path) -> dict[str, Any]:
            return render.mkdocs_config(
                checked.model,
                docs_at,
                site_at,
                with_changes=bool(dated),
                with_changelog=bool(log),
                settings=checked.site,
            )

        # then build the MkDocs project and the site in fresh folders, swapped in on success
        made = undone_on_failure(build_dir, site_dir.parent)
        with made, building(docs_dir) as new_docs, building(site_dir) as new_site:
            write_files(docs, new_docs, reuse=docs_dir)  # the last build's files, where unchanged
            count = sum(1 for path in docs if path.endswith(".md"))
            docs.clear()  # on disk now: MkDocs reads it from there
            try:
                site.build(
                    config(new_docs, new_site), config_file, source_epoch(root, checked.model)
                )
                mark(new_site / "cards")  # `playbook cards --out site/cards` may replace its files
            except site.BuildFailed as failed:
                made_from = render.page_files(checked.model)
                sources = load_playbook(root).sources
                where = display_path(config_file)
                raise PlaybookError(
                    links.explain(failed.messages, made_from, sources, where)
                ) from None
        replace_file(config_file, render.dump_config(config(docs_dir, site_dir)))
        mark(build_dir)  # only now: a failed build leaves nothing behind
        for cache in (parsed, pages, laid_out):  # beside build/docs, so they outlive the swap
            cache.save()  # and drop what this build did not use

        seconds = time.perf_counter() - started
        return Built(
            checked.model, checked.problems, site=checked.site, pages=count, seconds=seconds,
            rendered=fresh,
        )  # fmt: skip


@dataclass(frozen=True)
class CardsWritten(Checked):
    count: int = 0
    pages: int = 0
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        return f"{self.count} cards on {self.pages} pages, {self.seconds:.1f} s"


def _known(given: Sequence[str], known: set[str], what: str) -> None:
    unknown = sorted(set(given) - known)
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise UsageError(f"unknown {what} {', '.join(unknown)}; known: {listed}")


def team_view(model: Playbook, team: str | None) -> Playbook:
    """The team's effective playbook (`--team`); a usage error naming the known teams."""
    if not team:
        return model
    _known([team], {t.id for t in model.teams}, "team")
    return overlay.apply(model, team)


def level_view(model: Playbook, level: str | None) -> tuple[Playbook, frozenset[str]]:
    """The playbook as it holds at a level (`--level`), and the entries that depend on it;
    a usage error naming the known levels."""
    if not level:
        return model, frozenset()
    _known([level], {lv.id for role in model.roles for lv in role.levels}, "level")
    return at_level(model, level), carddata.varies_by_level(model, level)


def write_cards(
    root: Path,
    out: Path,
    today: dt.date,
    options: CardOptions,
    *,
    kinds: Sequence[str] = (),
    roles: Sequence[str] = (),
    tags: Sequence[str] = (),
    strict: bool = False,
    team: str | None = None,
    level: str | None = None,
) -> CardsWritten:
    """`team`: the cards as they hold in that team; `level`: as they hold at that level."""
    site_engine("cards")
    from . import cards

    started = time.perf_counter()
    problem = n_up_problem(options)
    if problem:
        raise UsageError(problem)
    checked = check(root, today, strict=strict)
    model, levelled = level_view(team_view(checked.model, team), level)
    unknown = [k for k in kinds if registry.lookup(k) is None]
    if unknown:
        known = ", ".join(registry.BY_FOLDER)
        raise UsageError(f"unknown kind {', '.join(unknown)}; known: {known}")
    kinds = [(registry.BY_NAME.get(k) or registry.BY_FOLDER[k]).name for k in kinds]
    _known(roles, {r.id for r in model.roles}, "role")
    _known(tags, {tag for e in model.entries for tag in e.tags}, "tag")
    entries = cards.select(model, kinds, roles, tags)
    if not entries:
        raise UsageError("no entry matches --kind/--role/--tag")

    deck = cards.build_deck(model, entries, options, levelled=levelled)

    make_folder(out)
    mark(out)
    for name, content in (("decision-cards.pdf", deck.pdf), ("index.html", deck.view_html)):
        replace_file(out / name, content)
    seconds = time.perf_counter() - started
    return CardsWritten(
        model, checked.problems, site=checked.site, count=len(deck.cards), pages=deck.pages,
        seconds=seconds,
    )  # fmt: skip


def _revision(
    spec: str, source: Path, scratch: Path, warnings: list[Problem] | None = None
) -> Path | None:
    if Path(spec).is_dir():
        return Path(spec)
    if not source.is_dir():
        raise UsageError(f"--source {source} is not a folder: name the playbook folder")
    try:
        links: list[str] = []
        folder = git.export(spec, source, Path(tempfile.mkdtemp(dir=scratch)), links)
        for link in links:
            if warnings is not None:
                warnings.append(
                    Problem(
                        f"{spec}:{link}",
                        1,
                        1,
                        "symlink",
                        f"is a link in revision `{spec}`; it was left out of the comparison",
                        "replace the link with the file itself",
                        "warning",
                    )
                )
        return folder
    except git.GitError as error:
        raise UsageError(str(error)) from None


def semantic_diff(
    base: str,
    head: str | None,
    source: Path,
    today: dt.date,
    warnings: list[Problem] | None = None,
) -> tuple[Playbook, list[diff.EntryChange]]:
    """Compare BASE with HEAD (folders or git revisions; HEAD defaults to `source`).

    `warnings` collects what was left out, e.g. links in a revision.
    """
    with tempfile.TemporaryDirectory() as scratch:
        old_root = _revision(base, source, Path(scratch), warnings)
        new_root = _revision(head, source, Path(scratch), warnings) if head else source
        if new_root is None:
            raise UsageError(f"`{head}` has no playbook folder {source}")
        new = check(new_root, today).model
        # a revision from before the playbook existed: everything in it is new
        old = check(old_root, today).model if old_root else _empty(new)
        changes = [
            replace(
                c,
                file=_inside(c.file, (old_root or new_root) if c.change == "removed" else new_root),
            )
            for c in diff.compare(old, new)
        ]
        if not Path(base).is_dir():  # a git base: printed cards are at stake
            problems = _undeclared_renames(new, changes, source)
            if problems:
                raise PlaybookError(problems)
    return new, changes


def _undeclared_renames(
    new: Playbook, changes: Sequence[diff.EntryChange], source: Path
) -> list[Problem]:
    """An entry that reappears under a new id without naming the old one in `previous_ids`:
    its card number, the QR codes printed with it and links to its page would all break."""
    problems = []
    for change in changes:
        entry = new.entry(change.id) if change.change == "renamed" else None
        if entry is None or change.old_id in entry.previous_ids:
            continue
        message = (
            f"`{change.old_id}` was renamed to `{change.id}` without `previous_ids`: its card "
            "number, printed QR codes and links to its old page would stop working"
        )
        hint = (
            f"run `playbook rename {change.old_id} {change.id}` on the old version, or add "
            f"`previous_ids: [{change.old_id}]` to this entry"
        )
        file = display_path(source / change.file)
        loaded = load_file(Path(entry.file), entry.kind)
        if isinstance(loaded, list):  # cannot be: it was just validated
            problems.append(Problem(file, 1, 1, "undeclared-rename", message, hint))
        else:
            problem = loaded.problem(("id",), "undeclared-rename", message, hint)
            problems.append(replace(problem, file=file))
    return problems


def _empty(model: Playbook) -> Playbook:
    return replace(model, entries=(), terms=(), onboarding=None)


def _inside(file: str, root: Path) -> str:
    """`file` relative to the playbook folder, the same for folders and git revisions."""
    try:
        return Path(file).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file


def new_entry(root: Path, kind_name: str, entry_id: str, owner: str | None, today: dt.date) -> Path:
    """Write a skeleton entry that passes validation; never overwrite."""
    try:
        kind = scaffold.kind_of(kind_name)
        model = check(root, today, preview=True).model
        roles = {r.id: r for r in model.roles}
        if owner is not None and owner not in roles:
            raise UsageError(f"unknown role {owner}; known: {', '.join(sorted(roles))}")
        owner = owner or roles[model.rep_role].escalates_to or model.rep_role
        path = scaffold.target(root, kind, entry_id)
        if any(e.id == entry_id for e in model.entries):
            raise UsageError(f"`{entry_id}` is the id of an entry already; choose another id")
        if any(entry_id in e.previous_ids for e in model.entries):
            raise UsageError(
                f"`{entry_id}` was the id of an entry before (its old links lead there); "
                "choose another id"
            )
        text = scaffold.skeleton(model, kind, entry_id, owner, today)
    except scaffold.ScaffoldError as error:
        raise UsageError(str(error)) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, text)
    return path
