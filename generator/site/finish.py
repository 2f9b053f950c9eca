"""Our own step after the engine: what makes the built site ours, whichever engine built
it.

- every page made from our Markdown is sanitised (`sanitize.py`); one that lost its
  content marks fails the build: an engine, or a cache it kept, that wrote the page
  from something else;
- `404.html` works from disk as well as from any depth on a server;
- the site's own search index, read from the sanitised pages (`search_index.py`);
- a public site's sitemap is dated by the sources (`epoch`), not by the clock; a
  private one has none.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import re
import shutil
import zlib
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from ..errors import Failure
from ..runtime.memory import release
from ..runtime.parallel import over_cores
from .sanitize import clean_page
from .search_index import Section, SectionCache, page_sections, write_search

SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
# what the engines write for a search of their own: Zensical's index, Material's worker
ENGINE_SEARCH = ("search.json", "assets/javascripts/lunr", "assets/javascripts/workers")
LASTMOD = re.compile(r"<lastmod>[^<]*</lastmod>")


class Unfinished(Failure):
    """Raised when built pages are not what our Markdown made (no content
    marks: the engine, or a cache it kept, wrote them from something else); `pages`
    names them. The build reports it as a problem."""

    def __init__(self, pages: list[str]) -> None:
        self.pages = pages
        super().__init__(", ".join(pages))


def finish(
    site: Path,
    pages: Iterable[str],
    *,
    base: str,
    epoch: int,
    public: bool,
    search: Mapping[str, Any],
    known: Known | None = None,
) -> Known:
    """Finish the built `site`: `pages` are the docs' Markdown pages (`x/y.md`), `base`
    the site's path on its server (`/` or `/playbook/`), `search` what the search knows
    beyond the page text (`search.py`). Many pages are sanitised and read for the search
    over several cores (`runtime/parallel.py`).

    `known`: pages finished before (a rebuild's, from the build cache: `pack`), by the
    sha256 of what the engine wrote; a page the engine wrote the same again is not
    cleaned and read again. Returns this build's, for the next one ({} without `known`).
    """
    read = SectionCache()
    unmarked = []
    made: Known = {}
    todo = list(pages)
    finisher = Finisher(site, known)
    # (the pages finished before would travel to each fresh worker: those fork)
    fresh = len(todo) >= FRESH_FROM and not known
    for part in over_cores(finisher, todo, PARALLEL_FROM, fresh=fresh):
        for page, done, digest, new in part:
            if done is None:
                unmarked.append(page)
                continue
            read.pages[html_of(page)] = done
            if known is not None:
                made[digest] = new or known[digest]
    if unmarked:
        raise Unfinished(unmarked)
    write_search(site, search, read)
    for leftover in ENGINE_SEARCH:  # the engine's search, which the site does not use
        path = site / leftover
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    portable_404(site, base)
    if public:
        date_sitemap(site, epoch)
    else:  # private: no map of the site for crawlers
        for name in SITEMAPS:
            (site / name).unlink(missing_ok=True)
    return made


PARALLEL_FROM = 200  # pages: fewer are done in this process
RELEASE_EVERY = 500  # pages (runtime/memory.py)
# pages from which the workers start fresh, not as copies of the build's process: a
# copy of a process that large costs more memory than a fresh start costs time
# (runtime/fresh.py; bench/: 5,000 entries, 10,023 pages)
FRESH_FROM = 4_000
Read = tuple[tuple[int, int], list[Section]]  # a page file's time and size, its sections
# the sha256 of a page's location and what the engine wrote -> the page finished, its
# sections
Known = dict[str, tuple[str, list[Section]]]
Done = tuple[str, Read | None, str, tuple[str, list[Section]] | None]


class Finisher:
    """Sanitises pages of the built site and reads their sections for the search:
    picklable, for `over_cores`. `known`: see `finish`."""

    def __init__(self, site: Path, known: Known | None = None) -> None:
        self.site = site
        self.known = known or {}
        # what was made of a page travels back only to be kept: 300 MB of pages at
        # 5,000 entries, where they are not (bench/)
        self.keeping = known is not None

    def __call__(self, pages: Sequence[str]) -> list[Done]:
        done = []
        for count, page in enumerate(pages, 1):
            done.append(self.page(page))
            if count % RELEASE_EVERY == 0:  # what parsing and cleaning left: given back
                release()
        return done

    def page(self, page: str) -> Done:
        """The page, what was read of it (None for a page without its content marks),
        the sha256 of where it is and what the engine wrote, and what was made of it if
        it was not `known` and is kept (a `known` was given)."""
        location = html_of(page)
        file = self.site / location
        try:
            raw = file.read_bytes()
        except OSError:
            return page, None, "", None
        # where the page is counts: its sections name it, and two pages may be the same
        digest = hashlib.sha256(location.encode("utf-8") + b"\0" + raw).hexdigest()
        found = self.known.get(digest)
        fresh = None
        if found is None:
            try:
                cleaned = clean_page(raw.decode("utf-8"))
            except UnicodeDecodeError:
                cleaned = None
            if cleaned is None:
                return page, None, digest, None
            found = fresh = cleaned, page_sections(cleaned, location)
        file.write_text(found[0], encoding="utf-8")
        info = file.stat()
        read = (info.st_mtime_ns, info.st_size), found[1]
        return page, read, digest, fresh if self.keeping else None


FINISHED = "finished/2"  # 2: keyed by the page's location too


def pack(made: Known) -> bytes:
    """`finish`'s pages for the build cache (compressed: a tenth of their size)."""
    return zlib.compress(json.dumps(made, ensure_ascii=False).encode("utf-8"), 1)


def unpack(data: bytes | None) -> Known | None:
    """What `pack` made; None for anything else."""
    if data is None:
        return None
    try:
        found = json.loads(zlib.decompress(data))
        return {
            str(digest): (str(page), [dict(section) for section in sections])
            for digest, (page, sections) in found.items()
        }
    except (ValueError, TypeError, AttributeError, zlib.error):
        return None


def html_of(page: str) -> str:
    return page.removesuffix(".md") + ".html"


def date_sitemap(site: Path, epoch: int) -> None:
    """Every `<lastmod>` of the sitemap the day of the sources; its gzip copy made anew,
    stamped with the same moment."""
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return
    day = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d")
    text = LASTMOD.sub(f"<lastmod>{day}</lastmod>", sitemap.read_text("utf-8"))
    sitemap.write_text(text, encoding="utf-8")
    packed = io.BytesIO()
    with gzip.GzipFile(filename="sitemap.xml", mode="wb", fileobj=packed, mtime=epoch) as out:
        out.write(text.encode("utf-8"))
    (site / "sitemap.xml.gz").write_bytes(packed.getvalue())


def portable_404(site: Path, base: str) -> None:
    """Make `404.html` work from disk as well as from any depth on a server.

    The engines write it with paths from the server's root (`/assets/…`), so that it
    works for a missing page at any depth; from `file://` those paths point nowhere. The
    paths become relative to the site's root, and on a server a `<base>` set before
    anything loads points them at the site's root again.
    """
    page = site / "404.html"
    if not page.is_file() or not base.startswith("/"):
        return
    html = page.read_text("utf-8")
    for attribute in ("href", "src"):
        html = html.replace(f'{attribute}="{base}', f'{attribute}="./')
    base_tag = json.dumps(f'<base href="{escape(base)}">')
    script = f'<script>if(location.protocol!=="file:")document.write({base_tag})</script>'
    html = html.replace("<head>", f"<head>{script}", 1)
    page.write_text(html, encoding="utf-8")
