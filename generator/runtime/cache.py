"""A folder of byte blobs by key: work a rebuild can skip.

A key is a sha256 over everything the blob was made from (see `key`); the caller decides
what that is. Each file is self-verifying: a header line names the format, the stamp it
was written under (the tool's version and a digest of its code and templates), its key,
the payload's length and the payload's sha256. A file that fails any of those checks
(truncated, corrupt, from another format or tool version, renamed) is a miss: never
trusted, never an error, and replaced by the next `save`.

Writes are staged in a temporary folder of our own (in memory where that fails) and
written by `save`, each file atomically (a temporary file renamed into place), so a build
that fails writes nothing (it calls `discard`) and a crash or a second build
running at the same time never leaves a half file that is read back. `save` then drops
the entries this run did not use, so the folder holds one build's worth at most.
The cache is an optimisation only: a folder that cannot be read or written is a cold
cache, never a failed build.

The build folder is untrusted (a branch can commit into it, a CI cache can come from
another run). So:

- the header's checksum is an HMAC-SHA256 under a secret kept outside the repository and
  the build folder (`secret`): anyone can recompute a plain hash, nobody without the
  secret can forge an entry. A forged or foreign entry is a miss like a damaged one, so
  nothing from the cache reaches a page, a card, a QR code or an answer unless this
  machine (or a CI job given the same secret) wrote it;
- only regular files up to `MAX_BLOB` are read, no link is followed, and a cache folder
  that is a link, or sits in one (`build/cache/pages -> elsewhere`), is a cold cache that
  is neither written nor pruned;
- a build that fails on something else than the playbook's own problems calls
  `drop_read`: the entries it read are removed, so an entry that led to the failure
  cannot fail the next build too.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache as memoized
from pathlib import Path
from typing import BinaryIO

from .. import __version__
from ..resources import template_dir
from .files import read_regular

FORMAT = b"playbook-cache/2"  # 2: the checksum is an HMAC (see `secret`)
KEY = re.compile(r"[0-9a-f]{64}")
TEMP_PREFIX = ".tmp-"
TEMP_MAX_AGE = 3600.0  # seconds; an older temporary file was left by a killed build
MAX_HEADER = 512
# a blob this large waits for `save` in a temporary file (in the system's temporary folder
# or `staging_in`), not in memory (decks, groups of cards); smaller ones (a page's
# Markdown) stay in memory, up to `IN_MEMORY_UP_TO` bytes in each cache: thousands of small
# files cost more time than they save room, until they add up (a 5,000-entry build's
# parsed files and pages, held through the engine: bench/)
STAGE_ON_DISK_FROM = 64 * 1024
IN_MEMORY_UP_TO = 16 * 1024 * 1024
MAX_BLOB = 512 * 1024 * 1024  # no deck comes near; a larger "entry" is not ours
SECRET_ENV = "PLAYBOOK_CACHE_KEY"  # a CI job sharing its cache between runs sets it
SECRET_FILE = "cache-key"  # in `user_folder()`
SECRET_BYTES = 32


def key(*parts: str | bytes) -> str:
    """The sha256 (hex) of `parts`, each length-prefixed: ("ab", "c") != ("a", "bc")."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return digest.hexdigest()


def files_digest(*paths: Path, pattern: str = "*") -> str:
    """A sha256 over the names and contents of `paths` (files, or folders searched for
    `pattern`): what templates or code a blob was made with."""
    parts: list[str | bytes] = []
    for path in paths:
        found = sorted(path.rglob(pattern)) if path.is_dir() else [path]
        for file in found:
            if file.is_file():
                parts += [file.relative_to(path).as_posix() if path.is_dir() else file.name]
                parts.append(file.read_bytes())
    return key(*parts)


@memoized
def tool_stamp() -> str:
    """The default stamp: the tool's version and a digest of its code and templates, so a
    changed checkout (same version) never reads what an older one wrote."""
    package = Path(__file__).resolve().parent
    code = files_digest(package, pattern="*.py")
    return f"{__version__}+{key(code, files_digest(template_dir()))[:16]}"


