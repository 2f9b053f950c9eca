"""The decision matrix as an Open Policy Agent bundle: data, a Rego policy and its tests.

`playbook export --format opa --out DIR` writes these files into a folder that
`opa run -b DIR`, `opa test DIR` and `opa build DIR` load: `data.json` (decisions.json
under `data.playbook.matrix`), `policy.rego` (package `playbook.decisions`: `approver`,
`allow`, `band` for an input of path, value, level and team) and `policy_test.rego` (a
test per band edge, from the same bands). Rego v1 syntax.

The tests call the policy's functions (`band_of`, `allowed`) on an input rather than the
rules `with input as`: the same answer, and rego-cpp (regopy) evaluates it too.
"""

from __future__ import annotations

import json
import re
from typing import Any

PACKAGE = "playbook.decisions"
MARK = "# Made by `playbook export --format opa`"  # the first line of the policy (for people)

POLICY = """\
MARK
# TITLE
# Who decides a value of an escalation path: `approver` (the deciding role's id), `band`
# (the whole band: decider, consult, inform, response time, channel, note) and `allow`
# (the input's role, default the rep role, is the one who decides it) for an input
# {"path": path id, "value": number in the path's unit, "level": the rep's level id
# ("" or left out: not known), "team": team id ("" or left out: the organisation's),
# "role": role id (optional)}. A value outside the path's range has no approver.
package playbook.decisions

import rego.v1

# the band that holds q.value on path q.path, for q.team at q.level: the first band
# holds the path's minimum, every other starts just above its `above`; `up_to` is
# inclusive, null open-ended; nothing above the path's maximum
band_of(q) := b if {
	some path in data.playbook.matrix.paths
	path.id == q.path
	some answer in path.answers
	answer.team == object.get(q, "team", "")
	answer.level == object.get(q, "level", "")
	is_number(q.value)
	q.value >= path.quantity.minimum
	every most in [m | m := path.quantity.maximum; m != null] {
		q.value <= most
	}
	some i, b in answer.bands
	every above in [a | a := b.above; i > 0] {
		q.value > above
	}
	every up_to in [u | u := b.up_to; u != null] {
		q.value <= up_to
	}
}

# whether q.role (default: the rep role) decides q.value alone: it is the band's decider
allowed(q) if band_of(q).decider.id == object.get(q, "role", data.playbook.matrix.rep_role)

band := band_of(input)

approver := band.decider.id

default allow := false

allow if allowed(input)
"""


def rego_name(*parts: str) -> str:
    """A Rego identifier from ids (slugs: `-` becomes `_`; ids hold no `_`, so parts
    joined by `__` stay apart)."""
    return "__".join(re.sub(r"[^A-Za-z0-9]", "_", p) for p in parts)


def comment(text: str) -> str:
    """`text` on one comment line (a line break in a title would end the comment)."""
    return " ".join(text.split())


def policy(matrix: dict[str, Any]) -> str:
    book = matrix["playbook"]
    title = f"{book['title']}, version {book['version'] or '-'} ({book['built'] or '-'})"
    return POLICY.replace("MARK", MARK).replace("TITLE", comment(title))


def _input(path: str, value: float, team: str, level: str, role: str | None = None) -> str:
    fields: dict[str, Any] = {"path": path, "value": value, "level": level, "team": team}
    if role is not None:
        fields["role"] = role
    return json.dumps(fields, ensure_ascii=False)


def probes(bands: list[dict[str, Any]], quantity: dict[str, Any]) -> list[tuple[str, float, int]]:
    """Each band's edges as (name, value, band index): its lowest value (the minimum, or
    just above `above`) and its highest (`up_to`, or the path's maximum; an open end, far
    above the lowest)."""
    found = []
    for index, band in enumerate(bands):
        low = quantity["minimum"] if index == 0 else band["above"]
        high = band["up_to"] if band["up_to"] is not None else quantity["maximum"]
        if index:
            low += min(0.01, (high - low) / 2) if high is not None else 0.01
            low = round(low, 6)  # not 10.009999999
        found.append((f"band_{index + 1}_lowest", low, index))
        if high is None:
            found.append((f"band_{index + 1}_far_above", low + 1_000_000, index))
        else:
            found.append((f"band_{index + 1}_highest", high, index))
    return found


