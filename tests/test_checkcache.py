"""A build reuses each unchanged file's parse and own checks (build/cache/sources): the
same problems, at the same places, as validating from scratch; a damaged blob is a miss."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sales_playbook.commands import build as commands_build
from sales_playbook.errors import PlaybookError
from sales_playbook.runtime.cache import Cache
from sales_playbook.source import check
from sales_playbook.source.load import load_playbook
from sales_playbook.source.memo import StoredMemo, decode, encode, exact

from .conftest import SAMPLE, TODAY


@pytest.fixture
def playbook(tmp_path: Path) -> Path:
    target = tmp_path / "playbook"
    shutil.copytree(SAMPLE, target)
    return target


def test_a_source_comes_back_from_json_as_it_was(playbook: Path) -> None:
    for source in load_playbook(playbook).sources:
        assert exact(source.data)
        assert decode(encode(source)) == source


def test_data_json_would_change_is_not_kept() -> None:
    assert not exact({1: "a"})  # a number as a key comes back as text
    assert not exact({"a": float("nan")})
    assert not exact({"a": (1, 2)})
    assert exact({"a": [1, 2.5, True, None, "x", {"b": {}}]})


def test_a_warm_check_gives_what_a_cold_one_gives(playbook: Path, tmp_path: Path) -> None:
    store = tmp_path / "sources"
    cold_store = Cache(store)
    cold = check.check(playbook, TODAY, memo=StoredMemo(store=cold_store))
    cold_store.save()
    warm_store = Cache(store)
    warm = check.check(playbook, TODAY, memo=StoredMemo(store=warm_store))
    assert warm_store.hits > 0 and warm_store.misses == 0
    assert warm.problems == cold.problems  # the same warnings, at the same places
    assert warm.model == cold.model


def test_an_edited_file_is_read_again(playbook: Path, tmp_path: Path) -> None:
    store = Cache(tmp_path / "sources")
    check.check(playbook, TODAY, memo=StoredMemo(store=store))
    store.save()
    path = playbook / "escalation-paths" / "rabatt-freigabe.yml"
    path.write_text(path.read_text("utf-8").replace("title:", "titel:", 1), "utf-8")
    with pytest.raises(PlaybookError) as raised:
        check.check(playbook, TODAY, memo=StoredMemo(store=Cache(tmp_path / "sources")))
    fresh = pytest.raises(PlaybookError)
    with fresh as uncached:
        check.check(playbook, TODAY)
    assert raised.value.problems == uncached.value.problems
    assert any(p.file.endswith("rabatt-freigabe.yml") for p in raised.value.problems)


def test_a_damaged_blob_is_parsed_again(playbook: Path, tmp_path: Path) -> None:
    store = Cache(tmp_path / "sources")
    cold = check.check(playbook, TODAY, memo=StoredMemo(store=store))
    store.save()
    for blob in (tmp_path / "sources").iterdir():
        blob.write_bytes(blob.read_bytes()[: len(blob.read_bytes()) // 2])  # truncated
    again = Cache(tmp_path / "sources")
    warm = check.check(playbook, TODAY, memo=StoredMemo(store=again))
    assert again.hits == 0
    assert warm.problems == cold.problems and warm.model == cold.model


def test_a_build_keeps_the_sources_beside_pages_and_cards(playbook: Path, tmp_path: Path) -> None:
    site, build = tmp_path / "site", tmp_path / "build"
    first = commands_build.build(playbook, site, build, TODAY, history=False)
    assert any((build / "cache" / "sources").iterdir())
    second = commands_build.build(playbook, site, build, TODAY, history=False)
    assert second.problems == first.problems
