"""`playbook ask` answers as the site's decision helper does: every row of the helper's
test table (tests/vectors/helper.json) read by the script in node, by its Python port
(model/asking.py) and by the command, with the same state, decider, value, near decider
and wording; plus exit codes, the JSON answer's shape, teams and levels, and input no
command should choke on."""

from __future__ import annotations

import dataclasses
import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest

from sales_playbook.commands import ask
from sales_playbook.history.effective import in_force
from sales_playbook.model import asking, matrix
from sales_playbook.model.playbook import Playbook
from sales_playbook.source.check import check

from .conftest import SAMPLE, TODAY, run_main, run_playbook
from .test_helper_logic import VECTORS, helper_data, helper_paths, level_of, run_node

LANGUAGES = ("de", "en")
ROWS = [(language, i) for language in LANGUAGES for i in range(len(VECTORS[language]))]


def row_of(language: str, index: int) -> dict[str, Any]:
    return dict(VECTORS[language][index])


@pytest.fixture(scope="module")
def models() -> dict[str, Playbook]:
    """The sample as `playbook ask` reads it (the rules in force on the test's day), in
    both languages of the table (the English rows read the sample in English)."""
    checked = check(SAMPLE, TODAY)
    model, _ = in_force(checked.model, SAMPLE, TODAY)
    return {lang: dataclasses.replace(model, language=lang) for lang in LANGUAGES}


@pytest.fixture(scope="module")
def data(models: dict[str, Playbook]) -> dict[str, dict[str, Any]]:
    """window.playbookDecisions, as the page reads it, per language; with `paths_by_team`,
    the paths the helper makes from its matrix for each team (its `forTeam`, in node)."""
    found = {}
    for lang, model in models.items():
        page = helper_data(model)
        teams = ["", *(t["id"] for t in page["teams"])]
        found[lang] = {**page, "paths_by_team": helper_paths(page, teams)}
    return found


