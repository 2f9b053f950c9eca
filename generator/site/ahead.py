"""A rebuild starts the engine before it knows whether anything changed.

Many builds of a playbook change nothing the engine reads: a rebuild in CI, a build
after a change outside the playbook. The engine (MkDocs: about 10 ms a page) then builds
the same docs again, after our checks and rendering. So the engine starts first, on the
last build's docs, in a forked process beside the checks; if the docs this build renders
are exactly those, its site is this build's, and the checks cost no time on top of the
engine. Once the checks find a source file changed, the build stops it
(commands/build.py): its work would only slow the render.

Nothing is trusted that this tool did not make and check:

- the last successful build leaves a record in the build cache (`record`, signed like
  every cache entry, runtime/cache.py): the engine's configuration and the sha256 of
  every file of the docs it built;
- `start` forks a process that links the last build's docs (build/docs) into a folder
  of its own, each only if it is a regular file (no link, no FIFO) whose bytes have the
  recorded digest, and runs the engine on that folder with the recorded configuration;
  a file that is not the record's stops it before the engine starts;
- the early site is taken (`EarlyEngine.matches`) only if the configuration and every
  docs file this build made are the recorded ones, byte for byte; otherwise the early
  engine is stopped and the engine runs on the new docs, as without a record;
- the site goes through our finishing step (site/finish.py) like any other.

Only MkDocs, the default engine, starts early, only in a process that can fork (not in
one running threads, such as the preview's server), and only for sites of up to
`AT_MOST_FILES` docs files: two engines at once would pass the memory target.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ..errors import Failure
from ..runtime.cache import Cache, key
from ..runtime.files import read_regular
from ..runtime.output import MARKER, is_ours, mark, remove_left
from ..runtime.parallel import Background, forks
from . import engine as engines

RECORD = "engine-ahead/1"
FOLDER_PREFIX = ".early-"  # the early docs in the build folder, the early site beside the site
AT_MOST_FILES = 5_000  # docs files (about 2,000 entries); a larger site is not built twice
MAX_DOC = 64 * 1024 * 1024  # no generated docs file comes near (the decks are stand-ins)
# what else the engine's site depends on: the engine and its theme, and the build's date
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
DOCS, SITE = Path("/{docs}"), Path("/{site}")  # in the recorded configuration


def record_key(engine: str) -> str:
    """The record's key: the engine, the versions of what it builds with, the build's
    date from the environment (MkDocs reads SOURCE_DATE_EPOCH)."""
    return key(RECORD, engine, *map(_version, PACKAGES), os.environ.get("SOURCE_DATE_EPOCH", ""))


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def digests(docs: Mapping[str, str | bytes]) -> dict[str, str]:
    """The sha256 of each docs file, by its path in the docs."""
    return {
        path: hashlib.sha256(data if isinstance(data, bytes) else data.encode("utf-8")).hexdigest()
        for path, data in docs.items()
    }


def record(config: str, made: Mapping[str, str]) -> bytes:
    """What a successful build leaves for the next one: `config` is its engine's
    configuration made for `DOCS` and `SITE` (`config_text`), `made` the `digests` of its
    docs."""
    return json.dumps({"config": config, "docs": dict(made)}, sort_keys=True).encode()


def config_text(config: Mapping[str, Any]) -> str:
    """A configuration made for `DOCS` and `SITE`, as compared with a record."""
    return json.dumps(config, sort_keys=True, ensure_ascii=False)


class EarlyEngine:
    """The engine building the last build's docs (`start`), in a forked process."""

    def __init__(
        self,
        folders: tuple[Path, Path],
        config: str,
        made: dict[str, str],
        running: Background[None],
    ) -> None:
        self.docs, self.site = folders  # the last build's docs, linked; the site it builds
        self.config, self.made, self.running = config, made, running

    def matches(self, config: str, made: Mapping[str, str]) -> bool:
        """Whether this build's configuration and docs (`digests`) are the ones the early
        engine builds."""
        return config == self.config and made == self.made

    def site_into(self, site: Path) -> bool:
        """Wait for the early engine and move what it built into `site` (a folder of ours
        beside the one the early site was built in). Raises engine.BuildFailed as the
        engine does; False if it could not give its site (the last build's docs were not
        the recorded ones, its process died, a file could not be moved): the engine then
        runs as without it."""
        try:
            self.running.result()
            for entry in os.listdir(self.site):
                if entry != MARKER:  # `site` has its own
                    os.replace(self.site / entry, site / entry)
        except engines.BuildFailed:
            raise
        except Exception:  # NotTheRecord, or not the docs' fault: they built before
            return False
        return True

    def cancel(self) -> None:
        """Stop the early engine (if it still runs) and remove its folders."""
        self.running.cancel()
        for folder in (self.docs, self.site):
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def started(
    build_dir: Path, site_dir: Path, engine: str, store: Cache, config_file: Path
) -> Iterator[EarlyEngine | None]:
    """`start` for the block; the early engine is stopped and its folders removed at its
    end, whatever became of it."""
    early = start(build_dir, site_dir, engine, store, config_file)
    try:
        yield early
    finally:
        if early is not None:
            early.cancel()


