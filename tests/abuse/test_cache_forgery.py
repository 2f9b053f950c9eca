"""A forged build cache changes nothing: every entry is signed with a key kept outside the
repository and the build folder (runtime/cache.py), so an entry a branch committed, or a CI
cache restored from another run, is a miss and is made again. A failed build removes the
entries it read."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from sales_playbook.commands.build import build
from sales_playbook.errors import PlaybookError
from sales_playbook.runtime import cache
from sales_playbook.runtime.cache import Cache

from ..conftest import CASES, TODAY, tree_digest

EVIL = "https://evil.example/"
SCRIPT = '<script>alert("forged")</script><svg onload="alert(1)"></svg>'


def site_of(source: Path, out: Path) -> dict[str, bytes]:
    build(source, out / "site", out / "build", TODAY, history=False)
    return tree_digest(out / "site")


def entries(build_dir: Path) -> dict[Path, bytes]:
    """Each cache file with its payload, read back as the build would."""
    found = {}
    for path in sorted((build_dir / "cache").rglob("*")):
        if cache.KEY.fullmatch(path.name):
            raw = path.read_bytes()
            payload = cache.verified(raw, cache.tool_stamp(), path.name, cache.secret())
            assert payload is not None, path
            found[path] = payload
    return found


def kind_of(path: Path, payload: bytes) -> str:
    """Which of the cache's kinds an entry is, from where it sits and what it holds."""
    part = path.parent.name
    if part == "sources":
        return "parse" if payload.startswith(b"{") else "problems"
    if part == "pages":
        return "page"
    if part == "engine":
        return "engine record"
    if part == "finished":
        return "finished pages"
    if payload.startswith(b"%PDF"):
        return "poster" if b"playbook-board" in payload else "card pdf"
    if payload.lstrip().startswith(b"<"):
        return "print view"
    return "qr"


def forged_payload(kind: str, payload: bytes, pdfs: list[bytes]) -> bytes:
    """What an attacker would put there: markup, another address, a false answer."""
    if kind == "parse":
        data = json.loads(payload)
        data["data"]["title"] = 12345  # crashed every build before (AttributeError)
        data["data"]["summary"] = f"Bis 99 % {SCRIPT}"
        return json.dumps(data).encode()
    if kind == "problems":
        forged = {"file": "x.yml", "line": 1, "column": 1, "rule": "forged", "message": SCRIPT}
        return json.dumps([forged]).encode()
    # the engine started early with code of the attacker's (the early engine starts only
    # in a process that forks, not in this test's: tests/test_ahead.py runs the command)
    if kind == "engine record":
        data = json.loads(payload)
        data["config"] = data["config"].replace('"plugins": []', '"hooks": ["evil.py"]')
        return json.dumps(data).encode()
    if kind == "finished pages":  # every page as the finishing step "left" it
        pages = json.loads(zlib.decompress(payload))
        forged = {d: [f"{SCRIPT}<a href='{EVIL}'>x</a>", s] for d, (_, s) in pages.items()}
        return zlib.compress(json.dumps(forged).encode())
    if kind in ("page", "print view"):
        return payload + f"\n{SCRIPT}\n[Freigabe]({EVIL})\n".encode()
    if kind == "qr":
        codes = json.loads(zlib.decompress(payload))
        return zlib.compress(json.dumps({url: f"<svg>{EVIL}</svg>" for url in codes}).encode())
    others = [pdf for pdf in pdfs if pdf != payload]
    return others[0] if others else payload + b"%forged"  # an authentic PDF, in the wrong place


def signed_elsewhere(stamp: str, blob_key: str, data: bytes) -> bytes:
    """Made by the same tool on another machine (its own key): a CI cache from elsewhere."""
    return cache.header(stamp, blob_key, data, b"another machine's key") + data


def plain_checksum(stamp: str, blob_key: str, data: bytes) -> bytes:
    """The header as anyone can recompute it: a plain sha256 (the format before keys)."""
    digest = hashlib.sha256(data).hexdigest()
    return f"{cache.FORMAT.decode()} {stamp} {blob_key} {len(data)} {digest}\n".encode() + data


FORGERS: dict[str, Callable[[str, str, bytes], bytes]] = {
    "another key": signed_elsewhere,
    "plain sha256": plain_checksum,
}


