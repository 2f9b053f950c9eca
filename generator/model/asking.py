"""The decision helper's reading and deciding, in Python: what `playbook ask` answers.

A faithful port of the logic part of site_templates/assets/javascripts/decision-helper.js
(the factory: `parse`, `convert`, `decide`, `describe`, ...), as pure functions over plain
data: `reading` is the reading words and number conventions (`site/reading.py`, the
script's `data.reading`), a path is a dict with at least `id`, `unit`, `minimum`, `maximum`
and `bands` (each with `above` and `up_to`), at the team and level asked about.

It reads what the script reads and refuses what it refuses, number for number: the same
IEEE doubles, JavaScript's `\\s` and `\\d` (not Python's Unicode classes), the reading
words in the order the script meets them (the page's data is written with sorted keys),
`Math.pow(10, k)` as V8 computes it and numbers written as `String(number)` writes them.
tests/test_ask.py runs every row of tests/vectors/helper.json through both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from .bands import find_band as _find_band

DAYS = {"days": 1, "weeks": 7, "months": 30, "years": 365}  # to days
MONTHS = {"months": 1, "years": 12}  # to months
MAX_DIGITS = 15  # beyond this a double no longer holds every integer
EDGE_SHARE = 0.1  # "ca." within 10 % of a band edge: both bands are named
FAR = 1000  # 1,000 times away from every edge: asked, not answered
MAX_SAFE = 9007199254740991  # Number.MAX_SAFE_INTEGER

# JavaScript's \s (WhiteSpace and LineTerminator), not Python's str.isspace()
JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_WORDS = re.compile(f"[a-zäöüß]+\\.?|[€%~]|[^{JS_SPACE}]")
_SPACES = re.compile(f"[{JS_SPACE}]+")
_DASHES = re.compile("[\u2212\u2012\u2013\u2014]")
_THIN = re.compile("[\u202f\u2009\u2007]")
_NUMBER = re.compile(r"[0-9](?:[0-9.,'\u00a0]|\u0020(?=[0-9]{3}(?![0-9])))*[0-9]|[0-9]")
_GROUP_MARKS = re.compile("[ '\u00a0]")
_GROUPED = re.compile("^[0-9]+(?:[ '\u00a0][0-9]+)+$")
_GROUP_SEPS = re.compile("^[ '\u00a0]+$")
_ANY_MARK = re.compile("[.,' \u00a0]")
_THOUSANDS = re.compile(r"\B(?=(?:[0-9]{3})+(?![0-9]))", re.ASCII)

# Math.pow(10, k) in V8 where it is not the double nearest 10^k (node 20; the browsers
# that run the helper use the same fdlibm-derived pow)
_V8_POW10 = {
    26: 9.999999999999999e25, 29: 1.0000000000000001e29, 34: 1.0000000000000001e34,
    36: 9.999999999999999e35, 39: 1.0000000000000001e39, 42: 9.999999999999999e41,
    49: 1.0000000000000001e49, 58: 1.0000000000000001e58, 61: 1.0000000000000001e61,
    70: 9.999999999999999e69, 95: 9.999999999999999e94, 96: 9.999999999999999e95,
    111: 1.0000000000000001e111, 126: 1.0000000000000001e126, 136: 9.999999999999999e135,
    142: 9.999999999999999e141, 165: 1.0000000000000001e165, 166: 1.0000000000000001e166,
    169: 1.0000000000000001e169, 187: 1.0000000000000001e187, 191: 9.999999999999999e190,
    210: 1.0000000000000001e210, 215: 1.0000000000000001e215, 218: 9.999999999999999e217,
    225: 1.0000000000000001e225, 232: 9.999999999999999e231, 242: 9.999999999999999e241,
    244: 9.999999999999999e243, 260: 9.999999999999999e259, 273: 1.0000000000000001e273,
    274: 1.0000000000000001e274, 275: 1.0000000000000001e275, 279: 9.999999999999999e278,
    284: 9.999999999999999e283, 290: 9.999999999999999e289, 294: 9.999999999999999e293,
}  # fmt: skip


def pow10(k: int) -> float:
    """Math.pow(10, k) for k >= 0, as the helper's script gets it."""
    if k > 308:
        return math.inf
    return _V8_POW10.get(k, float(10**k))


def fail(reason: str) -> dict[str, Any]:
    return {"ok": False, "reason": reason}


