"""Command-line conventions people already know, held for every command at once.

The inventory below lists every command's options as `--help` shows them: a new option
fails here until it is listed, and is then held to the rules with all the others.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from sales_playbook.cli import main
from sales_playbook.cli import parser as cli_parser
from sales_playbook.report import FORMAT_NAMES

from .conftest import SAMPLE, TODAY

PRINTS = ["--format"]
# commands whose --format names what they write, not how problems are printed
FILE_FORMATS = {"export": ("json", "csv", "dmn", "opa")}
DAY = ["--today"]
# every command's options as `--help` shows them (hidden aliases aside), and whether it
# reads a playbook folder (the positional SOURCE)
OPTIONS: dict[str, tuple[bool, list[str]]] = {
    "validate": (True, ["--strict", "--config", *DAY, *PRINTS]),
    "build": (True, ["--out", "--build-dir", "--preview", "--no-history", "--team", "--engine",
                     "--strict", "--config", *DAY, *PRINTS]),
    "serve": (True, ["--build-dir", "--address", "--config", *DAY, *PRINTS]),
    "cards": (True, ["--out", "--size", "--bleed", "--crop-marks", "--n-up", "--kind", "--role",
                     "--tag", "--level", "--team", "--strict", *DAY, *PRINTS]),
    "board": (True, ["--out", "--paper", "--strict", *DAY, *PRINTS]),
    "new": (True, ["--owner", *DAY, *PRINTS]),
    "import": (True, ["--force", "--owner", *DAY, *PRINTS]),
    "rename": (True, [*DAY, *PRINTS]),
    "diff": (True, ["--base", "--head", "--base-dir", "--head-dir", *PRINTS, "--fail-on", *DAY]),
    "review": (True, ["--within", "--fail-on-overdue", "--owner", *DAY, *PRINTS]),
    # export's --format is the file's format (json, csv, dmn, opa: issue 27), not how
    # problems are printed: it prints them as text on stderr
    "export": (True, ["--format", "--team", "--out", "--check", "--strict", *DAY]),
    "ask": (True, ["--level", "--team", "--as-typed", *DAY, *PRINTS]),
    "approvals": (True, ["--diff", "--reviews", "--members", "--author", "--head-sha",
                          "--fail-on", *PRINTS]),
    "codeowners": (True, ["--out", "--check", "--strict", *DAY, *PRINTS]),
    "init": (False, ["--sample", "--force"]),
    "schemas": (False, ["--out"]),
}  # fmt: skip
# what a command writes is `--out`; these names said the same before and are aliases now
RENAMED = {"--site-dir": "--out", "--output": "--out", "--write": "--out", "--source": "SOURCE"}
ANSWERS = {"ask": ("text", "json")}  # --format of a command whose output is an answer
COMMON = ["-h", "--help", "-q", "--quiet", "-v", "--verbose"]


def run(*args: str) -> tuple[int, str, str]:
    """The command in-process, with the test's day where the command takes one; a usage
    error's exit (argparse exits) as its code."""
    day = [] if args[0] in ("init", "schemas", "approvals") else ["--today", TODAY.isoformat()]
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([*args, *day])
        except SystemExit as exit:
            code = int(exit.code or 0)
    return code, out.getvalue(), err.getvalue()


