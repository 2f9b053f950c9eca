"""Synthetic playbooks of any size: the German sample, cloned in its own proportions.

Every clone keeps valid references (to the sample's roles and entries), so the result
validates like a real playbook; titles get a number so pages and search differ.
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "playbook"
FOLDERS = [
    "non-negotiables",
    "flexible-zones",
    "escalation-paths",
    "qualification",
    "underperformance",
]


def generate(entries: int, target: Path) -> Path:
    """A playbook with `entries` entries in `target` (replaced if it exists)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(SAMPLE, target)
    templates = sorted(p for folder in FOLDERS for p in (SAMPLE / folder).glob("*.yml"))
    missing = entries - len(templates)
    if missing < 0:
        for path in sorted(target.rglob("*.yml"))[::-1]:
            if missing == 0:
                break
            if path.parent.name in FOLDERS and not _referenced(path.stem):
                path.unlink()
                missing += 1
        return target
    for number, template in zip(range(1, missing + 1), itertools.cycle(templates), strict=False):
        clone_id = f"{template.stem}-{number:05d}"
        text = template.read_text("utf-8")
        text = re.sub(r"^id: .*$", f"id: {clone_id}", text, count=1, flags=re.M)
        text = re.sub(r"^title: (.*)$", rf"title: \1 ({number})", text, count=1, flags=re.M)
        (target / template.parent.name / f"{clone_id}.yml").write_text(text, "utf-8")
    return target


def _referenced(entry_id: str) -> bool:
    """Sample entries other entries or the onboarding track point to stay in place."""
    return any(
        re.search(rf"\b{re.escape(entry_id)}\b", p.read_text("utf-8"))
        for p in SAMPLE.rglob("*.yml")
        if p.stem != entry_id
    )
