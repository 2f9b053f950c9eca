"""The decision matrix as DMN 1.3: a decision table per escalation path.

What a rules engine or a modeller loads (Camunda, dmn-js, Drools, Trisotech):
`playbook export --format dmn`. Computed from `matrix.decision_matrix` alone, so it
answers as decisions.json does. Every decision table has the inputs `value` (number, in
the path's unit), `level` (the rep's level id, `""` when not known) and `team` (the
team id, `""` for the organisation's view), the outputs `decider` (role id) and
`decider_name`, and hit policy UNIQUE: the rules of one (team, level) are its bands,
which never overlap, and no two rules hold the same (team, level). A value outside the
path's range matches no rule (the result is empty, as the helper's "outside").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

NS = "https://www.omg.org/spec/DMN/20191111/MODEL/"
EXPORTER = "playbook export"  # the file's `exporter` (DMN's field for the tool that wrote it)
# what XML 1.0 may hold: anything else (a YAML escape can give \x1b) is replaced
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def xml_text(text: str) -> str:
    """`text` as XML 1.0 can carry it (the escaping of &, < and > is ElementTree's)."""
    return NOT_XML.sub("\ufffd", text)


def feel_string(text: str) -> str:
    """A FEEL string literal: quotes, backslashes and line breaks escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def feel_number(value: float) -> str:
    """A FEEL number literal: plain digits (FEEL has no exponent notation)."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def decision_id(path_id: str) -> str:
    """The decision's id: the path's id, an NCName as XML ids must be (a path id that
    starts with a digit gets a leading `_`, which no path id holds)."""
    return path_id if NCNAME.fullmatch(path_id) else f"_{path_id}"


def value_test(
    band: int, above: float | None, up_to: float | None, quantity: dict[str, Any]
) -> str:
    """The FEEL unary test for the values of a band: the first holds the minimum, every
    other starts just above `above`; `up_to` is inclusive; an open end stops at the
    path's maximum, if it has one."""
    low = quantity["minimum"] if band == 0 or above is None else above
    start = "[" if band == 0 or above is None else "("
    high = up_to if up_to is not None else quantity["maximum"]
    if high is None:
        return f"{'>=' if start == '[' else '>'} {feel_number(low)}"
    return f"{start}{feel_number(low)}..{feel_number(high)}]"


def any_of(ids: list[str]) -> str:
    """A FEEL unary test for one of `ids` (each a string literal)."""
    return ",".join(feel_string(i) for i in ids)


def rows(path: dict[str, Any]) -> list[tuple[list[str], list[str], list[dict[str, Any]]]]:
    """The path's answers as (teams, levels, bands), with teams and levels that answer
    alike merged into one row: per level, the teams holding the same bands; then the
    levels whose teams were merged alike. Every (team, level) lies in exactly one row."""
    by_level: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for answer in path["answers"]:
        by_level.setdefault(answer["level"], {})[answer["team"]] = answer["bands"]
    merged: dict[tuple[tuple[str, ...], str], tuple[list[str], list[str], Any]] = {}
    for level, teams in by_level.items():
        groups: dict[str, list[str]] = {}
        for team, bands in teams.items():
            groups.setdefault(_key(bands), []).append(team)
        for key, members in groups.items():
            row = merged.setdefault((tuple(members), key), (members, [], teams[members[0]]))
            row[1].append(level)
    return list(merged.values())


def _key(bands: list[dict[str, Any]]) -> str:
    return repr([(b["above"], b["up_to"], b["decider"]["id"], b["decider"]["name"]) for b in bands])


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = _sub(parent, tag, **attrs)
    _sub(element, "text", text)
    return element


def matrix_dmn(matrix: dict[str, Any]) -> str:
    """`decision_matrix` as a DMN 1.3 document (XML text)."""
    book = matrix["playbook"]
    # the namespace as the root's default (`xmlns`), its elements unprefixed: no
    # ElementTree prefix registry (global state) involved
    root = ET.Element(
        "definitions",
        {
            "xmlns": NS,
            "id": "playbook_decisions",
            "name": xml_text(book["title"] or "playbook"),
            "namespace": xml_text(f"{book['site_url']}decisions.dmn")
            if book["site_url"]
            else "urn:sales-playbook:decisions",
            "exporter": EXPORTER,
            "exporterVersion": xml_text(book["version"] or ""),
        },
    )
    teams = ["", *(t["id"] for t in matrix["teams"])]
    levels = ["", *(lv["id"] for lv in matrix["levels"])]
    deciders = [r["id"] for r in matrix["roles"]]
    inputs = {"value": "number", "level": "string", "team": "string"}
    for name, kind in inputs.items():
        data = _sub(root, "inputData", id=f"input_{name}", name=name)
        _sub(data, "variable", id=f"input_{name}_variable", name=name, typeRef=kind)
    for path in matrix["paths"]:
        _decision(root, path, teams, levels, deciders)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _decision(
    root: ET.Element, path: dict[str, Any], teams: list[str], levels: list[str], deciders: list[str]
) -> None:
    ident = decision_id(path["id"])
    decision = _sub(root, "decision", id=ident, name=path["title"])
    quantity = path["quantity"]
    _sub(decision, "description", f"{path['decision']}\n{path['url']}".strip())
    for name in ("value", "level", "team"):
        requirement = _sub(decision, "informationRequirement", id=f"{ident}_requires_{name}")
        _sub(requirement, "requiredInput", href=f"#input_{name}")
    table = _sub(decision, "decisionTable", id=f"{ident}_table", hitPolicy="UNIQUE")
    unit = quantity["unit"]
    value = _sub(table, "input", id=f"{ident}_value", label=f"{quantity['name']} ({unit})")
    _text(value, "inputExpression", "value", id=f"{ident}_value_expression", typeRef="number")
    for name, allowed, label in (
        ("level", levels, 'the rep\'s level ("": not known)'),
        ("team", teams, 'the team ("": the organisation)'),
    ):
        column = _sub(table, "input", id=f"{ident}_{name}", label=label)
        _text(column, "inputExpression", name, id=f"{ident}_{name}_expression", typeRef="string")
        _text(column, "inputValues", any_of(allowed), id=f"{ident}_{name}_values")
    decider = _sub(table, "output", id=f"{ident}_decider", name="decider", typeRef="string")
    _text(decider, "outputValues", any_of(deciders), id=f"{ident}_decider_values")
    _sub(table, "output", id=f"{ident}_decider_name", name="decider_name", typeRef="string")
    number = 0
    for row_teams, row_levels, bands in rows(path):
        for index, band in enumerate(bands):
            number += 1
            rule = _sub(table, "rule", id=f"{ident}_rule_{number}")
            test = value_test(index, band["above"], band["up_to"], quantity)
            _text(rule, "inputEntry", test, id=f"{ident}_rule_{number}_value")
            _text(rule, "inputEntry", any_of(row_levels), id=f"{ident}_rule_{number}_level")
            _text(rule, "inputEntry", any_of(row_teams), id=f"{ident}_rule_{number}_team")
            role = band["decider"]
            _text(rule, "outputEntry", feel_string(role["id"]), id=f"{ident}_rule_{number}_decider")
            _text(rule, "outputEntry", feel_string(role["name"]), id=f"{ident}_rule_{number}_name")
