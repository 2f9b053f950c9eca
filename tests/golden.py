"""The Markdown generated for the sample playbook, kept in `tests/golden/sample/`.

`make golden` (`python -m tests.golden`) writes it again after an intended change; the
diff of that tree is then part of the change's review. tests/test_golden.py holds every
build to it. The pages made from git history are left out (they change with every
commit), and the date is pinned, so the tree is the same on every machine.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

from sales_playbook.commands.build import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "playbook"
GOLDEN = ROOT / "tests" / "golden" / "sample"
TODAY = dt.date(2026, 11, 23)


def generated_markdown(work: Path) -> dict[str, str]:
    """Build the sample into `work`; every generated Markdown file by its docs path."""
    build(SAMPLE, work / "site", work / "build", TODAY, history=False)
    docs = work / "build" / "docs"
    return {p.relative_to(docs).as_posix(): p.read_text("utf-8") for p in docs.rglob("*.md")}


def golden_markdown() -> dict[str, str]:
    return {p.relative_to(GOLDEN).as_posix(): p.read_text("utf-8") for p in GOLDEN.rglob("*.md")}


def refresh() -> int:
    with tempfile.TemporaryDirectory() as work:
        pages = generated_markdown(Path(work))
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    for name, text in sorted(pages.items()):
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    print(f"wrote {len(pages)} pages to {GOLDEN.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(refresh())
