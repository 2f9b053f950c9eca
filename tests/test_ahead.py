"""A rebuild starts the engine on the last build's docs beside its checks (site/ahead.py):
its site is taken only if this build's docs and configuration are the very same, and
nothing in the build folder can make it take, run or read anything else.

Every build here is the command in a process of its own: the early engine starts only in
a process that can fork, which a test worker (running threads) is not.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from sales_playbook.runtime import cache

from .conftest import TODAY, run_playbook, tree_digest

TAKEN = (
    "from sales_playbook.site import ahead\n"
    "real = ahead.EarlyEngine.site_into\n"
    "def into(self, site):\n"
    "    taken = real(self, site)\n"
    "    open(os.environ['EARLY_LOG'], 'a').write(f'{taken}\\n')\n"
    "    return taken\n"
    "ahead.EarlyEngine.site_into = into\n"
)


def built(playbook: Path, out: Path, log: Path, prelude: str = "") -> dict[str, bytes]:
    """The command's build into `out`; `log` gets a line for each time the early engine
    gave its site ("True") or could not ("False")."""
    os.environ["EARLY_LOG"] = str(log)
    try:
        done = run_playbook(
            "build", str(playbook), "--out", str(out / "site"), "--build-dir",
            str(out / "build"), "--today", TODAY.isoformat(), "--no-history",
            python="import os\n" + TAKEN + prelude,
        )  # fmt: skip
    finally:
        del os.environ["EARLY_LOG"]
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    # its folders are gone, taken or not
    assert not list((out / "build").glob(".early-*")) and not list(out.glob(".site.early-*"))
    return tree_digest(out / "site")


def said(log: Path) -> list[str]:
    return log.read_text().split() if log.exists() else []


def test_a_rebuild_with_nothing_changed_takes_the_early_engine_s_site(
    base_playbook: Path, tmp_path: Path
) -> None:
    log, out = tmp_path / "early.log", tmp_path / "out"
    first = built(base_playbook, out, log)
    assert said(log) == []  # no record yet: the engine ran after the checks
    assert built(base_playbook, out, log) == first
    assert said(log) == ["True"]
    entry = next((base_playbook / "flexible-zones").glob("*.yml"))
    entry.write_text(entry.read_text("utf-8").replace("title: ", "title: Neu ", 1), "utf-8")
    changed = built(base_playbook, out, log)
    assert said(log) == ["True"]  # the docs differ: stopped, the engine ran on the new docs
    assert changed != first and changed == built(base_playbook, tmp_path / "fresh", log)


STOPPED = (
    "from sales_playbook.site import render\n"
    "stage = ['checks']\n"
    "real_render = render.render_site\n"
    "def rendering(*a, **k):\n"
    "    stage[0] = 'render'\n"
    "    return real_render(*a, **k)\n"
    "render.render_site = rendering\n"
    "real_cancel = ahead.EarlyEngine.cancel\n"
    "def cancel(self):\n"
    "    open(os.environ['EARLY_LOG'], 'a').write(f'stopped-in-{stage[0]}\\n')\n"
    "    return real_cancel(self)\n"
    "ahead.EarlyEngine.cancel = cancel\n"
)


@pytest.mark.parametrize("edit", ["title", "comment", "none"])
def test_a_changed_source_stops_the_early_engine_before_the_render(
    base_playbook: Path, tmp_path: Path, edit: str
) -> None:
    """A source file whose bytes changed stops the early engine as soon as the checks
    are done: its work would only slow the render. A comment alone changes no docs: the
    early site is lost, the site is still this build's. Nothing changed (the control):
    the early site is taken, and the engine is stopped only at the end."""
    log, out = tmp_path / "early.log", tmp_path / "out"
    built(base_playbook, out, log)
    entry = next((base_playbook / "flexible-zones").glob("*.yml"))
    text = entry.read_text("utf-8")
    if edit == "title":
        entry.write_text(text.replace("title: ", "title: Neu ", 1), "utf-8")
    elif edit == "comment":
        entry.write_text("# a comment\n" + text, "utf-8")
    site = built(base_playbook, out, log, STOPPED)
    assert site == built(base_playbook, tmp_path / "fresh", log)
    if edit == "none":
        assert said(log) == ["True", "stopped-in-render"]
    else:
        assert said(log)[0] == "stopped-in-checks" and "True" not in said(log)


def test_a_changed_configuration_alone_is_not_taken_from_the_early_engine(
    base_playbook: Path, tmp_path: Path
) -> None:
    """The same docs built with another configuration: the engine runs again."""
    log, out = tmp_path / "early.log", tmp_path / "out"
    built(base_playbook, out, log)
    other = (
        "from sales_playbook.commands import build as pipeline\n"
        "made = pipeline.mkdocs_config\n"
        "def config(*a, **k):\n"
        "    settings = made(*a, **k)\n"
        "    settings['extra'] = {**settings['extra'], 'other': True}\n"
        "    return settings\n"
        "pipeline.mkdocs_config = config\n"
    )
    built(base_playbook, out, log, other)
    assert said(log) == []


def planted(out: Path, elsewhere: Path, plant: str) -> None:
    docs = out / "build" / "docs"
    page = next(docs.glob("flexible-zones/*.md"))
    elsewhere.mkdir()
    if plant == "edited":
        page.write_text(page.read_text("utf-8") + "\n<script>alert(1)</script>\n", "utf-8")
    elif plant == "link":
        shutil.copy(page, elsewhere / page.name)
        page.unlink()
        page.symlink_to(elsewhere / page.name)
    elif plant == "fifo":
        page.unlink()
        os.mkfifo(page)
    elif plant == "empty fifo":  # where an empty file was: the cards' stand-in
        stand_in = docs / "cards" / "decision-cards.pdf"
        assert stand_in.stat().st_size == 0
        stand_in.unlink()
        os.mkfifo(stand_in)
    else:  # a folder that is a link to the same files elsewhere
        shutil.move(docs / "flexible-zones", elsewhere / "flexible-zones")
        (docs / "flexible-zones").symlink_to(elsewhere / "flexible-zones")


@pytest.mark.parametrize("plant", ["edited", "fifo", "empty fifo"])
def test_what_the_build_folder_holds_cannot_make_a_rebuild_take_another_site(
    base_playbook: Path, tmp_path: Path, plant: str
) -> None:
    """build/docs is untrusted (a branch commits it, a CI cache restores it): a file
    edited, a FIFO (also where the last build wrote an empty file, which the build would
    otherwise reuse): the early engine stops before it builds on them, the build does not
    hang, and the site is what a fresh build makes. (A build folder holding a link is refused
    by the command before anything else: `test_links_are_linked_not_followed`.)"""
    log, out = tmp_path / "early.log", tmp_path / "out"
    built(base_playbook, out, log)
    planted(out, tmp_path / "elsewhere", plant)
    assert built(base_playbook, out, log) == built(base_playbook, tmp_path / "fresh", log)
    # the early engine, which links and checks the docs in its own process, gave no site
    assert said(log) == ["False"]


@pytest.mark.parametrize(
    "plant", ["edited", "link", "fifo", "linked-folder", "../outside.md", "/etc/hostname"]
)
def test_links_are_linked_not_followed(base_playbook: Path, tmp_path: Path, plant: str) -> None:
    """Linking the last build's docs (behind the command's own refusal of a build folder
    holding links): only regular files with the recorded digest, in folders that are no
    links, at paths inside the docs; anything else and the engine does not start early."""
    from sales_playbook.site import ahead

    out = tmp_path / "out"
    built(base_playbook, out, tmp_path / "early.log")
    docs = out / "build" / "docs"
    files = sorted(p for p in docs.rglob("*") if p.is_file() and p.name != ".playbook-output")
    made = ahead.digests({p.relative_to(docs).as_posix(): p.read_bytes() for p in files})
    assert ahead._linked(docs, tmp_path / "control", made)  # as the last build left them
    if plant.startswith(("..", "/")):
        made[plant] = next(iter(made.values()))
    else:
        planted(out, tmp_path / "elsewhere", plant)
    assert not ahead._linked(docs, tmp_path / "linked", made)


@pytest.mark.parametrize("signed", ["elsewhere", "here"])
def test_a_record_runs_the_engine_early_only_as_this_machine_signed_it(
    base_playbook: Path, tmp_path: Path, signed: str
) -> None:
    """The record names the configuration the early engine runs with, before anything is
    checked: one with a hook would run its code. Signed with another key (a CI cache from
    elsewhere, a branch) it is a miss; signed here (the control) the hook runs."""
    log, out = tmp_path / "early.log", tmp_path / "out"
    built(base_playbook, out, log)
    ran, hook = tmp_path / "hook-ran", tmp_path / "hook.py"
    hook.write_text(f"open({str(ran)!r}, 'w').write('ran')\n", "utf-8")
    [record] = (out / "build" / "cache" / "engine").iterdir()
    raw = record.read_bytes()
    payload = cache.verified(raw, cache.tool_stamp(), record.name, cache.secret())
    assert payload is not None
    data = json.loads(payload)
    config = json.loads(data["config"])
    config["hooks"] = [str(hook)]
    data["config"] = json.dumps(config, sort_keys=True, ensure_ascii=False)
    forged = json.dumps(data, sort_keys=True).encode()
    key = b"another machine's key" if signed == "elsewhere" else cache.secret()
    record.write_bytes(cache.header(cache.tool_stamp(), record.name, forged, key) + forged)
    # an early engine, once started, is let finish before it is stopped: whether the
    # hook ran does not hang on how soon the build stops it
    finished_first = (
        "real_cancel = ahead.EarlyEngine.cancel\n"
        "def cancel(self):\n"
        "    try:\n"
        "        self.running.result()\n"
        "    except Exception:\n"
        "        pass\n"
        "    return real_cancel(self)\n"
        "ahead.EarlyEngine.cancel = cancel\n"
    )
    rebuilt = built(base_playbook, out, log, finished_first)
    assert rebuilt == built(base_playbook, tmp_path / "fresh", log)
    assert ran.exists() == (signed == "here")
    assert said(log) == []  # either way its site was not this build's


@pytest.mark.parametrize("trouble", ["site not moved", "engine process died"])
def test_an_early_engine_that_cannot_give_its_site_leaves_the_build_to_the_engine(
    base_playbook: Path, tmp_path: Path, trouble: str
) -> None:
    """The early site on another file system than the new one, or its process killed
    (out of memory): the build runs the engine as without it, and succeeds."""
    log, out = tmp_path / "early.log", tmp_path / "out"
    first = built(base_playbook, out, log)
    if trouble == "site not moved":
        prelude = (
            "import errno\n"
            "class Moving:\n"
            "    def __getattr__(self, name):\n"
            "        return getattr(os, name)\n"
            "    def replace(self, *a):\n"
            "        raise OSError(errno.EXDEV, 'Invalid cross-device link')\n"
            "ahead.os = Moving()\n"
        )
    else:
        prelude = (
            "from sales_playbook.site import engine\n"
            "parent, build = os.getpid(), engine.build\n"
            "def dying(*a, **k):\n"
            "    if os.getpid() != parent:\n"
            "        os._exit(9)\n"
            "    return build(*a, **k)\n"
            "engine.build = dying\n"
        )
    assert built(base_playbook, out, log, prelude) == first
    assert said(log) == ["False"]
