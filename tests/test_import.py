"""`playbook import`: an approval matrix (csv) becomes escalation-path YAML, and
`playbook export --check`: a matrix kept elsewhere is compared with today's bands."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from sales_playbook.cli import main
from sales_playbook.runtime.output import replace_file
from sales_playbook.source import matrix_csv
from sales_playbook.text import terminal_safe

from .conftest import SAMPLE, run_main

SCHEMA = json.loads((SAMPLE.parent / "schemas" / "escalation-path.schema.json").read_text())


def sample_copy(tmp_path: Path) -> Path:
    source = tmp_path / "playbook"
    shutil.copytree(SAMPLE, source)
    return source


def export_csv(source: Path) -> str:
    code, out, err = run_main("export", str(source), "--format", "csv")
    assert code == 0, err
    return out


def move_rep_edge(lines: list[str], team: str, level: str, edge: str) -> int:
    """Move the edge between the rep's band of rabatt-freigabe and the next one, for
    `team` at `level`, in the export's csv lines (the sample's titles hold no comma);
    the index of the rep's row."""
    wanted = ["rabatt-freigabe", team, level, "1"]  # path_id, team_id, level_id, band
    index = next(
        i for i, line in enumerate(lines) if line.split(",")[0:1] + line.split(",")[3:6] == wanted
    )
    rep, next_band = lines[index].split(","), lines[index + 1].split(",")
    rep[7] = next_band[6] = edge  # up_to of the one, above of the other
    lines[index], lines[index + 1] = ",".join(rep), ",".join(next_band)
    return index


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.yml")}


def test_the_units_read_are_the_schema_s() -> None:
    assert list(matrix_csv.UNITS) == SCHEMA["properties"]["quantity"]["properties"]["unit"]["enum"]


def test_import_then_export_round_trips_the_sample_s_escalation_paths(tmp_path: Path) -> None:
    source = sample_copy(tmp_path)
    exported = export_csv(source)
    matrix = tmp_path / "matrix.csv"
    matrix.write_text(exported, "utf-8")
    code, _, err = run_main("import", str(matrix), str(source), "--force")
    assert code == 0, err
    assert "4 with their bands replaced" in err
    assert export_csv(source) == exported
    # everything but the bands stays as written: the summary, the cases, the examples
    rabatt = (source / "escalation-paths" / "rabatt-freigabe.yml").read_text("utf-8")
    original = (SAMPLE / "escalation-paths" / "rabatt-freigabe.yml").read_text("utf-8")
    assert rabatt.split("bands:")[0] == original.split("bands:")[0]
    assert rabatt.split("examples:")[1] == original.split("examples:")[1]
    assert "up_to: {einsteiger: 5, zertifiziert: 10, senior: 12}" in rabatt
    assert run_main("validate", str(source))[0] == 0


def test_an_existing_path_is_not_replaced_without_force(tmp_path: Path) -> None:
    source = sample_copy(tmp_path)
    matrix = tmp_path / "matrix.csv"
    matrix.write_text(export_csv(source), "utf-8")
    before = files_of(source)
    code, _, err = run_main("import", str(matrix), str(source))
    assert code == 1
    first = matrix.read_text("utf-8").splitlines().index(
        next(line for line in matrix.read_text("utf-8").splitlines()
             if line.startswith("rabatt-freigabe,"))
    ) + 1  # fmt: skip
    assert f"{matrix}:{first}:1" in err and "--force" in err
    assert "nothing was written" in err
    assert files_of(source) == before


def starter(tmp_path: Path) -> Path:
    """A new organisation's playbook (`playbook init`, reviewed today)."""
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        assert main(["init", str(tmp_path / "org")]) == 0  # init takes no --today
    return tmp_path / "org" / "playbook"


def now(*args: str) -> tuple[int, str, str]:
    """The command line on the starter, today (its entries were reviewed today)."""
    return run_main(*args, today=dt.date.today())