def subparsers() -> dict[str, argparse.ArgumentParser]:
    root = cli_parser()
    action = next(a for a in root._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def visible(sub: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in sub._actions if a.help != argparse.SUPPRESS]


def test_the_inventory_lists_every_command_and_option() -> None:
    found = {
        name: [s for a in visible(sub) for s in a.option_strings if s not in COMMON]
        for name, sub in subparsers().items()
    }
    assert found == {name: options for name, (_, options) in OPTIONS.items()}


@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_each_command_follows_the_naming_rules(name: str) -> None:
    sub = subparsers()[name]
    reads_source, _ = OPTIONS[name]
    strings = {s for a in visible(sub) for s in a.option_strings}
    # -q/-v everywhere; no second name for "where to write"
    assert {"-q", "--quiet", "-v", "--verbose"} <= strings
    assert not strings & set(RENAMED)
    # the playbook folder is the last positional, `playbook` when left out
    positionals = [a for a in visible(sub) if not a.option_strings]
    if reads_source:
        assert positionals[-1].dest == "source"
        assert str(positionals[-1].default or "playbook") == "playbook"
        assert "default: playbook" in (positionals[-1].help or "")
    # one set of formats wherever a command prints problems or a report; a command that
    # prints an answer (ask) has text and json
    for action in visible(sub):
        if "--format" in action.option_strings and name in FILE_FORMATS:
            assert tuple(action.choices or ()) == FILE_FORMATS[name]
            assert action.default == FILE_FORMATS[name][0]
        elif "--format" in action.option_strings:
            assert tuple(action.choices or ()) == ANSWERS.get(name, FORMAT_NAMES)
            assert action.default == "text"
    # every option says its default in --help, where it has one worth saying
    text = " ".join(sub.format_help().split())
    for action in visible(sub):
        nothing = (None, False, 0, [], "", argparse.SUPPRESS)
        if action.option_strings and action.default not in nothing:
            assert f"default: {action.default}" in text or "default" in (action.help or ""), (
                action.option_strings
            )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (["codeowners", str(SAMPLE), "--output", "{tmp}/CODEOWNERS"], "--out"),
        (["schemas", "--write", "{tmp}/schemas"], "--out"),
        (["new", "non-negotiables", "neu-x", "--source", "{tmp}/playbook"], "SOURCE (positional)"),
    ],
)
def test_old_names_still_work_for_one_release_and_say_the_new_one(
    old: list[str], new: str, tmp_path: Path
) -> None:
    shutil.copytree(SAMPLE, tmp_path / "playbook")
    args = [a.replace("{tmp}", str(tmp_path)) for a in old]
    code, _, err = run(*args)
    assert code == 0, err
    assert f"is now {new}: the old name goes in the next release" in err
    assert any(p.is_file() and p.stat().st_mtime > 0 for p in tmp_path.rglob("*"))


def test_diff_takes_base_and_head_as_they_were_given_before(tmp_path: Path) -> None:
    """`playbook diff BASE HEAD` (folders or revisions) is the old form: it works and says
    the new one; SOURCE with --base-dir is the new one, and both say the same."""
    old = run("diff", str(SAMPLE), str(SAMPLE))
    new = run("diff", str(SAMPLE), "--base-dir", str(SAMPLE))
    assert (old[0], old[1]) == (new[0], new[1]) == (0, "No changes in meaning.\n")
    assert "BASE [HEAD] are now options" in old[2] and "now options" not in new[2]
    code, _, err = run("diff", str(SAMPLE), str(SAMPLE), "--base-dir", str(SAMPLE))
    assert code == 2 and "one playbook folder, not 2" in err


@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_every_usage_error_exits_2(name: str, tmp_path: Path) -> None:
    code, _, err = run(name, "--no-such-option")
    assert code == 2 and "error:" in err  # unrecognized, or what is required is missing
    if OPTIONS[name][0] and name != "approvals":  # a playbook folder that is not there
        # (approvals reads no playbook: SOURCE only names the files in its annotations)
        before = sorted(os.listdir(tmp_path))
        args = {
            "new": ["non-negotiables", "x"], "rename": ["a", "b"], "ask": ["x", "1"],
            "import": ["m.csv"],
        }  # fmt: skip
        args = args.get(name, [])
        code, _, err = run(name, *args, str(tmp_path / "nirgends"))
        assert code == 2, err
        assert "nirgends" in err and "Traceback" not in err
        assert sorted(os.listdir(tmp_path)) == before


