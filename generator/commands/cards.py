"""`playbook cards`: validate, then lay out decision cards (PDF + print view)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import pipeline
from ..cardoptions import SIZES_MM, CardOptions
from ..output import check_target
from . import options

NAME = "cards"
HELP = "validate, then render decision cards (PDF + print view)"


def _millimetres(text: str) -> float:
    try:
        value = float(text.strip().removesuffix("mm"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a length in mm: {text!r}") from None
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError("bleed must be between 0mm and 10mm")
    return value


def _cards_per_sheet(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 16:
        raise argparse.ArgumentTypeError(f"a number of cards from 1 to 16: {text!r}")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    parser.add_argument("--out", type=Path, default=Path("site/cards"), help="folder to write into")
    parser.add_argument("--size", choices=sorted(SIZES_MM), default="A6", help="card size")
    parser.add_argument("--bleed", type=_millimetres, default=0.0, help="e.g. 3mm")
    parser.add_argument("--crop-marks", action="store_true", help="marks where to cut")
    parser.add_argument(
        "--n-up", type=_cards_per_sheet, default=1, help="cards per A4 sheet, with cut lines"
    )
    parser.add_argument("--kind", action="append", default=[], help="only this kind (repeatable)")
    parser.add_argument(
        "--role", action="append", default=[], help="only entries involving this role"
    )
    parser.add_argument("--tag", action="append", default=[], help="only entries with this tag")
    parser.add_argument(
        "--level", default=None, help="the cards as they hold at this autonomy level (e.g. senior)"
    )
    parser.add_argument(
        "--team", default=None, help="the cards as they hold in this team (teams/<team>.yml)"
    )
    options.add_strict(parser)
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    check_target(args.out, "--out", folder)
    written = pipeline.write_cards(
        folder,
        args.out,
        options.today(args),
        CardOptions(args.size, args.bleed, args.crop_marks, args.n_up),
        kinds=args.kind,
        roles=args.role,
        tags=args.tag,
        strict=args.strict,
        team=args.team,
        level=args.level,
    )
    options.report(written.problems, args.format)
    options.say(f"wrote {args.out}: {written.summary}")
    return options.EXIT_OK