@pytest.mark.parametrize("forger", FORGERS.values(), ids=list(FORGERS))
def test_a_forged_entry_of_every_kind_leaves_the_site_as_a_clean_build(
    tmp_path: Path, forger: Callable[[str, str, bytes], bytes]
) -> None:
    source = tmp_path / "playbook"
    shutil.copytree(CASES / "base", source)
    clean = site_of(source, tmp_path / "clean")
    out = tmp_path / "out"
    site_of(source, out)
    found = entries(out / "build")
    kinds = {path: kind_of(path, payload) for path, payload in found.items()}
    assert {
        "parse", "problems", "page", "card pdf", "print view", "qr", "poster", "engine record",
        "finished pages",
    } <= set(kinds.values())  # fmt: skip
    pdfs = [p for path, p in found.items() if kinds[path] == "card pdf"]
    for path, payload in found.items():
        forged = forged_payload(kinds[path], payload, pdfs)
        assert forged != payload
        path.write_bytes(forger(cache.tool_stamp(), path.name, forged))

    assert site_of(source, out) == clean  # every forged entry was a miss
    built = b"".join(tree_digest(out / "site").values())
    assert b"forged" not in built and EVIL.encode() not in built
    for path in found:  # and was replaced by what this build made
        assert entries(out / "build")[path] == found[path]


def test_a_failed_build_removes_the_entries_it_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that fails after reading the cache does not leave what it read behind: an
    entry that led to the failure cannot fail the next build too."""
    from sales_playbook.site import engine

    # as in a test worker run beside others (it runs threads): the printables are made
    # in a thread, which a failed engine waits for, and no engine starts early
    monkeypatch.setattr("sales_playbook.runtime.parallel.other_threads", lambda: True)
    source = tmp_path / "playbook"
    shutil.copytree(CASES / "base", source)
    site_of(source, tmp_path)
    before = {p.parent.name for p in entries(tmp_path / "build")}
    assert before == {"sources", "pages", "cards", "engine", "finished"}

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug met on the way")

    monkeypatch.setattr(engine, "build", broken)
    with pytest.raises(RuntimeError):
        site_of(source, tmp_path)
    # everything it read is gone: with nothing changed, all it had read by then (the cards'
    # entries too, read beside the engine, and the pages as finished, read while it
    # builds). Left: the record of the last build's docs, which the engine starts early
    # from in a process that forks (a test worker runs threads: it does not)
    left = {p.parent.name for p in entries(tmp_path / "build")}
    assert left == {"engine"}
    monkeypatch.undo()
    assert site_of(source, tmp_path)  # and the next build makes them again
    assert {p.parent.name for p in entries(tmp_path / "build")} == before


@pytest.mark.parametrize(
    ("old", "new"),
    [("\nowner:", "\nunknown_key: 1\nowner:"), ("why: ", "why: [Details](#fehlt) ")],
    ids=["schema problem", "broken link found by the engine"],
)
def test_a_playbook_problem_leaves_the_cache_as_it_was(tmp_path: Path, old: str, new: str) -> None:
    """Bad input writes nothing, the cache included: its problems are the sources' own."""
    source = tmp_path / "playbook"
    shutil.copytree(CASES / "base", source)
    site_of(source, tmp_path)
    before = tree_digest(tmp_path / "build")
    path = source / "non-negotiables" / "preisregel.yml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(PlaybookError):
        site_of(source, tmp_path)
    assert tree_digest(tmp_path / "build") == before


# --- the key -----------------------------------------------------------------------------


def test_the_key_comes_from_the_environment_or_a_private_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(cache.SECRET_ENV, raising=False)
    cache.secret.cache_clear()
    try:
        made = cache.secret()
        path = tmp_path / "sales-playbook" / cache.SECRET_FILE
        assert path.read_bytes() == made and len(made) == cache.SECRET_BYTES
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        cache.secret.cache_clear()
        assert cache.secret() == made  # made once, then read

        monkeypatch.setenv(cache.SECRET_ENV, "a repository secret")
        cache.secret.cache_clear()
        given = cache.secret()
        assert given != made
        cache.secret.cache_clear()
        assert cache.secret() == given  # the same secret on every runner
    finally:
        cache.secret.cache_clear()


@pytest.mark.parametrize("plant", ["link", "group-writable", "short"])
def test_a_key_file_someone_else_could_have_made_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plant: str
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(cache.SECRET_ENV, raising=False)
    path = tmp_path / "sales-playbook" / cache.SECRET_FILE
    path.parent.mkdir(parents=True)
    known = b"k" * cache.SECRET_BYTES
    if plant == "link":
        (tmp_path / "known").write_bytes(known)
        os.chmod(tmp_path / "known", 0o600)
        path.symlink_to(tmp_path / "known")
    else:
        path.write_bytes(known if plant == "group-writable" else b"k")
        os.chmod(path, 0o620 if plant == "group-writable" else 0o600)
    cache.secret.cache_clear()
    try:
        assert cache.secret() != known
        assert len(cache.secret()) == cache.SECRET_BYTES
        store = Cache(tmp_path / "c", "1.0")
        store.put(cache.key("x"), b"data")
        store.save()
        assert Cache(tmp_path / "c", "1.0", signing_key=known).get(cache.key("x")) is None
    finally:
        cache.secret.cache_clear()
