"""The build cache: blobs that verify themselves (runtime/cache.py), pages rendered only when what
they read changed (site/pagekeys.py), and builds whose output the cache never changes."""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from sales_playbook.authoring import starter
from sales_playbook.commands import build as commands_build
from sales_playbook.errors import PlaybookError
from sales_playbook.history.releases import Step
from sales_playbook.model.playbook import Playbook
from sales_playbook.runtime import cache
from sales_playbook.runtime.cache import Cache
from sales_playbook.site import pagekeys, render
from sales_playbook.site.templates import FOLDER_OF_KIND
from sales_playbook.source import check

from .conftest import SAMPLE, TODAY, tree_digest

KEY = cache.key("something")
OTHER = cache.key("something else")


# --- the blob store ---------------------------------------------------------------------


def saved(folder: Path, blobs: dict[str, bytes], stamp: str = "1.0") -> Cache:
    store = Cache(folder, stamp)
    for blob_key, data in blobs.items():
        store.put(blob_key, data)
    store.save()
    return store


def test_key_is_a_sha256_of_parts_kept_apart() -> None:
    assert len(KEY) == 64 and int(KEY, 16) >= 0
    assert cache.key("ab", "c") != cache.key("a", "bc")
    assert cache.key("a", b"b") == cache.key(b"a", "b")