def test_results_go_to_stdout_and_status_and_problems_to_stderr(tmp_path: Path) -> None:
    folder = tmp_path / "playbook"
    shutil.copytree(SAMPLE, folder)
    code, out, err = run("new", "non-negotiables", "neu-x", str(folder))
    made = folder / "non-negotiables" / "neu-x.yml"
    assert (code, out) == (0, f"{made}\n") and made.is_file()
    assert "fill in the TODOs" in err
    code, out, err = run("rename", "neu-x", "neu-y", str(folder))
    assert code == 0 and out.splitlines()[0] == str(folder / "non-negotiables" / "neu-y.yml")
    assert "renamed" in err and "renamed" not in out
    # -q: results and problems only
    code, out, err = run("rename", "neu-y", "neu-z", str(folder), "-q")
    assert code == 0 and out and err == ""
    # problems: for people on stderr, for tools on stdout
    made.with_name("neu-z.yml").write_text("id: [\n", "utf-8")
    for form, stream in (("text", 2), ("json", 1), ("github", 1), ("markdown", 1)):
        result = run("validate", str(folder), "--format", form, "-q")
        assert result[0] == 1
        assert "yaml-syntax" in result[stream] and "yaml-syntax" not in result[3 - stream]


def test_verbose_says_what_was_read(tmp_path: Path) -> None:
    code, _, quiet = run("validate", str(SAMPLE), "-q")
    assert (code, quiet) == (0, "")
    code, _, normal = run("validate", str(SAMPLE))
    code, _, verbose = run("validate", str(SAMPLE), "-v")
    assert "checked" not in normal and "warning(s)" in normal
    checked = [line for line in verbose.splitlines() if line.startswith("checked ")]
    assert len(checked) == len(list(SAMPLE.rglob("*.yml")))
    code, _, err = run("validate", str(SAMPLE), "-q", "-v")
    assert code == 2 and "not allowed with argument" in err


BROKEN = "id: [\n"


def problems_on_a_terminal(tmp_path: Path, **env: str) -> bytes:
    """What `validate` prints about a broken file to a real terminal (a pty)."""
    import pty  # POSIX only, as the test machine is

    folder = tmp_path / "playbook"
    if not folder.exists():
        shutil.copytree(SAMPLE, folder)
        (folder / "non-negotiables" / "crm-pflege.yml").write_text(BROKEN, "utf-8")
    main, child = pty.openpty()
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    done = subprocess.run(
        [sys.executable, "-m", "sales_playbook", "validate", str(folder), *DAY,
         TODAY.isoformat()],
        stdout=subprocess.DEVNULL, stderr=child, env={**clean, "TERM": "xterm", **env},
        timeout=120, check=False,
    )  # fmt: skip
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert done.returncode == 1
    return b"".join(chunks)


def test_colour_on_a_terminal_and_never_with_no_color_or_piped(tmp_path: Path) -> None:
    red = b"\x1b[1;31merror\x1b[0m"
    assert red in problems_on_a_terminal(tmp_path)
    shown = problems_on_a_terminal(tmp_path, NO_COLOR="1")
    assert b"error[yaml-syntax]" in shown and b"\x1b[" not in shown
    folder = tmp_path / "playbook"
    piped = subprocess.run(
        [sys.executable, "-m", "sales_playbook", "validate", str(folder)],
        capture_output=True, env={**os.environ, "TERM": "xterm"}, check=False,
    )  # fmt: skip
    assert b"error[yaml-syntax]" in piped.stderr and b"\x1b[" not in piped.stderr


def test_colour_never_comes_from_the_input(tmp_path: Path) -> None:
    """An escape sequence in a source is shown, not obeyed, colour or not."""
    folder = tmp_path / "playbook"
    shutil.copytree(SAMPLE, folder)
    (folder / "non-negotiables" / "crm-pflege.yml").write_text("id: [\x1b[2J\n", "utf-8")
    shown = problems_on_a_terminal(tmp_path, FORCE_COLOR="1")
    assert b"\x1b[2J" not in shown and b"\\x1b[2J" in shown


GERMAN = re.compile(r"[äöüß]|\b(der|die|das|und|nicht|ist|jetzt|vorher|Freigabe|Prüfung)\b")


