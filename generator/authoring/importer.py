"""`playbook import`: escalation-path YAML from an approval matrix read from csv.

Pure planning: what `source.matrix_csv.read` found, and the playbook it goes into, give
the files to write (path relative to the playbook folder → text), or problems at the
csv's cells. The command checks the planned playbook as `validate` does, and that it
gives every row's answer, before anything is written (commands/import_.py).

What is written per path: the organisation's bands (the rows without a team). Rows with
a level become bands that vary by level (`up_to: {einsteiger: 5, senior: 12}`). A new
path gets an owner, a review date and the words a leader then edits (title, decision,
summary); an existing path keeps everything but its bands, and only with `force`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..model.kinds import BY_NAME
from ..model.playbook import Band, EscalationPath, Playbook
from ..source.matrix_csv import Read, RowBand, start
from ..text import labels

PATHS_FOLDER = BY_NAME["escalation_path"].folder
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # an id: plain in YAML, as people write it
TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


@dataclass(frozen=True)
class Plan:
    files: dict[str, str]  # relative to the playbook folder → its new text
    created: tuple[str, ...]  # path ids
    replaced: tuple[str, ...]
    problems: tuple[Problem, ...]


def plan(
    found: Read,
    model: Playbook,
    existing: dict[str, tuple[str, str]],
    *,
    source_name: str,
    force: bool,
    owner: str | None,
    today: dt.date,
) -> Plan:
    """`existing`: each escalation path's file (relative to the playbook folder) and its
    text, by path id."""
    problems: list[Problem] = []
    files: dict[str, str] = {}
    created: list[str] = []
    replaced: list[str] = []
    ladder = [lv.id for lv in model.levels_of(model.rep_role)]
    t = labels(model.language)["import"]

    def problem(band: RowBand | None, column: str, rule: str, message: str, hint: str) -> None:
        line, col = band.row.at(column) if band else (1, 1)
        problems.append(Problem(source_name, line, col, rule, message, hint))

    for path_id in dict.fromkeys(p for p, team, _ in found.bands if not team):
        groups = {level: bands for (p, team, level), bands in found.bands.items()
                  if p == path_id and not team}  # fmt: skip
        entry = model.find(path_id)
        if entry is not None and not isinstance(entry, EscalationPath):
            problem(groups[next(iter(groups))][0], "path_id", "import-exists",
                    f"`{path_id}` is the id of another entry ({entry.file})",
                    "choose another path id in the csv")  # fmt: skip
            continue
        if entry is not None and not force:
            problem(groups[next(iter(groups))][0], "path_id", "import-exists",
                    f"{path_id} exists ({entry.file}); its bands are not replaced",
                    "pass --force to replace its bands (everything else in the file stays), "
                    "or leave its rows out")  # fmt: skip
            continue
        unit = found.units.get(path_id, "")
        if entry is not None and unit and unit != entry.quantity.unit:
            problem(groups[next(iter(groups))][0], "unit", "import-unit",
                    f"{path_id} is in `{entry.quantity.unit}` in the playbook, `{unit}` here",
                    "convert the values to the playbook's unit")  # fmt: skip
            continue
        per_level = _per_level(groups, ladder)
        if isinstance(per_level, tuple):
            band, message = per_level
            problem(band, "level_id", "import-levels", message,
                    "give every level the same number of bands, with the same consult, "
                    "inform, response time and channel; only edges and deciders vary")  # fmt: skip
            continue
        old_bands = entry.bands if entry is not None else ()
        yaml_bands = _bands_yaml(per_level, model.rep_role, old_bands, t["channel"], found.columns)
        if isinstance(yaml_bands, str):
            band = groups[next(iter(groups))][-1]
            problem(band, "up_to", "import-levels", yaml_bands,
                    "give the last band of every level an end, or none")  # fmt: skip
            continue
        if entry is not None:
            relative, text = existing[path_id]
            files[relative] = _replace_bands(text, yaml_bands)
            replaced.append(path_id)
            continue
        if not unit:
            problem(groups[next(iter(groups))][0], "unit", "matrix-unit",
                    f"{path_id} is new and no row gives its unit",
                    "write the unit (percent, eur, days, months, count) in its rows")  # fmt: skip
            continue
        title = found.titles.get(path_id) or path_id.replace("-", " ").capitalize()
        deciders = [b.decider for b in per_level[next(iter(per_level))]]
        files[f"{PATHS_FOLDER}/{path_id}.yml"] = _new_path(
            path_id, title, unit, owner or deciders[-1], today, yaml_bands,
            per_level, t, source_name,
        )  # fmt: skip
        created.append(path_id)
    return Plan(files, tuple(created), tuple(replaced), tuple(problems))


def _per_level(
    groups: dict[str, list[RowBand]], ladder: list[str]
) -> dict[str, list[RowBand]] | tuple[RowBand, str]:
    """Each level's bands, sorted ("" alone when no row names a level); or the first row
    where the levels' bands cannot be one path's (a count or a term that differs)."""
    ordered = {level: sorted(bands, key=start) for level, bands in groups.items()}
    if set(ordered) == {""} or not ladder:
        return {"": ordered.get("", next(iter(ordered.values())))}
    base = ordered.get("", ordered.get(ladder[0], []))
    levels = {level: ordered.get(level, base) for level in ladder}
    counts = {len(b) for b in levels.values()}
    if len(counts) > 1:
        level, bands = next((lv, b) for lv, b in levels.items() if len(b) != len(base))
        return (
            bands[0],
            f"level {level} has {len(bands)} bands, the others {len(base)}: a path that "
            "varies by level keeps its number of bands",
        )
    for index in range(len(base)):
        terms = {
            (b[index].consult, b[index].inform, b[index].response_time_hours, b[index].channel)
            for b in levels.values()
        }
        if len(terms) > 1:
            band = next(b[index] for b in levels.values())
            return band, f"band {index + 1} has other terms at another level"
    return levels


def _bands_yaml(
    per_level: dict[str, list[RowBand]],
    rep_role: str,
    old: tuple[Band, ...],
    channel: str,
    given: set[str],
) -> list[dict[str, Any]] | str:
    """The bands as the YAML holds them: an edge or decider that differs by level as a
    mapping of level ids. Terms the csv has no column for (`given`: the columns it has)
    stay as the path's band at the same place has them (the one with the same decider,
    where the number of bands changed); a note always does (the csv has none). A string:
    why the levels' bands cannot be written (one level's last band open, another's not)."""
    levels = list(per_level)
    count = len(per_level[levels[0]])
    out: list[dict[str, Any]] = []
    for index in range(count):
        at = {level: per_level[level][index] for level in levels}
        first = at[levels[0]]
        band: dict[str, Any] = {}
        for key in ("above", "up_to", "decider"):
            values = {level: getattr(b, key) for level, b in at.items()}
            if key == "above" and index == 0:
                continue  # the first band starts at the minimum (the reader checked any given)
            if len(set(values.values())) == 1:
                if getattr(first, key) is not None:
                    band[key] = values[levels[0]]
            elif None in values.values():
                return f"band {index + 1} ends at some levels and is open at others"
            else:  # a level left out holds the one below it (as people write the ladder)
                ladder = list(values.items())
                band[key] = {
                    lv: v for i, (lv, v) in enumerate(ladder) if i == 0 or v != ladder[i - 1][1]
                }
        if len(old) == count:
            was: Band | None = old[index]
        else:
            was = next((b for b in old if b.decider == first.decider), None)
        consult = first.consult if "consult_role_ids" in given else (was.consult if was else ())
        inform = first.inform if "inform_role_ids" in given else (was.inform if was else ())
        if consult:
            band["consult"] = list(consult)
        if inform:
            band["inform"] = list(inform)
        hours = first.response_time_hours
        if hours is None:
            hours = was.response_time_hours if was else (0 if first.decider == rep_role else 24)
        band["response_time_hours"] = hours
        band["channel"] = first.channel or (was.channel if was else channel)
        if was is not None and was.note:
            band["note"] = was.note
        out.append(band)
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, bool) or value is None:
        raise TypeError(value)
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    plain = text.lower() not in RESERVED and not LOOKS_LIKE_A_VALUE.match(text)
    if plain and (SLUG.fullmatch(text) or _plain(text)):
        return text
    # a JSON string is a YAML double-quoted scalar: any text, escaped
    return json.dumps(str(value), ensure_ascii=False)


