"""`playbook ask PATH VALUE`: the decision helper's answer on the command line.

It answers as the site's helper does ("Darf ich das entscheiden?"): the same reading of
typed values (model/asking.py, a port of decision-helper.js), the same refusals and the
same words (the helper's labels in site_templates/i18n). The bands come from the decision
matrix (model/matrix.py, as `playbook export` writes it), the reading words from
site/reading.py. What a chat bot or a CRM button calls: exit 0 answered, 1 not answered
(cannot read the value, several paths fit, outside every band, a value that looks
mistyped, an answer that depends on the level), 2 usage.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..history.effective import in_force
from ..model import asking, matrix, overlay
from ..model.playbook import Band, EscalationPath, Playbook, Quantity
from ..site.reading import reading
from ..source.check import check
from ..text import Text, labels, terminal_safe
from . import options

NAME = "ask"
HELP = "who decides a value: the site's decision helper on the command line"
FORMATS = ("text", "json")  # an answer, not a report of problems: no github, no markdown
ANY_PATH = "-"  # PATH for the start page's guess: the value's unit and words name the path
MAX_VALUE = 1000  # characters: longer is not a value typed (the site has no such input)
NONE = "\u2013"  # what the page shows for no one / nothing (an en dash)
EXIT_ANSWERED, EXIT_NOT_ANSWERED = options.EXIT_OK, options.EXIT_PROBLEMS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        metavar="PATH",
        help=f"the escalation path: its id or title, words that name it (Rabatt), or {ANY_PATH} "
        "to let the value's unit choose, as the start page does",
    )
    parser.add_argument(
        "value",
        metavar="VALUE",
        help='the value as a rep types it, quoted when it has spaces: "80k", "1,2 Mio", '
        '"6 Wochen", "ca. 12 %%"',
    )
    options.add_source(parser)
    parser.add_argument(
        "--level", type=options.name, default=None,
        help="the rep's level, where the bands vary by it (default: the answer at every level)",
    )  # fmt: skip
    parser.add_argument(
        "--team", type=options.name, default=None,
        help="the team whose view answers (default: the organisation's)",
    )  # fmt: skip
    parser.add_argument(
        "--as-typed", action="store_true",
        help="answer a value that looks mistyped as it is (the helper asks first)",
    )  # fmt: skip
    options.add_today(parser)
    parser.add_argument(
        "--format", choices=FORMATS, default="text",
        help="how the answer is printed: text (people, a chat message), json (tools)",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    folder = _source(args)
    today = options.today(args)
    checked = check(folder, today)
    model, later = in_force(checked.model, folder, today)
    problems = (*checked.problems, *later)
    if problems:
        options.say(f"{len(problems)} warning(s) in the playbook: `playbook validate` shows them")
    _known(args.team, [t.id for t in model.teams], "team", "--team")
    _known(args.level, [lv.id for lv in model.levels_of(model.rep_role)], "level", "--level")
    data = matrix.decision_matrix(model, team=args.team)
    result = answer(model, data, args.path, args.value, args.team or "", args.level or "",
                    as_typed=args.as_typed)  # fmt: skip
    if args.format == "json":
        print(json.dumps(_whole_numbers(result), ensure_ascii=False, indent=2))
    else:
        for line in result["lines"]:
            print(terminal_safe(line))
        if result["state"] == "confirm":
            options.say("--as-typed answers the value as typed")
        elif result["state"] == "by-level":
            options.say("--level LEVEL answers for one level")
    return EXIT_ANSWERED if result["state"] == "answer" else EXIT_NOT_ANSWERED


def _whole_numbers(data: Any) -> Any:
    """`data` with each whole float as an integer (a value of 12, not 12.0, as the script
    writes it)."""
    if isinstance(data, dict):
        return {k: _whole_numbers(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_whole_numbers(v) for v in data]
    if isinstance(data, float) and data.is_integer() and abs(data) <= asking.MAX_SAFE:
        return int(data)
    return data


def _source(args: argparse.Namespace) -> Path:
    """The playbook folder; a third word that is no folder is most often an unquoted value."""
    try:
        return options.source(args)
    except UsageError as error:
        if args.source is None:
            raise
        raise UsageError(
            f'{error}; a value with spaces goes in quotes: playbook ask PATH "12 %"'
        ) from None


def _known(given: str | None, known: list[str], what: str, option: str) -> None:
    if given is not None and given not in known:
        listed = ", ".join(known) or "none"
        raise UsageError(f"{option}: unknown {what} {shown(given)}; known: {listed}")


def shown(text: str, limit: int = 80) -> str:
    """Typed text as a message may repeat it: one line, short, no control characters."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = " ".join(text.split())
    return terminal_safe(text if len(text) <= limit else text[: limit - 1] + "…")


