"""What init, board and schemas write: only what playbook made is replaced, and no link
is written through. `board --out` replaces its own poster and `schemas --write DIR` its
own schemas, like `codeowners --output`; a contract saved as a PDF, a schema of one's
own, or a link stays as it was; `init --force` refuses a linked folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from sales_playbook.cli import main
from sales_playbook.resources import schema_dir

from ..conftest import SAMPLE, run_main


def board(out: Path) -> tuple[int, str]:
    code, _, err = run_main("board", str(SAMPLE), "--out", str(out))
    return code, err


def test_a_pdf_it_did_not_make_is_refused_and_kept(tmp_path: Path) -> None:
    contract = tmp_path / "contract.pdf"
    contract.write_bytes(b"%PDF-1.7\n% the signed contract\n")
    code, err = board(contract)
    assert code == 2
    assert "is a file `playbook board` did not make" in err
    assert contract.read_bytes() == b"%PDF-1.7\n% the signed contract\n"


def test_a_link_is_refused_and_its_target_kept(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.pdf"
    target.write_bytes(b"%PDF-1.7\n")
    link = tmp_path / "board.pdf"
    link.symlink_to(target)
    assert board(link)[0] == 2
    assert link.is_symlink() and target.read_bytes() == b"%PDF-1.7\n"


def test_its_own_poster_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "board.pdf"
    assert board(out)[0] == 0
    first = out.read_bytes()
    assert b"/Keywords(playbook-board)" in first
    out.write_bytes(first + b"\n% touched\n")
    assert board(out)[0] == 0
    assert out.read_bytes() == first


def test_schemas_write_replaces_only_schemas_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "schemas"
    folder.mkdir()
    mine = folder / "defs.schema.json"
    mine.write_text('{"title": "our own"}\n', "utf-8")
    code = main(["schemas", "--out", str(folder)])
    assert code == 2 and "not a schema `playbook schemas` wrote" in capsys.readouterr().err
    assert mine.read_text("utf-8") == '{"title": "our own"}\n'
    assert sorted(p.name for p in folder.iterdir()) == ["defs.schema.json"]  # nothing written
    mine.unlink()
    assert main(["schemas", "--out", str(folder)]) == 0
    assert main(["schemas", "--out", str(folder)]) == 0  # its own: replaced
    shipped = sorted(p.name for p in schema_dir().glob("*.schema.json"))
    assert sorted(p.name for p in folder.glob("*.schema.json")) == shipped


def test_init_force_writes_through_no_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target, elsewhere = tmp_path / "org", tmp_path / "elsewhere"
    target.mkdir()
    elsewhere.mkdir()
    (target / "schemas").symlink_to(elsewhere)
    assert main(["init", str(target), "--force"]) == 2
    assert "is a link: init writes through no link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in target.iterdir()) == ["schemas"]


def test_init_says_the_next_step_with_the_folder_quoted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "unser playbook; rm -rf ~"
    assert main(["init", str(target)]) == 0
    assert f"Next: cd '{target}' && playbook build" in capsys.readouterr().err
