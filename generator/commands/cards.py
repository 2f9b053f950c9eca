"""`playbook cards`: validate, then lay out decision cards (PDF + print view)."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..cards import carddata
from ..cards.options import SIZES_MM, CardOptions, n_up_problem
from ..errors import UsageError, require_known
from ..extras import site_engine
from ..history.effective import in_force
from ..model import kinds as registry
from ..model.levels import at_level
from ..model.overlay import team_view
from ..model.playbook import Playbook
from ..runtime.output import make_folder, mark, replace_file
from ..source.check import Checked, check
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
        "--level",
        default=None,
        action=options.Once,
        type=options.name,
        help="the cards as they hold at this autonomy level (e.g. senior)",
    )
    parser.add_argument(
        "--team",
        default=None,
        action=options.Once,
        type=options.name,
        help="the cards as they hold in this team (teams/<team>.yml)",
    )
    options.add_strict(parser)
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    options.output_folder(args.out, "--out", folder)
    written = write_cards(
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
    for path in sorted(args.out.glob("*.pdf")):
        options.detail(f"wrote {path}")
    options.say(f"wrote {args.out}: {written.summary}")
    return options.EXIT_OK


@dataclass(frozen=True)
class CardsWritten(Checked):
    count: int = 0
    pages: int = 0
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        return f"{self.count} cards on {self.pages} pages, {self.seconds:.1f} s"


def level_view(model: Playbook, level: str | None) -> tuple[Playbook, frozenset[str]]:
    """The playbook as it holds at a level (`--level`), and the entries that depend on it;
    a usage error naming the known levels."""
    if not level:
        return model, frozenset()
    require_known([level], {lv.id for role in model.roles for lv in role.levels}, "level")
    return at_level(model, level), carddata.varies_by_level(model, level)


def write_cards(
    root: Path,
    out: Path,
    today: dt.date,
    options: CardOptions,
    *,
    kinds: Sequence[str] = (),
    roles: Sequence[str] = (),
    tags: Sequence[str] = (),
    strict: bool = False,
    team: str | None = None,
    level: str | None = None,
) -> CardsWritten:
    """`team`: the cards as they hold in that team; `level`: as they hold at that level."""
    site_engine("cards")
    from ..cards import deck as cards

    started = time.perf_counter()
    problem = n_up_problem(options)
    if problem:
        raise UsageError(problem)
    checked = check(root, today, strict=strict)
    effective, later = in_force(checked.model, root, today)  # the versions in force today
    checked = replace(checked, model=effective, problems=(*checked.problems, *later))
    model, levelled = level_view(team_view(checked.model, team), level)
    unknown = [k for k in kinds if registry.lookup(k) is None]
    if unknown:
        known = ", ".join(registry.BY_FOLDER)
        raise UsageError(f"unknown kind {', '.join(unknown)}; known: {known}")
    kinds = [(registry.BY_NAME.get(k) or registry.BY_FOLDER[k]).name for k in kinds]
    require_known(roles, {r.id for r in model.roles}, "role")
    require_known(tags, {tag for e in model.entries for tag in e.tags}, "tag")
    entries = cards.select(model, kinds, roles, tags)
    if not entries:
        raise UsageError("no entry matches --kind/--role/--tag")

    deck = cards.build_deck(model, entries, options, levelled=levelled)

    make_folder(out)
    mark(out)
    for name, content in (("decision-cards.pdf", deck.pdf), ("index.html", deck.view_html)):
        replace_file(out / name, content)
    seconds = time.perf_counter() - started
    return CardsWritten(
        model, checked.problems, site=checked.site, count=len(deck.cards), pages=deck.pages,
        seconds=seconds,
    )  # fmt: skip
