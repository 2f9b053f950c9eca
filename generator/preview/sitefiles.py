"""The file of the built site a request asks for, never anything outside it.

A path is looked up one name at a time from the site folder: no `..` or `.`, no
backslash, and no symbolic link on the way or at the end (the build makes none; one
found there is someone else's and may point anywhere). A folder is served by its
`index.html` (asked for without its slash, it is a redirect to it, as MkDocs' server
does), never by a listing; only regular files are read.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

TEXT_TYPES = ("application/javascript", "application/json", "image/svg+xml", "application/xml")


@dataclass(frozen=True)
class Found:
    path: Path  # a regular file inside the site, reached without a link


@dataclass(frozen=True)
class Moved:
    location: str  # a folder asked for without its slash


def locate(site_dir: Path, url_path: str) -> Found | Moved | None:
    """What `url_path` (percent-encoded) names in `site_dir` (None: nothing to serve)."""
    kind: int | None
    decoded = unquote(url_path)
    if not decoded.startswith("/"):
        return None
    names = [name for name in decoded.split("/") if name]
    if any(name in (".", "..") or "\\" in name or "\0" in name for name in names):
        return None
    current, kind = site_dir, stat.S_IFDIR
    for name in names:
        current = current / name
        kind = _kind(current)
        if kind not in (stat.S_IFDIR, stat.S_IFREG):  # gone, a link, a device
            return None
    if kind == stat.S_IFDIR:
        if names and not decoded.endswith("/"):
            # from its names: `//host` or `/%2Fhost` would name another host
            return Moved("/" + "/".join(quote(name, safe="") for name in names) + "/")
        current = current / "index.html"
        kind = _kind(current)
    elif decoded.endswith("/"):  # a file is no folder
        return None
    return Found(current) if kind == stat.S_IFREG else None


def _kind(path: Path) -> int | None:
    try:
        return stat.S_IFMT(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return None


def read(path: Path) -> bytes | None:
    """The bytes of this regular file (None: it is gone, or became something else)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return None
        return file.read()


def content_type(path: Path) -> str:
    """The `Content-Type` of a site file (as MkDocs' server has it, with a charset)."""
    kind, encoding = mimetypes.guess_type(path.name)
    if encoding is not None:  # sitemap.xml.gz
        return "application/gzip"
    if path.suffix in (".js", ".mjs"):
        kind = "text/javascript"
    kind = kind or "application/octet-stream"
    textual = kind.startswith("text/") or kind in TEXT_TYPES
    return f"{kind}; charset=utf-8" if textual else kind


def is_html(kind: str) -> bool:
    return kind.split(";")[0].strip() == "text/html"
