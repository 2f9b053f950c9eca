"""The data the site's own scripts read, written as script files: the decision matrix
(the decision helper's bands), the helper's words, the search snippets of each view, and
the generated stylesheets."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..model import overlay
from ..model.kinds import stylesheet
from ..model.playbook import EscalationPath, Playbook
from ..resources import template_dir
from ..text import Text, labels
from .reading import reading
from .search import view_snippets

DECISIONS_SCRIPT = "assets/javascripts/playbook-data.js"


SNIPPETS_SCRIPT = "assets/javascripts/playbook-snippets.js"


def snippets_script(model: Playbook) -> str:
    """For the search box (search.js): each view's search snippet of the pages whose
    snippet depends on the reader's team and level (search.view_snippets), and the
    box's words."""
    words = script_global("playbookSearchWords", labels(model.language)["search_box"])
    return script_global("playbookSnippets", view_snippets(model)) + words


def script_global(name: str, data: Any) -> str:
    """A script that sets `window.<name>` to `data` (JSON; every `<` escaped, so no text
    can close a script element early)."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f"window.{name} = {payload};\n"


MATRIX_SCRIPT = "assets/javascripts/decisions.js"


def matrix_script(matrix: Mapping[str, Any]) -> str:
    """The decision matrix (model/matrix.py, the site's decisions.json) as a script that
    sets `window.playbookMatrix`: the decision helper's bands, deciders and notes. The same
    document as decisions.json, shipped as a script since a page opened from file:// cannot
    fetch a file beside it."""
    return script_global("playbookMatrix", matrix)


def decisions_script(model: Playbook) -> str:
    """The decision helper's words: labels, the reading words, how the pages write an
    amount, a range and a response time, and each team's reason for a path it holds
    stricter. No band: the helper reads those from the decision matrix (`matrix_script`)
    and writes their texts as the pages do (`formats`)."""
    fmt, t = Text(model.language), labels(model.language)
    helper_labels = {
        k.removeprefix("helper_"): v
        for k, v in t.items()
        if k.startswith("helper_") and k != "helper_reading"  # shipped as `reading`
    }
    helper_labels.update({k: t[k] for k in ("consult", "inform", "response_time", "channel")})
    helper_labels.update(done=t["step_done"], progress=t["progress"], unit_names=t["unit_names"])
    grouped = fmt.number(1000.5)  # "1.000,5" or "1,000.5": the marks Text.number writes
    formats = {k: t[k] for k in FORMAT_KEYS}
    formats.update(thousands=grouped[1], decimal=grouped[5])
    teams = [] if model.team else list(model.teams)  # a team's own site has no switch
    tightened: dict[str, dict[str, str]] = {}  # team -> path -> the team's reason
    for team in model.teams:
        if model.team and team.id != model.team:
            continue  # a team's own site holds its own view only (as its matrix does)
        view = model if model.team else overlay.apply(model, team.id)
        held = [p for p in view.of_kind("escalation_path") if isinstance(p, EscalationPath)]
        tightened[team.id] = {p.id: overlay.why(view, p) for p in held if p.team}
    data = {
        "formats": formats,
        "labels": helper_labels,
        "language": model.language,
        "levels": [{"id": lv.id, "name": lv.name} for lv in model.levels_of(model.rep_role)],
        "reading": reading(model),
        "rep_role": model.rep_role,
        # for "Was ist neu für mich": the reader picks a role (news.js)
        "roles": [{"id": r.id, "name": r.name} for r in model.roles],
        "news": {k: t[f"news_{k}"] for k in ("role", "all_roles", "none")},
        # where choices are kept on the device: per site, and per team's own site
        "site": f"{model.site_url}|{model.team}",
        "team": model.team,  # the team whose own site this is ("" for the organisation's)
        "teams": [{"id": team.id, "name": team.name} for team in teams],
        "tightened": tightened,
    }
    # `<` escaped so no text can close a script element early
    return script_global("playbookDecisions", data)


# what Text writes an amount, a band's range and a response time with (text.py), for the
# helper's script to write them alike (decision-helper.js `bandRange`, `responseTime`)
FORMAT_KEYS = (
    "units", "up_to", "above", "above_up_to", "exactly", "none_counted", "from", "from_to",
    "immediately", "hours_one", "hours_many", "days_one", "days_many",
)  # fmt: skip


def assets() -> dict[str, str]:
    root = template_dir() / "assets"
    return {
        "assets/stylesheets/kinds.css": stylesheet(".pb-kind--{kind}"),
        **{
            f"assets/{path.relative_to(root).as_posix()}": path.read_text("utf-8")
            for path in sorted(root.rglob("*"))
            if path.is_file()
        },
    }