def test_the_simple_layout_writes_a_new_path_with_owner_bands_and_review_date(
    tmp_path: Path,
) -> None:
    source = starter(tmp_path)
    matrix = tmp_path / "crm.csv"
    matrix.write_text(
        "path,from,to,unit,role\r\n"
        "skonto,,2,percent,vertrieb\r\n"
        "skonto,2,5,percent,teamleitung\r\n"
        'skonto,5,100,percent,"vertriebsleitung"\r\n',
        "utf-8",
    )
    code, out, err = now("import", str(matrix), str(source))
    assert code == 0, err
    written = source / "escalation-paths" / "skonto.yml"
    assert out.strip() == str(written)
    text = written.read_text("utf-8")
    assert "owner: vertriebsleitung" in text  # the role deciding its highest band
    assert f'last_reviewed: "{dt.date.today().isoformat()}"' in text  # the day of the import
    assert "maximum: 100" in text
    assert now("validate", str(source))[0] == 0
    rows = [
        r
        for r in now("export", str(source), "--format", "csv")[1].splitlines()
        if r.startswith("skonto,")
    ]
    assert [r.split(",")[6:9] for r in rows] == [
        ["", "2", "vertrieb"], ["2", "5", "teamleitung"], ["5", "100", "vertriebsleitung"],
    ]  # fmt: skip
    # the same file again: the path exists now
    assert now("import", str(matrix), str(source))[0] == 1


def cell(text: str, line: int, value: str) -> int:
    """The 1-based column of `value` in line `line` of `text`."""
    return text.splitlines()[line - 1].index(value) + 1


def test_a_hand_broken_matrix_gives_every_problem_at_its_row_and_column(tmp_path: Path) -> None:
    source = starter(tmp_path)
    text = (
        "path,from,to,unit,role\n"
        "gap,,10,count,vertrieb\n"
        "gap,12,,count,teamleitung\n"  # 3: nothing holds 10 to 12
        "overlap,,10,count,vertrieb\n"
        "overlap,8,,count,teamleitung\n"  # 5: starts inside the band of line 4
        "role,,10,count,vertrieb\n"
        "role,10,,count,chef\n"  # 7: no such role
        "words,,zehn,count,vertrieb\n"  # 8: text in a number cell
        "words,10,,count,teamleitung\n"
    )
    matrix = tmp_path / "broken.csv"
    matrix.write_text(text, "utf-8")
    before = files_of(source)
    code, out, _ = now("import", str(matrix), str(source), "--format", "json")
    assert code == 1
    found = {(p["line"], p["column"], p["rule"]) for p in json.loads(out)}
    assert (3, cell(text, 3, "12"), "matrix-gap") in found
    assert (5, cell(text, 5, "8"), "matrix-overlap") in found
    assert (7, cell(text, 7, "chef"), "matrix-unknown") in found
    assert (8, cell(text, 8, "zehn"), "matrix-number") in found
    assert files_of(source) == before


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("", "the file is empty"),
        ("name,value\nx,1\n", "the header lacks"),
        ("path,from,to,unit,role\nxy,,1,furlongs,vertrieb\n", "unknown unit"),
        ('path,from,to,unit,role\n"a\nb",,1,count,vertrieb\n', "not a valid"),
    ],
)
def test_matrices_that_are_not_one_get_a_problem_not_a_traceback(
    content: str, said: str, tmp_path: Path
) -> None:
    source = starter(tmp_path)
    matrix = tmp_path / "m.csv"
    matrix.write_text(content, "utf-8")
    code, _, err = now("import", str(matrix), str(source))
    assert code in (1, 2) and "Traceback" not in err
    assert said in err


def test_a_file_that_is_not_utf8_or_not_there_is_a_usage_error(tmp_path: Path) -> None:
    source = starter(tmp_path)
    matrix = tmp_path / "m.csv"
    matrix.write_bytes(b"path,from,to,unit,role\n\xff\xfe,,1,count,vertrieb\n")
    code, _, err = now("import", str(matrix), str(source))
    assert code == 2 and "not UTF-8" in err
    code, _, err = now("import", str(tmp_path / "nope.csv"), str(source))
    assert code == 2 and "is not a file" in err


