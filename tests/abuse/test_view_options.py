"""`--team` and `--level` name one view: an empty or repeated one is a usage error, never
silently the organisation's view or the last of two."""

from __future__ import annotations

from pathlib import Path

import pytest

from sales_playbook.cli import main

from ..conftest import SAMPLE, run_main


@pytest.mark.parametrize(
    ("command", "options", "said"),
    [
        ("build", ["--team", ""], "argument --team: must not be empty"),
        ("build", ["--team=oeffentlicher-sektor", "--team=x"], "--team is given twice"),
        ("cards", ["--team", " "], "argument --team: must not be empty"),
        ("cards", ["--level", ""], "argument --level: must not be empty"),
        ("cards", ["--level", "senior", "--level", "einsteiger"], "--level is given twice"),
    ],
)
def test_an_empty_or_repeated_view_is_a_usage_error_and_writes_nothing(
    tmp_path: Path, command: str, options: list[str], said: str
) -> None:
    out = ["--out", str(tmp_path / "cards")] if command == "cards" else [
        "--out", str(tmp_path / "site"), "--build-dir", str(tmp_path / "build"),
    ]  # fmt: skip
    with pytest.raises(SystemExit) as stopped:
        run_main(command, str(SAMPLE), *options, *out)
    assert stopped.value.code == 2
    assert list(tmp_path.iterdir()) == []


def test_the_usage_error_says_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["cards", str(SAMPLE), "--level", "senior", "--level", "einsteiger",
              "--out", str(tmp_path / "c")])  # fmt: skip
    assert "playbook cards: error: --level is given twice: give it once" in capsys.readouterr().err
