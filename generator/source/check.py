"""The whole build, top to bottom: load -> validate -> model -> render -> write -> mkdocs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import PlaybookError, Problem, errors_only
from ..model.playbook import Playbook
from ..runtime.gcpause import paused_gc
from . import site_settings
from .assemble import build_model
from .site_settings import NO_SETTINGS, SiteSettings
from .validate import Memo, default_interval, validate


@dataclass(frozen=True)
class Checked:
    model: Playbook
    problems: tuple[Problem, ...]  # warnings that did not stop the run
    site: SiteSettings = NO_SETTINGS  # the organisation's mkdocs.yml

    @property
    def summary(self) -> str:
        warnings = len(self.problems)
        return f"{len(self.model.entries)} entries, {warnings} warning(s)"


def check(
    root: Path,
    today: dt.date,
    *,
    strict: bool = False,
    preview: bool = False,
    site_config: Path | None = None,
    memo: Memo | None = None,
) -> Checked:
    """Validate `root`; raise PlaybookError with every problem if any must stop us.

    `site_config`: the organisation's mkdocs.yml (theme palette, logo, favicon); by
    default the one beside `root`, if there is one. Its problems are reported with the rest.
    `memo`: what unchanged files gave last time (the live preview's).
    """
    with paused_gc():
        sources, problems = validate(root, today, memo)
        site, site_problems = site_settings.load(site_config, root)
        problems = sorted(problems + site_problems)
        if errors_only(problems) or (strict and problems):
            raise PlaybookError(problems)
        model = build_model(sources, today, default_interval(sources), preview=preview)
    return Checked(model, tuple(problems), site)
