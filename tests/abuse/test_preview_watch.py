"""The preview follows a playbook folder that is deleted or renamed away and restored
(checkout, copy, renamed back): a banner while it is gone, every edit again once it is
back."""

from __future__ import annotations

import shutil
from pathlib import Path

from sales_playbook.preview.banner import gone

from ..test_serve import eventually, get, serving

PAGE = "non-negotiables/preisregel.html"
GONE = "pb-preview-gone"


def retitle(playbook: Path, old: str, new: str) -> None:
    rule = playbook / "non-negotiables" / "preisregel.yml"
    text = rule.read_text("utf-8")
    assert f"title: {old}\n" in text
    rule.write_text(text.replace(f"title: {old}\n", f"title: {new}\n"), "utf-8")


def title_shown(base: str, title: str) -> bool:
    status, page = get(f"{base}{PAGE}")
    return status == 200 and f">{title}<" in page.replace("¶", "")


def test_a_deleted_folder_shows_a_banner_and_the_restored_one_is_followed(
    base_playbook: Path, tmp_path: Path
) -> None:
    kept = tmp_path / "kept"
    shutil.copytree(base_playbook, kept)
    log = tmp_path / "serve.log"
    with serving(base_playbook, tmp_path) as base:
        page = f"{base}{PAGE}"
        assert GONE not in get(page)[1]

        shutil.rmtree(base_playbook)
        eventually(lambda: GONE in get(page)[1], "show that the folder is gone", timeout=30)
        shown = get(page)[1]
        assert f"{base_playbook.name}</code>" in shown and "wieder da" in shown  # German site
        assert "Preisregel" in shown  # the last version built stays
        assert GONE in get(base)[1]  # on every page
        eventually(lambda: "is gone" in log.read_text("utf-8"), "say so", timeout=30)

        shutil.copytree(kept, base_playbook)  # restored: another folder (inode)
        eventually(lambda: GONE not in get(page)[1], "drop the banner", timeout=30)
        assert "pb-preview-problems" not in get(page)[1]

        retitle(base_playbook, "Preisregel", "Preisregel wieder da")
        eventually(lambda: title_shown(base, "Preisregel wieder da"), "show an edit", timeout=30)
        assert GONE not in get(page)[1]
    said = log.read_text("utf-8")
    assert said.count("is gone") == 1, said
    assert "Traceback" not in said


def test_a_folder_renamed_away_and_back_or_replaced_at_once_is_followed(
    base_playbook: Path, tmp_path: Path
) -> None:
    away = tmp_path / "away"
    with serving(base_playbook, tmp_path) as base:
        page = f"{base}{PAGE}"
        base_playbook.rename(away)  # the same folder (inode) comes back
        eventually(lambda: GONE in get(page)[1], "show that the folder is gone", timeout=30)
        away.rename(base_playbook)
        eventually(lambda: GONE not in get(page)[1], "drop the banner", timeout=30)
        retitle(base_playbook, "Preisregel", "Preisregel zurück")
        eventually(lambda: title_shown(base, "Preisregel zurück"), "show an edit", timeout=30)

        # replaced between two looks (a checkout): the new folder is followed
        shutil.copytree(base_playbook, away)
        shutil.rmtree(base_playbook)
        shutil.copytree(away, base_playbook)
        retitle(base_playbook, "Preisregel zurück", "Preisregel ersetzt")
        eventually(lambda: title_shown(base, "Preisregel ersetzt"), "show an edit", timeout=30)
        retitle(base_playbook, "Preisregel ersetzt", "Preisregel noch einmal")
        eventually(lambda: title_shown(base, "Preisregel noch einmal"), "show it", timeout=30)
        assert GONE not in get(page)[1]
    assert "Traceback" not in (tmp_path / "serve.log").read_text("utf-8")


def test_the_gone_banner_names_the_folder_escaped_in_the_sites_language() -> None:
    shown = gone("/tmp/<script>alert(1)</script>", "de").decode()
    assert "/tmp/&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "<script" not in shown and "http" not in shown  # escaped, nothing loaded
    assert "wieder da" in shown
    assert "resumes" in gone("/x", "fr").decode()  # English otherwise
