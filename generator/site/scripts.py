"""The data the site's own scripts read, written as script files: the decision helper's
bands and reading words, the search snippets of each view, and the generated stylesheets."""

from __future__ import annotations

import json
from typing import Any

from ..model import overlay
from ..model.kinds import stylesheet
from ..model.levels import at_level
from ..model.playbook import (
    Band,
    EscalationPath,
    Playbook,
)
from ..model.refs import render_refs
from ..resources import template_dir
from ..text import Text, labels
from .reading import reading
from .search import view_snippets

DECISIONS_SCRIPT = "assets/javascripts/playbook-data.js"


SNIPPETS_SCRIPT = "assets/javascripts/playbook-snippets.js"


def snippets_script(model: Playbook) -> str:
    """Each view's search snippet of the pages whose snippet depends on the reader's
    team and level (search.view_snippets), for search-view.js."""
    return script_global("playbookSnippets", view_snippets(model))


def script_global(name: str, data: Any) -> str:
    """A script that sets `window.<name>` to `data` (JSON; every `<` escaped, so no text
    can close a script element early)."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f"window.{name} = {payload};\n"


def decisions_script(model: Playbook) -> str:
    """The escalation bands, with texts ready to show, for the decision helper: the
    organisation's, each level's of the rep role, and each team's stricter ones."""
    fmt, t = Text(model.language), labels(model.language)

    def names(role_ids: tuple[str, ...]) -> str:
        return ", ".join(model.role(r).name for r in role_ids)

    def bands(p: EscalationPath, of: tuple[Band, ...], at: Playbook) -> list[dict[str, Any]]:
        return [
            {
                "above": b.above,
                "up_to": b.up_to,
                "range": fmt.band_range(b, p.quantity),
                "decider": model.role(b.decider).name,
                "decider_id": b.decider,
                "consult": names(b.consult),
                "inform": names(b.inform),
                "response": fmt.hours(b.response_time_hours),
                "channel": b.channel,
                # its live values as the view these bands are of holds them
                "note": render_refs(b.note, at, fmt),
            }
            for b in of
        ]

    at: dict[tuple[int, str], tuple[Playbook, Playbook]] = {}  # each view at each level

    def resolved(view: Playbook, level: str) -> Playbook:
        held = at.get((id(view), level))
        if held is None or held[0] is not view:  # (kept with its view: ids are reused)
            held = at[id(view), level] = (view, at_level(view, level))
        return held[1]

    def own(p: EscalationPath, of: tuple[Band, ...]) -> str:
        """What the rep decides alone, in words ("" for nothing)."""
        return ", ".join(fmt.band_range(b, p.quantity) for b in of if b.decider == model.rep_role)

    def path_data(view: Playbook, p: EscalationPath) -> dict[str, Any]:
        levelled = p.level_role == model.rep_role
        team = view.team_named(p.team) if p.team else None
        return {
            "id": p.id,
            "title": p.title,
            "decision": p.decision,
            "quantity": p.quantity.name,
            "unit": p.quantity.unit,
            "unit_name": t["unit_names"][p.quantity.unit],
            "placeholder": t["helper_placeholder"][p.quantity.unit],
            "minimum": p.quantity.minimum,
            "maximum": p.quantity.maximum,
            "bands": bands(p, p.bands, view),
            "own": own(p, p.bands),
            "by_level": [
                {
                    "level": lb.level,
                    "bands": bands(p, lb.bands, resolved(view, lb.level)),
                    "own": own(p, lb.bands),
                }
                for lb in (p.by_level if levelled else ())
            ],
            "team": team.id if team else "",
            "team_name": team.name if team else "",
            "why": overlay.why(view, p) if team else "",
        }

    def paths_of(view: Playbook, only_tightened: bool = False) -> list[dict[str, Any]]:
        return [
            path_data(view, p)
            for p in view.of_kind("escalation_path")
            if isinstance(p, EscalationPath) and (p.team or not only_tightened)
        ]

    teams = []
    for team in () if model.team else model.teams:  # a team's own site has no switch
        view = overlay.apply(model, team.id)
        teams.append({"id": team.id, "name": team.name, "paths": paths_of(view, True)})
    helper_labels = {
        k.removeprefix("helper_"): v
        for k, v in t.items()
        if k.startswith("helper_") and k != "helper_reading"  # shipped as `reading`
    }
    helper_labels.update({k: t[k] for k in ("consult", "inform", "response_time", "channel")})
    helper_labels.update(done=t["step_done"], progress=t["progress"])
    data = {
        "labels": helper_labels,
        "language": model.language,
        "levels": [{"id": lv.id, "name": lv.name} for lv in model.levels_of(model.rep_role)],
        "paths": paths_of(model),
        "reading": reading(model),
        "rep_role": model.rep_role,
        # for "Was ist neu für mich": the reader picks a role (news.js)
        "roles": [{"id": r.id, "name": r.name} for r in model.roles],
        "news": {k: t[f"news_{k}"] for k in ("role", "all_roles", "none")},
        # where choices are kept on the device: per site, and per team's own site
        "site": f"{model.site_url}|{model.team}",
        "team": model.team,  # the team whose own site this is ("" for the organisation's)
        "teams": teams,
    }
    # `<` escaped so no text can close a script element early
    return script_global("playbookDecisions", data)


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