def find_band(path: Mapping[str, Any], value: float) -> int | None:
    """Which band holds `value` (generator/model/bands.py find_band)."""
    bounds = [(b["above"], b["up_to"]) for b in path["bands"]]
    return _find_band(value, path["minimum"], path["maximum"], bounds)


def next_float(value: float, up: bool) -> float:
    """The next double above / below `value`."""
    return math.nextafter(value, math.inf if up else -math.inf)


def probe(value: float, compare: str | None) -> float:
    """The value a comparison word points to: "über 60" just above 60, "unter 60" just below."""
    if compare == "above":
        return next_float(value, True)
    if compare == "below":
        return next_float(value, False)
    return value


# ---------------------------------------------------------------------------- the words


def js_keys(mapping: Mapping[str, Any]) -> list[str]:
    """An object's keys in the order a script's `for ... in` meets them, for the page's
    data (written with sorted keys): array-index keys first, by number, then the rest."""
    keys = sorted(mapping)
    index = [k for k in keys if re.fullmatch(r"0|[1-9][0-9]{0,9}", k) and int(k) < 2**32 - 1]
    return sorted(index, key=int) + [k for k in keys if k not in index]


def words(text: str) -> list[str]:
    """Letters (with an abbreviation's dot), € and % alone, any other sign alone."""
    return _WORDS.findall(str(text).lower())


_lexicon_cache: list[tuple[Mapping[str, Any], dict[str, Any]]] = []


def lexicon(reading: Mapping[str, Any]) -> dict[str, Any]:
    """The reading words as phrases (token lists), longest first; of two phrases of one
    length the earlier kind wins. Also by first word, for reading long input quickly."""
    for of, built in _lexicon_cache:
        if of is reading:
            return built
    phrases: list[dict[str, Any]] = []

    def add(items: Iterable[Any] | None, item: dict[str, Any]) -> None:
        for phrase in items or ():
            tokens = words(phrase)
            if tokens:
                phrases.append({"tokens": tokens, "order": len(phrases), **item})

    compare = reading.get("compare") or {}
    after = reading.get("compare_after") or {}
    units = reading.get("units") or {}
    for kind in js_keys(compare):
        add(compare[kind], {"kind": "compare", "compare": kind, "where": "pre"})
    for kind in js_keys(after):
        add(after[kind], {"kind": "compare", "compare": kind, "where": "post"})
    add(reading.get("approx"), {"kind": "approx"})
    add(reading.get("net"), {"kind": "net"})
    for unit in js_keys(units):
        add(units[unit], {"kind": "unit", "unit": unit})
    scales = reading.get("scales") or {}
    for word in js_keys(scales):
        add([word], {"kind": "scale", "exp": scales[word]})
    scaled = reading.get("scaled_units") or {}
    for both in js_keys(scaled):
        add([both], {"kind": "scale+unit", "exp": scaled[both], "unit": "eur"})
    add(reading.get("filler"), {"kind": "filler"})
    phrases.sort(key=lambda p: (-len(p["tokens"]), p["order"]))
    starting: dict[str, list[dict[str, Any]]] = {}
    for p in phrases:
        starting.setdefault(p["tokens"][0], []).append(p)
    nouns: dict[str, list[str]] = {}
    by_path = reading.get("nouns") or {}
    for path_id in js_keys(by_path):
        for w in by_path[path_id]:
            ids = nouns.setdefault(w, [])
            if path_id not in ids:
                ids.append(path_id)
    built = {"phrases": phrases, "starting": starting, "nouns": nouns}
    _lexicon_cache[:] = [(reading, built)]
    return built


def classify(tokens: Sequence[str], lex: Mapping[str, Any], where: str) -> list[dict[str, Any]]:
    """The words before (`pre`) or after (`post`) the number, each classified."""
    items: list[dict[str, Any]] = []
    i = 0
    while i < len(tokens):
        found = None
        for p in lex["starting"].get(tokens[i], ()):
            if p["kind"] == "compare" and p["where"] != where:
                continue
            size = len(p["tokens"])
            if i + size > len(tokens):
                continue
            if list(tokens[i : i + size]) == p["tokens"]:
                found = p
                break
        if found is not None:
            items.append(found)
            i += len(found["tokens"])
            continue
        word = tokens[i]
        paths = lex["nouns"].get(word)
        items.append(
            {"kind": "noun", "paths": paths} if paths else {"kind": "unknown", "word": word}
        )
        i += 1
    return items