# ------------------------------------------------------------------------------ the answer


def helper_path(
    entry: dict[str, Any], team: str, level: str, quantity: Quantity
) -> dict[str, Any] | None:
    """A matrix path as the helper reads it: its bands for `team` at `level`."""
    for held in entry["answers"]:
        if held["team"] == team and held["level"] == level:
            return {
                "id": entry["id"],
                "title": entry["title"],
                "decision": entry["decision"],
                "url": entry["url"],
                "unit": quantity.unit,
                "minimum": quantity.minimum,
                "maximum": quantity.maximum,
                "bands": held["bands"],
            }
    return None


def answer(
    model: Playbook,
    data: dict[str, Any],
    path_text: str,
    value_text: str,
    team: str = "",
    level: str = "",
    *,
    as_typed: bool = False,
) -> dict[str, Any]:
    """The helper's answer for `value_text` on the path `path_text` names, as data (what
    `--format json` prints) with its `lines` in the playbook's language (what text prints).
    `data` is `decision_matrix(model)`; `team` and `level` are known ids or ""."""
    t, fmt = labels(model.language), Text(model.language)
    words = reading(model)
    view = overlay.apply(model, team) if team else model
    entries = {e.id: e for e in view.in_force if isinstance(e, EscalationPath)}
    quantities = {e["id"]: _quantity(e) for e in data["paths"]}
    roles = {r["id"]: r for r in data["roles"]}
    level_names = {lv["id"]: lv["name"] for lv in data["levels"]}
    L = {k.removeprefix("helper_"): v for k, v in t.items() if k.startswith("helper_")}

    def at(entry: dict[str, Any], lv: str) -> dict[str, Any]:
        found = helper_path(entry, team, lv, quantities[entry["id"]])
        assert found is not None  # the matrix holds every path for every team and level
        return found

    def levelled(path_id: str) -> bool:
        held = entries.get(path_id)
        return bool(held and held.level_role == model.rep_role and held.by_level)

    def at_level(entry: dict[str, Any]) -> dict[str, Any]:
        return at(entry, level if level and levelled(entry["id"]) else "")

    def range_of(path: dict[str, Any], band: dict[str, Any]) -> str:
        q = quantities[path["id"]]
        lower = band["above"] if band["above"] is not None else q.minimum
        plain = Band(band["above"], band["up_to"], lower, "", (), (), 0, "", "")
        return fmt.band_range(plain, q)

    def who(band: dict[str, Any], short: bool = False) -> str:
        if band["decider"]["id"] == model.rep_role:
            return str(L["self_short"] if short else L["self"])
        return str(band["decider"]["name"])

    def head(band: dict[str, Any], range_text: str | None) -> str:
        own = band["decider"]["id"] == model.rep_role
        text = str(L["self"]) if own else f"{band['decider']['name']} {L['decides']}"
        return f"{text} ({range_text})" if range_text else text

    def names(ids: list[str]) -> list[dict[str, str]]:
        return [{"id": i, "name": roles[i]["name"] if i in roles else i} for i in ids]

    def path_of(path: dict[str, Any]) -> dict[str, Any]:
        q = quantities[path["id"]]
        return {k: path[k] for k in ("id", "title", "decision", "url")} | {
            "quantity": q.name, "unit": q.unit,
        }  # fmt: skip

    # every key in every answer (null or empty where it says nothing): one shape for tools
    result: dict[str, Any] = {
        "state": "", "path": None, "team": team, "level": level, "value": None, "unit": None,
        "understood": None, "answer": None, "decider": None, "reason": None, "message": None,
        "inferred": False, "compare": None, "approx": False, "tightened": False, "band": None,
        "consult": [], "inform": [], "response_time_hours": None, "response_time": None,
        "channel": None, "note": None, "near": None, "candidates": [], "suggestion": None,
        "levels": [], "examples": [],
    }  # fmt: skip
    lines: list[str] = []
    all_paths = [at_level(e) for e in data["paths"]]
    if len(value_text) > MAX_VALUE or len(path_text) > MAX_VALUE:  # not typed: not read
        return _refused(result, lines, L, "too-long", [], t, data, words)
    chosen = _chosen(path_text, all_paths)
    if chosen is None:  # words that name the path ("Rabatt"), read with the value
        typed, paths = f"{path_text} {value_text}", all_paths
        if not _names_a_path(path_text, words):  # names none: which one is meant?
            return _which(result, lines, L, all_paths, "path", path_of)
    else:
        typed, paths = value_text, chosen
    outcome = asking.decide(typed, paths, words, as_typed)
    state = outcome["state"]
    if state == "unreadable":
        return _refused(result, lines, L, outcome["reason"], outcome["paths"], t, data, words)
    if state == "ask":
        return _which(result, lines, L, outcome["paths"], "several", path_of)
    path = outcome["path"]
    result.update(path=path_of(path), value=outcome["value"], unit=path["unit"])
    result["inferred"] = outcome["inferred"]
    if outcome["inferred"]:
        lines.append(_fill(L["inferred"], title=path["title"]))
    if state == "confirm":
        typed_amount = asking.amount(outcome["value"], path["unit"], words)
        suggestion = outcome["suggestion"]
        if suggestion:
            shown_text = suggestion["text"].replace(" ", "\u00a0")
            message = _fill(L["confirm"], value=shown_text)
        else:
            message = _fill(L["confirm_really"], value=typed_amount)
        result.update(state="confirm", reason="looks-mistyped", message=message)
        result["suggestion"] = suggestion
        lines.append(message)
        result["lines"] = lines
        return result
    understood = asking.describe(outcome, path, words)
    read = outcome["read"]
    result.update(understood=understood, compare=read["compare"], approx=read["approx"])
    understood_line = _fill(L["understood"], value=understood)
    held = entries.get(path["id"])
    tightened = bool(team and held is not None and held.team)
    notes = []
    if tightened:
        team_name = next((x["name"] for x in data["teams"] if x["id"] == team), team)
        why = overlay.why(view, held) if held is not None else ""
        notes.append(_fill(L["tightened"], team=team_name) + (f" {why}" if why else ""))
    result["tightened"] = tightened
    if outcome["band"] is None:
        result.update(state="outside", reason="outside", message=str(L["outside"]))
        result["lines"] = [*lines, understood_line, str(L["outside"]), *notes]
        return result
    entry = next(e for e in data["paths"] if e["id"] == path["id"])
    if levelled(path["id"]) and not level:
        rows = asking.side_by_side(
            [(lv["id"], at(entry, lv["id"])) for lv in data["levels"]],
            outcome["value"],
            read["compare"],
        )
        each = []
        for row in rows:
            band = None if row["band"] is None else row["bands"][row["band"]]
            each.append({
                "level": row["level"], "name": level_names.get(row["level"], row["level"]),
                "decider": None if band is None else _role(band),
                "range": None if band is None else range_of(path, band),
                "text": NONE if band is None else f"{who(band, True)} ({range_of(path, band)})",
            })  # fmt: skip
        result["levels"] = each
        listed = [f"{x['name']}: {x['text']}" for x in each]
        ids = [x["decider"]["id"] if x["decider"] else "" for x in each]
        if ids and ids[0] and all(i == ids[0] for i in ids):
            first = rows[0]["bands"][rows[0]["band"]]
            result.update(state="answer", decider=_role(first), answer=head(first, None))
            result["lines"] = [*lines, head(first, None), understood_line, *listed, *notes]
        else:
            result.update(state="by-level", reason="level", message=str(L["all_levels"]))
            result["lines"] = [*lines, str(L["all_levels"]), understood_line, *listed, *notes]
        return result
    band = path["bands"][outcome["band"]]
    range_text = range_of(path, band)
    sentence = head(band, range_text)
    response = fmt.hours(band["response_time_hours"])
    result.update(
        state="answer",
        answer=sentence,
        band={"index": outcome["band"], "above": band["above"], "up_to": band["up_to"],
              "range": range_text},
        decider=_role(band),
        consult=names(band["consult"]),
        inform=names(band["inform"]),
        response_time_hours=band["response_time_hours"],
        response_time=response,
        channel=band["channel"],
        note=band["note"],
    )  # fmt: skip
    lines += [sentence, understood_line]
    near = outcome["near"]
    if near is not None:
        across = path["bands"][near["band"]]
        template = L["beyond"] if read["compare"] == "at_least" else L["near"]
        edge = asking.amount(near["edge"], path["unit"], words)
        text = _fill(template, edge=edge, decider=who(across, True),
                     range=range_of(path, across))  # fmt: skip
        result["near"] = {"edge": near["edge"], "decider": _role(across),
                          "range": range_of(path, across), "text": text}  # fmt: skip
        lines.append(text)
    if levelled(path["id"]) and level:
        own = ", ".join(range_of(path, b) for b in path["bands"]
                        if b["decider"]["id"] == model.rep_role)  # fmt: skip
        name = level_names.get(level, level)
        lines.append(_fill(L["level_own"], level=name, range=own) if own
                     else _fill(L["level_none"], level=name))  # fmt: skip
    lines += notes
    details = [
        (t["consult"], ", ".join(x["name"] for x in result["consult"])),
        (t["inform"], ", ".join(x["name"] for x in result["inform"])),
        (t["response_time"], response),
        (t["channel"], band["channel"]),
    ]
    lines += [f"{k}: {v or NONE}" for k, v in details]
    if band["note"]:
        lines.append(band["note"])
    result["lines"] = lines
    return result


