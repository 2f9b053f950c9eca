"""`playbook serve` rebuilds the preview when a source changes (on loopback only)."""

from __future__ import annotations

from pathlib import Path

from bench.reload import edit_to_reload


def test_preview_shows_an_edit(base_playbook: Path, tmp_path: Path) -> None:
    # raises TimeoutError unless the served page shows the edited title
    timing = edit_to_reload(base_playbook, tmp_path, "non-negotiables/preisregel", timeout=60)
    assert timing["startup_s"] > 0