def read_digits(token: str, reading: Mapping[str, Any]) -> dict[str, Any]:
    """The digits of one number as an exact decimal {n, frac}."""
    seps = re.sub("[0-9]", "", token)
    thousands = reading.get("thousands") or "."
    frac_part = ""

    def grouped(text: str, sep: str | re.Pattern[str]) -> str | None:
        groups = sep.split(text) if isinstance(sep, re.Pattern) else text.split(sep)
        if len(groups[0]) < 1 or len(groups[0]) > 3 or groups[0] == "0":
            return None
        if any(len(g) != 3 for g in groups[1:]):
            return None
        return "".join(groups)

    if seps == "":
        int_part: str | None = token
    elif _GROUP_SEPS.search(seps) and _GROUPED.search(token):
        int_part = grouped(token, _GROUP_MARKS)  # 80 000, 80'000
        if int_part is None:
            return fail("several")
    else:
        last = max(token.rfind("."), token.rfind(","))
        mark = token[last]
        other = "," if mark == "." else "."
        head, tail = token[:last], token[last + 1 :]
        marks = token.count(mark)
        if other in head or _GROUP_MARKS.search(head):
            # both marks, e.g. 80.000,50 or 80,000.50: the last one is the decimal mark
            if marks > 1 or token.find(mark) < token.rfind(other):
                return fail("several")
            int_part = grouped(head, _ANY_MARK)
            if int_part is None or (_GROUP_MARKS.search(head) and re.search("[.,]", head)):
                return fail("several")
            frac_part = tail
        elif marks > 1:
            int_part = grouped(token, mark)  # 1.200.000 or 1,200,000
            if int_part is None:
                return fail("several")  # 1,2,3
        elif len(tail) != 3 or len(head) > 3 or head[:1] == "0":
            int_part, frac_part = head, tail  # 12,5  12.5  1.2  0,125
        elif mark == thousands:
            return {"ok": True, "n": head + tail, "frac": "", "single": True}  # 80.000 (de)
        else:
            return fail("ambiguous")  # 80,000 (de), 80.000 (en)
    return {"ok": True, "n": int_part, "frac": frac_part, "single": False}


def topics_of(items: Iterable[Mapping[str, Any]]) -> list[str] | None:
    """The paths every noun typed belongs to (None: no noun typed)."""
    topics: list[str] | None = None
    for item in items:
        if item["kind"] != "noun":
            continue
        paths = item["paths"]
        topics = list(paths) if topics is None else [i for i in topics if i in paths]
    return topics


def _js_trim(text: str) -> str:
    return re.sub(f"^[{JS_SPACE}]+|[{JS_SPACE}]+$", "", text)


def js_number(digits: str) -> float:
    """Number(text) for the digits of a mantissa, which may hold a group mark the reading
    left in ("12 000" after a decimal mark): around the digits it is trimmed, between
    them it makes the number NaN (then refused as too large, as the script refuses it)."""
    text = _js_trim(digits)
    if text == "":
        return 0.0
    return float(text) if re.fullmatch("[0-9]+", text) else math.nan


