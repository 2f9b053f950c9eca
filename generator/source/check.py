"""The one way from a folder to a model: load -> validate -> model.

`check` gives the model a build renders, or every problem that stops it; `validate` gives
every problem without the model. Both build the model here and only here: the check of
whether a team overlay loosens compares models, so when teams exist the model is built
for that check and `check` goes on with the same one (built once, not twice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import PlaybookError, Problem, errors_only
from ..model.playbook import Playbook
from ..parse import Source
from ..runtime.gcpause import paused_gc
from . import site_settings
from .assemble import build_model
from .loosening import loosenings
from .schema_copy import stale_copy
from .site_settings import NO_SETTINGS, SiteSettings
from .validate import Memo, default_interval, validate_sources, without_shadowed_warnings


@dataclass(frozen=True)
class Checked:
    model: Playbook
    problems: tuple[Problem, ...]  # warnings that did not stop the run
    site: SiteSettings = NO_SETTINGS  # the organisation's mkdocs.yml
    # what the model was made of: a build traces MkDocs' warnings back to them
    sources: tuple[Source, ...] = ()

    @property
    def summary(self) -> str:
        warnings = len(self.problems)
        return f"{len(self.model.entries)} entries, {warnings} warning(s)"


@dataclass(frozen=True)
class _Validated:
    sources: list[Source]
    problems: list[Problem]  # sorted by file and position
    model: Playbook | None  # built for the overlay check; None where it did not run


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
        validated = _validate(root, today, memo, preview=preview)
        site, site_problems = site_settings.load(site_config, root)
        problems = sorted(validated.problems + site_problems + stale_copy(root))
        if errors_only(problems) or (strict and problems):
            raise PlaybookError(problems)
        model = validated.model
        if model is None:  # no team: nothing needed it so far
            model = _model(validated.sources, today, preview)
    return Checked(model, tuple(problems), site, tuple(validated.sources))


def validate(
    root: Path, today: dt.date, memo: Memo | None = None
) -> tuple[list[Source], list[Problem]]:
    """Every problem in every file under `root`, sorted by file and position.

    `memo`: keep what unchanged files gave (see Memo)."""
    validated = _validate(root, today, memo, preview=True)
    return validated.sources, validated.problems


def _validate(root: Path, today: dt.date, memo: Memo | None, *, preview: bool) -> _Validated:
    """The sources' problems, then whether a team overlay loosens: that check diffs the
    valid model, so it runs last, and only when nothing else is wrong.

    The model it builds is the one asked for (`preview`: with drafts or without): with no
    error, no team tightens a draft and nothing but a draft names one (`draft-reference`),
    so leaving the drafts out cannot change what the check finds."""
    sources, problems = validate_sources(root, today, memo)
    if not any(s.kind == "team" for s in sources) or errors_only(problems):
        return _Validated(sources, problems, None)
    model = _model(sources, today, preview)
    problems = without_shadowed_warnings(problems + list(loosenings(model, sources)))
    return _Validated(sources, problems, model)


def _model(sources: list[Source], today: dt.date, preview: bool) -> Playbook:
    return build_model(sources, today, default_interval(sources), preview=preview)
