"""Owners for every file, and reminders that reach them (issue 14, parts 3 and 6).

`owners:` in playbook.yml, `playbook codeowners` (all files, itself, --strict, --check),
handles that GitHub or GitLab accept, the diff's approver of shared files, `playbook
review` with handles, and the CI step that keeps one review issue per owner.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from sales_playbook.authoring import starter
from sales_playbook.authoring.codeowners import BEGIN, END
from sales_playbook.changes.compare import compare
from sales_playbook.model.playbook import Playbook
from sales_playbook.source import check as pipeline

from .conftest import SAMPLE, TODAY, run_main
from .test_diff import git
from .test_hooks import new_org, pre_commit, run
from .test_hooks import tool as tool  # a fixture: this repository's HEAD as pre-commit gets it
from .test_workflow import org as org  # a fixture the workflow fixture uses
from .test_workflow import run_step
from .test_workflow import workflow as workflow  # a fixture


@cache
def sample() -> Playbook:
    return pipeline.check(SAMPLE, TODAY).model


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


# --- playbook codeowners ---------------------------------------------------------------


def test_codeowners_covers_the_shared_files_new_files_and_itself() -> None:
    code, out, err = run_main("codeowners", str(SAMPLE))
    assert code == 0, err
    assert err == ""  # every owner in the sample has handles
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    # the first line catches new files (an entry added by a pull request); later lines win
    assert lines[0] == "/playbook/ @nordlicht/sales-leadership"
    assert "/playbook/playbook.yml @nordlicht/sales-leadership" in lines  # owners.playbook
    assert "/playbook/glossary.yml @nordlicht/revops" in lines  # owners.glossary
    assert "/playbook/onboarding.yml @nordlicht/sales-teamleads" in lines  # owners.onboarding
    # a team's overlay (with its own rules) goes to the team's owner
    assert "/playbook/teams/oeffentlicher-sektor.yml @nordlicht/sales-leadership" in lines
    # what decides how the playbook is checked and published: the approval gate among them
    # (and a wheel of the tool in tools/, which requirements.txt may install)
    for path in ("/.github/workflows/", "/requirements.txt", "/tools/", "/schemas/", "/mkdocs.yml"):
        assert f"{path} @nordlicht/sales-leadership" in lines, path
    assert lines[-1] == "/.github/CODEOWNERS @nordlicht/sales-leadership"  # itself
    assert len(lines) == 1 + 3 + 21 + 1 + 5 + 1
    assert out.startswith(BEGIN + "\n") and out.endswith(END + "\n")


def test_the_organisations_own_lines_survive_and_are_never_compared(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE, repo / "playbook")
    git(repo, "init", "-q")
    owners = repo / ".github" / "CODEOWNERS"
    owners.parent.mkdir()
    own = "# our own rules\n/docs/ @nordlicht/docs\n"
    owners.write_text(own)
    args = ("codeowners", str(repo / "playbook"), "--out", str(owners))
    assert run_main(*args)[0] == 0
    first = owners.read_text()
    assert first.startswith(own) and BEGIN in first  # theirs kept, ours appended
    assert run_main(*args)[0] == 0
    assert owners.read_text() == first  # the block replaced in place, nothing doubled
    owners.write_text(first + "/later/ @nordlicht/other\n")
    assert run_main(*args[:2], "--check", "--out", str(owners))[0] == 0  # block only
    block = first[first.index(BEGIN) :]
    owners.write_text(own + block.replace("@nordlicht/revops", "@nordlicht/someone"))
    code, out, _ = run_main(*args[:2], "--check", "--out", str(owners))
    assert code == 1 and "-/playbook/glossary.yml @nordlicht/someone" in out
    assert "/docs/" not in out  # their lines are no part of the comparison


def test_codeowners_names_the_file_it_is_written_to(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE, repo / "playbook")
    git(repo, "init", "-q")
    code, _, err = run_main(
        "codeowners", str(repo / "playbook"), "--out", str(repo / "docs" / "CODEOWNERS")
    )
    assert code == 0, err
    text = (repo / "docs" / "CODEOWNERS").read_text("utf-8")
    assert text.splitlines()[-2:] == ["/docs/CODEOWNERS @nordlicht/sales-leadership", END]
    assert "/playbook/glossary.yml @nordlicht/revops" in text  # from the repository's top


def test_an_owner_without_handles_is_a_listed_warning_and_an_error_under_strict(
    base_playbook: Path, tmp_path: Path
) -> None:
    """The test playbook's roles have no handles: no line, and a warning for each file."""
    code, out, err = run_main("codeowners", str(base_playbook))
    assert code == 0
    assert [line for line in out.splitlines() if not line.startswith("#")] == []
    assert (
        err.count("warning[owner-without-handle]") == len(list(base_playbook.glob("*/*.yml"))) + 4
    )
    assert "is owned by role `lead`, which has no handles" in err
    assert "give the role `handles:` in playbook.yml" in err

    code, out, err = run_main("codeowners", str(base_playbook), "--format", "json")
    assert code == 0 and out.startswith(BEGIN)  # stdout: the block
    warnings = json.loads(err)
    assert {(w["rule"], w["severity"]) for w in warnings} == {("owner-without-handle", "warning")}
    files = sorted(w["file"] for w in warnings)
    entries = sorted(str(p) for p in base_playbook.glob("*/*.yml"))
    shared = [
        str(base_playbook / name) for name in ("glossary.yml", "onboarding.yml", "playbook.yml")
    ]
    assert files == sorted([*entries, *shared, ".github/CODEOWNERS"])  # each file, and itself

    target = tmp_path / "CODEOWNERS"
    code, out, err = run_main("codeowners", str(base_playbook), "--strict", "--out", str(target))
    assert code == 1
    assert "error[owner-without-handle]" in err and "warning[" not in err
    assert not target.exists()  # nothing written