def _refused(
    result: dict[str, Any],
    lines: list[str],
    L: dict[str, Any],
    reason: str,
    paths: list[dict[str, Any]],
    t: dict[str, Any],
    data: dict[str, Any],
    words: dict[str, Any],
) -> dict[str, Any]:
    """Cannot read it: the helper's words, why where it has words for the reason, and two
    values that would be read (the helper's examples that get an answer here)."""
    result.update(state="unreadable", reason=reason, message=str(L["unreadable"]))
    lines.append(str(L["unreadable"]))
    why = (L.get("reasons") or {}).get(reason)
    if why:
        path = paths[0] if len(paths) == 1 else None
        quantity = path and next(e for e in data["paths"] if e["id"] == path["id"])["quantity"]
        lines.append(_fill(why, quantity=quantity["name"] if quantity else "",
                           unit=t["unit_names"][quantity["unit"]] if quantity else ""))  # fmt: skip
    examples = _examples(paths, L, words)
    result["examples"] = examples
    if len(examples) == 2:
        lines.append(f"{L['try_prefix']} {examples[0]} {L['or']} {examples[1]}")
    result["lines"] = lines
    return result


def _examples(paths: list[dict[str, Any]], L: dict[str, Any], words: dict[str, Any]) -> list[str]:
    """Two inputs that get an answer here, as the helper offers them: the path's own, or
    on the start page one per unit that names its decision by itself (`12 %`, `60 Tage`)."""
    found: list[str] = []
    for p in paths:
        own = [x for x in L["examples"].get(p["unit"]) or []
               if asking.decide(x, paths, words)["state"] == "answer"]  # fmt: skip
        for x in own[: 2 if len(paths) == 1 else 1]:
            if x not in found:
                found.append(x)
    return found[:2]


