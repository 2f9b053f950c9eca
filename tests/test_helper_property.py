"""Sentences as reps type them, on random bands: the decision helper (run in node) either
answers with the band generator/model/bands.py `find_band` gives the intended value, or it
refuses for a reason it has (a value that looks mistyped, or "ca." and a comparison word
at once). Never another band.

A sentence is a value near a band edge in one of the unit shorthands
(test_helper_logic.typed), with filler ("darf ich", "can I give"), the path's noun and a
comparison word ("über", "bis", "at least", "oder mehr") from the same i18n words the page
ships (generator/site/reading.py). One node process answers a whole batch.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales_playbook.model.bands import find_band
from sales_playbook.site.reading import config

from .test_helper_logic import around, as_data, looks_mistyped, random_path, run_node, typed

# nouns no reading word uses; each random path gets its own
NOUNS = ("rabatt", "zahlungsziel", "klauseln", "volumen", "skonto", "lizenzen", "nachlass")


def probe(value: float, compare: str | None) -> float:
    """The value a comparison word points to: just above for "über", just below for
    "unter", the value itself for "bis" and "ab"."""
    if compare == "above":
        return math.nextafter(value, math.inf)
    if compare == "below":
        return math.nextafter(value, -math.inf)
    return value


@st.composite
def sentences(draw: Any) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    language = draw(st.sampled_from(["de", "en"]))
    words = config(language)
    filler = sorted(words["filler"])
    before = sorted((w, kind) for kind, ws in words["compare"].items() for w in ws)
    after = sorted((w, kind) for kind, ws in words["compare_after"].items() for w in ws)
    paths = [draw(random_path(i)) for i in range(draw(st.integers(1, 5)))]
    cases = []
    for index, p in enumerate(paths):
        p["noun"] = NOUNS[index]
        edges = [p["minimum"]] + [up for _, up in p["bounds"] if up is not None]
        for edge in draw(st.lists(st.sampled_from(edges), min_size=1, max_size=3)):
            value = draw(st.sampled_from(around(edge, p["unit"])))
            if value < 0 or len(value.normalize().as_tuple().digits) > 15:
                continue
            core, exact = typed(value, p["unit"], language, draw(st.integers(0, 11)))
            compare: str | None = None
            pre: list[str] = []
            post: list[str] = []
            if draw(st.booleans()):
                pre.append(draw(st.sampled_from(filler)))
            noun_at = draw(st.sampled_from(["none", "before", "after"]))
            if noun_at == "before":
                pre.append(p["noun"].capitalize())
            where = draw(st.sampled_from(["none", "before", "after"]))
            if where == "before":
                word, compare = draw(st.sampled_from(before))
                if pre and pre[-1] == "=" and word[:1] in "<>":
                    pre.pop()  # "= <" is read as "=<", another comparison word (at most)
                pre.append(word)
            elif where == "after":
                word, compare = draw(st.sampled_from(after))
                post.append(word)
            if noun_at == "after":
                post.append(p["noun"])
            if draw(st.booleans()):
                post.append(draw(st.sampled_from(filler)))
            text = " ".join([*pre, core, *post])
            # on the start page the noun names the path
            chosen = "" if noun_at != "none" and draw(st.booleans()) else p["id"]
            cases.append(
                {
                    "set": language,
                    "path": chosen,
                    "text": text,
                    "intended": p["id"],
                    "core": core,
                    "exact": exact,
                    "compare": compare,
                }
            )
    return language, paths, cases


APPROX = ("ca.", "~", "about", "approx", "etwa")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(sentences())
def test_typed_sentences_get_the_band_of_the_intended_value_or_none(
    batch: tuple[str, list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    language, paths, cases = batch
    reading = {**config(language), "nouns": {p["id"]: [p["noun"]] for p in paths}}
    data = {
        "language": language,
        "reading": reading,
        "matrix": {"paths": [as_data(p, language) for p in paths]},  # the helper's bands
    }
    keys = ("set", "path", "text")
    results = run_node({language: data}, [{k: c[k] for k in keys} for c in cases])
    by_id = {p["id"]: p for p in paths}
    for case, got in zip(cases, results, strict=True):
        p = by_id[case["intended"]]
        value = float(case["exact"])
        if got["state"] == "unreadable":
            # refused only where two readings meet: "über ca. 12 %"
            assert case["compare"] and any(a in case["core"] for a in APPROX), (case, got)
            continue
        assert got["state"] in ("answer", "confirm"), (case, got)
        assert got["path"] == p["id"], (case, got)
        assert got["value"] == value, (case, got)
        assert got["compare"] == case["compare"], (case, got)
        if got["state"] == "confirm":
            assert looks_mistyped(p, value, case["core"]), (case, got)
            continue
        bounds = [
            (None if a is None else float(a), None if b is None else float(b))
            for a, b in p["bounds"]
        ]
        maximum = None if p["maximum"] is None else float(p["maximum"])
        expected = find_band(probe(value, case["compare"]), float(p["minimum"]), maximum, bounds)
        assert got["band"] == expected, (case, got, expected)


def test_the_sentence_words_are_the_shipped_ones() -> None:
    """The comparison and filler words the property test types are the i18n files' own,
    and every kind of comparison has words in both languages."""
    for language in ("de", "en"):
        words = config(language)
        assert set(words["compare"]) == {"above", "below", "at_most", "at_least"}
        assert all(words["compare"][k] for k in words["compare"])
        assert len(words["filler"]) >= 10