def test_one_entry_without_a_handle_is_named(tmp_path: Path) -> None:
    source = tmp_path / "playbook"
    shutil.copytree(SAMPLE, source)
    edit(source / "playbook.yml", '    handles: ["@nordlicht/finance"]\n', "")
    code, out, err = run_main("codeowners", str(source), "--format", "json")
    assert code == 0
    assert "zahlungsziel-freigabe.yml" not in out
    [warning] = json.loads(err)
    assert warning["file"] == str(source / "escalation-paths" / "zahlungsziel-freigabe.yml")
    assert (warning["line"], warning["column"]) == (1, 1)
    assert warning["message"] == (
        '"Zahlungsziel" is owned by role `finanzen`, which has no handles: '
        "no one is asked to review changes to it"
    )
    assert run_main("codeowners", str(source), "--strict")[0] == 1


def test_check_passes_in_step_and_shows_a_diff_when_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE, repo / "playbook")
    git(repo, "init", "-q")
    monkeypatch.chdir(repo)
    check = ("codeowners", "playbook", "--check", "--out", ".github/CODEOWNERS")

    code, out, err = run_main(*check)  # no file yet
    assert code == 1
    assert out.startswith("--- /dev/null\n")
    assert "+/playbook/glossary.yml @nordlicht/revops\n" in out
    assert ".github/CODEOWNERS is missing: run `playbook codeowners --out" in err

    assert run_main("codeowners", "playbook", "--out", ".github/CODEOWNERS")[0] == 0
    code, out, err = run_main(*check)
    assert (code, out) == (0, "")
    assert "up to date" in err
    assert run_main("codeowners", "playbook", "--check")[0] == 0  # .github/CODEOWNERS

    edit(repo / "playbook" / "playbook.yml", "  glossary: revops\n", "  glossary: recht\n")
    before = (repo / ".github" / "CODEOWNERS").read_bytes()
    code, out, err = run_main(*check)
    assert code == 1
    assert "--- .github/CODEOWNERS (committed)\n" in out
    assert "-/playbook/glossary.yml @nordlicht/revops\n" in out
    assert "+/playbook/glossary.yml @nordlicht/legal\n" in out
    assert "is out of date" in err
    assert (repo / ".github" / "CODEOWNERS").read_bytes() == before  # --check writes nothing