@pytest.fixture(scope="module")
def node(data: dict[str, dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    """The script's answer to every row, in one node process per language."""
    found = {}
    for lang in LANGUAGES:
        rows = VECTORS[lang]
        cases = [{"set": lang, **r, "level": level_of(r)} for r in rows]
        for i, got in enumerate(run_node(data, cases)):
            found[lang, i] = got
    return found


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample playbook folder in each language (the English one a copy)."""
    english = tmp_path_factory.mktemp("ask") / "playbook"
    shutil.copytree(SAMPLE, english)
    settings = english / "playbook.yml"
    text = settings.read_text("utf-8")
    assert "\nlanguage: de\n" in text
    settings.write_text(text.replace("\nlanguage: de\n", "\nlanguage: en\n"), "utf-8")
    return {"de": SAMPLE, "en": english}


# ------------------------------------------------------------ the port, as run_helper.js


def for_team(data: dict[str, Any], team: str) -> list[dict[str, Any]]:
    """helper.forTeam: the paths of the team's view (the organisation's: "")."""
    return list(data["paths_by_team"].get(team, data["paths_by_team"][""]))


def at_level(path: dict[str, Any], level: str) -> dict[str, Any]:
    """helper.atLevel: the path's bands at the level, where they vary by it."""
    for lb in path.get("by_level") or []:
        if lb["level"] == level:
            return {**path, "bands": lb["bands"], "own": lb["own"], "level": level}
    return path


def port(data: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    """What tests/vectors/run_helper.js prints for a case, from the Python port."""
    everything = for_team(data, case.get("team") or "")
    paths = [p for p in everything if p["id"] == case["path"]] if case["path"] else everything
    level = case.get("level") or None
    if level:
        paths = [at_level(p, level) for p in paths]
    reading = data["reading"]
    o = asking.decide(case["text"], paths, reading, bool(case.get("as_typed")))
    r: dict[str, Any] = {"state": o["state"], "path": None, "band": None, "decider": None}
    r.update(value=None, reason=None)
    if o["state"] in ("answer", "confirm"):
        path = o["path"]
        r.update(path=path["id"], value=o["value"], band=o["band"], compare=o["read"]["compare"])
        r["decider"] = None if o["band"] is None else path["bands"][o["band"]]["decider_id"]
        r.update(level=path.get("level") or None, team=path.get("team") or "")
    if o["state"] == "answer":
        r["understood"] = asking.describe(o, o["path"], reading)
        near = o["near"]
        r["near"] = near and o["path"]["bands"][near["band"]]["decider_id"]
        r["near_edge"] = near and near["edge"]
    elif o["state"] == "confirm":
        r["suggest"] = o["suggestion"] and o["suggestion"]["value"]
        r["suggest_text"] = o["suggestion"] and o["suggestion"]["text"]
    elif o["state"] == "ask":
        r["paths"] = [p["id"] for p in o["paths"]]
    else:
        r["reason"] = o["reason"]
    return r


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_port_answers_every_row_as_the_script_does(
    language: str, data: dict[str, dict[str, Any]], node: dict[tuple[str, int], Any]
) -> None:
    """Everything run_helper.js prints, field for field, for every row of the table."""
    rows = VECTORS[language]
    wrong = []
    for i, row in enumerate(rows):
        case = {**row, "level": level_of(row)}
        got, want = port(data[language], case), node[language, i]
        if got != want:
            wrong.append((row, want, got))
    assert wrong == []
    assert len(rows) >= 30


# ----------------------------------------------------------------------- the command


def cli(*args: str) -> tuple[int, str, str]:
    return run_main("ask", *args)


def plain(*args: str) -> tuple[int, str, str]:
    """The command's text, its unbreakable spaces (as the site writes them) as spaces."""
    code, out, err = cli(*args)
    return code, out.replace("\u00a0", " "), err


def asked(folders: dict[str, Path], language: str, row: dict[str, Any]) -> dict[str, Any]:
    """The command's JSON answer to one row of the table."""
    args = [row["path"] or ask.ANY_PATH, row["text"], str(folders[language])]
    args += ["--level", level_of(row), "--format", "json"]
    if row.get("team"):
        args += ["--team", row["team"]]
    if row.get("as_typed"):
        args.append("--as-typed")
    code, out, err = cli(*args)
    assert "Traceback" not in err
    answer: dict[str, Any] = json.loads(out)
    assert code == (0 if answer["state"] == "answer" else 1), (row, answer)
    return answer


def same_as_node(answer: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """Where the command's answer differs from the script's (empty: nowhere)."""
    state = want["state"]
    if state == "answer" and want["decider"] is None:
        state = "outside"
    found = []

    def check(what: str, got: Any, expected: Any) -> None:
        if got != expected:
            found.append(f"{what}: {got!r} != {expected!r}")

    check("state", answer["state"], state)
    if state in ("answer", "outside", "confirm"):
        check("path", answer["path"]["id"], want["path"])
        check("value", answer["value"], want["value"])
    if state == "answer":
        check("decider", answer["decider"]["id"], want["decider"])
        check("band", answer["band"]["index"], want["band"])
        check("understood", answer["understood"], want["understood"])
        check("compare", answer["compare"], want["compare"])
        near = answer["near"]
        check("near", near and near["decider"]["id"], want["near"])
        check("near edge", near and near["edge"], want["near_edge"])
    if state == "outside":
        check("understood", answer["understood"], want["understood"])
    if state == "confirm":
        suggestion = answer["suggestion"]
        check("suggest", suggestion and suggestion["value"], want["suggest"])
        check("suggest text", suggestion and suggestion["text"], want["suggest_text"])
    if state == "ask":
        check("paths", [p["id"] for p in answer["candidates"]], want["paths"])
    if state == "unreadable":
        check("reason", answer["reason"], want["reason"])
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_command_answers_every_row_as_the_script_does(
    language: str, folders: dict[str, Path], node: dict[tuple[str, int], Any]
) -> None:
    """The script's answer, and the table's own `expect` column, for every row."""
    wrong = []
    for i, row in enumerate(VECTORS[language]):
        answer = asked(folders, language, row)
        differs = same_as_node(answer, node[language, i])
        expect = row["expect"]
        if expect in ("unreadable", "ask", "confirm", "outside"):
            if answer["state"] != expect:
                differs.append(f"expected {expect}")
        elif answer["state"] != "answer" or answer["decider"]["id"] != expect:
            differs.append(f"expected {expect}")
        if differs:
            wrong.append((row, differs))
    assert wrong == []


def test_a_few_rows_in_a_process_of_their_own(node: dict[tuple[str, int], Any]) -> None:
    """The installed command, as a chat bot runs it (list arguments, no shell)."""
    rows = VECTORS["de"]
    picked = list(range(len(rows)))[:: max(1, len(rows) // 6)]
    for i in picked:
        row = rows[i]
        args = ["ask", row["path"] or "-", row["text"], str(SAMPLE), "--level", level_of(row)]
        args += [*(["--team", row["team"]] if row.get("team") else []), "--format", "json"]
        args += ["--today", TODAY.isoformat(), *(["--as-typed"] if row.get("as_typed") else [])]
        done = run_playbook(*args)
        assert "Traceback" not in done.stderr
        answer = json.loads(done.stdout)
        assert same_as_node(answer, node["de", i]) == [], row
        assert done.returncode == (0 if answer["state"] == "answer" else 1)


# ------------------------------------------------------------ wording, codes and shape


def test_the_answer_speaks_as_the_helper_does() -> None:
    code, out, _ = plain("rabatt-freigabe", "8 %", "--level", "zertifiziert")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Du entscheidest selbst (bis 10 %)"
    assert lines[1] == "verstanden: 8 %"
    code, out, _ = plain("rabatt-freigabe", "12 % Rabatt", "--level", "zertifiziert")
    assert code == 0 and out.startswith("Teamleitung Vertrieb entscheidet (über 10 % bis 15 %)\n")
    assert "Konsultieren: " in out and "Antwortzeit: " in out and "Weg: " in out


@pytest.mark.parametrize(
    ("path", "text", "understood"),
    [
        ("vertragsvolumen-freigabe", "80k", "80.000 EUR"),
        ("vertragsvolumen-freigabe", "1,2 Mio", "1.200.000 EUR"),
        ("zahlungsziel-freigabe", "6 Wochen", "6 Wochen = 42 Tage"),
        ("rabatt-freigabe", "12 % Rabatt", "12 %"),
        ("Rabattfreigabe", "ca. 12 %", "ca. 12 %"),  # a title names the path too
        ("Rabatt", "12 %", "12 %"),  # words that name it, as on the start page
        ("-", "60 Tage", "60 Tage"),  # the unit names it
    ],
)
def test_typed_values_read_as_on_the_site(path: str, text: str, understood: str) -> None:
    code, out, err = cli(path, text, "--level", "zertifiziert", "--format", "json")
    answer = json.loads(out)
    said = answer["understood"].replace("\u00a0", " ")
    assert (code, answer["state"], said) == (0, "answer", understood), err


def test_the_json_answer_names_everything_a_tool_needs() -> None:
    code, out, _ = cli("rabatt-freigabe", "ca. 14 %", "--level", "zertifiziert", "--format", "json")
    answer = json.loads(out)
    assert code == 0
    assert answer["state"] == "answer" and answer["path"]["id"] == "rabatt-freigabe"
    assert answer["value"] == 14 and answer["unit"] == "percent" and answer["approx"] is True
    assert set(answer["band"]) == {"index", "above", "up_to", "range"}
    assert set(answer["decider"]) == {"id", "name", "handles"}
    assert answer["decider"]["id"] == "teamleitung"
    said = answer["answer"].replace("\u00a0", " ")
    assert said == "Teamleitung Vertrieb entscheidet (über 10 % bis 15 %)"
    for key in ("consult", "inform"):
        assert all(set(x) == {"id", "name"} for x in answer[key])
    assert isinstance(answer["response_time_hours"], int) and answer["response_time"]
    assert isinstance(answer["channel"], str)
    assert answer["near"]["decider"]["id"] == "vertriebsleitung" and answer["near"]["edge"] == 15
    assert answer["near"]["text"].startswith("Nah an der Grenze 15\u00a0%")
    assert answer["path"]["url"].endswith("/rabatt-freigabe.html")


def test_every_answer_has_the_same_keys() -> None:
    keys = set()
    for args in (["rabatt-freigabe", "8 %", "--level", "senior"], ["rabatt-freigabe", "x"],
                 ["-", "20"], ["rabatt-freigabe", "12 %"], ["rabatt-freigabe", "200 %"],
                 ["vertragsvolumen-freigabe", "1,5", "--level", "senior"]):  # fmt: skip
        keys.add(tuple(json.loads(cli(*args, "--format", "json")[1])))
    assert len(keys) == 1


def test_refusals_exit_1_with_the_reason() -> None:
    code, out, _ = cli("rabatt-freigabe", "12-15 %", "--format", "json")
    answer = json.loads(out)
    assert code == 1 and answer["state"] == "unreadable" and answer["reason"] == "several"
    code, out, _ = cli("rabatt-freigabe", "12-15 %")
    assert code == 1 and out.splitlines() == [
        "Das kann ich nicht eindeutig lesen.",
        "Bitte genau einen Wert eingeben, keine Spanne und keine Liste.",
        "So klappt es, z. B.: 12,5 % oder ca. 12 %",  # the helper's examples read here
    ]
    code, out, _ = plain("rabatt-freigabe", "60 Tage")
    assert code == 1 and "Die Einheit passt nicht zu: " in out
    code, out, _ = cli("rabatt-freigabe", "200 %", "--format", "json")
    assert code == 1 and json.loads(out)["state"] == "outside"
    code, out, err = cli("vertragsvolumen-freigabe", "1,5", "--level", "zertifiziert")
    assert code == 1 and out == "Meinst du 1,5\u00a0Mio.\u00a0EUR?\n" and "--as-typed" in err
    code, out, _ = plain("vertragsvolumen-freigabe", "1,5", "--as-typed", "--level", "zertifiziert")
    assert code == 0 and "verstanden: 1,5 EUR" in out


def test_a_bare_number_on_the_start_page_asks_which_decision() -> None:
    code, out, _ = cli("-", "20")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "Um welche Entscheidung geht es?"
    assert len(lines) > 2 and all(line.startswith("- ") for line in lines[1:])
    answer = json.loads(cli("-", "20", "--format", "json")[1])
    assert answer["state"] == "ask" and len(answer["candidates"]) >= 2
    # PATH naming no path: which one is meant, every path listed
    code, out, _ = cli("keine-solche-entscheidung", "20", "--format", "json")
    answer = json.loads(out)
    assert code == 1 and answer["state"] == "ask" and answer["reason"] == "path"


def test_the_level_decides_where_the_bands_vary_by_it() -> None:
    code, out, err = cli("rabatt-freigabe", "12 %")  # no level: each level's decider
    assert code == 1 and "--level" in err
    answer = json.loads(cli("rabatt-freigabe", "12 %", "--format", "json")[1])
    assert answer["state"] == "by-level"
    deciders = {x["level"]: x["decider"]["id"] for x in answer["levels"]}
    assert deciders == {"einsteiger": "teamleitung", "zertifiziert": "teamleitung",
                        "senior": "vertrieb"}  # fmt: skip
    code, out, _ = plain("rabatt-freigabe", "12 %", "--level", "senior")
    assert code == 0 and out.startswith("Du entscheidest selbst (bis 12 %)\n")
    assert "Auf Stufe Senior entscheidest du bis 12 % selbst." in out
    code, out, _ = plain("rabatt-freigabe", "3 %")  # the same at every level: an answer
    assert code == 0 and out.startswith("Du entscheidest selbst\n")


def test_a_team_answers_with_its_own_bands(models: dict[str, Playbook]) -> None:
    model = models["de"]
    data = matrix.decision_matrix(model)
    rows = [r for r in VECTORS["de"] if r.get("team")]
    assert rows
    for row in rows:
        got = ask.answer(model, data, row["path"] or "-", row["text"], row["team"],
                         level_of(row))  # fmt: skip
        if row["expect"] not in ("unreadable", "ask", "confirm", "outside"):
            assert got["decider"]["id"] == row["expect"], row
    code, out, err = cli("rabatt-freigabe", "5 %", "--team", "niemand")
    assert code == 2 and "unknown team niemand; known: " in err and out == ""
    code, out, err = cli("rabatt-freigabe", "5 %", "--level", "chef")
    assert code == 2 and "unknown level chef; known: einsteiger, zertifiziert, senior" in err


def test_usage_errors_exit_2() -> None:
    for args in (["rabatt-freigabe"], ["rabatt-freigabe", "5 %", "--format", "yaml"]):
        with pytest.raises(SystemExit) as exit:
            cli(*args)
        assert exit.value.code == 2
    code, _, err = cli("rabatt-freigabe", "12", "%")  # an unquoted value
    assert code == 2 and "a value with spaces goes in quotes" in err


HOSTILE = [
    "\x1b[31m12 %\x1b[0m",
    "12 %\x1b]0;pwned\x07",
    "\x00\x01\x02 80k",
    "12\u202e %",
    "\ud800 12 %",  # a lone surrogate (bytes that are no UTF-8, as the shell passes them)
    "1" * 10_000,
    "12 % " + "Rabatt " * 100_000,
    "€" * 10_000_000,
    "5" + " %" * 5_000_000,
    "",
    " ",
    "9" * 400 + "," + "0" * 400 + "1",
    "0," + "0" * 330 + "1 %",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("form", ["text", "json"])
def test_hostile_input_gets_an_answer_not_a_traceback(text: str, form: str) -> None:
    for path in ("rabatt-freigabe", "-", text):
        code, out, err = cli(path, text, "--format", form)
        assert code in (0, 1, 2), (code, err)
        assert "Traceback" not in err and "\x1b" not in out + err and "\x07" not in out + err
        if form == "json":
            json.loads(out)
        assert len(out) < 10_000


@pytest.mark.parametrize("text", ["0," + "0" * 25 + "1 %", "0," + "0" * 35 + "1 %", "1e5"])
def test_long_fractions_and_odd_forms_read_as_in_node(
    text: str, data: dict[str, dict[str, Any]]
) -> None:
    """Past 22 decimal places V8's Math.pow(10, k) is not the nearest double: the port
    divides by what the script divides by."""
    case = {"set": "de", "path": "rabatt-freigabe", "text": text, "level": "zertifiziert"}
    assert port(data["de"], case) == run_node(data, [case])[0]


@pytest.mark.parametrize(
    "value",
    [0, 1, 0.5, 80000, 1200000.5, 1e21, 1.5e21, 1e-7, 123e-20, 2**53, 0.1 + 0.2, 1e300],
)
def test_numbers_are_written_as_the_script_writes_them(value: float) -> None:
    assert asking.js_string(float(value)) == _node_string(value)
    reading = {"thousands": ".", "decimal": ","}
    assert asking.format_number(float(value), reading) == _node_format(value)


def _node_string(value: float) -> str:
    import subprocess

    done = subprocess.run(
        ["node", "-e", f"process.stdout.write(String({float(value)!r}))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def _node_format(value: float) -> str:
    import subprocess

    from sales_playbook.resources import template_dir

    helper = template_dir() / "assets" / "javascripts" / "decision-helper.js"
    script = (
        f"const h = require({json.dumps(str(helper))});"
        f"process.stdout.write(h.formatNumber({float(value)!r}, "
        '{reading: {thousands: ".", decimal: ","}}))'
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert not math.isnan(value)
    return done.stdout


# ------------------------------------------------------------ typed at random, read alike

PIECES = [
    "12", "0", "007", "80.000", "80,000", "1.200.000", "1,2", "0,5", "12,125", "1.500",
    "80 000", "80'000", "1,200.50", "1.200,50", "3", "45", "10,01", "99999999999999999",
    "0,00000000000000000000000001", "2", "60",
    "%", "€", "eur", "k", "T€", "Tsd.", "Mio", "mio.", "Mrd", "tausend", "teur", "m",
    "Tage", "Tag", "Wochen", "Monate", "Jahr", "Jahre", "days", "weeks", "months",
    "ca.", "~", "etwa", "über", "unter", "bis", "ab", "mindestens", "höchstens", "mehr als",
    "oder mehr", "und weniger", "+", "-", "minus", ">", "<=", "netto", "net",
    "Rabatt", "Zahlungsziel", "Klauseln", "Vertragsvolumen", "Nachlass", "Discount",
    "darf", "ich", "dem", "Kunden", "geben", "?", "!", "zwei", "foo", ",-", ".", ",",
    "\u2013", "\u00a0", "\u202f", "\t", "12\u202f000", "1e5", "½", "٣", "Ⅻ",
]  # fmt: skip


def random_texts(count: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 5))]
        glue = rng.choice([" ", "", " ", "  "])
        texts.append(glue.join(parts))
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
def test_random_text_reads_alike_in_node_and_the_port(
    language: str, data: dict[str, dict[str, Any]]
) -> None:
    """Thousands of typed texts made of the reading's own words, numbers in every form and
    odd signs, on every path and on the start page, at a level and with none: the port
    says what the script says, field for field."""
    paths = ["", *(p["id"] for p in data[language]["matrix"]["paths"])]
    teams = ["", *(t["id"] for t in data[language]["teams"])]
    levels = ["", "einsteiger", "senior"]
    cases = [
        {"set": language, "path": paths[i % len(paths)], "text": text,
         "level": levels[i % 3], "team": teams[i % len(teams)], "as_typed": i % 7 == 0}
        for i, text in enumerate(random_texts(4000, seed=27 + len(language)))
    ]  # fmt: skip
    want = run_node(data, cases)
    wrong = [
        (c, w, got)
        for c, w in zip(cases, want, strict=True)
        if (got := port(data[language], c)) != w
    ]
    assert wrong[:5] == []
    assert {w["state"] for w in want} == {"answer", "unreadable", "ask", "confirm"}


def test_long_text_reads_alike_and_quickly(data: dict[str, dict[str, Any]]) -> None:
    """What no one types, longer than the command takes: the port still reads it as the
    script does (the command refuses values over MAX_VALUE characters before reading)."""
    texts = ["12 % " + "Rabatt " * 20_000, "5" + " %" * 50_000, "€" * 100_000 + " 5",
             "1" + "0" * 100_000, "0," + "0" * 400 + "1 %", "ca. " * 30_000 + "12"]  # fmt: skip
    cases = [{"set": "de", "path": "", "text": t, "level": "senior"} for t in texts]
    for case, want in zip(cases, run_node(data, cases), strict=True):
        assert port(data["de"], case) == want


def test_random_text_gets_the_script_s_answer_from_the_command(
    models: dict[str, Playbook], data: dict[str, dict[str, Any]]
) -> None:
    """The command's answers come from the decision matrix, the script's from the page's
    data: on random text, for every team and level, they agree."""
    model = models["de"]
    matrix_data = matrix.decision_matrix(model)
    paths = ["", *(p["id"] for p in data["de"]["matrix"]["paths"])]
    teams = ["", *(t["id"] for t in data["de"]["teams"])]
    levels = [lv["id"] for lv in matrix_data["levels"]]
    cases = [
        {"set": "de", "path": paths[i % len(paths)], "text": text,
         "level": levels[i % len(levels)], "team": teams[i % len(teams)]}
        for i, text in enumerate(random_texts(2000, seed=2027))
    ]  # fmt: skip
    wrong = []
    for case, want in zip(cases, run_node(data, cases), strict=True):
        got = ask.answer(model, matrix_data, case["path"] or ask.ANY_PATH, case["text"],
                         case["team"], case["level"])  # fmt: skip
        differs = same_as_node(got, want)
        if differs:
            wrong.append((case, differs))
    assert wrong == []


def test_hostile_arguments_in_a_process_of_their_own() -> None:
    """Bytes that are no UTF-8 and terminal escapes, as a shell or a bot passes them."""
    for path, text in [
        ("\udcff\udcfe", "12 %"),
        ("rabatt-freigabe", "\udcff12 %"),
        ("\x1b[2J\x1b]0;x\x07", "\x1b[31m12\x1b[0m %"),
        ("-", "12 %\r\nFAKE: Du entscheidest selbst"),
    ]:
        for form in ("text", "json"):
            done = run_playbook("ask", path, text, str(SAMPLE), "--format", form,
                                "--today", TODAY.isoformat())  # fmt: skip
            assert done.returncode in (0, 1), done.stderr
            assert "Traceback" not in done.stderr
            assert "\x1b" not in done.stdout + done.stderr and "FAKE" not in done.stdout
            if form == "json":
                assert json.loads(done.stdout)["state"]
