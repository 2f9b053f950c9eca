"""Stable addresses across renames: `playbook rename`, `previous_ids`, redirects, diff."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sales_playbook.commands import build as commands_build
from sales_playbook.model.card_numbers import card_number
from sales_playbook.source import check

from .conftest import TODAY, run_main, tree_digest
from .test_diff import committed, edit, git


def with_comments(playbook: Path) -> None:
    """Comments and a flow list in the files the rename edits: they must survive it."""
    edit(playbook / "non-negotiables" / "preisregel.yml", "id: preisregel",
         "id: preisregel  # stays stable")  # fmt: skip
    edit(playbook / "flexible-zones" / "ansprache.yml", "bounded_by: [preisregel]",
         "# the zone's limit\nbounded_by: [preisregel]  # only this one\nrelated:\n"
         "  - 'preisregel'  # quoted")  # fmt: skip


def test_rename_updates_references_keeps_comments_and_the_card_number(
    base_playbook: Path,
) -> None:
    with_comments(base_playbook)
    number = card_number("non_negotiable", "preisregel")

    code, _, err = run_main("rename", "preisregel", "preis-grenze", str(base_playbook))

    assert code == 0, err
    assert not (base_playbook / "non-negotiables" / "preisregel.yml").exists()
    renamed = (base_playbook / "non-negotiables" / "preis-grenze.yml").read_text("utf-8")
    assert renamed.splitlines()[1:5] == [
        "id: preis-grenze  # stays stable",
        "previous_ids:",
        "  - preisregel",
        "title: Preisregel",
    ]
    zone = (base_playbook / "flexible-zones" / "ansprache.yml").read_text("utf-8")
    assert "# the zone's limit\nbounded_by: [preis-grenze]  # only this one\n" in zone
    assert "  - 'preis-grenze'  # quoted" in zone
    onboarding = (base_playbook / "onboarding.yml").read_text("utf-8")
    assert "entries: [preis-grenze]" in onboarding
    assert "preisregel" not in zone + onboarding

    model = check.check(base_playbook, TODAY).model
    entry = model.entry("preis-grenze")
    assert entry.previous_ids == ("preisregel",)
    assert card_number(entry.kind, entry.first_id) == number

    # a second rename appends; the number still comes from the first id
    assert run_main("rename", "preis-grenze", "preis-x", str(base_playbook))[0] == 0
    entry = check.check(base_playbook, TODAY).model.entry("preis-x")
    assert entry.previous_ids == ("preisregel", "preis-grenze")
    assert card_number(entry.kind, entry.first_id) == number


def test_old_page_and_short_link_redirect_to_the_renamed_page(
    tmp_path: Path, base_playbook: Path
) -> None:
    number = card_number("non_negotiable", "preisregel")
    assert run_main("rename", "preisregel", "preis-grenze", str(base_playbook))[0] == 0

    site = tmp_path / "site"
    commands_build.build(base_playbook, site, tmp_path / "build", TODAY, history=False)

    def target(page: Path) -> str:
        html = page.read_text("utf-8")
        match = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html)
        assert match, html
        return (page.parent / match[1]).resolve().relative_to(site.resolve()).as_posix()

    assert (site / "non-negotiables" / "preis-grenze.html").is_file()
    assert (
        target(site / "non-negotiables" / "preisregel.html") == "non-negotiables/preis-grenze.html"
    )
    assert target(site / "c" / f"{number}.html") == "non-negotiables/preis-grenze.html"
    # the card carries the old number and a short link to it
    cards = (site / "cards" / "index.html").read_text("utf-8")
    assert number in cards


def test_rename_writes_nothing_when_it_cannot_be_done(base_playbook: Path) -> None:
    before = tree_digest(base_playbook)
    for args, message in [
        (("preisregel", "ansprache"), "is the id of an entry already"),
        (("fehlt", "neu"), "no entry has the id `fehlt`"),
        (("preisregel", "Preis Regel"), "is not a valid id"),
        (("preisregel", "index"), "is reserved"),
    ]:
        code, _, err = run_main("rename", *args, str(base_playbook))
        assert code == 2, err
        assert message in err
    assert tree_digest(base_playbook) == before

    # a former id stays taken: by `rename`, `new` and validation
    assert run_main("rename", "preisregel", "preis-grenze", str(base_playbook))[0] == 0
    after = tree_digest(base_playbook)
    code, _, err = run_main("rename", "ansprache", "preisregel", str(base_playbook))
    assert code == 2
    assert "former id" in err
    code, _, err = run_main("new", "non-negotiables", "preisregel", str(base_playbook))
    assert code == 2
    assert "was the id of an entry before" in err
    assert tree_digest(base_playbook) == after
    edit(base_playbook / "flexible-zones" / "ansprache.yml", "id: ansprache",
         "id: ansprache\nprevious_ids: [preisregel]")  # fmt: skip
    code, _, err = run_main("validate", str(base_playbook))
    assert code == 1
    assert "error[duplicate-id]: id `preisregel` is already used" in err


def test_diff_with_a_git_base_refuses_a_rename_without_previous_ids(
    tmp_path: Path, base_playbook: Path
) -> None:
    repo = tmp_path / "repo"
    source = committed(base_playbook, repo, "v1")
    rules = source / "non-negotiables"
    (rules / "preisregel.yml").rename(rules / "preis-grenze.yml")
    edit(rules / "preis-grenze.yml", "id: preisregel", "id: preis-grenze")
    edit(source / "flexible-zones" / "ansprache.yml", "[preisregel]", "[preis-grenze]")
    edit(source / "onboarding.yml", "[preisregel]", "[preis-grenze]")

    code, out, err = run_main("diff", str(source), "--base", "HEAD")

    assert (code, out) == (1, "")
    assert "error[undeclared-rename]: `preisregel` was renamed to `preis-grenze`" in err
    assert f" --> {source / 'non-negotiables' / 'preis-grenze.yml'}:2:5  (at $.id)\n" in err
    assert "playbook rename preisregel preis-grenze" in err
    assert "previous_ids: [preisregel]" in err

    # declared: a rename and nothing else
    edit(
        rules / "preis-grenze.yml",
        "id: preis-grenze",
        "id: preis-grenze\nprevious_ids: [preisregel]",
    )
    code, out, err = run_main("diff", str(source), "--base", "HEAD", "--format", "json")
    assert code == 0, err
    [change] = json.loads(out)
    assert (change["change"], change["old_id"], change["id"]) == (
        "renamed",
        "preisregel",
        "preis-grenze",
    )
    assert change["sentences"] == [
        "Renamed: \u201cpreisregel\u201d is now \u201cpreis-grenze\u201d."
    ]

    # `playbook rename` on the committed version does the same
    git(repo, "checkout", "-q", "--", ".")
    git(repo, "clean", "-qfd")
    assert run_main("rename", "preisregel", "preis-grenze", str(source))[0] == 0
    code, out, _ = run_main("diff", str(source), "--base", "HEAD", "--format", "json")
    assert code == 0
    assert [c["change"] for c in json.loads(out)] == ["renamed"]


def test_rename_updates_live_values_in_every_scalar_style(base_playbook: Path) -> None:
    rule = base_playbook / "non-negotiables" / "preisregel.yml"
    edit(rule, "summary: Rabatte nur im Korridor.",
         "summary: 'Bis {rabatt} ''selbst'', darüber {rabatt:lead}.'")  # fmt: skip
    edit(rule, "rule: Gewähre nie mehr als 10 % Rabatt ohne Freigabe.",
         "rule: >-\n  Gewähre nie mehr\n"
         "  als {rabatt} ohne Freigabe; {{rabatt} bleibt.")  # fmt: skip

    code, _, err = run_main("rename", "rabatt", "rabatt-korridor", str(base_playbook))

    assert code == 0, err
    text = rule.read_text("utf-8")
    assert "summary: 'Bis {rabatt-korridor} ''selbst'', darüber {rabatt-korridor:lead}.'" in text
    assert "  als {rabatt-korridor} ohne Freigabe; {{rabatt} bleibt." in text  # escaped stays
    code, _, err = run_main("validate", str(base_playbook), "--strict")
    assert code == 0, err
