"""Links in text fields: validation refuses those that lead nowhere, and what MkDocs says
about a generated page is reported at the source file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from sales_playbook.commands import build as commands_build
from sales_playbook.errors import PlaybookError
from sales_playbook.site import render
from sales_playbook.source import check, links
from sales_playbook.source.load import load_playbook

from .conftest import TODAY, run_cli, tree_digest


def set_why(playbook: Path, why: str) -> Path:
    path = playbook / "non-negotiables" / "preisregel.yml"
    text = path.read_text("utf-8").replace("why: Marge.", f"why: {why}")
    path.write_text(text, "utf-8")
    return path


def line_of(path: Path, start: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.lstrip().startswith(start))


def failed_build(playbook: Path) -> list:
    out = playbook.parent
    with pytest.raises(PlaybookError) as raised:
        commands_build.build(playbook, out / "site", out / "build", TODAY, history=False)
    return list(raised.value.problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[a](https://example.org/x) [b](mailto:a@example.org) [c](#oben)", []),
        ("[Handbuch](handbuch)", ["handbuch"]),
        ("![Bild](bilder/x.png 'Titel')", ["bilder/x.png"]),
        ("[a](<mit leerzeichen.md>) und [b](/absolut.md)", ["mit leerzeichen.md", "/absolut.md"]),
        ("[a [b] c](ziel(1)) ", ["ziel(1)"]),
        ("`[Code](kein-link)` und ``[auch](nicht)``", []),
        ("Text\n[ref]: handbuch.md\n", ["handbuch.md"]),
        (r"\[kein](link)", []),
        ("[leer]()", [""]),
        ("[js](javascript:alert(1))", ["javascript:alert(1)"]),
    ],
)
def test_links_that_lead_nowhere(text: str, expected: list[str]) -> None:
    assert [t for t in links.targets(text) if not links.allowed(t)] == expected


def test_build_reports_a_relative_link_at_its_source(base_playbook: Path) -> None:
    path = set_why(base_playbook, "Mehr im [Handbuch](handbuch).")
    (problem,) = failed_build(base_playbook)
    where = (path.resolve(), line_of(path, "why:"), 25)
    assert (Path(problem.file).resolve(), problem.line, problem.column) == where
    assert problem.rule == "broken-link"
    assert "https://" in problem.hint and "related" in problem.hint
    # validation reports the very same problem
    with pytest.raises(PlaybookError) as raised:
        check.check(base_playbook, TODAY)
    assert list(raised.value.problems) == [problem]


def test_mkdocs_warning_about_a_page_points_at_the_entry(base_playbook: Path) -> None:
    # an anchor passes validation (it may exist), but the generated page has no such heading
    path = set_why(base_playbook, "Siehe [unten](#gibt-es-nicht).")
    (problem,) = failed_build(base_playbook)
    assert Path(problem.file).resolve() == path.resolve()
    assert (problem.line, problem.column, problem.end_column) == (line_of(path, "why:"), 20, 34)
    assert problem.rule == "broken-link"
    assert problem.json_path == "$.why"
    assert "`#gibt-es-nicht`" in problem.message
    assert "non-negotiables/preisregel.md" in problem.message
    assert "please report" not in problem.hint


def test_text_shown_on_other_pages_is_found_in_its_file(base_playbook: Path) -> None:
    glossary = base_playbook / "glossary.yml"
    text = glossary.read_text("utf-8")
    glossary.write_text(
        text.replace("Listenpreis.", "Listenpreis, siehe [Staffel](#staffel)."), "utf-8"
    )
    problems = failed_build(base_playbook)
    assert problems
    assert {(Path(p.file).resolve(), p.line, p.rule) for p in problems} == {
        (glossary.resolve(), line_of(glossary, "definition:"), "broken-link")
    }


def test_a_failed_build_writes_nothing(base_playbook: Path) -> None:
    out = base_playbook.parent
    path = set_why(base_playbook, "Siehe [unten](#gibt-es-nicht).")
    code, err = run_cli(
        "build", str(base_playbook), "--out", str(out / "new" / "site"), "--build-dir",
        str(out / "build"),
    )  # fmt: skip
    assert code == 1
    assert f"preisregel.yml:{line_of(path, 'why:')}:20" in err
    assert "nothing was written." in err
    assert sorted(p.name for p in out.iterdir()) == ["playbook"]


def test_a_failed_build_keeps_the_previous_project_and_site(base_playbook: Path) -> None:
    out = base_playbook.parent
    commands_build.build(base_playbook, out / "site", out / "build", TODAY)
    before = tree_digest(out / "site"), tree_digest(out / "build")
    set_why(base_playbook, "Siehe [unten](#gibt-es-nicht).")
    failed_build(base_playbook)
    assert (tree_digest(out / "site"), tree_digest(out / "build")) == before
    assert sorted(p.name for p in out.iterdir()) == ["build", "playbook", "site"]


def test_a_warning_naming_no_link_stays_generic(base_playbook: Path) -> None:
    sources = load_playbook(base_playbook).sources
    problems = links.explain(
        ["Doc file 'index.md' contains a link 'nirgends.md', but the target is not found."],
        {},
        sources,
        "build/mkdocs.yml",
    )
    assert [(p.file, p.line, p.rule) for p in problems] == [("build/mkdocs.yml", 1, "mkdocs")]
    assert "nirgends.md" in problems[0].message


def test_a_warning_is_looked_for_in_the_pages_own_entry_first(base_playbook: Path) -> None:
    set_why(base_playbook, "Siehe [unten](#details).")
    zone = base_playbook / "flexible-zones" / "ansprache.yml"
    zone.write_text(
        zone.read_text("utf-8").replace("selbst.", "selbst, siehe [unten](#details)."), "utf-8"
    )
    sources = load_playbook(base_playbook).sources
    model = check.check(base_playbook, TODAY).model
    message = "Doc file 'flexible-zones/ansprache.md' contains a link '#details', but there is no"
    problems = links.explain([message], render.page_files(model), sources, "x")
    assert [Path(p.file).name for p in problems] == ["ansprache.yml"]