def test_team_rows_that_the_overlay_does_not_give_are_named(tmp_path: Path) -> None:
    source = sample_copy(tmp_path)
    lines = export_csv(source).splitlines()
    index = move_rep_edge(lines, "oeffentlicher-sektor", "senior", "9")  # 8 in its overlay
    matrix = tmp_path / "m.csv"
    matrix.write_text("\n".join(lines) + "\n", "utf-8")
    before = files_of(source)
    code, _, err = run_main("import", str(matrix), str(source), "--force")
    assert code == 1
    assert f"{matrix}:{index + 1}:" in err and "teams/oeffentlicher-sektor.yml" in err
    assert files_of(source) == before


def test_quoted_cells_keep_their_positions() -> None:
    text = 'a,b\r\n"x\ny",2\r\n"say ""hi""",3\n'
    records = list(matrix_csv.cells(text))
    assert [(line, [(c.text, c.line, c.column) for c in cells]) for line, cells in records] == [
        (1, [("a", 1, 1), ("b", 1, 3)]),
        (2, [("x\ny", 2, 1), ("2", 3, 4)]),
        (4, [('say "hi"', 4, 1), ("3", 4, 14)]),
    ]


# ------------------------------------------------------------ export --check


def test_check_finds_no_difference_in_its_own_export(tmp_path: Path) -> None:
    for fmt, name in (("csv", "m.csv"), ("json", "m.json")):
        out = tmp_path / name
        assert run_main("export", str(SAMPLE), "--format", fmt, "--out", str(out))[0] == 0
        code, stdout, err = run_main("export", str(SAMPLE), "--check", str(out))
        assert (code, stdout) == (0, ""), err


def test_check_says_what_the_crm_allows_and_exits_3(tmp_path: Path) -> None:
    lines = export_csv(SAMPLE).splitlines()
    index = move_rep_edge(lines, "", "senior", "14")  # 12 in the playbook
    crm = tmp_path / "crm.csv"
    crm.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, _ = run_main("export", str(SAMPLE), "--check", str(crm))
    assert code == 3
    assert out.splitlines() == [
        f"{crm}:{index + 1}: Rabattfreigabe, as Senior: above 12\xa0% up to 14\xa0%: the file "
        "says Account Executive, the playbook Teamleitung Vertrieb"
    ]


def test_check_names_paths_only_one_side_has(tmp_path: Path) -> None:
    crm = tmp_path / "crm.csv"
    crm.write_text("path,from,to,unit,role\nskonto,,2,percent,vertrieb\n", "utf-8")
    code, out, _ = run_main("export", str(SAMPLE), "--check", str(crm))
    assert code == 3
    assert "skonto: the file has this path" in out
    assert "Rabattfreigabe (rabatt-freigabe): the playbook has this path, the file has none" in out


# ------------------------------------------------------------ what a review found


def test_the_sample_round_trips_through_import_byte_for_byte(tmp_path: Path) -> None:
    source = sample_copy(tmp_path)
    matrix = tmp_path / "matrix.csv"
    matrix.write_text(export_csv(source), "utf-8")
    assert run_main("import", str(matrix), str(source), "--force")[0] == 0
    assert files_of(source) == files_of(SAMPLE)


def test_the_simple_layout_keeps_the_terms_it_has_no_column_for(tmp_path: Path) -> None:
    """Consult, inform, response time, channel and note stay as the band at the same
    place has them: an unchanged matrix in the simple layout changes nothing."""
    source = sample_copy(tmp_path)
    rows = ["path,from,to,unit,role,level"]
    for line in export_csv(source).splitlines()[1:]:
        cell = line.split(",")
        if cell[0] == "zahlungsziel-freigabe" and cell[3] == "" and cell[4]:
            rows.append(",".join([cell[0], cell[6], cell[7], cell[2], cell[8], cell[4]]))
    matrix = tmp_path / "simple.csv"
    matrix.write_text("\n".join(rows) + "\n", "utf-8")
    code, _, err = run_main("import", str(matrix), str(source), "--force")
    assert code == 0, err
    assert files_of(source) == files_of(SAMPLE)


