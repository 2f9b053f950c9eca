"""The whole build, top to bottom: load -> validate -> model -> render -> write -> mkdocs."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from . import render, site
from .errors import PlaybookError, Problem, errors_only
from .model import Playbook, build_model
from .validate import default_interval, validate


@dataclass(frozen=True)
class Checked:
    model: Playbook
    problems: tuple[Problem, ...]  # warnings that did not stop the run

    @property
    def summary(self) -> str:
        warnings = len(self.problems)
        return f"{len(self.model.entries)} entries, {warnings} warning(s)"


@dataclass(frozen=True)
class Built(Checked):
    pages: int = 0
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        return f"{self.pages} pages, {super().summary}, {self.seconds:.1f} s"


def check(root: Path, today: dt.date, *, strict: bool = False) -> Checked:
    """Validate `root`; raise PlaybookError with every problem if any must stop us."""
    sources, problems = validate(root, today)
    if errors_only(problems) or (strict and problems):
        raise PlaybookError(problems)
    return Checked(build_model(sources, today, default_interval(sources)), tuple(problems))


def build(
    root: Path, site_dir: Path, build_dir: Path, today: dt.date, *, strict: bool = False
) -> Built:
    started = time.perf_counter()
    checked = check(root, today, strict=strict)

    # first render everything in memory: a template error writes nothing
    docs = render.render_docs(checked.model)
    docs_dir = build_dir / "docs"
    config = render.mkdocs_config(checked.model, docs_dir, site_dir)

    # then write the MkDocs project, and build the site into a fresh folder
    site.write_tree(docs, docs_dir)
    config_file = build_dir / "mkdocs.yml"
    config_file.write_text(render.dump_config(config), encoding="utf-8")
    with site.building(site_dir) as new_site:
        site.run_mkdocs(config_file, new_site)

    pages = sum(1 for path in docs if path.endswith(".md"))
    return Built(checked.model, checked.problems, pages, time.perf_counter() - started)