def start(
    build_dir: Path, site_dir: Path, engine: str, store: Cache, config_file: Path
) -> EarlyEngine | None:
    """The engine started on the last build's docs (see the module), or None: no record,
    another engine, a process that cannot fork, a large site, a build or docs folder that
    is a link or not ours. A docs file that is not what the record says stops the early
    engine before it builds (`EarlyEngine.site_into` then gives no site).

    The docs are linked into a folder in `build_dir`; the site is built into a folder
    beside `site_dir` (`.<name>.early-…`: on the same file system as the folder this
    build's site is made in, and not one of those `building` removes as left over)."""
    remove_left(build_dir, f"{FOLDER_PREFIX}*")
    remove_left(site_dir.parent, f".{site_dir.name}{FOLDER_PREFIX}*")  # none of `building`'s
    # a thread could not be stopped when the docs differ, nor build beside our checks
    # (one interpreter lock): only a forked process starts early
    if engine != engines.DEFAULT or not forks():
        return None
    found = store.get(record_key(engine))
    if found is None:
        return None
    try:
        recorded = json.loads(found)
        config, made = recorded["config"], recorded["docs"]
        assert isinstance(config, str) and isinstance(made, dict) and len(made) <= AT_MOST_FILES
        settings = json.loads(config)
        assert isinstance(settings, dict)
    except (ValueError, KeyError, TypeError, AssertionError):
        return None
    docs_dir = build_dir / "docs"
    if not all(f.is_dir() and not f.is_symlink() and is_ours(f) for f in (build_dir, docs_dir)):
        return None
    if not site_dir.parent.is_dir():
        return None
    made_here: list[Path] = []
    try:
        beside_site = f".{site_dir.name}{FOLDER_PREFIX}"
        for parent, prefix in ((build_dir, FOLDER_PREFIX), (site_dir.parent, beside_site)):
            made_here.append(Path(tempfile.mkdtemp(prefix=prefix, dir=parent)).resolve())
            mark(made_here[-1])
        docs, site = made_here
        settings.update(docs_dir=str(docs / "docs"), site_dir=str(site))
        # the docs are linked and checked in the forked process, beside our checks: a
        # file that is not the record's stops it there, and the engine runs after them
        running = Background(
            lambda: _early(docs_dir, docs / "docs", made, settings, config_file, engine), fork=True
        )
    except OSError:  # a folder, or the fork itself: then the engine runs after the checks
        for folder in made_here:
            shutil.rmtree(folder, ignore_errors=True)
        return None
    return EarlyEngine((docs, site), config, made, running)


class NotTheRecord(Failure):
    """Raised when the last build's docs are not what its record says: the early engine
    stops before it builds (`EarlyEngine.site_into` then gives no site)."""


def _early(
    docs: Path,
    into: Path,
    made: Mapping[str, object],
    settings: dict[str, Any],
    config_file: Path,
    engine: str,
) -> None:
    """The early engine's work, in its forked process: the last build's docs linked into
    `into` (`_linked`), then built; NotTheRecord if they are not the recorded ones."""
    if not _linked(docs, into, made):
        raise NotTheRecord(str(docs))
    engines.build(settings, config_file, engine)


def _linked(docs: Path, into: Path, made: Mapping[str, object]) -> bool:
    """Each recorded file of `docs` linked into `into` (hard links: nothing is copied),
    if it is a regular file with the recorded digest, read through the link made, in
    folders that are no links."""
    plain: set[Path] = set()
    for path, digest in made.items():
        relative = Path(path)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            return False
        if not _plain_folders(docs, relative.parent, plain):
            return False
        target = into / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(docs / path, target, follow_symlinks=False)  # a link is linked, not followed
        except OSError:
            return False
        data = read_regular(target, MAX_DOC)  # no link, no FIFO: what the engine would read
        if data is None or hashlib.sha256(data).hexdigest() != digest:
            return False
    return True


def _plain_folders(docs: Path, relative: Path, plain: set[Path]) -> bool:
    """Whether `relative` and each folder above it in `docs` is a folder, not a link
    (`plain` remembers those found so)."""
    for folder in [relative, *relative.parents]:
        if folder in plain or folder == Path("."):
            continue
        if not (docs / folder).is_dir() or (docs / folder).is_symlink():
            return False
        plain.add(folder)
    return True
