"""The approval gate `playbook init` writes (.github/workflows/approval.yml), run as GitHub
would run its steps, against a real repository and a stand-in `gh` that serves the pull
request's reviews and the teams' members: a loosening waits until the role the policy
names has approved it, whoever sent the pull request."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sales_playbook.authoring import starter

from .conftest import SAMPLE
from .test_workflow import actionlint

PR = "7"
TEAM = "@nordlicht/sales-leadership"  # the sample's Vertriebsleitung, which owns the discount path

FAKE_GH = """
import json, os, subprocess, sys
state = json.load(open(os.environ["FAKE_GH_STATE"], encoding="utf-8"))
assert os.environ.get("GH_TOKEN"), "gh needs the token"
args = sys.argv[1:]
assert args[0] == "api" and "--paginate" in args, args
endpoint = next(a for a in args[1:] if not a.startswith("-") and a not in (".[]", ".[].login"))
jq = args[args.index("--jq") + 1]
if endpoint == f"repos/org/playbook/pulls/{os.environ['PR']}/reviews":
    data = state["reviews"]
elif endpoint.startswith("orgs/") and endpoint.endswith("/members"):
    team = "@" + endpoint.split("/")[1] + "/" + endpoint.split("/")[3]
    if team not in state["members"]:
        sys.exit("HTTP 404: Not Found")
    data = [{"login": m} for m in state["members"][team]]
else:
    sys.exit(f"unexpected endpoint {endpoint}")
# as gh prints --jq results: strings raw, everything else as JSON
out = subprocess.run(["jq", "-r", "-c", jq], input=json.dumps(data), capture_output=True,
                     text=True, check=True).stdout
sys.stdout.write(out)
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


@pytest.fixture(scope="module")
def workflow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    org = tmp_path_factory.mktemp("org") / "org"
    starter.init_project(org)
    data: dict[Any, Any] = yaml.safe_load((org / ".github/workflows/approval.yml").read_text())
    data["on"] = data.pop(True)
    return data


def step(workflow: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in workflow["jobs"]["policy"]["steps"] if s.get("name") == name)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """`origin` with the sample on main, and a fork's pull request (refs/pull/7/head) that
    lets certified reps give 11 % instead of 10 %; the job's checkout of the base."""
    root = tmp_path_factory.mktemp("gate")
    work = root / "work"
    shutil.copytree(SAMPLE, work / "playbook")
    git(work.parent, "init", "-q", "-b", "main", str(work))
    git(work, "add", ".")
    git(work, "commit", "-qm", "Playbook")
    base = git(work, "rev-parse", "HEAD")
    git(root, "clone", "-q", "--bare", str(work), str(root / "origin.git"))
    fork = root / "fork"
    git(root, "clone", "-q", str(root / "origin.git"), str(fork))
    discount = fork / "playbook" / "escalation-paths" / "rabatt-freigabe.yml"
    text = re.sub(r"examples:\n(  - .*\n)+", "", discount.read_text("utf-8"))
    discount.write_text(text.replace("zertifiziert: 10,", "zertifiziert: 11,"), "utf-8")
    git(fork, "commit", "-qam", "Mehr Rabatt für Zertifizierte")
    git(fork, "push", "-q", str(root / "origin.git"), f"HEAD:refs/pull/{PR}/head")
    job = root / "job"
    git(root, "clone", "-q", str(root / "origin.git"), str(job))
    git(job, "checkout", "-q", base)
    return job, base, git(fork, "rev-parse", "HEAD")


def run_gate(
    workflow: dict[str, Any],
    checkout: tuple[Path, str, str],
    tmp_path: Path,
    reviews: list[dict[str, Any]],
    members: dict[str, list[str]],
    author: str = "contributor",
) -> subprocess.CompletedProcess[str]:
    job, base, head = checkout
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "gh").write_text(f"#!{sys.executable}\n{FAKE_GH}")
    (tools / "playbook").write_text(f'#!/bin/sh\nexec {sys.executable} -m sales_playbook "$@"\n')
    for tool in tools.iterdir():
        tool.chmod(0o755)
    state = tmp_path / "state.json"
    reviews = [
        {**r, "commit_id": head if r["commit_id"] == HEAD else r["commit_id"]} for r in reviews
    ]
    state.write_text(json.dumps({"reviews": reviews, "members": members}))
    env = {
        **os.environ,
        "PATH": f"{tools}:{os.environ['PATH']}",
        "FAKE_GH_STATE": str(state),
        "GH_TOKEN": "token",
        "REPO": "org/playbook",
        "PR": PR,
        "BASE_SHA": base,
        "HEAD_SHA": head,
        "AUTHOR": author,
        "NO_MKDOCS_2_WARNING": "1",
    }
    done = None
    for name in ("The pull request's files, as data", "Approvals the policy requires"):
        script = tmp_path / "step.sh"
        script.write_text(step(workflow, name)["run"])
        # as GitHub runs a step: `shell: bash` is bash --noprofile --norc -eo pipefail {0},
        # no `shell` is bash -e {0}
        shell = step(workflow, name).get("shell")
        flags = ["-eo", "pipefail"] if shell == "bash" else ["-e"]
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", *flags, str(script)],
            cwd=job, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        if done.returncode:
            break
    assert done is not None
    return done


HEAD = "the pull request's head"  # replaced by its commit id in `run_gate`