def _which(
    result: dict[str, Any],
    lines: list[str],
    L: dict[str, Any],
    paths: list[dict[str, Any]],
    reason: str,
    path_of: Any,
) -> dict[str, Any]:
    """Which decision is meant: the paths the value fits (`several`), or every path when
    PATH names none (`path`)."""
    result.update(state="ask", reason=reason, message=str(L["which"]))
    result["candidates"] = [path_of(p) for p in paths]
    lines.append(str(L["which"]))
    lines += [f"- {p['decision']} ({p['id']})" for p in paths]
    result["lines"] = lines
    return result


def _role(band: dict[str, Any]) -> dict[str, Any]:
    decider = band["decider"]
    return {"id": decider["id"], "name": decider["name"], "handles": list(decider["handles"])}


def _quantity(entry: dict[str, Any]) -> Quantity:
    q = entry["quantity"]
    return Quantity(q["name"], q["unit"], q["minimum"], q["maximum"])


def _fill(template: Any, **values: Any) -> str:
    """A label's {placeholders} filled as the helper fills them (unknown ones: empty)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), "")), str(template))


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _chosen(text: str, paths: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The paths PATH names by id or title (or decision); all for `-`; None: neither."""
    if _key(text) in ("", ANY_PATH):
        return paths
    by_id = [p for p in paths if p["id"] == text.strip()]
    if by_id:
        return by_id
    named = [p for p in paths if _key(text) in (_key(p["title"]), _key(p["decision"]))]
    return named or None


def _names_a_path(text: str, words: dict[str, Any]) -> bool:
    """Whether PATH is words that name a path (its nouns), read as the helper reads them."""
    tokens = asking.words(text)
    nouns = {w for ws in (words.get("nouns") or {}).values() for w in ws}
    return any(w in nouns for w in tokens)