def parse(text: str, reading: Mapping[str, Any]) -> dict[str, Any]:
    """Reads one typed value without knowing the path: {ok, value, unit, approx, scale,
    net, compare, topics, n, den} or {ok: False, reason}."""
    s = _DASHES.sub("-", str(text).lower())
    s = _THIN.sub("\u00a0", s)
    s = _SPACES.sub(lambda m: "\u00a0" if "\u00a0" in m.group() else " ", s)
    s = _js_trim(s)
    if s == "":
        return fail("empty")
    numbers = _NUMBER.findall(s)
    if not numbers:
        return fail("no-number")
    if len(numbers) > 1:
        return fail("several")
    token = numbers[0]
    at = s.find(token)
    before, after = s[:at], s[at + len(token) :]
    after = re.sub(r"^[.,]-+", "", after)  # 80.000,-
    digits = read_digits(token, reading)
    if not digits["ok"]:
        return digits
    lex = lexicon(reading)
    pre_words, post_words = words(before), words(after)
    for m, w in enumerate(pre_words):
        if w == "-":
            return fail("negative" if m == len(pre_words) - 1 else "unknown")
        if w == "minus":
            return fail("negative")
    pre, post = classify(pre_words, lex, "pre"), classify(post_words, lex, "post")
    result: dict[str, Any] = {
        "ok": True, "unit": None, "approx": False, "scale": 0, "net": False, "compare": None,
    }  # fmt: skip
    unknown = [x for x in (*pre, *post) if x["kind"] == "unknown"]
    if unknown:
        return fail("unknown" if any(x["word"] != "-" for x in unknown) else "several")
    result["topics"] = topics_of([*pre, *post])
    if result["topics"] is not None and len(result["topics"]) == 0:
        return fail("unit")
    head = [x for x in pre if x["kind"] not in ("filler", "noun")]
    for i, c in enumerate(head):
        if c["kind"] == "compare" and result["compare"] is None:
            # only right before the value (an approximation, "netto" or the currency between)
            if any(h["kind"] not in ("approx", "net", "unit") for h in head[i + 1 :]):
                return fail("several")
            k = next(at for at, x in enumerate(pre) if x is c)
            if any(x["kind"] == "noun" for x in pre[k + 1 :]):
                return fail("several")
            result["compare"] = c["compare"]
        elif c["kind"] == "approx" and not result["approx"] and result["unit"] is None:
            result["approx"] = True
        elif c["kind"] == "net" and not result["net"]:
            result["net"] = True
        elif c["kind"] == "unit" and c["unit"] == "eur" and result["unit"] is None:
            result["unit"] = "eur"
        else:
            return fail("several")
    prefix_unit = result["unit"]
    last_word = -1  # the last word after the value that is not filler or a noun
    for at, x in enumerate(post):
        if x["kind"] not in ("filler", "noun"):
            last_word = at
    for n, d in enumerate(post):  # a multiplier only right after the value: "1,5 Mio."
        kind = d["kind"]
        if kind in ("filler", "noun"):
            continue
        if kind == "scale" and n == 0:
            result["scale"] = d["exp"]
        elif kind == "scale+unit" and n == 0 and prefix_unit is None:
            result["scale"], result["unit"] = d["exp"], d["unit"]
        elif kind == "unit" and result["unit"] is None:
            result["unit"] = d["unit"]
        elif kind == "net" and not result["net"] and n == last_word:
            result["net"] = True
        elif kind == "compare" and result["compare"] is None:
            result["compare"] = d["compare"]
        else:
            return fail("several")
    if result["compare"] is not None and result["approx"]:
        return fail("several")  # "über ca. 10"
    if result["scale"] and result["unit"] is not None and result["unit"] != "eur":
        return fail("unit")
    if result["scale"] and digits["single"]:
        return fail("ambiguous")  # 1.500 T€: 1,5 Mio or 1.500 EUR?
    whole = re.sub("^0+(?=[0-9])", "", digits["n"])
    frac = digits["frac"].rstrip("0")
    exp = result["scale"] - len(frac)
    mantissa = re.sub("^0+(?=[0-9])", "", whole + frac)
    if exp > 0:
        mantissa += "0" * exp
        exp = 0
    if len(mantissa.lstrip("0")) > MAX_DIGITS:
        return fail("too-large")
    result["n"] = js_number(mantissa)
    result["den"] = pow10(-exp)
    result["value"] = result["n"] / result["den"]
    return result


def convert(read: Mapping[str, Any], path: Mapping[str, Any]) -> dict[str, Any]:
    """The read value in the path's unit, or a reason why it does not fit."""
    unit, factor, to = read["unit"], 1, path["unit"]
    if read["net"] and to != "days":
        return fail("unit")
    if to in ("percent", "eur"):
        if unit is not None and unit != to:
            return fail("unit")
        if read["scale"] and to != "eur":
            return fail("unit")
    elif to == "days":
        if read["scale"] or (unit is not None and unit not in DAYS):
            return fail("unit")
        factor = 1 if unit is None else DAYS[unit]
    elif to == "months":
        if read["scale"] or (unit is not None and unit not in MONTHS):
            return fail("unit")
        factor = 1 if unit is None else MONTHS[unit]
    else:  # count: whole numbers, no unit
        if unit is not None or read["scale"]:
            return fail("unit")
        if read["den"] != 1:
            return fail("fraction")
    value = (read["n"] * factor) / read["den"]  # exact integers, one rounding
    if not math.isfinite(value) or read["n"] * factor > MAX_SAFE:
        return fail("too-large")
    return {"ok": True, "value": value, "factor": factor}