def review(login: str, state: str, at: str, commit: str = HEAD) -> dict[str, Any]:
    return {"user": {"login": login}, "state": state, "submitted_at": at, "commit_id": commit}


APPROVED = review("lea", "APPROVED", "2026-12-01T10:00:00Z")


@pytest.mark.parametrize(
    ("reviews", "author", "passes"),
    [
        ([], "contributor", False),
        ([review("bob", "APPROVED", "2026-12-01T10:00:00Z")], "contributor", False),
        ([review("lea", "COMMENTED", "2026-12-01T09:00:00Z"), APPROVED], "contributor", True),
        ([APPROVED, review("lea", "DISMISSED", "2026-12-01T11:00:00Z")], "contributor", False),
        ([APPROVED, review("lea", "CHANGES_REQUESTED", "2026-12-01T12:00:00Z")], "c", False),
        ([APPROVED], "lea", False),  # nobody approves their own loosening
        # approved while the pull request was harmless; the loosening was pushed after
        ([review("lea", "APPROVED", "2026-12-01T10:00:00Z", "0" * 40)], "c", False),
    ],
    ids=["no review", "wrong person", "approved", "dismissed", "changes requested", "own", "stale"],
)
def test_a_loosening_waits_for_the_roles_approval(
    workflow: dict[str, Any],
    checkout: tuple[Path, str, str],
    tmp_path: Path,
    reviews: list[dict[str, Any]],
    author: str,
    passes: bool,
) -> None:
    done = run_gate(workflow, checkout, tmp_path, reviews, {TEAM: ["lea", "max"]}, author)
    assert "Traceback" not in done.stderr
    assert done.returncode == (0 if passes else 3), done.stderr
    if passes:
        assert "approved: Rabattfreigabe (loosening) by @lea for Vertriebsleitung" in done.stdout
    else:
        assert f"waiting: Rabattfreigabe (loosening) needs an approving review by " \
               f"Vertriebsleitung ({TEAM})" in done.stdout  # fmt: skip
        assert "::error file=playbook/escalation-paths/rabatt-freigabe.yml" in done.stdout


def test_team_members_it_cannot_read_say_what_token_is_missing(
    workflow: dict[str, Any], checkout: tuple[Path, str, str], tmp_path: Path
) -> None:
    done = run_gate(workflow, checkout, tmp_path, [APPROVED], {})
    assert done.returncode == 3
    assert "PLAYBOOK_GATE_TOKEN" in done.stdout


def test_forks_are_gated_from_the_base_branch_and_nothing_of_theirs_runs(
    workflow: dict[str, Any], checkout: tuple[Path, str, str], tmp_path: Path
) -> None:
    """A fork's pull request (its head in another repository) gets the same check: the
    job runs on pull_request_target, from the base commit, with read-only permissions."""
    assert set(workflow["on"]) == {"pull_request_target", "pull_request_review"}
    job = workflow["jobs"]["policy"]
    assert "if" not in job  # no event or fork is left out
    assert job["permissions"] == {"contents": "read", "pull-requests": "read"}
    [checkout_step] = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout")]
    assert checkout_step["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    runs = " ".join(s.get("run", "") for s in job["steps"])
    assert "pip install -r requirements.txt" in runs  # the base branch's pin
    assert "refs/playbook/head" in runs and "checkout" not in runs  # fetched, never checked out
    assert step(workflow, "Approvals the policy requires")["shell"] == "bash"  # pipefail
    done = run_gate(workflow, checkout, tmp_path, [APPROVED], {TEAM: ["lea"]}, "outsider")
    assert done.returncode == 0, done.stderr


def test_the_gate_workflow_passes_actionlint(workflow: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "approval.yml"
    org = tmp_path / "org"
    starter.init_project(org)
    shutil.copy(org / ".github/workflows/approval.yml", path)
    assert actionlint(path) == {str(path): []}


def test_the_gate_reads_user_handles_and_any_approval() -> None:
    from sales_playbook.changes.approvals import gate

    changes = [
        {"title": "A", "file": "a.yml", "approval": "loosening", "needs_approval": True,
         "owner": "Lead", "handles": ["@Lea"]},
        {"title": "B", "file": "b.yml", "approval": "wording", "needs_approval": True,
         "owner": "Lead", "handles": ["@lea"]},
        {"title": "C", "file": "c.yml", "approval": "tightening", "needs_approval": False,
         "owner": "Lead", "handles": ["@lea"]},
    ]  # fmt: skip
    approved = [review("LEA", "APPROVED", "2026-12-01T10:00:00Z")]
    assert [(w.title, w.approved_by) for w in gate(changes, approved, {})] == [("A", "lea")]
    waiting = gate(changes, [], {}, fail_on="any-approval")
    assert [(w.title, w.approved_by) for w in waiting] == [("A", ""), ("B", "")]
    assert gate([{**changes[0], "handles": []}], approved, {})[0].approved_by == ""
    team = [{**changes[0], "handles": ["@org/team"]}]
    for members in ({"@org/team": None}, {"@org/team": 5}, {"@org/team": "lea"}):
        [waiting] = gate(team, approved, members)  # not a list of logins: not read
        assert (waiting.approved_by, waiting.unknown_teams) == ("", ("@org/team",))
    stale = [review("lea", "APPROVED", "2026-12-01T10:00:00Z", "abc")]
    assert gate(changes, stale, {}, head_sha="def")[0].approved_by == ""
    assert gate(changes, stale, {}, head_sha="abc")[0].approved_by == "lea"
