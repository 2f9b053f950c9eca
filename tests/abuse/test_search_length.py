"""A pasted text of any length is read as its first characters, and each word as its first
letters, by the site's search engine (run in node on the sample site's index): a
30,000-letter word or a 30,000-character text finds what its cut-off start finds, and
splitting a word into compound parts does work bounded by the word's length (counted,
not timed: speed is measured in bench/)."""

from __future__ import annotations

from typing import Any

from ..conftest import SampleBuild
from ..test_search import search, site_index, with_engine

LONG = 30_000
COMPOUND = "vertragsklausel"  # parts the index knows: the worst case for splitting
TEXT = "Kunde will Rabatt Haftungsklausel Vertragsklauseln Laufzeit 15 % öffentlicher Sektor "

LIMITS = """
const w = require(process.argv[1]);
process.stdout.write(JSON.stringify(w.limits));
"""

# Each query's and each split's number of calls to `split` and `counts` (one per part
# looked up in the index), counted by wrapping the methods: what they return is unchanged.
COUNTED = """
const w = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const data = { config: input.index.config, docs: input.index.docs };
const P = w.Search.prototype, split = P.split, counts = P.counts;
let calls = { split: 0, counts: 0 };
P.split = function () { calls.split++; return split.apply(this, arguments); };
P.counts = function () { calls.counts++; return counts.apply(this, arguments); };
function counted(run) {
  calls = { split: 0, counts: 0 };
  const result = run();
  return { result: result, calls: calls };
}
const search = new w.Search(data);
process.stdout.write(JSON.stringify({
  queries: input.queries.map(function (q) {
    return counted(function () { return search.query(q); });
  }),
  splits: input.splits.map(function (s) {
    return counted(function () { return search.split(s.word, s.mode); });
  })
}));
"""


def limits() -> dict[str, int]:
    found: dict[str, int] = with_engine(LIMITS, None)
    return found


def repeated(text: str, length: int) -> str:
    return (text * (length // len(text) + 1))[:length]


def test_the_limits_leave_room_for_every_real_query() -> None:
    cap = limits()
    assert cap["word"] >= len("Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz")
    assert cap["query"] >= 150 and cap["compound"] >= cap["word"]


def test_a_30000_letter_word_finds_what_its_first_letters_find(sample: SampleBuild) -> None:
    word = repeated(COMPOUND, LONG)
    short = word[: limits()["word"]]
    long_result, short_result = search(site_index(sample), [word, short])
    assert short_result  # the compound's parts are found
    assert long_result == short_result


def test_a_30000_character_text_finds_what_its_start_finds(sample: SampleBuild) -> None:
    text = repeated(TEXT, LONG)
    start = text[: limits()["query"]]
    long_result, start_result = search(site_index(sample), [text, start])
    assert start_result
    assert long_result == start_result


def test_a_long_query_does_the_work_of_its_cut_off_start(sample: SampleBuild) -> None:
    cap = limits()
    word = repeated(COMPOUND, LONG)
    text = repeated(TEXT, LONG)
    queries = [word, word[: cap["word"]], text, text[: cap["query"]]]
    got: dict[str, Any] = with_engine(
        COUNTED, {"index": site_index(sample), "queries": queries, "splits": []}
    )
    word_long, word_short, text_long, text_short = got["queries"]
    assert word_short["calls"]["split"] > 1  # the compound was split, part by part
    assert word_long == word_short  # the same result from the same work
    assert text_long == text_short


def test_splitting_a_word_is_bounded_by_its_length(sample: SampleBuild) -> None:
    """Each prefix of a word is split once: at most (1 + 6 links) look-ups for each of
    its n heads, for each of its n prefixes (before, 64 letters of "vertragsklausel..."
    took 54,134 look-ups and 200 letters did not finish). A word above the limit is no
    compound at all."""
    cap = limits()["compound"]
    lengths = [16, 32, 64, cap, cap + 1, LONG]
    splits = [
        {"word": repeated(COMPOUND, n), "mode": mode}
        for n in lengths
        for mode in ("known", "modifier", "fragment")
    ]
    got: dict[str, Any] = with_engine(
        COUNTED, {"index": site_index(sample), "queries": [], "splits": splits}
    )
    for split, done in zip(splits, got["splits"], strict=True):
        n = len(split["word"])
        assert done["calls"]["counts"] <= 7 * n * n, (n, split["mode"], done["calls"])
        if n > cap:
            assert done == {"result": None, "calls": {"split": 1, "counts": 0}}
    fragments = {
        len(s["word"]): d["result"]
        for s, d in zip(splits, got["splits"], strict=True)
        if s["mode"] == "fragment"
    }
    assert fragments[64]  # a long compound is still split into its parts
