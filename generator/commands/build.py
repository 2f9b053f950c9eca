"""`playbook build`: validate, then build the site and the card decks."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import PlaybookError, Problem, UsageError
from ..extras import site_engine
from ..history import git
from ..history.changelog import changelog, shallow_history
from ..history.effective import in_force
from ..history.releases import recent_changes, trails, versions
from ..model import matrix
from ..model.overlay import team_view
from ..model.playbook import Playbook
from ..runtime.cache import Cache, Handover
from ..runtime.cache import key as cache_key
from ..runtime.lock import one_at_a_time
from ..runtime.memory import release
from ..runtime.output import beside as output_beside
from ..runtime.output import building, mark, replace_file, undone_on_failure, write_files
from ..runtime.parallel import Background, usable_cores
from ..site import feed, render
from ..site.config import dump_config, mkdocs_config
from ..source import links
from ..source.check import Checked, check
from ..source.load import display_path
from ..source.memo import StoredFiles, StoredMemo
from ..text import terminal_safe
from . import options

NAME = "build"
HELP = "validate, then build the site and the decision cards"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    options.add_out(parser, Path("site"), "the folder the site goes into", old="--site-dir")
    parser.add_argument(
        "--build-dir",
        type=Path,
        default=Path("build"),
        help="where the generated MkDocs project goes (default: build)",
    )
    parser.add_argument("--preview", action="store_true", help="include drafts, marked as such")
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="leave out the pages made from git history (a plain export)",
    )
    parser.add_argument(
        "--team",
        default=None,
        action=options.Once,
        type=options.name,
        help="build one team's site: the playbook as it holds in that team (teams/<team>.yml)",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=ENGINES[0],
        help="what builds the site from the generated docs: MkDocs with Material for MkDocs "
        "(the default) or Zensical, Material's successor (pip install "
        "'sales-playbook[zensical]')",
    )
    options.add_strict(parser)
    options.add_config(parser)
    options.add_today(parser)
    options.add_format(parser)


# the engines `--engine` takes (site/engine.py; not imported here: it needs the site extra)
ENGINES = ("mkdocs", "zensical")
# Material for MkDocs' own notice, in one line; its switch turns this off as well
END_OF_LIFE = (
    "Material for MkDocs, the theme of the default engine, reaches its end of life on "
    "5 May 2027; `--engine zensical` builds the same site with its successor"
)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    options.output_folder(args.out, "--out", folder)
    options.output_folder(args.build_dir, "--build-dir", folder)
    site, work = args.out.resolve(), args.build_dir.resolve()
    if site == work or site in work.parents or work in site.parents:
        raise UsageError("--out and --build-dir must be separate folders")
    # read before MkDocs runs: Material's theme sets it when imported
    end_of_life = args.engine == "mkdocs" and not os.environ.get("NO_MKDOCS_2_WARNING")
    # a second build into the same folders waits for the first (runtime/lock.py)
    with one_at_a_time(args.out, args.build_dir, waiting=waiting):
        result = build(
            folder,
            args.out,
            args.build_dir,
            options.today(args),
            strict=args.strict,
            preview=args.preview,
            history=not args.no_history,
            site_config=args.config,
            team=args.team,
            engine=args.engine,
        )
    options.report(result.problems, args.format)
    if end_of_life:
        options.note(END_OF_LIFE)
    for page in result.rendered:
        options.detail(f"rendered {terminal_safe(page)}")
    options.say(f"built {args.out}: {result.summary}")
    return options.EXIT_OK


def beside_the_engine() -> int:
    """How many threads the cards are laid out with while the engine builds: every core
    this process may use but the one the engine (MkDocs) builds on, at least one."""
    return max(1, usable_cores() - 1)


def engine_problem(config_file: Path, pages: list[str]) -> Problem:
    """Built pages that are not made from our Markdown: the engine or its cache wrote them."""
    shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
    return Problem(
        display_path(config_file),
        1,
        1,
        "engine",
        f"the site engine wrote pages that are not made from the generated docs: {shown}",
        "build again into a new --build-dir; if it persists, report it with this message",
    )


def waiting(folder: Path) -> None:
    shown = terminal_safe(display_path(folder))
    options.say(f"waiting for another playbook command writing {shown} \u2026")


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


def matrix_of(root: Path, model: Playbook, epoch: int, team: str | None = None) -> dict[str, Any]:
    """The decision matrix of `model` (decisions.json, `playbook export`): which commit it
    is of, and the day of its sources (`source_epoch`)."""
    last = git.commits(root, 1)
    built = dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat()
    return matrix.decision_matrix(model, commit=last[0].id if last else "", built=built, team=team)


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


CACHE = "cache"  # in the build folder: what a rebuild can reuse (runtime/cache.py)
ROBOTS, ROBOTS_PRIVATE = "robots.txt", "User-agent: *\nDisallow: /\n"


@contextmanager
def discarding(*caches: Cache) -> Iterator[None]:
    """What the caches staged and did not save is dropped on the way out. A build that
    fails for any reason but the playbook's own problems (a bug, a crash of the engine)
    also removes the entries it read (`Cache.drop_read`): one may have led to the
    failure. Bad input writes nothing, the cache included."""
    try:
        yield
    except PlaybookError:
        raise
    except Exception:  # not an interrupt: nothing failed
        for cache in caches:
            cache.drop_read()
        raise
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
    engine: str = "mkdocs",
) -> Built:
    """Validate, render and build the site (drafts only in a `preview` build).

    `history`: add the pages made from the git history of `root` (in a git checkout).
    `site_config`: the organisation's mkdocs.yml (see `check`).
    `team`: build that team's site: its effective playbook (`overlay.apply`). The build
    cache serves both: a page's key holds the model's `team` and each entry's values.
    `engine`: what builds the site from the generated docs (`site/engine.py`).
    Writes nothing unless all of it succeeds: the MkDocs project (`build_dir`) and the
    site are built in fresh folders and swapped in together.
    """
    site_engine("build")
    from ..cards import deck, printables
    from ..site import ahead
    from ..site import engine as engines
    from ..site.finish import FINISHED, Unfinished, finish, pack, unpack
    from ..site.search import search_data

    started = time.perf_counter()
    # reused work: each unchanged file's parse and own checks, each page's Markdown, each
    # group of laid-out cards; saved on success only
    parsed = Cache(build_dir / CACHE / "sources")
    pages, laid_out = Cache(build_dir / CACHE / "pages"), Cache(build_dir / CACHE / "cards")
    # what is made beside the engine stages its cache blobs here: gone with the build,
    # whatever becomes of the process that made them (commands/build.py `printing`)
    scratch = tempfile.TemporaryDirectory(prefix="playbook-printing-")
    engine_runs = Cache(build_dir / CACHE / "engine")  # what the early engine is (site/ahead.py)
    finished = Cache(build_dir / CACHE / "finished")  # the pages as our step left them
    caches = (parsed, pages, laid_out, engine_runs, finished)
    # the engine on the last build's docs, beside the checks: its site is taken if this
    # build's docs and configuration are the same (site/ahead.py)
    early_engine = ahead.started(build_dir, site_dir, engine, engine_runs, build_dir / "mkdocs.yml")
    with scratch, discarding(*caches), early_engine as early:  # a failed build leaves nothing
        memo = StoredMemo(store=parsed)
        checked = check(
            root, today, strict=strict, preview=preview, site_config=site_config, memo=memo
        )  # fmt: skip
        read_anew = isinstance(memo.files, StoredFiles) and memo.files.read_anew > 0
        del memo  # every file as parsed: not kept past the checks (90 MB at 5,000 entries)
        if early is not None and read_anew:
            # a source file changed (or was not found in the cache: a playbook checked out
            # at another path): the docs almost surely did, and the engine on the last ones
            # would only slow the render (a change to a comment alone loses the early site,
            # and costs what any change costs)
            early.cancel()
            early = None
        # what MkDocs' warnings are traced back to; the other parsed files can go now
        linked = links.linking(checked.sources)
        # the versions in force today (a version merged ahead of its `effective` date waits)
        effective, later = in_force(checked.model, root, today)
        checked = replace(
            checked,
            model=team_view(effective, team),
            problems=(*checked.problems, *later),
            sources=linked,
        )
        release()  # what the checks no longer need, before the render's workers fork

        if history and git.shallow(root):  # cut short: everything would read as new
            history = False
            if strict:
                raise PlaybookError([shallow_history(root)])
            checked = replace(checked, problems=(*checked.problems, shallow_history(root)))

        # first render everything in memory: a template error or an overflowing card writes nothing
        changes = recent_changes(root) if history else None
        dated = render.with_entries(checked.model, root, changes) if changes else None
        releases = changelog(root, today) if history else []
        published = [r for r in releases if not r.first]  # not "everything is new"
        log = versions(root, published, checked.model.language) if published else []
        trail = trails(checked.model, releases)
        epoch = source_epoch(root, checked.model)
        # the answers as data, for the CRM, the quote tool, a bot (model/matrix.py), and for
        # the site's decision helper: one matrix, as decisions.json and as its script
        answers = matrix_of(root, checked.model, epoch)
        rendered = render.render_site(checked.model, dated, log, trail, pages, answers)
        docs: dict[str, str | bytes] = {**rendered.docs}
        fresh = rendered.fresh
        del rendered  # what is on disk need not stay in memory while the engine builds
        if published:
            docs[feed.FEED_FILE] = feed.atom(checked.model, published)
            for role in checked.model.roles:  # one feed per role: what concerns it
                mine = feed.for_role(published, role.id)
                docs[feed.role_feed(role.id)] = feed.atom(
                    checked.model, mine, role.id, updated=published
                )
        # what the site carries to print (cards/printables.py): the deck's print view, both
        # decks and the poster, made beside the engine in a process of their own (Typst lays
        # out in worker processes of its own). The docs hold an empty stand-in under each
        # name (the pages link them), which the files made replace in the built site. A very
        # large deck is made before the engine starts, once the docs are on disk: both at
        # once would pass the memory target (bench/: 5,000 entries)
        poster_too = printables.with_poster(checked.model)
        beside_engine = len(deck.select(checked.model)) <= deck.BESIDE_ENGINE_UP_TO
        docs.update(deck.link_pages(checked.model))
        docs.update({name: b"" for name in printables.names(poster_too)})
        docs.update(checked.site.docs_files())
        if not checked.model.public:  # private by default: crawlers are turned away
            docs[ROBOTS] = ROBOTS_PRIVATE
        docs[matrix.FILE] = matrix.as_json(answers)
        docs_dir, config_file = build_dir / "docs", build_dir / "mkdocs.yml"

        def config(docs_at: Path, site_at: Path) -> dict[str, Any]:
            return mkdocs_config(
                checked.model,
                docs_at,
                site_at,
                with_changes=bool(dated),
                with_changelog=bool(log),
                settings=checked.site,
            )

        # then build the MkDocs project and the site in fresh folders, swapped in on success
        made = undone_on_failure(build_dir, site_dir.parent)

        def printing(into: Path) -> tuple[list[str], Handover, Exception | None]:
            """The printable files written into `into`, made with a cache of their own (this
            may be another process), handed over to `laid_out` with what went wrong: what
            it read is dropped with the rest if the build fails on a bug (`discarding`)."""
            store = Cache(laid_out.folder, staging_in=Path(scratch.name))
            names: list[str] = []
            try:
                # on the cores the engine leaves (MkDocs builds on one): Typst's own
                # threads on every core would take turns with the engine and slow it
                files = printables.printables(
                    checked.model, epoch, store, poster_too, threads=beside_the_engine()
                )
                for name, data in files:
                    (into / name).parent.mkdir(parents=True, exist_ok=True)
                    (into / name).write_bytes(data)
                    names.append(name)
                    del data  # one file in memory at a time: not while the next is made
            except Exception as error:  # an overflowing card, a bug
                return names, store.handover(), error
            except BaseException:  # stopped: nobody waits for it
                store.discard()
                raise
            return names, store.handover(), None

        beside: Background[tuple[list[str], Handover, Exception | None]] | None = None
        # what only a site of up to `ahead.AT_MOST_FILES` docs files keeps for the next
        # build: the early engine's record, the pages as finished (memory: bench/)
        remembered = beside_engine and len(docs) <= ahead.AT_MOST_FILES
        made_docs = ahead.digests(docs)
        engine_config = ahead.config_text(config(ahead.DOCS, ahead.SITE))
        # (a large deck's PDFs go into the docs, not the stand-ins the early engine built)
        early_site = beside_engine and early is not None and early.matches(engine_config, made_docs)
        if early is not None and not early_site:
            early.cancel()  # something changed: the engine runs on the new docs
        with (
            made,
            building(docs_dir) as new_docs,
            building(site_dir) as new_site,
            output_beside(site_dir, "printed") as printed_at,  # moved into the site from there
        ):
            write_files(docs, new_docs, reuse=docs_dir)  # the last build's files, where unchanged
            pages_built = [path for path in docs if path.endswith(".md")]
            count = len(pages_built)
            docs.clear()  # on disk now: the engine reads it from there
            release()  # and the forks that follow start from less

            def taken(outcome: tuple[list[str], Handover, Exception | None]) -> list[str]:
                names, handed_over, failed_printing = outcome
                laid_out.adopt(handed_over)
                if failed_printing is not None:  # an overflowing card stops here
                    raise failed_printing
                return names

            try:
                printed: list[str] = []
                if beside_engine:  # forked now: the docs are written, the engine not started
                    beside = Background(partial(printing, printed_at))
                else:  # into the docs, for the engine to copy; one file in memory at a time
                    made_first = printables.printables(checked.model, epoch, laid_out, poster_too)
                    for name, data in made_first:
                        replace_file(new_docs / name, data)
                        del data
                # for our own step after the engine, read while it builds (a rebuild waits
                # for the early engine here): the pages finished last time, from the build
                # cache, for a site small enough to keep them (`remembered`)
                finished_key = cache_key(FINISHED, *map(package_version, ("nh3", "lxml")))
                known = unpack(finished.get(finished_key)) if remembered else None
                searched = search_data(checked.model)
                # what the engine built from these very docs, or else the engine now
                if not (early is not None and early_site and early.site_into(new_site)):
                    engines.build(config(new_docs, new_site), config_file, engine)
                if beside is not None:
                    printed = taken(beside.result())
                # what MkDocs built its pages with, before our step's workers start; not
                # while the printables' process runs: collecting would copy what it shares
                release()
                # our own step: sanitised pages, the search index, a portable 404, a dated
                # sitemap or none
                made_pages = finish(
                    new_site,
                    pages_built,
                    base=urlsplit(checked.model.site_url or "/").path,
                    epoch=epoch,
                    public=checked.model.public,
                    search=searched,
                    known={} if remembered and known is None else known,
                )
                if remembered and (known is None or made_pages.keys() != known.keys()):
                    finished.put(finished_key, pack(made_pages))
                del made_pages, known
                for name in printed:  # over the engine's stand-ins (a link is replaced)
                    os.replace(printed_at / name, new_site / name)
                mark(new_site / "cards")  # `playbook cards --out site/cards` may replace its files
            except engines.BuildFailed as failed:
                made_from = render.page_files(checked.model)
                where = display_path(config_file)
                raise PlaybookError(
                    links.explain(failed.messages, made_from, checked.sources, where)
                ) from None
            except Unfinished as unfinished:
                raise PlaybookError([engine_problem(config_file, unfinished.pages)]) from None
            finally:
                # the engine failed: the printables are stopped, and what they read of the
                # cache, if they had finished, is dropped with the rest (`discarding`)
                leftover = beside.cancel() if beside is not None else None
                if leftover is not None:
                    laid_out.adopt(leftover[1])
        replace_file(config_file, dump_config(config(docs_dir, site_dir)))
        mark(build_dir)  # only now: a failed build leaves nothing behind
        if remembered:  # for the next build
            engine_runs.put(ahead.record_key(engine), ahead.record(engine_config, made_docs))
        for cache in caches:  # beside build/docs, so they outlive the swap
            cache.save()  # and drop what this build did not use

        seconds = time.perf_counter() - started
        return Built(
            checked.model, checked.problems, site=checked.site, pages=count, seconds=seconds,
            rendered=fresh,
        )  # fmt: skip
