"""The sample's generated Markdown is exactly the golden tree (`make golden` refreshes it
on purpose; see tests/golden.py)."""

from __future__ import annotations

import difflib
from pathlib import Path

from .golden import GOLDEN, generated_markdown, golden_markdown


def test_the_generated_markdown_is_the_golden_tree(tmp_path: Path) -> None:
    generated, golden = generated_markdown(tmp_path), golden_markdown()
    assert len(golden) > 30  # the sample's pages, not an empty tree
    assert sorted(generated) == sorted(golden), "pages added or gone: run `make golden`"
    for name, text in sorted(generated.items()):
        if text != golden[name]:
            diff = difflib.unified_diff(
                golden[name].splitlines(), text.splitlines(), f"golden/{name}", name, lineterm=""
            )
            raise AssertionError(
                f"{GOLDEN.name}/{name} differs (run `make golden` if intended):\n"
                + "\n".join(list(diff)[:40])
            )
