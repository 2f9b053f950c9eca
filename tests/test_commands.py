"""Every command, against bad input: a message and an exit code, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from sales_playbook.commands import COMMANDS

from .conftest import TODAY, run_playbook
from .test_diff import committed, git

DAY = ["--today", TODAY.isoformat()]


playbook = run_playbook


def invocations(source: Path, out: Path) -> dict[str, list[str]]:
    """One call of each command on the playbook folder `source`."""
    return {
        "validate": ["validate", str(source), *DAY],
        "build": [
            "build",
            str(source),
            "--out",
            str(out / "site"),
            "--build-dir",
            str(out / "build"),
            *DAY,
        ],
        "cards": ["cards", str(source), "--out", str(out / "cards"), *DAY],
        "board": ["board", str(source), "--out", str(out / "board.pdf"), *DAY],
        "serve": ["serve", str(source), "--build-dir", str(out / "preview"), *DAY],
        "diff": ["diff", str(source), "--base-dir", str(source), *DAY],
        "export": ["export", str(source), "--out", str(out / "decisions.json"), *DAY],
        "ask": ["ask", "rabatt-freigabe", "12 %", str(source), *DAY],
        # reads no playbook: what `diff --format json` printed, and the reviews
        "approvals": [
            "approvals",
            "--diff",
            str(source / "diff.json"),
            "--reviews",
            str(source / "reviews.json"),
        ],
        "new": ["new", "non-negotiables", "neu", str(source), *DAY],
        # any readable file: the playbook is checked before the matrix is read as csv
        "import": ["import", str(source / "playbook.yml"), str(source), "--force", *DAY],
        "rename": ["rename", "keine-nebenabreden", "neu", str(source), *DAY],
        "review": ["review", str(source), *DAY],
        "codeowners": ["codeowners", str(source), *DAY],
        "init": ["init", str(source)],  # an existing folder that is not empty
        "schemas": ["schemas", "--out", str(source / "playbook.yml")],  # a file
    }


def test_every_command_is_covered(tmp_path: Path) -> None:
    assert set(invocations(tmp_path, tmp_path)) == {c.NAME for c in COMMANDS}


def assert_clean_failure(done: subprocess.CompletedProcess[str]) -> None:
    output = done.stdout + done.stderr
    assert done.returncode in (1, 2), output
    assert "Traceback" not in output
    assert done.stderr.strip(), "a failure says why on stderr"


@pytest.mark.parametrize("name", sorted(c.NAME for c in COMMANDS))
def test_invalid_playbook_fails_cleanly_and_writes_nothing(
    name: str, base_playbook: Path, tmp_path: Path
) -> None:
    (base_playbook / "non-negotiables" / "keine-nebenabreden.yml").write_text(
        "id: keine-nebenabreden\nownr: x\n", "utf-8"
    )
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    done = playbook(*invocations(base_playbook, tmp_path / "out")[name])
    assert_clean_failure(done)
    if name not in ("init", "schemas", "approvals"):  # these read no playbook
        assert done.returncode == 1
        assert "keine-nebenabreden.yml:2:1" in done.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("name", sorted(c.NAME for c in COMMANDS))
def test_missing_folder_fails_cleanly(name: str, tmp_path: Path) -> None:
    missing = tmp_path / "nirgends"
    args = invocations(missing, tmp_path / "out")[name]
    if name == "init":
        args = ["init", str(tmp_path / "datei" / "neu")]
        (tmp_path / "datei").write_text("a file, not a folder\n", "utf-8")
    if name == "schemas":
        args = ["schemas", "--out", str(tmp_path / "datei" / "schemas")]
        (tmp_path / "datei").write_text("a file, not a folder\n", "utf-8")
    done = playbook(*args)
    assert_clean_failure(done)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "revision", ["--output={target}", "-o{target}", "--remote=ssh://example.invalid/x", "-"]
)
def test_diff_never_hands_a_revision_to_git_as_an_option(
    revision: str, base_playbook: Path, tmp_path: Path
) -> None:
    source = committed(base_playbook, tmp_path / "repo", "v1")
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", "utf-8")
    done = playbook("diff", str(source), f"--base={revision.format(target=target)}")
    assert done.returncode == 2, done.stderr
    assert "must not start with `-`" in done.stderr
    assert "Traceback" not in done.stderr
    assert target.read_text("utf-8") == "keep me\n"


def test_diff_ignores_links_in_history(base_playbook: Path, tmp_path: Path) -> None:
    """A committed link to a file outside (even removed later) never blocks a diff."""
    repo = tmp_path / "repo"
    source = committed(base_playbook, repo, "v1")
    (source / "glossary-link.yml").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a link")
    (source / "glossary-link.yml").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "no link")
    done = playbook("diff", str(source), "--base", "HEAD~1", "--head", "HEAD", *DAY)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "warning[symlink]" in done.stderr  # left out, and said so
    assert "glossary-link.yml" in done.stderr


def test_a_commit_s_archive_unpacks_only_plain_files_and_folders(tmp_path: Path) -> None:
    """What a commit's archive holds is unpacked only as regular files and folders with
    plain relative names: a link, `..` and an absolute name are left out and named, and
    nothing lands outside the target (by our own check: Debian 12's Python 3.11.2 has no
    `extractall` filters)."""
    import io
    import tarfile

    from sales_playbook.history import git as history_git

    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:

        def add(name: str, data: bytes = b"x: 1\n", kind: bytes = tarfile.REGTYPE) -> None:
            member = tarfile.TarInfo(name)
            member.type = kind
            if kind == tarfile.SYMTYPE:
                member.linkname = "/etc/passwd"
                tar.addfile(member)
            elif kind == tarfile.DIRTYPE:
                tar.addfile(member)
            else:
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))

        add("playbook", kind=tarfile.DIRTYPE)
        add("playbook/glossary.yml", b"terms: []\n")
        add("playbook/../escaped.yml")
        add("/absolute.yml")
        add("playbook/link.yml", kind=tarfile.SYMTYPE)
    archive.seek(0)
    target = tmp_path / "target"
    target.mkdir()
    skipped: list[str] = []
    with tarfile.open(fileobj=archive) as tar:
        for member in tar:
            history_git._unpack(tar, member, target, skipped)
    made = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert made == ["target", "target/playbook", "target/playbook/glossary.yml"]
    assert (target / "playbook" / "glossary.yml").read_bytes() == b"terms: []\n"
    assert sorted(skipped) == ["/absolute.yml", "playbook/../escaped.yml", "playbook/link.yml"]


BLOCK_SITE_ENGINE = (
    "import sys\n"
    "for name in ('mkdocs', 'material', 'typst', 'nh3', 'segno'):\n"
    "    sys.modules[name] = None\n"
)


def test_core_install_validates_and_says_what_to_install_for_a_site(
    base_playbook: Path, tmp_path: Path
) -> None:
    """What the pre-commit hook installs (no MkDocs, no Typst) is enough to validate."""
    for args in (
        ["validate", str(base_playbook), *DAY],
        ["review", str(base_playbook), *DAY],
        ["codeowners", str(base_playbook), *DAY],
        ["new", "non-negotiables", "neu", str(base_playbook), *DAY],
    ):
        done = playbook(*args, python=BLOCK_SITE_ENGINE)
        assert done.returncode == 0, done.stderr
    work = tmp_path / "work"
    work.mkdir()
    for command in ("build", "cards", "board", "serve"):
        done = playbook(command, str(base_playbook), *DAY, python=BLOCK_SITE_ENGINE, cwd=work)
        assert done.returncode == 2
        assert "pip install 'sales-playbook[site]'" in done.stderr
        assert "Traceback" not in done.stderr
    assert list(work.iterdir()) == []