def user_folder() -> Path:
    """The tool's folder in the user's cache folder (XDG): never the repository, never the
    build folder. It holds the cache's key and the build locks (runtime/lock.py)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "sales-playbook"


@memoized
def secret() -> bytes:
    """The key every cache file is signed with.

    `PLAYBOOK_CACHE_KEY` if set (a CI job that keeps its cache between runs passes a
    repository secret), else a random key made once per user in `~/.cache/sales-playbook/`
    (mode 600, read only if it is a regular file of this user that nobody else may
    write). Where neither works, a key for this process alone: the cache then helps only
    the rebuilds of one `playbook serve`, and is cold for the next command.
    """
    given = os.environ.get(SECRET_ENV, "")
    if given:
        return hashlib.sha256(b"playbook-cache-key:" + given.encode("utf-8", "replace")).digest()
    path = user_folder() / SECRET_FILE
    for _ in range(2):  # read it; else make it, and read what won a race to make it
        found = _read_secret(path)
        if found is not None:
            return found
        if not _make_secret(path):
            break
    return os.urandom(SECRET_BYTES)


def _read_secret(path: Path) -> bytes | None:
    def ours(info: os.stat_result) -> bool:  # this user's, and nobody else may write it
        foreign = hasattr(os, "getuid") and info.st_uid != os.getuid()
        return not foreign and not info.st_mode & 0o022

    data = read_regular(path, SECRET_BYTES, ours)
    return data if data is not None and len(data) == SECRET_BYTES else None


def _make_secret(path: Path) -> bool:
    """A new random key at `path`, written whole before it appears (never over one)."""
    temp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
        with os.fdopen(handle, "wb") as file:  # mkstemp: mode 600
            file.write(os.urandom(SECRET_BYTES))
        os.link(temp, path)  # fails if another process made one first: theirs is read
        return True
    except FileExistsError:
        return True
    except OSError:
        return False
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


def signature(signing_key: bytes, stamp: str, blob_key: str, data: bytes) -> bytes:
    """HMAC-SHA256 (hex) over the header's fields and the payload."""
    mac = hmac.new(signing_key, digestmod=hashlib.sha256)
    for part in (FORMAT, stamp.encode(), blob_key.encode(), b"%d" % len(data)):
        mac.update(part + b"\n")
    mac.update(data)
    return mac.hexdigest().encode()


def header(stamp: str, blob_key: str, data: bytes, signing_key: bytes) -> bytes:
    return b"%s %s %s %d %s\n" % (
        FORMAT,
        stamp.encode(),
        blob_key.encode(),
        len(data),
        signature(signing_key, stamp, blob_key, data),
    )


def verified(raw: bytes, stamp: str, blob_key: str, signing_key: bytes) -> bytes | None:
    """The payload of a cache file's bytes if it is exactly what `header` describes,
    signed with `signing_key`."""
    end = raw.find(b"\n", 0, MAX_HEADER)
    if end < 0:
        return None
    fields = raw[:end].split(b" ")
    data = raw[end + 1 :]
    if len(fields) != 5 or fields[:3] != [FORMAT, stamp.encode(), blob_key.encode()]:
        return None
    if fields[3] != b"%d" % len(data):
        return None
    if not hmac.compare_digest(fields[4], signature(signing_key, stamp, blob_key, data)):
        return None
    return data


@dataclass(frozen=True)
class Handover:
    """What a cache did in a forked process, for the cache it was copied from
    (`Cache.handover`, `Cache.adopt`)."""

    used: frozenset[str]
    read: frozenset[str]
    staged: dict[str, bytes | Path]
    folders: list[Path]  # temporary folders holding staged blobs
    hits: int = 0
    misses: int = 0