def test_diff_and_review_speak_english_like_every_other_message(tmp_path: Path) -> None:
    """A German playbook: the command line's own words are English; what it quotes (titles,
    role names) stays as written."""
    new = tmp_path / "new"
    shutil.copytree(SAMPLE, new)
    path = new / "escalation-paths" / "rabatt-freigabe.yml"
    text = re.sub(r"examples:\n(  - .*\n)+", "", path.read_text("utf-8"))
    path.write_text(text.replace("zertifiziert: 10,", "zertifiziert: 11,"), "utf-8")
    for form in FORMAT_NAMES:
        code, out, _ = run("diff", str(new), "--base-dir", str(SAMPLE), "--format", form)
        assert code == 0
        words = re.sub(r"„[^“]*“|“[^”]*”|\"[^\"]*\"|\b(Rabattfreigabe|Zertifiziert)\b", "", out)
        for name in ("Account Executive", "Teamleitung Vertrieb", "Vertriebsleitung"):
            words = words.replace(name, "")
        if form != "json":  # JSON keeps the model's ids and titles
            assert "loosening" in words.lower(), out
            assert not GERMAN.search(words), (form, GERMAN.search(words), out)
    code, out, _ = run("review", str(SAMPLE), "--format", "markdown", "--within", "3650")
    assert code == 0 and "## Reviews due:" in out
    table = [line for line in out.splitlines() if not line.startswith("|") or "---" in line]
    assert not any(GERMAN.search(line.split(":")[0]) for line in table if line.startswith("#"))


README = Path(__file__).parent.parent / "README.md"


def readme_synopsis() -> dict[str, str]:
    """The README's synopsis: each command's lines, by command."""
    text = README.read_text("utf-8")
    block = text.split("### The command line", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    found: dict[str, str] = {}
    name = ""
    for line in block.splitlines():
        if line.startswith("playbook "):
            name = line.split()[1]
            found[name] = line
        else:
            found[name] += line
    return found


def test_the_readme_synopsis_names_every_command_and_option() -> None:
    synopsis = readme_synopsis()
    assert sorted(synopsis) == sorted(OPTIONS)
    for name, (reads_source, options) in OPTIONS.items():
        words = set(re.findall(r"--[a-z-]+|\bSOURCE\b", synopsis[name]))
        assert set(options) <= words, (name, set(options) - words)
        assert ("SOURCE" in words) == reads_source, name
        assert not words & set(RENAMED), name


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["build", "--out", "a", "--site-dir", "b"], "--out and --site-dir name the same"),
        (["schemas", "--write", "a", "--out", "b"], "--write and --out name the same"),
        (["codeowners", "--out", "a", "--out", "b"], "--out is given twice"),
        (["validate", "--format", "json", "--format", "text"], "--format is given twice"),
        (["cards", "--size", "A5", "--size", "A7"], "--size is given twice"),
        (["diff", "--base", "a", "--base", "b"], "--base is given twice"),
        (["approvals", "--author", "a", "--author", "b"], "--author is given twice"),
        (["schemas", "--out", ""], "must not be empty"),
        (["new", "non-negotiables", "x", "playbook", "--source", "other"], "name the playbook"),
    ],
)
def test_one_thing_named_twice_is_a_usage_error(args: list[str], said: str, tmp_path: Path) -> None:
    before = sorted(os.listdir(tmp_path))
    code, _, err = run(*args)
    assert code == 2 and said in err
    assert sorted(os.listdir(tmp_path)) == before


def test_diff_annotations_name_files_as_validate_does(tmp_path: Path) -> None:
    """A GitHub annotation lands on a file of the repository: its path from where the
    command runs, as validate's, not from inside the playbook folder."""
    new = tmp_path / "new"
    shutil.copytree(SAMPLE, new)
    path = new / "non-negotiables" / "crm-pflege.yml"
    path.write_text(path.read_text("utf-8").replace("title: ", "title: Neu, ", 1), "utf-8")
    code, out, _ = run("diff", str(new), "--base-dir", str(SAMPLE), "--format", "github")
    assert code == 0
    assert f"file={path}," in out.replace("%3A", ":")