def test_a_blob_put_is_read_back_in_this_run_and_the_next(tmp_path: Path) -> None:
    store = Cache(tmp_path, "1.0")
    assert store.get(KEY) is None
    store.put(KEY, b"\x00page\n")
    assert store.get(KEY) == b"\x00page\n"  # staged, not written yet
    assert not tmp_path.joinpath(KEY).exists()
    assert store.save() == 1
    again = Cache(tmp_path, "1.0")
    assert again.get(KEY) == b"\x00page\n"
    assert (again.hits, again.misses) == (1, 0)


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: raw[:-1],  # one byte short
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),  # one bit flipped
        lambda raw: raw + b"x",  # one byte more
        lambda raw: b"",  # empty
        lambda raw: raw.split(b"\n", 1)[1],  # no header
        lambda raw: b"\xff" * 600,  # garbage, no line at all
    ],
    ids=["truncated", "short", "flipped", "longer", "empty", "headless", "garbage"],
)
def test_a_damaged_file_is_a_miss_and_is_rewritten(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    saved(tmp_path, {KEY: b"payload " * 100})
    path = tmp_path / KEY
    path.write_bytes(damage(path.read_bytes()))
    store = Cache(tmp_path, "1.0")
    assert store.get(KEY) is None
    store.put(KEY, b"payload " * 100)
    store.save()
    assert Cache(tmp_path, "1.0").get(KEY) == b"payload " * 100


def test_a_file_of_another_tool_version_or_key_is_a_miss(tmp_path: Path) -> None:
    saved(tmp_path, {KEY: b"old"}, stamp="0.9")
    assert Cache(tmp_path, "1.0").get(KEY) is None
    assert Cache(tmp_path, "0.9").get(KEY) == b"old"
    os.replace(tmp_path / KEY, tmp_path / OTHER)  # a valid file under a name not its own
    assert Cache(tmp_path, "0.9").get(OTHER) is None


def test_what_cannot_be_read_or_written_is_a_cold_cache(tmp_path: Path) -> None:
    (tmp_path / KEY).mkdir()  # a folder where a file should be
    store = Cache(tmp_path, "1.0")
    assert store.get(KEY) is None
    store.put(KEY, b"data")
    assert store.save() == 0  # not written, and no error
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    store = Cache(blocked / "cache", "1.0")
    assert store.get(KEY) is None
    store.put(KEY, b"data")
    assert store.save() == 0


def test_save_drops_what_this_run_did_not_use(tmp_path: Path) -> None:
    saved(tmp_path, {KEY: b"kept", OTHER: b"dropped"})
    (tmp_path / "README").write_text("not ours to remove")
    old_temp = tmp_path / f"{cache.TEMP_PREFIX}killed"
    old_temp.write_bytes(b"half")
    hour_ago = time.time() - cache.TEMP_MAX_AGE - 60
    os.utime(old_temp, (hour_ago, hour_ago))
    new_temp = tmp_path / f"{cache.TEMP_PREFIX}writing"  # another build, busy right now
    new_temp.write_bytes(b"half")
    store = Cache(tmp_path, "1.0")
    assert store.get(KEY) == b"kept"
    store.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([KEY, "README", new_temp.name])


def test_keys_and_stamps_are_checked() -> None:
    with pytest.raises(ValueError):
        Cache(Path("x"), "1.0").get("../../etc/passwd")
    with pytest.raises(ValueError):
        Cache(Path("x"), "1 0")


# --- page keys: a page from the cache is the page the templates render now ----------------


@pytest.fixture(scope="module")
def model() -> Playbook:
    return check.check(SAMPLE, TODAY).model


@pytest.fixture(scope="module")
def warm(model: Playbook, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    store = Cache(folder)
    render.render_site(model, cache=store)
    store.save()
    return folder


def with_entry(model: Playbook, entry_id: str, **changes: Any) -> Playbook:
    entries = tuple(
        dataclasses.replace(e, **changes) if e.id == entry_id else e for e in model.entries
    )
    return dataclasses.replace(model, entries=entries)


def fresh_pages(model: Playbook, warm: Path, **more: Any) -> tuple[str, ...]:
    """The pages rendered anew over the warm cache; the output must equal a cold render."""
    rendered = render.render_site(model, cache=Cache(warm), **more)
    cold = render.render_site(model, **more)
    assert rendered.docs == cold.docs
    assert len(cold.fresh) == sum(1 for path in cold.docs if path.endswith(".md"))
    return rendered.fresh


def test_nothing_changed_renders_nothing(model: Playbook, warm: Path) -> None:
    assert fresh_pages(model, warm) == ()


def test_an_edited_entry_renders_its_page_and_the_pages_that_list_it(
    model: Playbook, warm: Path
) -> None:
    edited = with_entry(model, "kreative-loesungen", title="Kreative Lösungen, neu")
    assert set(fresh_pages(edited, warm)) == {
        "flexible-zones/kreative-loesungen.md",
        "flexible-zones/index.md",  # lists it
        "index.md",  # lists the first flexible zones
        "board.md",  # the delegation board has a row for every zone
        "tags.md",  # lists it under each of its tags
        "roles/vertrieb.md",  # the rep's decision zones
        "roles/vertriebsleitung.md",  # its owner
        "onboarding.md",  # a step links it
        "escalation-paths/rabatt-freigabe.md",  # names it as related: shows its title
        "escalation-paths/index.md",  # lists that path (and would show a successor's title)
    }


def test_every_entry_edit_shows_in_a_cached_render(model: Playbook, warm: Path) -> None:
    for entry in model.entries:
        for changes in ({"summary": entry.summary + " Neu."}, {"overdue": not entry.overdue}):
            fresh = fresh_pages(with_entry(model, entry.id, **changes), warm)
            assert f"{FOLDER_OF_KIND[entry.kind]}/{entry.id}.md" in fresh, changes


@pytest.mark.parametrize(
    "change",
    [
        lambda m: dataclasses.replace(m, title="Anderer Titel"),
        lambda m: dataclasses.replace(m, version="9.9"),
        lambda m: dataclasses.replace(m, description="Anders."),
        lambda m: dataclasses.replace(m, repo_url="https://example.org/org/playbook"),
        lambda m: dataclasses.replace(
            m, roles=(dataclasses.replace(m.roles[0], name="Umbenannt"), *m.roles[1:])
        ),
        lambda m: dataclasses.replace(
            m, terms=(dataclasses.replace(m.terms[0], definition="Neu erklärt."), *m.terms[1:])
        ),
        lambda m: dataclasses.replace(m, onboarding=None),
        lambda m: with_entry(m, "rabatt-obergrenze", status="retired", successor="rabatt-freigabe"),
        lambda m: with_entry(m, "rabatt-freigabe", related=()),
    ],
    ids=[
        "title", "version", "description", "repo", "role", "term", "onboarding", "retired",
        "related",
    ],
)  # fmt: skip
def test_a_model_wide_edit_shows_in_a_cached_render(
    model: Playbook, warm: Path, change: Callable[[Playbook], Playbook]
) -> None:
    assert fresh_pages(change(model), warm)


def test_an_entry_history_shows_in_a_cached_render(model: Playbook, warm: Path) -> None:
    trail = {"rabatt-freigabe": (Step(TODAY, "Rabatt angepasst", "a" * 40, ("Neu.",)),)}
    assert "escalation-paths/rabatt-freigabe.md" in fresh_pages(model, warm, trails=trail)


def test_the_templates_read_nothing_the_keys_miss() -> None:
    """A template reading more of the model than the keys cover (say `pb.entries`) would
    make every page depend on all entries; none does today."""
    pages = sorted(p.name for p in (pagekeys.template_dir() / "pages").glob("[!_]*.j2"))
    assert len(pages) > 10
    assert [name for name in pages if pagekeys.reads_all_entries(name)] == []
    assert "entry" in pagekeys.reads("flexible_zone.md.j2").names  # through its macros
    assert "entry" not in pagekeys.reads("role.md.j2").names


def test_another_tool_or_template_version_renders_everything(
    model: Playbook, warm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagekeys, "tool_digest", lambda: cache.key("other templates"))
    assert len(fresh_pages(model, warm)) == len(render.page_plan(model))


# --- whole builds --------------------------------------------------------------------------


def build(source: Path, out: Path) -> commands_build.Built:
    return commands_build.build(source, out / "site", out / "build", TODAY, history=False)


def cache_files(out: Path, part: str = "pages") -> dict[str, bytes]:
    return tree_digest(out / "build" / "cache" / part)


def edit(source: Path, file: str, old: str, new: str) -> None:
    path = source / file
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_rebuild_reuses_pages_and_its_output_equals_a_cold_build(
    base_playbook: Path, tmp_path: Path
) -> None:
    first = build(base_playbook, tmp_path / "a")
    assert len(first.rendered) == first.pages
    assert cache_files(tmp_path / "a")
    cold_docs = tree_digest(tmp_path / "a" / "build" / "docs")
    cold_site = tree_digest(tmp_path / "a" / "site")

    cards = cache_files(tmp_path / "a", "cards")
    assert cards  # the laid-out cards (cards/deck.py), kept the same way
    again = build(base_playbook, tmp_path / "a")
    assert again.rendered == ()
    assert cache_files(tmp_path / "a", "cards") == cards
    assert tree_digest(tmp_path / "a" / "build" / "docs") == cold_docs
    assert tree_digest(tmp_path / "a" / "site") == cold_site

    edit(base_playbook, "flexible-zones/ansprache.yml", "title: Ansprache", "title: Anrede")
    changed = build(base_playbook, tmp_path / "a")
    assert "flexible-zones/ansprache.md" in changed.rendered
    assert "non-negotiables/preisregel.md" not in changed.rendered
    assert len(changed.rendered) < changed.pages / 2
    cold = build(base_playbook, tmp_path / "b")  # no cache there
    assert len(cold.rendered) == cold.pages
    for folder in ("build/docs", "site"):
        assert tree_digest(tmp_path / "a" / folder) == tree_digest(tmp_path / "b" / folder)
    # bounded: the cache holds this build's pages only
    assert len(cache_files(tmp_path / "a")) == changed.pages


def test_a_corrupt_cache_file_is_ignored_and_rewritten(base_playbook: Path, tmp_path: Path) -> None:
    build(base_playbook, tmp_path)
    docs = tree_digest(tmp_path / "build" / "docs")
    files = sorted((tmp_path / "build" / "cache" / "pages").iterdir())
    files[0].write_bytes(files[0].read_bytes()[:-10])  # truncated
    files[1].write_bytes(b"")
    rebuilt = build(base_playbook, tmp_path)
    assert len(rebuilt.rendered) == 2
    assert tree_digest(tmp_path / "build" / "docs") == docs
    assert build(base_playbook, tmp_path).rendered == ()  # both rewritten whole


def test_a_cache_of_another_tool_version_is_ignored(base_playbook: Path, tmp_path: Path) -> None:
    build(base_playbook, tmp_path)
    docs = tree_digest(tmp_path / "build" / "docs")
    for path in (tmp_path / "build" / "cache" / "pages").iterdir():
        raw = path.read_bytes()
        head, _, data = raw.partition(b"\n")
        fields = head.split(b" ")
        fields[1] = b"0.0.1"  # written by another version, checksum still right
        path.write_bytes(b" ".join(fields) + b"\n" + data)
    rebuilt = build(base_playbook, tmp_path)
    assert len(rebuilt.rendered) == rebuilt.pages
    assert tree_digest(tmp_path / "build" / "docs") == docs


def test_a_failed_build_writes_no_cache_and_keeps_the_last(
    base_playbook: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    # a broken link fails in MkDocs, after the pages were rendered: still nothing is left
    edit(base_playbook, "non-negotiables/preisregel.yml", "why: ", "why: [Details](#fehlt) ")
    with pytest.raises(PlaybookError):
        build(base_playbook, out)
    assert not out.exists()
    edit(base_playbook, "non-negotiables/preisregel.yml", "why: [Details](#fehlt) ", "why: ")
    build(base_playbook, out)
    before = tree_digest(out)
    edit(base_playbook, "flexible-zones/ansprache.yml", "title: Ansprache", "title: [kaputt")
    with pytest.raises(PlaybookError):
        build(base_playbook, out)
    assert tree_digest(out) == before


def test_a_stale_cache_folder_from_a_copied_build_is_harmless(
    base_playbook: Path, tmp_path: Path
) -> None:
    """CI restores build/cache from another run: the pages must still be this build's."""
    build(base_playbook, tmp_path / "a")
    edit(base_playbook, "flexible-zones/ansprache.yml", "title: Ansprache", "title: Anrede")
    build(base_playbook, tmp_path / "b")
    shutil.rmtree(tmp_path / "b" / "build" / "cache")
    shutil.copytree(tmp_path / "a" / "build" / "cache", tmp_path / "b" / "build" / "cache")
    build(base_playbook, tmp_path / "b")
    assert "# Anrede" in (tmp_path / "b/build/docs/flexible-zones/ansprache.md").read_text()


def test_the_init_workflow_keeps_the_build_cache_between_runs(tmp_path: Path) -> None:
    starter.init_project(tmp_path / "org")
    workflow = yaml.safe_load((tmp_path / "org/.github/workflows/playbook.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    names = [s.get("uses", "").split("@")[0] or s.get("run", "") for s in steps]
    [restore] = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    build_step = next(i for i, n in enumerate(names) if n.startswith("playbook build"))
    assert steps.index(restore) < build_step
    assert restore["with"]["path"] == "build/cache"
    assert "requirements.txt" in restore["with"]["key"]  # the tool's version
    assert "github.sha" in restore["with"]["key"]  # a new entry per run ...
    assert restore["with"]["restore-keys"]  # ... restored from the newest


def test_a_rebuild_in_a_git_checkout_reuses_every_page(base_playbook: Path, tmp_path: Path) -> None:
    """The history pages (change log, recent changes, each entry's versions) too."""
    from .test_history import git

    repo = base_playbook.parent
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Erste Fassung", day="2026-09-15")
    edit(base_playbook, "flexible-zones/ansprache.yml", "title: Ansprache", "title: Anrede")
    git(repo, "commit", "-qam", "Anrede", day="2026-10-01")
    out = tmp_path / "out"
    first = commands_build.build(base_playbook, out / "site", out / "build", TODAY)
    assert {"changelog.md", "changes.md"} <= set(first.rendered)
    assert commands_build.build(base_playbook, out / "site", out / "build", TODAY).rendered == ()


def test_unchanged_files_of_the_last_build_are_linked_not_written(tmp_path: Path) -> None:
    from sales_playbook.runtime.output import write_files

    write_files({"a.md": "same", "b.md": "old", "c.pdf": b"%PDF"}, tmp_path / "old")
    (tmp_path / "old" / "link.md").symlink_to(tmp_path / "old" / "a.md")
    files: dict[str, str | bytes] = {
        "a.md": "same",
        "b.md": "new",
        "c.pdf": b"%PDF",
        "link.md": "same",
    }
    write_files(files, tmp_path / "new", reuse=tmp_path / "old")
    inode = {name: (tmp_path / "new" / name).stat().st_ino for name in files}
    assert inode["a.md"] == (tmp_path / "old" / "a.md").stat().st_ino
    assert inode["c.pdf"] == (tmp_path / "old" / "c.pdf").stat().st_ino
    assert inode["b.md"] != (tmp_path / "old" / "b.md").stat().st_ino
    assert not (tmp_path / "new" / "link.md").is_symlink()
    assert tree_digest(tmp_path / "new") == {
        k: v if isinstance(v, bytes) else v.encode() for k, v in files.items()
    }
    assert (tmp_path / "old" / "b.md").read_text() == "old"


def test_small_blobs_past_the_memory_budget_wait_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's Markdown waits in memory until the budget is spent, the rest on disk
    (a 5,000-entry build's parsed files and pages); all of them are saved and read back,
    and a failed build drops them all."""
    monkeypatch.setattr(cache, "IN_MEMORY_UP_TO", 10_000)
    blobs = {cache.key("page", str(i)): b"# page %d\n" % i + bytes(4_000) for i in range(5)}
    store = Cache(tmp_path / "cache")
    for blob_key, data in blobs.items():
        store.put(blob_key, data)
    assert [isinstance(v, Path) for v in store.staged.values()] == [False, False, True, True, True]
    assert store.in_memory == sum(len(d) for d in list(blobs.values())[:2]) <= 10_000
    store.put(next(iter(blobs)), b"# replaced")  # what it replaces is no longer counted
    assert store.in_memory == len(b"# replaced") + len(list(blobs.values())[1])
    store.discard()
    assert store.in_memory == 0 and store.staging is None

    forked = Cache(tmp_path / "cache")  # what a forked process put, handed over
    forked.put(cache.key("forked"), b"# made beside")
    handed = forked.handover()
    assert forked.in_memory == 0 and forked.staged == {}
    for blob_key, data in blobs.items():
        store.put(blob_key, data)
    store.adopt(handed)
    assert store.in_memory == 8_000 + len(b"# made beside") + 2 * len(b"# page 0\n")
    assert all(store.get(blob_key) == data for blob_key, data in blobs.items())
    assert store.save() == 6
    read = Cache(tmp_path / "cache")
    assert all(read.get(blob_key) == data for blob_key, data in blobs.items())


def test_a_large_blob_waits_on_disk_and_a_failed_build_drops_it(tmp_path: Path) -> None:
    store = Cache(tmp_path / "cache")
    big, small = b"%PDF" + bytes(cache.STAGE_ON_DISK_FROM), b"# a page"
    store.put(cache.key("big"), big)
    store.put(cache.key("small"), small)
    staging = store.staging
    assert staging is not None and staging.is_dir()
    assert not (tmp_path / "cache").exists()  # nothing beside the build before `save`
    assert store.get(cache.key("big")) == big  # read back from where it waits
    store.discard()  # what a failed build does
    assert not staging.exists() and not (tmp_path / "cache").exists()

    again = Cache(tmp_path / "cache")
    again.put(cache.key("big"), big)
    again.put(cache.key("small"), small)
    assert again.save() == 2
    assert again.staging is None
    read = Cache(tmp_path / "cache")
    assert read.get(cache.key("big")) == big and read.get(cache.key("small")) == small