def test_levels_that_end_differently_get_a_problem_not_a_traceback(tmp_path: Path) -> None:
    source = sample_copy(tmp_path)
    ladder = ["einsteiger", "zertifiziert", "senior"]
    lines = ["path,from,to,unit,role,level", "skonto,,2,percent,vertrieb,einsteiger",
             "skonto,2,,percent,teamleitung,einsteiger"]  # fmt: skip
    lines += [f"skonto,{a},{b},percent,{r},{lv}" for lv in ladder[1:]
              for a, b, r in (("", "2", "vertrieb"), ("2", "100", "teamleitung"))]  # fmt: skip
    matrix = tmp_path / "levels.csv"
    matrix.write_text("\n".join(lines) + "\n", "utf-8")
    code, _, err = run_main("import", str(matrix), str(source))
    assert code == 1 and "Traceback" not in err
    assert "import-levels" in err and "open at others" in err


def test_a_problem_in_a_file_import_would_write_is_shown_at_the_csv_row(tmp_path: Path) -> None:
    source = starter(tmp_path)
    matrix = tmp_path / "gap.csv"
    matrix.write_text(
        "path,from,to,unit,role\nskonto,,2,count,vertrieb\nskonto,2,5,count,teamleitung\n"
    )
    code, out, _ = now("import", str(matrix), str(source), "--format", "json")
    assert code == 1
    problems = [p for p in json.loads(out) if p["severity"] == "error"]
    assert [(p["file"], p["line"], p["column"]) for p in problems] == [(str(matrix), 2, 1)]
    assert "as import would write it" in problems[0]["message"]
    assert not (source / "escalation-paths" / "skonto.yml").exists()


@pytest.mark.parametrize(
    ("content", "rule", "said"),
    [
        ('path,from,to,unit,role\n"skonto,,2,count,vertrieb\n', "matrix-quote", "never closed"),
        ("path,from,to,unit,role,to\nskonto,,2,count,vertrieb,3\n", "matrix-header", "twice"),
        ("path;from;to;unit;role\nskonto;;2;count;vertrieb\n", "matrix-header", "`;`"),
        ("path,from,to,unit,role\nskonto,,1_0,count,vertrieb\n", "matrix-number", "1_0"),
        (
            "path,from,to,unit,role\nskonto,,\u0661\u0660,count,vertrieb\n",
            "matrix-number",
            "not a number",
        ),
    ],
)
def test_messy_csv_gets_a_problem_that_says_what_is_wrong(
    content: str, rule: str, said: str, tmp_path: Path
) -> None:
    source = starter(tmp_path)
    matrix = tmp_path / "m.csv"
    matrix.write_text(content, "utf-8")
    code, out, _ = now("import", str(matrix), str(source), "--format", "json")
    assert code == 1
    found = json.loads(out)
    assert [p["rule"] for p in found] == [rule]
    assert said in found[0]["message"] + found[0]["hint"]


def test_check_refuses_a_json_matrix_it_cannot_trust(tmp_path: Path) -> None:
    text = run_main("export", str(SAMPLE))[1]
    edge = '"up_to": 5,'
    assert edge in text
    for value, said in (
        ("1" + "0" * 400, "too large"),
        ("NaN", "NaN"),
        ('{"x": 1}', "not a number"),
    ):
        broken = tmp_path / "crm.json"
        broken.write_text(text.replace(edge, f'"up_to": {value},', 1), "utf-8")
        code, _, err = run_main("export", str(SAMPLE), "--check", str(broken))
        assert code == 1 and "Traceback" not in err and said in err, err


