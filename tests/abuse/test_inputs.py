"""Every input handled, none trusted: links, pipes, huge numbers, control characters."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from ..conftest import run_main, run_playbook

ESC = "\x1b"


def validate(folder: Path) -> subprocess.CompletedProcess[str]:
    return run_playbook("validate", str(folder), timeout=60)


def entry(base: Path) -> Path:
    return base / "non-negotiables" / "preisregel.yml"


def test_a_link_is_an_error_and_its_target_is_never_read(base_playbook: Path) -> None:
    secret = base_playbook.parent / "secret.yml"
    secret.write_text("API_KEY: hunter2\n", "utf-8")
    (base_playbook / "non-negotiables" / "geheim.yml").symlink_to(secret)
    (base_playbook / "qualification" / "linked").symlink_to(base_playbook.parent)
    done = validate(base_playbook)
    assert done.returncode == 1
    assert "error[symlink]" in done.stderr
    assert "geheim.yml" in done.stderr
    assert "qualification/linked" in done.stderr
    assert "hunter2" not in done.stderr + done.stdout


def test_a_pipe_named_like_an_entry_is_an_error_not_a_hang(base_playbook: Path) -> None:
    os.mkfifo(base_playbook / "non-negotiables" / "x.yml")
    done = validate(base_playbook)  # the timeout fails the test if it hangs
    assert done.returncode == 1
    assert "error[not-a-file]" in done.stderr


def test_deep_brackets_are_a_problem_not_a_crash(base_playbook: Path) -> None:
    entry(base_playbook).write_text("id: x\nrule: " + "[" * 50_000 + "\n", "utf-8")
    done = validate(base_playbook)
    assert done.returncode == 1, done.returncode
    assert "error[too-deep]" in done.stderr
    assert "preisregel.yml:2:" in done.stderr


def test_huge_numbers_are_reported_where_they_stand(base_playbook: Path) -> None:
    rabatt = base_playbook / "escalation-paths" / "rabatt.yml"
    text = rabatt.read_text("utf-8")
    rabatt.write_text(text.replace("up_to: 10\n", "up_to: 1e309\n", 1), "utf-8")
    path = base_playbook / "underperformance" / "schwaeche.yml"
    path.write_text(path.read_text("utf-8") + "extra: " + "9" * 5000 + "\n", "utf-8")
    code, _, err = run_main("validate", str(base_playbook))
    assert code == 1
    assert err.count("error[bad-number]") == 2
    assert "rabatt.yml:" in err
    assert "Traceback" not in err


def test_a_nul_byte_is_reported_on_its_own_line(base_playbook: Path) -> None:
    entry(base_playbook).write_text("id: x\ntitle: a\nsummary: b\x00c\n", "utf-8")
    code, _, err = run_main("validate", str(base_playbook))
    assert code == 1
    assert "preisregel.yml:3:11" in err
    assert "error[bad-character]" in err


def test_control_characters_are_removed_with_a_warning_and_never_printed_raw(
    base_playbook: Path,
) -> None:
    path = entry(base_playbook)
    text = path.read_text("utf-8").replace("title: Preisregel", 'title: "\\e[31mPreisregel\\e[0m"')
    path.write_text(text + '"own\\e[2Jr": x\n', "utf-8")
    code, out, err = run_main("validate", str(base_playbook))
    assert code == 1  # the unknown key
    assert "warning[control-character]" in err
    assert "U+001B" in err
    assert ESC not in err + out
    assert "\\x1b" in err  # made visible in the excerpt and the message


def test_many_problems_are_counted_past_the_first_two_hundred(base_playbook: Path) -> None:
    path = entry(base_playbook)
    path.write_text(
        path.read_text("utf-8") + "".join(f"unbekannt{i}: x\n" for i in range(250)), "utf-8"
    )
    code, _, err = run_main("validate", str(base_playbook))
    assert code == 1
    assert "… and 50 more" in err


def test_an_overlong_id_for_a_new_entry_is_refused(base_playbook: Path) -> None:
    code, _, err = run_main("new", "non-negotiables", "a" * 300, str(base_playbook))
    assert code == 2
    assert "2 to 64" in err


def test_an_absurd_review_interval_is_a_problem(base_playbook: Path) -> None:
    path = base_playbook / "playbook.yml"
    path.write_text(
        path.read_text("utf-8").replace(
            "review_interval_months: 12", "review_interval_months: 100000"
        ),
        "utf-8",
    )
    code, _, err = run_main("validate", str(base_playbook))
    assert code == 1
    assert "playbook.yml:" in err


def test_a_raw_escape_byte_is_refused_and_shown_escaped(base_playbook: Path) -> None:
    entry(base_playbook).write_text(f"id: x\ntitle: {ESC}[2Jweg\n", "utf-8")
    code, out, err = run_main("validate", str(base_playbook))
    assert code == 1
    assert "preisregel.yml:2:8" in err
    assert ESC not in err + out


def test_unusual_line_separators_keep_editor_positions(base_playbook: Path) -> None:
    entry(base_playbook).write_text("id: x\ntitle: a\u2028b\nsummary: c\x85d\nownr: e\n", "utf-8")
    code, _, err = run_main("validate", str(base_playbook))
    assert code == 1
    assert "preisregel.yml:4:1" in err  # the unknown key, on the line an editor shows
    assert "warning[control-character]" in err


def test_an_unreadable_file_is_reported_once(
    base_playbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(As root, permissions can't make a file unreadable: the read is made to fail.)"""
    target = entry(base_playbook)
    read = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    code, _, err = run_main("validate", str(base_playbook))
    assert code == 1
    assert err.count("error[unreadable]") == 1
    assert "preisregel.yml" in err
    assert "unknown-reference" not in err  # no cascade from the entry that couldn't be read