def policy_tests(matrix: dict[str, Any]) -> str:
    """A test per band edge of every path, team and level, and for outside the range and
    for `allow`: what `opa test` runs."""
    lines = [
        MARK,
        "# The bands' edges as the playbook sets them: `opa test DIR`.",
        f"package {PACKAGE}_test",
        "",
        "import rego.v1",
        "",
        f"import data.{PACKAGE}",
    ]

    def test(name: str, body: str) -> None:
        lines.extend(["", f"test_{name} if {{", f"\t{body}", "}"])

    rep = matrix["rep_role"]
    for path in matrix["paths"]:
        quantity = path["quantity"]
        for answer in path["answers"]:
            team, level = answer["team"], answer["level"]
            where = _where(path["id"], team, level)
            for edge, value, index in probes(answer["bands"], quantity):
                decider = answer["bands"][index]["decider"]["id"]
                query = _input(path["id"], value, team, level)
                test(f"{where}__{edge}", f'decisions.band_of({query}).decider.id == "{decider}"')
        first = path["answers"][0]  # the organisation's, the level not known
        bands, team, level = first["bands"], first["team"], first["level"]
        where = _where(path["id"], team, level)
        below = _input(path["id"], quantity["minimum"] - 1, team, level)
        test(f"{where}__below_minimum", f"not decisions.band_of({below})")
        if quantity["maximum"] is not None:
            above = _input(path["id"], quantity["maximum"] + 1, team, level)
            test(f"{where}__above_maximum", f"not decisions.band_of({above})")
        lowest = bands[0]["decider"]["id"]
        start = _input(path["id"], quantity["minimum"], team, level)
        test(f"{where}__the_decider_allows", f"decisions.allowed({_role(start, lowest)})")
        others = [r["id"] for r in matrix["roles"] if r["id"] != lowest]
        if others:
            other = _role(start, others[0])
            test(f"{where}__another_role_does_not", f"not decisions.allowed({other})")
        if lowest == rep:
            test(f"{where}__the_rep_role_allows", f"decisions.allowed({start})")
        else:
            test(f"{where}__the_rep_role_does_not_allow", f"not decisions.allowed({start})")
    return "\n".join(lines) + "\n"


def _where(path: str, team: str, level: str) -> str:
    """A test name's path, team (`org`: the organisation's) and level (`any`: not known)."""
    return rego_name(path, f"team_{team}" if team else "org", f"level_{level}" if level else "any")


def _role(query: str, role: str) -> str:
    fields = json.loads(query)
    fields["role"] = role
    return json.dumps(fields, ensure_ascii=False)


def data_json(matrix: dict[str, Any]) -> str:
    """The matrix under `data.playbook.matrix` (decisions.json as it is)."""
    return json.dumps({"playbook": {"matrix": matrix}}, ensure_ascii=False, indent=2) + "\n"


def manifest(matrix: dict[str, Any]) -> str:
    """The bundle's `.manifest`: its revision and the data it owns (`data.playbook`)."""
    book = matrix["playbook"]
    revision = " ".join(x for x in (book["version"], book["commit"], book["built"]) if x)
    body = {"revision": revision, "roots": ["playbook"], "rego_version": 1}
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def bundle(matrix: dict[str, Any]) -> dict[str, str]:
    """The bundle's files by name."""
    return {
        ".manifest": manifest(matrix),
        "data.json": data_json(matrix),
        "policy.rego": policy(matrix),
        "policy_test.rego": policy_tests(matrix),
    }
