"""`playbook board`: validate, then print the delegation board as a poster (PDF)."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..cards import poster
from ..cards.poster import lay_out
from ..errors import Problem, UsageError
from ..extras import site_engine
from ..history.effective import in_force
from ..model.playbook import Playbook
from ..runtime.output import marked_file, replace_file
from ..source.check import check
from . import options

NAME = "board"
HELP = "validate, then render the delegation board as a poster (PDF, A3 or A2 landscape)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    parser.add_argument(
        "--out", type=Path, default=Path("delegation-board.pdf"), help="PDF file to write"
    )
    parser.add_argument(
        "--paper", choices=sorted(poster.PAPERS_MM), default="a3", help="paper size, landscape"
    )
    options.add_strict(parser)
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    written = write_board(folder, args.out, options.today(args), args.paper, strict=args.strict)
    options.report(written.problems, args.format)
    options.say(f"wrote {args.out}: {written.summary}")
    return options.EXIT_OK


@dataclass(frozen=True)
class BoardWritten:
    model: Playbook
    problems: tuple[Problem, ...]
    font_pt: float
    seconds: float

    @property
    def summary(self) -> str:
        return f"{len(self.model.roles)} roles, text at {self.font_pt:g} pt, {self.seconds:.1f} s"


MARK = b"/Keywords(playbook-board)"  # in every poster's PDF metadata (cards/board.typ)
MAX_POSTER_BYTES = 64 * 1024 * 1024


def made_by_board(path: Path) -> bool:
    """Whether `path` is a regular file holding a poster this command wrote."""
    return marked_file(path, MARK, MAX_POSTER_BYTES)


def write_board(
    root: Path, out: Path, today: dt.date, paper: str = "a3", *, strict: bool = False
) -> BoardWritten:
    """`playbook board`: validate, then write the poster to `out` (a .pdf file)."""
    site_engine("board")
    started = time.perf_counter()
    if out.suffix.lower() != ".pdf" or out.is_dir():
        raise UsageError(f"--out {out}: name a .pdf file to write the poster into")
    options.replaceable_file(out, root, "board", made_by_board)
    checked = check(root, today, strict=strict)
    effective, later = in_force(checked.model, root, today)  # the versions in force today
    checked = replace(checked, model=effective, problems=(*checked.problems, *later))
    poster = lay_out(checked.model, paper)
    out.parent.mkdir(parents=True, exist_ok=True)
    replace_file(out, poster.pdf)
    seconds = time.perf_counter() - started
    return BoardWritten(checked.model, checked.problems, poster.font_pt, seconds)
