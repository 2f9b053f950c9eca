"""The `playbook` command: exit codes and what a person reads."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE, TODAY, run_cli, run_main, tree_digest


def test_sample_playbook_validates_through_the_console_script() -> None:
    script = Path(sys.executable).parent / "playbook"
    done = subprocess.run(
        [str(script), "validate", str(SAMPLE), "--strict", "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "21 entries, 0 warning(s)" in done.stderr


BREAKAGES = {
    "typo-key": (
        "non-negotiables/preisregel.yml",
        ("owner: lead", "ownr: lead"),
        ["error[unknown-key]: unknown key `ownr`", "preisregel.yml:5:1", "`owner`"],
    ),
    "wrong-type": (
        "escalation-paths/rabatt.yml",
        ("response_time_hours: 24", "response_time_hours: ein Tag"),
        [
            'error[wrong-type]: expected integer, found string "ein Tag"',
            "rabatt.yml:19:26",
            "help: write the number in digits",
        ],
    ),
    "duplicate-key": (
        "flexible-zones/ansprache.yml",
        ("title: Ansprache", "title: Ansprache\ntitle: Anrede"),
        [
            "error[duplicate-key]: duplicate key `title` (first defined on line 3)",
            "ansprache.yml:4:1",
        ],
    ),
    "dangling-role": (
        "qualification/lead.yml",
        ("owner: lead", "owner: vertriebsleitung"),
        [
            "error[unknown-reference]: unknown role `vertriebsleitung`",
            "lead.yml:5:8",
            "known roles",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_bad_input_is_explained_and_writes_nothing(name: str, base_playbook: Path) -> None:
    file, (old, new), expected = BREAKAGES[name]
    path = base_playbook / file
    text = path.read_text("utf-8")
    assert old in text
    site, build = base_playbook.parent / "site", base_playbook.parent / "build"
    code, _ = run_cli("build", str(base_playbook), "--out", str(site), "--build-dir", str(build))
    assert code == 0
    before = tree_digest(site)

    path.write_text(text.replace(old, new, 1), "utf-8")
    code, err = run_cli("build", str(base_playbook), "--out", str(site), "--build-dir", str(build))

    assert code == 1
    for fragment in expected:
        assert fragment in err
    assert "nothing was written." in err
    assert tree_digest(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["build", "playbook", "site"]


def test_all_problems_in_all_files_are_reported_at_once(base_playbook: Path) -> None:
    for file, (old, new), _ in BREAKAGES.values():
        path = base_playbook / file
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    code, err = run_cli("validate", str(base_playbook))
    assert code == 1
    # the typo'd key is also a missing key: 5 problems from 4 breakages
    assert "5 error(s), 0 warning(s)" in err
    rules = ["unknown-key", "wrong-type", "duplicate-key", "unknown-reference"]
    assert all(f"error[{rule}]" in err for rule in rules)


def test_error_shows_the_source_line_with_a_caret(base_playbook: Path) -> None:
    path = base_playbook / "non-negotiables/preisregel.yml"
    path.write_text(path.read_text("utf-8").replace("area: pricing", "area: pricng"), "utf-8")
    code, err = run_cli("validate", str(base_playbook))
    assert code == 1
    assert "7 | area: pricng\n  |       ^^^^^^\n  = help: did you mean `pricing`?" in err


def test_overdue_review_warns_and_strict_fails(base_playbook: Path) -> None:
    code, err = run_cli("validate", str(base_playbook))
    assert (code, err.count("warning[")) == (0, 0)
    later = dt.date(2027, 6, 1)
    code, err = run_cli("validate", str(base_playbook), today=later)
    assert code == 0
    assert "warning[stale-review]: review overdue since 2027-01-15 (every 12 months)" in err
    code, err = run_cli("validate", str(base_playbook), "--strict", today=later)
    assert code == 1


def test_missing_playbook_folder_is_a_clear_error(tmp_path: Path) -> None:
    code, err = run_cli("validate", str(tmp_path))
    assert code == 1
    assert "error[missing-file]: no playbook.yml in this folder" in err


def test_usage_error_exits_2() -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "sales_playbook.cli", "validate", "--today", "gestern"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "not a date" in done.stderr


def _stdout_of(*args: str) -> tuple[int, str]:
    code, out, _ = run_main(*args)
    return code, out


def test_github_format_annotates_with_escaped_messages(base_playbook: Path) -> None:
    path = base_playbook / "non-negotiables/preisregel.yml"
    path.write_text(path.read_text("utf-8").replace("area: pricing", "area: pricng"), "utf-8")
    code, out = _stdout_of("validate", str(base_playbook), "--format", "github")
    assert code == 1
    [line] = out.splitlines()
    assert line.startswith("::error file=")
    assert ",line=7,col=7,endColumn=13,title=bad-value::" in line
    assert line.endswith('::string "pricng" is not an allowed value%0Adid you mean `pricing`?')


def test_github_escapes_percent_and_line_breaks() -> None:
    from sales_playbook.errors import Problem
    from sales_playbook.report import format_github

    problem = Problem("a,b:c.yml", 2, 3, "bad-value", "100% sicher\r\nzwei", "")
    assert format_github([problem]) == (
        "::error file=a%2Cb%3Ac.yml,line=2,col=3,title=bad-value::100%25 sicher%0D%0Azwei"
    )


def test_an_error_is_shown_even_after_more_warnings_than_are_printed() -> None:
    """A large playbook can warn hundreds of times (onboarding coverage): the error that
    stopped the build is printed, not counted among "… and N more"."""
    from sales_playbook.errors import Problem
    from sales_playbook.report import MAX_SHOWN, format_text

    warnings = [
        Problem(f"w{i}.yml", 1, 1, "coverage", f"warning {i}", "", "warning")
        for i in range(MAX_SHOWN + 5)
    ]
    error = Problem("broken.yml", 3, 7, "broken-link", "links to nirgends.md", "")
    shown = format_text([*warnings, error])
    assert "broken.yml:3:7" in shown and "links to nirgends.md" in shown
    assert "… and 6 more" in shown and shown.endswith("1 error(s), 205 warning(s)")
    assert shown.index("links to nirgends.md") < shown.index("warning 0")


def test_json_format_lists_problems_for_tools(base_playbook: Path) -> None:
    import json

    code, out = _stdout_of("validate", str(base_playbook), "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    (base_playbook / "flexible-zones/ansprache.yml").write_text("id: [\n", "utf-8")
    code, out = _stdout_of("validate", str(base_playbook), "--format", "json")
    [problem] = json.loads(out)
    assert code == 1
    assert problem["rule"] == "yaml-syntax"
    assert problem["file"].endswith("flexible-zones/ansprache.yml")
    assert (problem["line"], problem["severity"]) == (2, "error")


def test_every_option_with_a_default_names_it_in_its_help() -> None:
    import argparse

    from sales_playbook.cli import HelpWithDefaults
    from sales_playbook.commands import COMMANDS

    missing = []
    for command in COMMANDS:
        parser = argparse.ArgumentParser(formatter_class=HelpWithDefaults)
        command.add_arguments(parser)
        text = " ".join(parser.format_help().split())
        for action in parser._actions:  # argparse has no public list of its options
            nothing = (None, False, argparse.SUPPRESS, "", [], ())  # no default worth saying
            if action.option_strings and action.default not in nothing:
                shown = str(action.default)
                if f"default: {shown}" not in text and "default" not in (action.help or ""):
                    missing.append(f"{command.NAME} {action.option_strings[0]}")
    assert missing == []


def test_a_review_date_whose_next_review_is_past_the_year_9999_is_an_error(
    base_playbook: Path,
) -> None:
    path = base_playbook / "non-negotiables" / "preisregel.yml"
    text = re.sub(r"last_reviewed: \S+", "last_reviewed: 9999-12-31", path.read_text("utf-8"))
    path.write_text(text, "utf-8")
    code, err = run_cli("validate", str(base_playbook), today=dt.date(9999, 12, 31))
    assert code == 1 and "Traceback" not in err
    assert "error[bad-value]: the next review" in err and "after the year 9999" in err