PLAIN = re.compile(r"[A-Za-zÄÖÜäöüß][\w .,()/&%€'+-]*", re.UNICODE)


def _plain(text: str) -> bool:
    """Whether `text` reads back as itself written plain in YAML (as people write it):
    letters, digits, spaces and harmless signs, never `: ` or ` #`, not a word YAML takes
    for a boolean or null."""
    return bool(PLAIN.fullmatch(text)) and text == text.strip() and not text.endswith(":")


# what YAML (1.1 or 1.2) would read as a boolean, null, number or date if written plain
RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}
LOOKS_LIKE_A_VALUE = re.compile(r"[-+.]?[0-9]")


def _bands_text(bands: list[dict[str, Any]]) -> str:
    lines = ["bands:"]
    for band in bands:
        for number, (key, value) in enumerate(band.items()):
            lead = "  - " if number == 0 else "    "
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _replace_bands(text: str, bands: list[dict[str, Any]]) -> str:
    """`text` with its top-level `bands:` block replaced; everything else kept as written."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("bands:")), None)
    if start is None:
        return text.rstrip("\n") + "\n" + _bands_text(bands)
    end = next((i for i in range(start + 1, len(lines)) if TOP_KEY.match(lines[i])), len(lines))
    while end > start + 1 and lines[end - 1].lstrip().startswith("#"):
        end -= 1  # a comment just above the next key belongs to it
    return "".join(lines[:start]) + _bands_text(bands) + "".join(lines[end:])


def _new_path(
    path_id: str,
    title: str,
    unit: str,
    owner: str,
    today: dt.date,
    bands: list[dict[str, Any]],
    per_level: dict[str, list[RowBand]],
    t: dict[str, str],
    source_name: str,
) -> str:
    ups = [b.up_to for bands_ in per_level.values() for b in bands_]
    ends = [u for u in ups if u is not None]
    maximum = 100 if unit == "percent" and len(ends) == len(ups) and max(ends) == 100 else None
    quantity = [f"  name: {_scalar(title)}", f"  unit: {unit}", "  minimum: 0"]
    if maximum is not None:
        quantity.append(f"  maximum: {maximum}")
    head = [
        "# yaml-language-server: $schema=../../schemas/escalation-path.schema.json",
        f"# Written by `playbook import` from {_comment(source_name)} on {today.isoformat()}:",
        "# write its decision and summary in your words, then review the bands.",
        f"id: {path_id}",
        f"title: {_scalar(title)}",
        f"summary: {_scalar(t['summary'].format(title=title))}",
        f"owner: {owner}",
        f'last_reviewed: "{today.isoformat()}"',
        f"decision: {_scalar(t['decision'].format(title=title))}",
        "quantity:",
        *quantity,
    ]
    return "\n".join(head) + "\n" + _bands_text(bands)


def _comment(text: str) -> str:
    """A file name for a YAML comment: one line, printable."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:120]