class Cache:
    """Blobs by key in `folder`, written under `stamp` (files of another stamp are misses;
    by default the tool's version and a digest of its code and templates) and signed with
    `signing_key` (by default `secret()`; files signed otherwise are misses).

    `get` and `put` mark a key as used by this run; `save` writes what was put and drops
    the rest. `hits` and `misses` count the `get`s.
    """

    def __init__(
        self,
        folder: Path,
        stamp: str | None = None,
        signing_key: bytes | None = None,
        staging_in: Path | None = None,
    ) -> None:
        """`staging_in`: where the temporary folder for large staged blobs is made (by
        default the system's temporary folder)."""
        stamp = tool_stamp() if stamp is None else stamp
        if not stamp or any(c.isspace() for c in stamp):
            raise ValueError(f"a cache stamp is one word, not {stamp!r}")
        self.folder = folder
        self.stamp = stamp
        self.signing_key = secret() if signing_key is None else signing_key
        self.used: set[str] = set()
        self.read: set[str] = set()  # keys served from the folder: what `drop_read` removes
        # put, not saved yet: large blobs in a temporary folder of our own (so a deck need
        # not stay in memory, and nothing is written beside the build before it succeeds),
        # the rest in memory
        self.staged: dict[str, bytes | Path] = {}
        self.in_memory = 0  # bytes of what is staged in memory
        self.staging: Path | None = None
        self.staging_in = staging_in
        self._finalizer: weakref.finalize[..., object] | None = None
        self.adopted: list[Path] = []  # staging folders of caches handed over (`adopt`)
        self.hits = 0
        self.misses = 0

    def own_folder(self) -> bool:
        """The folder (and the one holding it) is no link: writing or pruning it cannot
        reach anything outside the build folder."""
        return not (self.folder.is_symlink() or self.folder.parent.is_symlink())

    def get(self, blob_key: str) -> bytes | None:
        _check(blob_key)
        self.used.add(blob_key)
        staged = self.staged.get(blob_key)
        if isinstance(staged, Path):
            data = self._read(blob_key, staged)
        else:
            data = staged if staged is not None else self._read(blob_key)
        if data is None:
            self.misses += 1
        else:
            self.hits += 1
            if staged is None:
                self.read.add(blob_key)
        return data

    def put(self, blob_key: str, data: bytes) -> None:
        """Stage `data` under `blob_key`; `save` writes it."""
        _check(blob_key)
        self.used.add(blob_key)
        self.discard(blob_key)
        data = bytes(data)
        large = len(data) >= STAGE_ON_DISK_FROM or self.in_memory + len(data) > IN_MEMORY_UP_TO
        on_disk = self._stage(blob_key, data) if large else None
        self._staged(blob_key, on_disk or data)

    def _staged(self, blob_key: str, data: bytes | Path) -> None:
        self.staged[blob_key] = data
        if isinstance(data, bytes):
            self.in_memory += len(data)

    def save(self, prune: bool = True) -> int:
        """Write the staged blobs (each atomically); then, with `prune`, drop every entry
        this run did not use. Returns how many were written; an unwritable folder
        writes none."""
        written = 0
        try:
            if not self.own_folder():
                raise OSError("a link")
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            self.discard()
            return 0
        for blob_key, data in self.staged.items():
            if isinstance(data, Path):
                written += self._move(data, blob_key)
            else:
                written += self._write(blob_key, data)
        self.discard()
        if prune:
            self.prune()
        return written

    def prune(self, keep: Iterable[str] = ()) -> int:
        """Remove the entries not used by this run (nor in `keep`), and temporary files a
        killed build left; returns how many were removed."""
        keep = self.used | set(keep)
        removed = 0
        if not self.own_folder():
            return 0
        try:
            names = os.listdir(self.folder)
        except OSError:
            return 0
        now = time.time()
        for name in names:
            path = self.folder / name
            try:
                stale_temp = (
                    name.startswith(TEMP_PREFIX) and now - path.stat().st_mtime > TEMP_MAX_AGE
                )
                if (KEY.fullmatch(name) and name not in keep) or stale_temp:
                    path.unlink()
                    removed += 1
            except OSError:
                continue  # gone already, or not ours to remove
        return removed

    def drop_read(self) -> int:
        """Remove the entries this run read from the folder (a failed build: one of them
        may have led to the failure); returns how many were removed."""
        removed = 0
        if not self.own_folder():
            return 0
        for blob_key in sorted(self.read):
            try:
                (self.folder / blob_key).unlink()
                removed += 1
            except OSError:
                continue
        self.read.clear()
        return removed

    def discard(self, blob_key: str | None = None) -> None:
        """Forget what was put and not saved: one key, or all of it and the temporary
        folder (a failed build leaves no file behind; `save` calls it too)."""
        if blob_key is not None:
            staged = self.staged.pop(blob_key, None)
            if isinstance(staged, Path):
                staged.unlink(missing_ok=True)
            elif staged is not None:
                self.in_memory -= len(staged)
            return
        self.staged.clear()
        self.in_memory = 0
        for folder in [*self.adopted, *([self.staging] if self.staging else [])]:
            shutil.rmtree(folder, ignore_errors=True)
        self.staging, self.adopted = None, []

    def handover(self) -> Handover:
        """What this run did, for the cache of the process this one was forked from
        (`adopt`): its staged blobs and their temporary folder are then that one's."""
        if self._finalizer is not None:
            self._finalizer.detach()  # the folder is the other process's to remove
        done = Handover(
            frozenset(self.used), frozenset(self.read), dict(self.staged),
            [*self.adopted, *([self.staging] if self.staging else [])], self.hits, self.misses,
        )  # fmt: skip
        self.staged, self.staging, self.adopted, self._finalizer = {}, None, [], None
        self.in_memory = 0
        return done

    def adopt(self, done: Handover) -> None:
        """Take over what a forked copy of this cache did (`handover`): the keys it used
        and read, the blobs it staged (saved by our `save`, dropped by our `discard`)."""
        self.used |= done.used
        self.read |= done.read
        for blob_key, data in done.staged.items():
            self.discard(blob_key)
            self._staged(blob_key, data)
        self.adopted += done.folders
        for folder in done.folders:  # gone with this object at the latest, as our own
            weakref.finalize(self, shutil.rmtree, folder, True)
        self.hits += done.hits
        self.misses += done.misses

    def _read(self, blob_key: str, path: Path | None = None) -> bytes | None:
        """A regular file's verified payload: no link followed (a link to /dev/zero), no
        FIFO waited on, nothing larger than `MAX_BLOB` read."""
        if path is None and not self.own_folder():
            return None
        raw = read_regular(path or self.folder / blob_key, MAX_BLOB)
        if raw is None:
            return None
        return verified(raw, self.stamp, blob_key, self.signing_key)

    def _stage(self, blob_key: str, data: bytes) -> Path | None:
        """`data` (with its header) in our temporary folder, until `save`."""
        try:
            if self.staging is None:
                self.staging = Path(tempfile.mkdtemp(prefix="playbook-cache-", dir=self.staging_in))
                # gone with this object at the latest, saved or not (or at exit)
                self._finalizer = weakref.finalize(self, shutil.rmtree, self.staging, True)
            path = self.staging / blob_key
            with path.open("wb") as file:
                self._fill(file, blob_key, data)
            return path
        except OSError:
            return None

    def _move(self, staged: Path, blob_key: str) -> int:
        """The staged file (header included) into the cache; it is gone either way."""

        def copy(file: BinaryIO) -> None:
            with staged.open("rb") as source:
                shutil.copyfileobj(source, file)

        try:
            return self._place(blob_key, copy)
        finally:
            staged.unlink(missing_ok=True)

    def _write(self, blob_key: str, data: bytes) -> int:
        return self._place(
            blob_key,
            lambda file: self._fill(file, blob_key, data),
        )

    def _fill(self, file: BinaryIO, blob_key: str, data: bytes) -> None:
        """The entry's header, then `data`: written apart, not joined (a deck's copy)."""
        file.write(header(self.stamp, blob_key, data, self.signing_key))
        file.write(data)

    def _place(self, blob_key: str, fill: Callable[[BinaryIO], object]) -> int:
        """A file filled by `fill` beside the cache's entries, then renamed into place
        (atomic: a reader sees the old file or the whole new one); 1 if written."""
        temp = None
        try:
            handle, temp = tempfile.mkstemp(dir=self.folder, prefix=TEMP_PREFIX)
            with os.fdopen(handle, "wb") as file:
                fill(file)
            os.replace(temp, self.folder / blob_key)
            return 1
        except OSError:
            if temp is not None:
                Path(temp).unlink(missing_ok=True)
            return 0


def _check(blob_key: str) -> None:
    if not KEY.fullmatch(blob_key):
        raise ValueError(f"a cache key is a sha256 in hex (see `key`), not {blob_key!r}")
