"""`playbook serve`: a live preview that rebuilds when a source changes.

Our part re-validates and re-renders the Markdown (drafts included) and rewrites only
the pages that changed; MkDocs' own server notices them, rebuilds and reloads the
browser. A broken edit prints its problems and the last good preview stays.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from . import cards, render
from .errors import PlaybookError
from .model import Playbook
from .pipeline import check
from .report import format_text


def snapshot(root: Path) -> dict[Path, float]:
    return {p: p.stat().st_mtime for p in root.rglob("*") if p.is_file()}


def render_preview(root: Path, docs_dir: Path, today: dt.date) -> tuple[int, Playbook]:
    """Render into `docs_dir`, writing only files whose content changed; return their count."""
    model = check(root, today, preview=True).model
    docs: dict[str, str | bytes] = {**render.render_docs(model)}
    # the preview leaves out the card PDFs (slow); the pages still link to them
    docs.update({name: b"" for name in cards.SITE_FILE_NAMES})
    changed = 0
    for relative, content in docs.items():
        path = docs_dir / relative
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed += 1
    return changed, model


def watch(root: Path, on_change: Callable[[], None], stop: threading.Event, every: float) -> None:
    seen = snapshot(root)
    while not stop.wait(every):
        now = snapshot(root)
        if now != seen:
            seen = now
            on_change()


def serve(root: Path, build_dir: Path, today: dt.date, address: str) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    docs_dir = build_dir / "docs"
    _, model = render_preview(root, docs_dir, today)
    config_file = build_dir / "mkdocs.yml"
    config = render.mkdocs_config(model, docs_dir, build_dir / "preview-site")
    config_file.write_text(render.dump_config(config), encoding="utf-8")

    def rebuild() -> None:
        started = time.perf_counter()
        try:
            changed, _ = render_preview(root, docs_dir, today)
        except PlaybookError as error:
            print(format_text(error.problems), file=sys.stderr)
            return
        print(f"rendered {changed} changed file(s) in {time.perf_counter() - started:.2f} s",
              file=sys.stderr)  # fmt: skip

    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(root, rebuild, stop, 0.3), daemon=True)
    watcher.start()
    try:
        mkdocs_serve(str(config_file), livereload=True, build_type="dirty", dev_addr=address)
    finally:
        stop.set()
