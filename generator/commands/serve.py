"""`playbook serve`: a live preview that rebuilds on every change."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import options

NAME = "serve"
HELP = "live preview that rebuilds on every change"


def _address(text: str) -> str:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"not host:port (port 1 to 65535): {text!r}")
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    parser.add_argument(
        "--build-dir",
        type=Path,
        default=Path("build/preview"),
        help="where the preview's MkDocs project goes (default: build/preview)",
    )
    parser.add_argument(
        "--address", type=_address, default="127.0.0.1:8000", help="host:port to serve on"
    )
    options.add_config(parser)
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    from ..extras import site_engine

    site_engine("serve")
    from ..preview.serve import serve

    folder = options.source(args)
    options.output_folder(args.build_dir, "--build-dir", folder)
    serve(folder, args.build_dir, options.today(args), args.address, args.config)
    return options.EXIT_OK
