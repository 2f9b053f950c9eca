"""Command line: arguments -> pipeline -> exit code. The only place that prints problems."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, diff, ownership, pipeline
from .cards import SIZES_MM, CardOptions
from .errors import PlaybookError, Problem
from .report import FORMATS, format_text

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="playbook", description=__doc__)
    root.add_argument("--version", action="version", version=f"playbook {__version__}")
    commands = root.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("source", nargs="?", type=Path, default=Path("playbook"))
        sub.add_argument("--strict", action="store_true", help="fail on warnings too")
        sub.add_argument(
            "--today", type=_date, default=None, help="date for review checks (YYYY-MM-DD)"
        )
        sub.add_argument(
            "--format",
            choices=sorted(FORMATS),
            default="text",
            help="how problems are printed: text (people), github (annotations), json (tools)",
        )

    validate = commands.add_parser("validate", help="check the sources; write nothing")
    common(validate)
    build = commands.add_parser("build", help="validate, then build the site")
    common(build)
    build.add_argument("--site-dir", type=Path, default=Path("site"))
    build.add_argument("--build-dir", type=Path, default=Path("build"))
    build.add_argument("--preview", action="store_true", help="include drafts, marked as such")

    compare = commands.add_parser(
        "diff", help="what a change means: BASE and HEAD are folders or git revisions"
    )
    compare.add_argument("base", help="folder or git revision, e.g. origin/main")
    compare.add_argument("head", nargs="?", help="folder or git revision (default: the source)")
    compare.add_argument("--source", type=Path, default=Path("playbook"))
    compare.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    compare.add_argument("--today", type=_date, default=None)

    preview = commands.add_parser("serve", help="live preview that rebuilds on every change")
    preview.add_argument("source", nargs="?", type=Path, default=Path("playbook"))
    preview.add_argument("--build-dir", type=Path, default=Path("build/preview"))
    preview.add_argument("--address", default="127.0.0.1:8000")
    preview.add_argument("--today", type=_date, default=None)

    new = commands.add_parser("new", help="write a valid, commented skeleton entry")
    new.add_argument("kind", help="e.g. non-negotiables, escalation-paths")
    new.add_argument("id", help="the new entry's id (lower-case slug)")
    new.add_argument("--source", type=Path, default=Path("playbook"))
    new.add_argument("--owner", help="owner role (default: the rep role's escalation)")
    new.add_argument("--today", type=_date, default=None)

    review = commands.add_parser("review", help="entries overdue or due for review, by owner")
    common(review)
    review.add_argument("--within", type=int, default=30, metavar="DAYS")

    owners = commands.add_parser("codeowners", help="CODEOWNERS lines from the roles' handles")
    common(owners)
    owners.add_argument("--output", type=Path, help="write to this file instead of stdout")

    deck = commands.add_parser(
        "cards", help="validate, then render the decision cards (PDF + print view)"
    )
    common(deck)
    deck.add_argument("--out", type=Path, default=Path("site/cards"), help="folder to write into")
    deck.add_argument("--size", choices=sorted(SIZES_MM), default="A6")
    deck.add_argument("--bleed", type=_millimetres, default=0.0, help="e.g. 3mm")
    deck.add_argument("--crop-marks", action="store_true")
    deck.add_argument("--n-up", type=int, default=1, help="cards per A4 sheet, with cut lines")
    deck.add_argument("--kind", action="append", default=[], help="only this kind (repeatable)")
    deck.add_argument(
        "--role", action="append", default=[], help="only entries involving this role"
    )
    deck.add_argument("--tag", action="append", default=[], help="only entries with this tag")
    return root


def _millimetres(text: str) -> float:
    try:
        value = float(text.strip().removesuffix("mm"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a length in mm: {text!r}") from None
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError("bleed must be between 0mm and 10mm")
    return value


def _report(problems: Sequence[Problem], form: str) -> None:
    """Text goes to stderr; machine formats go to stdout, where tools read them."""
    if form == "text":
        if problems:
            print(format_text(problems), file=sys.stderr)
    else:
        print(FORMATS[form](problems))


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    today = args.today or dt.date.today()
    try:
        if args.command == "validate":
            result = pipeline.check(args.source, today, strict=args.strict)
            _report(result.problems, args.format)
            print(f"{args.source}: {result.summary}", file=sys.stderr)
        elif args.command == "serve":
            from .serve import serve

            serve(args.source, args.build_dir, today, args.address)
        elif args.command == "new":
            path = pipeline.new_entry(args.source, args.kind, args.id, args.owner, today)
            print(f"created {path}: fill in the TODOs, then run `playbook validate`")
        elif args.command == "review":
            checked = pipeline.check(args.source, today)
            grouped = ownership.due_reviews(checked.model, today, args.within)
            print(ownership.format_reviews(grouped, args.within))
            overdue = any(d.overdue for dues in grouped.values() for d in dues)
            return EXIT_PROBLEMS if args.strict and overdue else EXIT_OK
        elif args.command == "codeowners":
            text = ownership.codeowners(pipeline.check(args.source, today).model)
            if args.output:
                args.output.write_text(text, encoding="utf-8")
            else:
                print(text, end="")
        elif args.command == "diff":
            model, changes = pipeline.semantic_diff(args.base, args.head, args.source, today)
            if args.format == "json":
                print(diff.format_json(changes))
            elif args.format == "markdown":
                print(diff.format_markdown(changes, model.language))
            else:
                print(diff.format_text(changes, model.language))
        elif args.command == "cards":
            options = CardOptions(args.size, args.bleed, args.crop_marks, args.n_up)
            written = pipeline.write_cards(
                args.source,
                args.out,
                today,
                options,
                kinds=args.kind,
                roles=args.role,
                tags=args.tag,
                strict=args.strict,
            )
            _report(written.problems, args.format)
            print(f"wrote {args.out}: {written.summary}", file=sys.stderr)
        else:
            result = pipeline.build(
                args.source,
                args.site_dir,
                args.build_dir,
                today,
                strict=args.strict,
                preview=args.preview,
            )
            _report(result.problems, args.format)
            print(f"built {args.site_dir}: {result.summary}", file=sys.stderr)
    except pipeline.UsageError as error:
        print(f"playbook: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except PlaybookError as error:
        form = args.format if args.format in FORMATS else "text"
        _report(error.problems, form)
        if form == "text":
            print("nothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