def fits(read: Mapping[str, Any], path: Mapping[str, Any]) -> bool:
    """Whether a value's unit and nouns point to a path, when none is chosen."""
    if read["topics"] is not None and path["id"] not in read["topics"]:
        return False
    if read["unit"] is None and not read["scale"] and not read["net"]:
        return True
    return bool(convert(read, path)["ok"])


def neighbour(
    path: Mapping[str, Any], read: Mapping[str, Any], value: float, band: int | None
) -> dict[str, Any] | None:
    """The band across the edge the value is close to ("ca. 15 %"), or above "ab 10 %"."""
    if band is None:
        return None
    bands, last = path["bands"], len(path["bands"]) - 1
    if read["compare"] == "at_least":
        if band < last and bands[band]["up_to"] == value:
            return {"band": band + 1, "edge": value}
        return None
    if not read["approx"]:
        return None
    best: dict[str, Any] | None = None

    def consider(edge: float | None, across: int) -> None:
        nonlocal best
        if edge is None or edge <= 0:
            return
        distance = abs(value - edge)
        if distance > EDGE_SHARE * edge:
            return
        if best is None or distance < best["distance"]:
            best = {"band": across, "edge": edge, "distance": distance}

    if band > 0:
        consider(bands[band - 1]["up_to"], band - 1)
    if band < last:
        consider(bands[band]["up_to"], band + 1)
    return None if best is None else {"band": best["band"], "edge": best["edge"]}


def implausible(
    read: Mapping[str, Any], path: Mapping[str, Any], value: float, reading: Mapping[str, Any]
) -> dict[str, Any] | None:
    """A value 1,000 times away from every band edge of its path, or a fraction below 1
    typed without "%" on a percent path: {value (the suggested reading or None), scale}."""
    if value <= 0 or read["scale"]:
        return None
    edges = [e for b in path["bands"] for e in (b["above"], b["up_to"]) if e is not None and e > 0]
    if not edges:
        return None
    if path["unit"] == "percent" and read["unit"] is None and value < 1 and min(edges) >= 1:
        return {"value": (read["n"] * 100) / read["den"], "scale": 0}

    def far(v: float) -> bool:
        return all(v / e >= FAR or e / v >= FAR for e in edges)

    if not far(value):
        return None
    if path["unit"] != "eur":
        return {"value": None, "scale": 0}
    best: dict[str, Any] | None = None
    scale_words = (reading.get("say") or {}).get("scales") or []
    for k in range(-3, 4):
        if k == 0 or (k > 0 and not (k - 1 < len(scale_words) and scale_words[k - 1])):
            continue
        if k > 0:
            v = (read["n"] * 1000.0**k) / read["den"]
        else:
            v = read["n"] / (read["den"] * 1000.0**-k)
        if far(v):
            continue
        off = min(abs(math.log(v / e)) for e in edges)
        if best is None or off < best["off"]:
            best = {"value": v, "scale": k, "off": off}
    return {"value": None, "scale": 0} if best is None else {k: best[k] for k in ("value", "scale")}


def decide(
    text: str,
    paths: Sequence[Mapping[str, Any]],
    reading: Mapping[str, Any],
    as_typed: bool = False,
) -> dict[str, Any]:
    """The whole answer for typed text over `paths` (one: the path chosen; several: the
    start page's guess), each at the team and level asked about: state "answer" (path,
    value, band: index or None outside the path's range, near), "confirm" (a value that
    looks mistyped: suggestion), "unreadable" (reason) or "ask" (paths)."""
    read = parse(text, reading)
    if not read["ok"]:
        return {"state": "unreadable", "reason": read["reason"], "paths": list(paths)}
    candidates = [p for p in paths if fits(read, p)]
    if not candidates:
        return {"state": "unreadable", "reason": "unit", "paths": list(paths)}
    if len(candidates) > 1:
        return {"state": "ask", "paths": candidates, "read": read}
    path = candidates[0]
    converted = convert(read, path)
    if not converted["ok"]:
        return {"state": "unreadable", "reason": converted["reason"], "paths": [path]}
    value = converted["value"]
    band = find_band(path, probe(value, read["compare"]))
    doubt = None if as_typed else implausible(read, path, value, reading)
    inferred = len(paths) > 1
    if doubt:
        suggestion = None
        if doubt["value"] is not None:
            text = suggestion_text(doubt, read, path, reading)
            suggestion = {"value": doubt["value"], "text": text}
        return {
            "state": "confirm", "path": path, "value": value, "read": read, "band": band,
            "suggestion": suggestion, "inferred": inferred,
        }  # fmt: skip
    return {
        "state": "answer", "path": path, "value": value, "read": read, "band": band,
        "near": neighbour(path, read, value, band), "inferred": inferred,
    }  # fmt: skip


