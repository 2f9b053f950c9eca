"""Typst as a range: the cards are laid out and joined with the oldest Typst the
requirement allows, as with the newest, which `make test` installs. Typst 0.14 cannot
(its Python binding has no `timestamp` and no PDF/UA-1); the joiner reads any PDF
layout Typst may write (tests/test_pdf_join.py)."""

from __future__ import annotations

import io
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version
from pypdf import PdfReader

from .conftest import SAMPLE, TODAY, installed_aside

BUILD = """
import sys
from importlib.metadata import version
from pathlib import Path
from sales_playbook.cards.deck import SITE_DECK, build_deck, select
from sales_playbook.source import check

model = check.check(Path(sys.argv[1]), __import__("datetime").date.fromisoformat(sys.argv[2])).model
Path(sys.argv[3]).write_bytes(build_deck(model, select(model), SITE_DECK, 1_790_000_000).pdf)
print(version("typst"), len(select(model)))
"""


def typst_requirement() -> Requirement:
    for text in metadata.requires("sales-playbook") or []:
        requirement = Requirement(text)
        if requirement.name == "typst":
            return requirement
    raise AssertionError("the site extra requires no typst")


def test_the_requirement_is_a_range_that_holds_the_installed_typst() -> None:
    requirement = typst_requirement()
    assert sorted(s.operator for s in requirement.specifier) == ["<", ">="], requirement
    assert requirement.specifier.contains(Version(metadata.version("typst")))


def test_the_oldest_typst_allowed_lays_out_and_joins_the_deck(tmp_path: Path) -> None:
    """In a process of its own (its card worker too), with the oldest Typst installed
    from the package index once, then pip's cache (about 3 s)."""
    [floor] = [s.version for s in typst_requirement().specifier if s.operator == ">="]
    environment = installed_aside(f"typst=={floor}", tmp_path / "packages")
    out = tmp_path / "deck.pdf"
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(SAMPLE), TODAY.isoformat(), str(out)],
        capture_output=True, text=True, timeout=600, check=False,
        env=environment,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    used, cards = done.stdout.split()
    assert Version(used) == Version(floor)  # that Typst, not the installed one
    pdf = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(pdf.pages) == int(cards) > 16  # more than one group, joined
    assert "/StructTreeRoot" in pdf.trailer["/Root"]
    assert all(page.trimbox and page.extract_text().strip() for page in pdf.pages)
