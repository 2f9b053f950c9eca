"""Generated command lines: no command destroys or changes a file that existed before."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales_playbook.cli import main

from ..conftest import CASES, TODAY, tree_digest
from ..test_diff import git

PATHS = st.sampled_from(
    [".", "..", "../..", "/", "playbook", "playbook/x", "site", "out", "../outside",
     "../outside/neu", "../outside/canary.txt", "README.md", "docs", "-", "--x", "ä ö",
     "a" * 300, "nirgends/tief", "playbook/../playbook", "./site/../.."]
)  # fmt: skip
REVISIONS = st.sampled_from(
    ["HEAD", "HEAD~1", "--output=../outside/canary.txt", "-o../outside/canary.txt",
     "--remote=ssh://example.invalid/x", "-", "@{-1}", "HEAD:playbook", "..", "$(touch x)",
     "playbook", "nirgends"]
)  # fmt: skip
IDS = st.sampled_from(["neu", "a" * 300, "../x", "-x", "index", "con", "Neu X", "", "x" * 65])
KINDS = st.sampled_from(["non-negotiables", "escalation_path", "regeln", "../x", ""])
DAY = ["--today", TODAY.isoformat()]

COMMAND_LINES = st.one_of(
    st.tuples(st.just("validate"), PATHS).map(lambda t: [*t, *DAY]),
    st.tuples(PATHS, PATHS).map(
        lambda t: ["build", "playbook", "--out", t[0], "--build-dir", t[1], "--no-history"]
    ),
    PATHS.map(lambda p: ["cards", "playbook", "--out", p, "--size", "A7", *DAY]),
    st.tuples(REVISIONS, PATHS).map(lambda t: ["diff", t[1], f"--base={t[0]}", *DAY]),
    st.tuples(KINDS, IDS, PATHS).map(lambda t: ["new", t[0], t[1], t[2], *DAY]),
    PATHS.map(lambda p: ["review", p, "--format", "github", *DAY]),
    PATHS.map(lambda p: ["codeowners", "playbook", "--out", p, *DAY]),
    st.tuples(PATHS, st.booleans()).map(lambda t: ["init", t[0], *(["--force"] if t[1] else [])]),
    PATHS.map(lambda p: ["schemas", "--out", p]),
)


@contextlib.contextmanager
def sandbox() -> Iterator[Path]:
    """tmp/outside (someone's files) and tmp/sandbox/repo (a playbook in git): the cwd."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "outside").mkdir()
        (root / "outside" / "canary.txt").write_text("keep me\n", "utf-8")
        (root / "outside" / "CODEOWNERS").write_text("* @someone\n", "utf-8")
        repo = root / "sandbox" / "repo"
        shutil.copytree(CASES / "base", repo / "playbook")
        (repo / "README.md").write_text("unser Playbook\n", "utf-8")
        (repo / "docs").mkdir()
        (repo / "docs" / "handbuch.md").write_text("von Hand\n", "utf-8")
        git(repo, "init", "-q")
        git(repo, "add", ".")
        git(repo, "commit", "-qm", "v1")
        here = Path.cwd()
        os.chdir(repo)
        try:
            yield root
        finally:
            os.chdir(here)


@settings(
    max_examples=int(os.environ.get("SANDBOX_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=False,
)
@given(args=COMMAND_LINES)
def test_no_command_line_changes_a_file_that_existed(args: list[str]) -> None:
    with sandbox() as root:
        before = {k: v for k, v in tree_digest(root).items() if "/.git/" not in f"/{k}"}
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as exit:  # argparse refusing the command line
                code = exit.code if isinstance(exit.code, int) else 2
        assert code in (0, 1, 2), (args, err.getvalue())
        after = tree_digest(root)
        changed = [k for k, v in before.items() if after.get(k) != v]
        assert changed == [], (args, err.getvalue())