def side_by_side(
    levels: Sequence[tuple[str, Mapping[str, Any]]], value: float, compare: str | None
) -> list[dict[str, Any]]:
    """Which band holds `value` at each level: [{level, band (index or None), bands}];
    `levels` is each level's id with the path as it holds there."""
    return [
        {"level": level, "band": find_band(path, probe(value, compare)), "bands": path["bands"]}
        for level, path in levels
    ]


# ------------------------------------------------------------------------ saying numbers


def js_string(value: float) -> str:
    """String(value): a number as a script writes it (ECMAScript Number::toString)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign, digit_tuple, exponent = Decimal(repr(float(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    assert isinstance(exponent, int)
    exponent += len(digit_tuple) - len(digits)
    k, n = len(digits), exponent + len(digits)
    minus = "-" if sign else ""
    if k <= n <= 21:
        return minus + digits + "0" * (n - k)
    if 0 < n <= 21:
        return minus + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return minus + "0." + "0" * -n + digits
    e = n - 1
    mark = f"e{'+' if e >= 0 else '-'}{abs(e)}"
    return minus + (digits if k == 1 else digits[0] + "." + digits[1:]) + mark


def _to_fixed_20(value: float) -> str:
    """value.toFixed(20)."""
    if not math.isfinite(value) or abs(value) >= 1e21:
        return js_string(value)
    return f"{value:.20f}"


def format_number(value: float, reading: Mapping[str, Any]) -> str:
    """A number as the site writes it: 1.200.000,5 (de), 1,200,000.5 (en)."""
    text = js_string(value)
    if "e" in text:
        text = re.sub(r"\.?0+$", "", _to_fixed_20(value))
    parts = text.split(".")
    thousands = reading.get("thousands") or "."
    decimal = reading.get("decimal") or ","
    whole = _THOUSANDS.sub(lambda _: thousands, parts[0])
    return whole + decimal + parts[1] if len(parts) > 1 else whole


def _say(reading: Mapping[str, Any]) -> Mapping[str, Any]:
    return reading.get("say") or {}


def amount(value: float, unit: str, reading: Mapping[str, Any]) -> str:
    """ "60 Tage", "1 Monat", "1.200.000 EUR", in the site's words (spaces unbreakable)."""
    words_ = _say(reading)
    one, units = words_.get("one") or {}, words_.get("units") or {}
    if value == 1 and one.get(unit):
        text = str(one[unit])
    else:
        text = str(units.get(unit) or "{v}").replace("{v}", format_number(value, reading), 1)
    return text.replace(" ", "\u00a0")


def suggestion_text(
    doubt: Mapping[str, Any],
    read: Mapping[str, Any],
    path: Mapping[str, Any],
    reading: Mapping[str, Any],
) -> str:
    """What the suggestion reads as when typed: "1,5 Mio. EUR", "15 %"."""
    words_ = _say(reading)
    units = words_.get("units") or {}
    if path["unit"] == "eur" and doubt["scale"] > 0:
        typed = format_number(read["n"] / read["den"], reading)
        typed += " " + str(words_["scales"][doubt["scale"] - 1])
        return str(units.get("eur") or "{v}").replace("{v}", typed, 1)
    return amount(doubt["value"], path["unit"], reading).replace("\u00a0", " ")


def describe(
    outcome: Mapping[str, Any], path: Mapping[str, Any], reading: Mapping[str, Any]
) -> str:
    """ "1.200.000 EUR", "2 Monate = 60 Tage", "ca. 12 %", "über 60 Tage": the value as
    understood."""
    words_ = _say(reading)
    units = words_.get("units") or {}
    read = outcome["read"]
    text = amount(outcome["value"], path["unit"], reading)
    if read["unit"] is not None and read["unit"] != path["unit"] and units.get(read["unit"]):
        text = amount(read["value"], read["unit"], reading) + " = " + text
    prefix = (
        words_.get("approx")
        if read["approx"]
        else words_.get(read["compare"])
        if read["compare"]
        else None
    )
    if prefix:
        text = str(prefix).replace("{v}", text, 1)
    return text
