"""The decision matrix: every escalation path's bands for every team and level, as data.

What a CRM, a quote tool or a chat bot reads (`decisions.json` in every built site,
`playbook export --format json`), and the site's decision helper (the same document as
`assets/javascripts/decisions.js`, site/scripts.py `matrix_script`). It is computed as
the pages compute what they show: the team's view of the playbook (`overlay.apply`), at
the reader's level (`at_level`); nothing is copied from a page. Plain data, no words of
a language but the playbook's own.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..text import Text
from . import overlay
from .kinds import kind_of
from .levels import at_level
from .playbook import Band, EscalationPath, Playbook
from .refs import render_refs

FORMAT = "playbook-decisions/1"  # the schema: schemas/decisions.schema.json


def decision_matrix(
    model: Playbook, *, commit: str = "", built: str = "", team: str | None = None
) -> dict[str, Any]:
    """The matrix of `model` (the organisation's). `team`: only the organisation's view and
    that team's; None: every team's. `commit` and `built` (an ISO date) say which version
    of the sources it is."""
    if model.team:  # a team's own site: its view only
        teams = [t for t in model.teams if t.id == model.team]
        views = [(model.team, model)]
    else:
        teams = [t for t in model.teams if team is None or t.id == team]
        views = [("", model), *((t.id, overlay.apply(model, t.id)) for t in teams)]
    levels = ["", *(lv.id for lv in model.levels_of(model.rep_role))]
    at: dict[tuple[str, str], Playbook] = {
        (team_id, level): at_level(view, level) if level else view
        for team_id, view in views
        for level in levels
    }

    def path(entry: EscalationPath) -> dict[str, Any]:
        answers = []
        for (team_id, level), view in at.items():
            held = view.find(entry.id)
            if isinstance(held, EscalationPath):
                bands = [band(b, view) for b in held.bands]
                answers.append({"team": team_id, "level": level, "bands": bands})
        kind = kind_of(entry)
        return {
            "id": entry.id,
            "title": entry.title,
            "decision": entry.decision,
            "url": f"{model.site_url}{kind.folder}/{entry.id}.html",
            "quantity": {
                "name": entry.quantity.name,
                "unit": entry.quantity.unit,
                "minimum": entry.quantity.minimum,
                "maximum": entry.quantity.maximum,
            },
            "answers": answers,
        }

    fmt = Text(model.language)

    def band(b: Band, view: Playbook) -> dict[str, Any]:
        role = model.role(b.decider)
        return {
            "above": b.above,
            "up_to": b.up_to,
            "decider": {"id": role.id, "name": role.name, "handles": list(role.handles)},
            "consult": list(b.consult),
            "inform": list(b.inform),
            "response_time_hours": b.response_time_hours,
            "channel": b.channel,
            "note": render_refs(b.note, view, fmt),  # live values as this view holds them
        }

    return {
        "format": FORMAT,
        "playbook": {
            "title": model.title,
            "organisation": model.organisation,
            "language": model.language,
            "version": model.version,
            "commit": commit,
            "built": built,
            "site_url": model.site_url,
        },
        "rep_role": model.rep_role,
        "roles": [{"id": r.id, "name": r.name, "handles": list(r.handles)} for r in model.roles],
        "levels": [{"id": lv.id, "name": lv.name} for lv in model.levels_of(model.rep_role)],
        "teams": [{"id": t.id, "name": t.name} for t in teams],
        "paths": [path(p) for p in model.in_force if isinstance(p, EscalationPath)],
    }


FILE = "decisions.json"  # in every built site, beside index.html


def as_json(matrix: dict[str, Any]) -> str:
    """`decision_matrix` as the file a site carries and `playbook export` writes."""
    return json.dumps(matrix, ensure_ascii=False, indent=2) + "\n"


# The csv export's columns, stable across versions: what a CRM admin maps (README, "Where
# deals are made"). One row per path, team, level and band.
CSV_COLUMNS = (
    "path_id", "path_title", "unit", "team_id", "level_id", "band",
    "above", "up_to", "decider_role_id", "decider_role_name", "decider_handles",
    "consult_role_ids", "inform_role_ids", "response_time_hours", "channel",
    "playbook_version",
)  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run the cell


def csv_cell(value: Any) -> str:
    """A cell as text: a number as written, text that a spreadsheet would take for a
    formula defused with a leading `'` (OWASP: CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def matrix_csv(matrix: dict[str, Any]) -> str:
    """`decision_matrix` as csv (RFC 4180, a header row, `CSV_COLUMNS`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    version = matrix["playbook"]["version"]
    for path in matrix["paths"]:
        for answer in path["answers"]:
            for number, band in enumerate(answer["bands"], 1):
                decider = band["decider"]
                row = (
                    path["id"], path["title"], path["quantity"]["unit"], answer["team"],
                    answer["level"], number, band["above"], band["up_to"], decider["id"],
                    # handles without their `@` (a cell starting with it reads as a formula)
                    decider["name"], " ".join(h.removeprefix("@") for h in decider["handles"]),
                    " ".join(band["consult"]),
                    " ".join(band["inform"]), band["response_time_hours"], band["channel"],
                    version,
                )  # fmt: skip
                writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()