@pytest.mark.parametrize("sample_playbook", [False, True])
def test_a_new_repository_is_in_step(
    sample_playbook: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`playbook init` writes .github/CODEOWNERS: its CI and pre-commit check pass."""
    repo = tmp_path / "org"
    starter.init_project(repo, sample=sample_playbook, today=TODAY)
    git(repo, "init", "-q")
    monkeypatch.chdir(repo)
    code, _, err = run_main("codeowners", "playbook", "--check", "--out", ".github/CODEOWNERS")
    assert code == 0, err
    text = (repo / ".github" / "CODEOWNERS").read_text("utf-8")
    assert ("/playbook/glossary.yml @nordlicht/revops" in text) is sample_playbook
    if not sample_playbook:  # the starter's roles have no handles yet: the CI says so
        assert "warning[owner-without-handle]" in err


# --- handles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("handle", "hint"),
    [
        ("nordlicht/finance", "write it as `@nordlicht/finance`"),
        ("finanz@nordlicht.example", "an e-mail address is no handle"),
        ("https://github.com/orgs/nordlicht/teams/finance", "a web address is no handle"),
        ("@nordlicht finance", "write `@user` or `@org/team` (GitHub)"),
        ("@-finance", "`@group/subgroup/team` (GitLab)"),
        ("@nordlicht/", "letters, digits"),
    ],
)
def test_a_bad_handle_is_named_at_its_position(handle: str, hint: str, base_playbook: Path) -> None:
    path = base_playbook / "playbook.yml"
    edit(path, "    description: Leads.\n", f'    description: Leads.\n    handles: ["{handle}"]\n')
    line = path.read_text("utf-8").splitlines().index(f'    handles: ["{handle}"]') + 1
    code, out, _ = run_main("validate", str(base_playbook), "--format", "json")
    assert code == 1
    [problem] = json.loads(out)
    assert (problem["file"], problem["line"], problem["column"]) == (str(path), line, 15)
    assert problem["json_path"] == "$.roles[1].handles[0]"
    assert problem["message"].endswith(" is not a GitHub or GitLab handle")
    assert hint in problem["hint"]


@pytest.mark.parametrize(
    "handle", ["@user", "@nordlicht/sales-leadership", "@gruppe/untergruppe/team", "@a.b_c"]
)
def test_github_and_gitlab_handles_are_valid(handle: str, base_playbook: Path) -> None:
    edit(
        base_playbook / "playbook.yml",
        "    description: Leads.\n",
        f'    description: Leads.\n    handles: ["{handle}"]\n',
    )
    code, err = run_main("validate", str(base_playbook), "--strict")[::2]
    assert code == 0, err


# --- owners: in playbook.yml -----------------------------------------------------------


def test_an_unknown_owner_role_is_an_unknown_reference(base_playbook: Path) -> None:
    path = base_playbook / "playbook.yml"
    edit(path, "roles:\n", "owners:\n  playbook: lead\n  glossary: leed\nroles:\n")
    line = path.read_text("utf-8").splitlines().index("  glossary: leed") + 1
    code, out, _ = run_main("validate", str(base_playbook), "--format", "json")
    assert code == 1
    [problem] = json.loads(out)
    assert (problem["line"], problem["column"], problem["rule"]) == (line, 13, "unknown-reference")
    assert problem["hint"] == "did you mean `lead`?"
    edit(path, "  glossary: leed\n", "  glossar: lead\n")
    code, _, err = run_main("validate", str(base_playbook))
    assert code == 1 and "unknown key `glossar`" in err


def owned(**owners: str | None) -> Playbook:
    return dataclasses.replace(sample(), owners=dataclasses.replace(sample().owners, **owners))


def glossary_edited(model: Playbook) -> Playbook:
    term = dataclasses.replace(model.terms[0], definition="Ganz anders.")
    return dataclasses.replace(model, terms=(term, *model.terms[1:]))


def test_the_diff_asks_the_owners_playbook_yml_names() -> None:
    [change] = compare(sample(), glossary_edited(sample()))
    assert (change.kind, change.owner) == ("glossary", "Revenue Operations")
    [change] = compare(owned(glossary=None), glossary_edited(owned(glossary=None)))
    assert change.owner == "Vertriebsleitung"  # no glossary owner: the playbook's owner
    nobody = owned(playbook=None, glossary=None)
    [change] = compare(nobody, glossary_edited(nobody))
    assert change.owner == "Vertriebsleitung"  # nobody named: the role owning most entries
    nobody = owned(playbook=None, glossary="recht")
    [change] = compare(nobody, glossary_edited(nobody))
    assert change.owner == "Rechtsabteilung"


def test_a_new_owner_is_a_loosening_the_old_owner_approves() -> None:
    [change] = compare(sample(), owned(playbook="vertrieb"))
    assert change.kind == "playbook"
    assert change.sentences == (
        "Verantwortlich für Einstellungen und Rollen geändert: "
        "jetzt „Account Executive“ (vorher „Vertriebsleitung“).",
    )
    assert (change.approval, change.owner) == ("loosening", "Vertriebsleitung")  # not the new
    [change] = compare(owned(onboarding=None), sample())
    assert change.sentences == (
        "Verantwortlich für das Onboarding hinzugefügt: „Teamleitung Vertrieb“.",
    )
    assert change.approval == "loosening"
    [row] = change.rows
    assert (row.before, row.after) == ("", "Teamleitung Vertrieb")


# --- playbook review -------------------------------------------------------------------

LATER = "2027-08-01"  # the sample's reviews of datenschutz, revops and vertriebsleitung due


def review(*args: str, day: str = LATER) -> tuple[int, str, str]:
    return run_main(
        "review", str(SAMPLE), "--within", "30", *args, today=dt.date.fromisoformat(day)
    )


def test_review_lists_the_owners_handles_in_every_format() -> None:
    code, out, _ = review()
    assert code == 0
    lines = out.splitlines()
    privacy = lines.index("Datenschutzbeauftragte") + 1
    assert lines[privacy].endswith("datenschutz-kundendaten.yml)  @nordlicht/privacy")
    handles = ("@nordlicht/privacy", "@nordlicht/revops", "@nordlicht/sales-leadership")
    assert all(line.endswith(handles) for line in lines if line.startswith("  "))

    items = json.loads(review("--format", "json")[1])
    assert {(i["owner_id"], i["owner"], tuple(i["handles"])) for i in items} == {
        ("datenschutz", "Datenschutzbeauftragte", ("@nordlicht/privacy",)),
        ("revops", "Revenue Operations", ("@nordlicht/revops",)),
        ("vertriebsleitung", "Vertriebsleitung", ("@nordlicht/sales-leadership",)),
    }
    assert all(Path(i["file"]).is_file() for i in items)

    annotations = review("--format", "github")[1].splitlines()
    assert len(annotations) == len(items)
    assert all(a.startswith("::warning file=") for a in annotations)
    assert any("Revenue Operations (@nordlicht/revops) reviews it" in a for a in annotations)


def test_review_for_one_owner_as_an_issue_body() -> None:
    code, out, _ = review("--owner", "revops", "--format", "markdown")
    assert code == 0
    # in English, as the whole command line speaks; the roles' names are the playbook's
    assert out.startswith("## Reviews due: Revenue Operations\n\n@nordlicht/revops: please")
    assert "| Entry | File | Due |" in out
    assert "Datenschutz" not in out  # another owner's entry
    assert out.endswith("This list is updated every week.\n")
    code, out, _ = review("--owner", "recht", "--format", "markdown")
    assert (code, out) == (0, "## Reviews due: Rechtsabteilung\n\nNo review is due at the "
                              "moment.\n")  # fmt: skip
    code, _, err = review("--owner", "niemand")
    assert code == 2 and "no such role" in err


def test_review_markdown_keeps_titles_inert(tmp_path: Path) -> None:
    source = tmp_path / "playbook"
    shutil.copytree(SAMPLE, source)
    edit(
        source / "non-negotiables" / "crm-pflege.yml",
        "title: ",
        'title: "@nordlicht/everyone <b>|</b> " # ',
    )
    code, out, err = run_main(
        "review", str(source), "--owner", "revops", "--format", "markdown",
        today=dt.date.fromisoformat(LATER),
    )  # fmt: skip
    assert code == 0, err
    row = next(line for line in out.splitlines() if "everyone" in line)
    assert "@\u200dnordlicht/everyone \\<b\\>\\|\\</b\\>" in row


# --- the weekly issue per owner --------------------------------------------------------

FAKE_GH = """
import json, os, subprocess, sys
state = os.environ["FAKE_GH_STATE"]
assert os.environ.get("GH_TOKEN"), "gh needs the token"
args, method, jq, fields = sys.argv[2:], "GET", None, {}
assert sys.argv[1] == "api", sys.argv
endpoint = None
while args:
    arg = args.pop(0)
    if arg == "--paginate":
        pass
    elif arg == "--jq":
        jq = args.pop(0)
    elif arg == "--method":
        method = args.pop(0)
    elif arg in ("-F", "-f"):
        key, _, value = args.pop(0).partition("=")
        if arg == "-F" and value.startswith("@"):
            value = open(value[1:], encoding="utf-8").read()
        fields[key] = value
    else:
        assert endpoint is None, arg
        endpoint = arg
issues = json.load(open(state, encoding="utf-8"))
with open(state + ".log", "a", encoding="utf-8") as log:
    log.write(f"{method} {endpoint}\\n")
path, _, query = endpoint.partition("?")
parts = path.split("/")
assert parts[:4] == ["repos", "org", "playbook", "issues"], endpoint
if method == "GET":
    assert parts[4:] == [] and "state=open" in query.split("&"), endpoint
    out = json.dumps([i for i in issues if i["state"] == "open"])
    if jq:
        out = subprocess.run(["jq", "-r", jq], input=out, capture_output=True, text=True,
                             check=True).stdout
    sys.stdout.write(out)
elif method == "POST":
    assert parts[4:] == [] and set(fields) == {"title", "body"}, (endpoint, fields)
    issues.append({"number": max(i["number"] for i in issues) + 1, "state": "open",
                   "user": {"login": "github-actions[bot]"}, **fields})
elif method == "PATCH":
    assert set(fields) == {"body"}, fields  # never closes, never retitles
    [issue] = [i for i in issues if i["number"] == int(parts[4])]
    issue["body"] = fields["body"]
else:
    sys.exit(f"unexpected {method}")
json.dump(issues, open(state, "w", encoding="utf-8"))
"""

BOT = {"login": "github-actions[bot]"}
OTHERS = [  # none of these is ours to touch
    {"number": 1, "state": "open", "user": {"login": "jemand"}, "title": "Zitat",
     "body": "<!-- playbook-review:revops -->\nzitiert"},
    {"number": 2, "state": "closed", "user": BOT, "title": "alt",
     "body": "<!-- playbook-review:datenschutz -->\nerledigt"},
    {"number": 3, "state": "open", "user": BOT, "title": "PR", "pull_request": {},
     "body": "<!-- playbook-review:revops -->"},
    {"number": 4, "state": "open", "user": BOT, "title": "anderes", "body": "Hallo"},
]  # fmt: skip


def test_the_review_step_keeps_one_issue_per_owner_up_to_date(
    workflow: dict[str, Any],
    tmp_path: Path,
) -> None:
    """The scheduled step, run by bash against a stand-in `gh` (its --jq through jq) and
    the real `playbook review` on the sample, on three days: issues are opened once per
    owner and then updated, also when nothing is due any more; none is closed."""
    if shutil.which("jq") is None:
        pytest.fail("jq is missing: `make test` installs it (apt-get install jq)")
    [step] = [s for s in workflow["jobs"]["review"]["steps"] if "gh api" in s.get("run", "")]
    assert "${{" not in step["run"], "values reach the script through env, never inline"
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "gh").write_text(f"#!{sys.executable}\n{FAKE_GH}", "utf-8")
    (tools / "playbook").write_text(  # the real tool, on a chosen day
        f'#!/bin/sh\nexec "{sys.executable}" -m sales_playbook "$@" --today "$FAKE_TODAY"\n',
        "utf-8",
    )
    for stand_in in tools.iterdir():
        stand_in.chmod(0o755)
    work = tmp_path / "checkout"
    shutil.copytree(SAMPLE, work / "playbook")
    values = {"${{ github.token }}": "t0ken", "${{ github.repository }}": "org/playbook"}
    env = {name: values[value] for name, value in step["env"].items()}
    state = tmp_path / "issues.json"
    state.write_text(json.dumps(OTHERS), "utf-8")
    script = tmp_path / "step.sh"
    script.write_text(step["run"], "utf-8")

    def run_on(day: str) -> dict[str, dict[str, Any]]:
        run_step(script, work, env, tools, state, FAKE_TODAY=day)
        issues = json.loads(state.read_text("utf-8"))
        assert issues[:4] == OTHERS  # nobody else's issue is touched
        ours = {}
        for issue in issues[4:]:
            role = issue["body"].split("\n", 1)[0].removeprefix("<!-- playbook-review:")
            assert role.endswith(" -->")
            assert role not in ours, "one issue per owner"
            ours[role.removesuffix(" -->")] = issue
        return ours

    first = run_on("2027-07-01")
    assert set(first) == {"datenschutz", "revops"}
    assert first["revops"]["title"] == "Playbook: Reviews due \u2013 Revenue Operations"
    assert "@nordlicht/revops: please" in first["revops"]["body"]
    assert "Jeder Kundenkontakt steht im CRM" in first["revops"]["body"]

    second = run_on(LATER)  # one more owner is due
    assert set(second) == {"datenschutz", "revops", "vertriebsleitung"}
    assert second["revops"]["number"] == first["revops"]["number"]  # the same issue
    assert "@nordlicht/sales-leadership: please" in second["vertriebsleitung"]["body"]
    assert "Jeder Kundenkontakt steht im CRM" in second["revops"]["body"]

    third = run_on("2027-05-01")  # all reviewed: the issues say so, and stay open
    assert {n: i["number"] for n, i in third.items()} == {n: i["number"] for n, i in second.items()}
    for issue in third.values():
        assert issue["state"] == "open"
        assert "No review is due at the moment." in issue["body"]

    calls = (tmp_path / "issues.json.log").read_text("utf-8").splitlines()
    assert calls.count("GET repos/org/playbook/issues?state=open&per_page=100") == 3
    assert [c for c in calls if c.startswith("POST")] == ["POST repos/org/playbook/issues"] * 3
    assert len([c for c in calls if c.startswith("PATCH")]) == 2 + 3


def test_the_review_job_may_write_issues_only(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["review"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    runs = [s.get("run", "") for s in job["steps"]]
    issue = next(i for i, r in enumerate(runs) if "gh api" in r)
    failing = next(i for i, r in enumerate(runs) if "--fail-on-overdue" in r)
    assert issue < failing  # the issues are written before the job fails


def test_starter_readme_and_config_mention_the_checks(
    org: Path,
) -> None:
    config = yaml.safe_load((org / ".pre-commit-config.yaml").read_text("utf-8"))
    assert [h["id"] for h in config["repos"][0]["hooks"]] == [
        "playbook-validate",
        "playbook-codeowners",
    ]
    readme = (org / "README.md").read_text("utf-8")
    assert "playbook codeowners --out .github/CODEOWNERS" in readme
    assert "owners:" in readme


def test_the_pre_commit_hook_fails_on_a_stale_codeowners(tool: Path, tmp_path: Path) -> None:
    """The hook `playbook-codeowners` as an organisation gets it (pre-commit try-repo)."""
    repo = new_org(tmp_path / "org", tool)
    home = tmp_path / "cache"
    hook = ("try-repo", tool, "playbook-codeowners", "--all-files")
    assert "Passed" in pre_commit(*hook, cwd=repo, home=home)
    edit(  # the leadership gets its handle: CODEOWNERS must follow
        repo / "playbook" / "playbook.yml",
        '    # handles: ["@eure-organisation/sales-leadership"]',
        '    handles: ["@eure-organisation/sales-leadership"]',
    )
    run("git", "add", "-A", cwd=repo)
    output = pre_commit(*hook, cwd=repo, home=home, ok=False)
    assert "Failed" in output
    assert "--- .github/CODEOWNERS (committed)" in output
    assert "+/playbook/playbook.yml @eure-organisation/sales-leadership" in output
    assert "is out of date: run `playbook codeowners --out .github/CODEOWNERS`" in output


def test_files_that_go_stale_are_reviewed_too(base_playbook: Path) -> None:
    """The glossary, the onboarding and each team's overlay have owners and review dates:
    `review` lists them (never reviewed, or when due) and `validate` warns when overdue."""
    for name in ("glossary.yml", "onboarding.yml"):  # from before files had review dates
        path = base_playbook / name
        path.write_text(path.read_text("utf-8").replace('last_reviewed: "2026-10-01"\n', ""))
    code, out, _ = run_main("review", str(base_playbook), "--format", "json", "--fail-on-overdue")
    assert code == 0  # never reviewed: listed, not overdue
    files = {d["id"]: d for d in json.loads(out) if d["id"] in ("glossary.yml", "onboarding.yml")}
    assert {d["review_due"] for d in files.values()} == {None}
    assert {d["owner_id"] for d in files.values()} == {"lead"}
    glossary = base_playbook / "glossary.yml"
    glossary.write_text(glossary.read_text("utf-8") + 'last_reviewed: "2025-01-10"\n', "utf-8")
    code, _, err = run_main("validate", str(base_playbook))
    line = len(glossary.read_text("utf-8").splitlines())
    assert code == 0 and "warning[stale-review]" in err and f"glossary.yml:{line}:16" in err
    code, out, _ = run_main("review", str(base_playbook), "--format", "json")
    due = {d["id"]: d for d in json.loads(out)}
    assert due["glossary.yml"]["review_due"] == "2026-01-10" and due["glossary.yml"]["overdue"]


def test_a_teams_overlay_is_reviewed_by_the_team_owner() -> None:
    code, out, _ = run_main("review", str(SAMPLE), "--format", "json", today=dt.date(2027, 12, 1))
    assert code == 0
    [team] = [d for d in json.loads(out) if d["id"] == "oeffentlicher-sektor"]
    assert (team["owner"], team["review_due"]) == ("Vertriebsleitung", "2027-11-01")
    assert team["file"].endswith("teams/oeffentlicher-sektor.yml")