def test_export_replaces_its_own_files_but_not_a_hand_kept_copy(tmp_path: Path) -> None:
    for form, change in (
        ("csv", lambda t: t + "meine-zeile,,,,,,,,,,,,,,,\r\n"),
        ("json", lambda t: t.replace('"rep_role"', '"notiz": "meins",\n  "rep_role"', 1)),
        ("dmn", lambda t: t.replace("Rabattfreigabe", "Rabattfreigabe (CRM)", 1)),
    ):
        out = tmp_path / f"crm.{form}"
        assert run_main("export", str(SAMPLE), "--format", form, "--out", str(out))[0] == 0
        assert run_main("export", str(SAMPLE), "--format", form, "--out", str(out))[0] == 0
        kept = change(out.read_bytes().decode("utf-8"))
        out.write_bytes(kept.encode("utf-8"))
        code, _, err = run_main("export", str(SAMPLE), "--format", form, "--out", str(out))
        assert code == 2 and "did not make" in err, (form, err)
        assert out.read_bytes().decode("utf-8") == kept


def test_writing_a_file_never_follows_a_link_left_beside_it(tmp_path: Path) -> None:
    """The new file is made under a fresh name: a link someone left at any name beside
    the target (the old `.NAME.new` too) is not written through."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", "utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / ".decisions.json.new").symlink_to(victim)
    replace_file(folder / "decisions.json", "{}\n")
    assert victim.read_text("utf-8") == "keep me\n"
    assert (folder / "decisions.json").read_text("utf-8") == "{}\n"
    assert not (folder / "decisions.json").is_symlink()


def test_text_for_a_terminal_or_a_chat_shows_what_would_hide_or_forge_a_line() -> None:
    assert terminal_safe("CRM\u2028FAKE: ok \u202egnp.exe \x1b[2J") == (
        "CRM\\u2028FAKE: ok \\u202egnp.exe \\x1b[2J"
    )


def test_ask_names_the_teams_it_knows() -> None:
    code, _, err = run_main("ask", "rabatt-freigabe", "5", str(SAMPLE), "--team", "mars")
    assert code == 2 and "known: oeffentlicher-sektor" in err


def test_check_compares_every_team_and_level_even_those_the_file_leaves_out(
    tmp_path: Path,
) -> None:
    """A CRM table without team or level rows enforces its rows for everyone: where the
    playbook is stricter for a team or wider for a level, that is a difference; a team the
    playbook no longer has is one too (not a reading problem)."""
    exported = export_csv(SAMPLE).splitlines()  # (no title of the sample holds a comma)
    lines = [exported[0], *(line for line in exported[1:] if line.split(",")[3:5] == ["", ""])]
    crm = tmp_path / "crm.csv"
    crm.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, _ = run_main("export", str(SAMPLE), "--check", str(crm))
    assert code == 3
    said = out.replace("\xa0", " ")
    assert (
        "Rabattfreigabe in team Öffentlicher Sektor, as Senior: above 5 % up to 8 %: the "
        "file says Teamleitung Vertrieb, the playbook Account Executive" in said
    )
    assert (
        "Rabattfreigabe, as Senior: above 5 % up to 12 %: the file says Teamleitung "
        "Vertrieb, the playbook Account Executive" in said
    )
    text = crm.read_text("utf-8").replace(",,,1,", ",mars,,1,", 1)
    crm.write_text(text, "utf-8")
    code, out, err = run_main("export", str(SAMPLE), "--check", str(crm))
    assert code == 3 and "the playbook has no such team or level" in out, err


def test_import_quotes_what_yaml_would_read_as_another_value(tmp_path: Path) -> None:
    from sales_playbook.authoring.importer import _scalar

    assert [_scalar(v) for v in ("null", "No", "2024-01-01", "Freigabe im CRM", "vertrieb")] == [
        '"null"', '"No"', '"2024-01-01"', "Freigabe im CRM", "vertrieb",
    ]  # fmt: skip


def test_empty_trailing_header_cells_are_no_column_and_a_new_path_needs_a_unit(
    tmp_path: Path,
) -> None:
    source = starter(tmp_path)
    matrix = tmp_path / "m.csv"
    matrix.write_text("path,from,to,unit,role,,\nskonto,,,,vertrieb,,\n", "utf-8")
    code, out, _ = now("import", str(matrix), str(source), "--format", "json")
    assert code == 1
    assert [p["rule"] for p in json.loads(out) if p["severity"] == "error"] == ["matrix-unit"]
