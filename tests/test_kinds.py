"""The registry of kinds agrees with the schemas, templates, labels and the diff."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from sales_playbook.cards import carddata
from sales_playbook.changes.comparators import COMPARATORS
from sales_playbook.changes.policy import POLICY
from sales_playbook.model import kinds
from sales_playbook.model import playbook as model
from sales_playbook.model.card_numbers import card_number
from sales_playbook.site.scripts import assets
from sales_playbook.source.checks.teams import TIGHTENS
from sales_playbook.source.load import discover

ROOT = Path(__file__).resolve().parent.parent
KIND_NAMES = [k.name for k in kinds.KINDS]


def test_names_folders_schemas_and_prefixes_are_unique() -> None:
    for attribute in ("name", "folder", "schema", "prefix", "model", "colour"):
        values = [getattr(k, attribute) for k in kinds.KINDS]
        assert len(set(values)) == len(values), attribute


@pytest.mark.parametrize("name", KIND_NAMES)
def test_each_kind_has_its_schema_model_templates_and_labels(name: str) -> None:
    kind = kinds.BY_NAME[name]
    schema = json.loads((ROOT / "schemas" / f"{kind.schema}.schema.json").read_text("utf-8"))
    assert "id" in schema["required"]
    assert issubclass(kind.model, model.Entry)
    assert kind.model.from_data is not model.Entry.from_data  # its own constructor
    assert (ROOT / "site_templates" / "pages" / kind.page_template).is_file()
    assert (ROOT / "site_templates" / "cards" / kind.card_template).is_file()
    assert (ROOT / "site_templates" / "cards" / kind.card_typst).is_file()
    assert kind.name in carddata.BODIES
    assert re.fullmatch(r"#[0-9a-f]{6}", kind.colour)
    assert re.fullmatch(r"[MmLlHhVvCcSsQqTtAaZz0-9 .,-]+", kind.icon)
    assert callable(COMPARATORS[name])
    assert card_number(name, "x").startswith(f"{kind.prefix}-")
    for language in ("de", "en"):
        labels = yaml.safe_load((ROOT / "site_templates" / "i18n" / f"{language}.yml").read_text())
        assert {"one", "many", "lead"} <= set(labels["kinds"][name])


def test_the_diff_has_one_comparator_for_each_kind_and_no_other() -> None:
    assert sorted(COMPARATORS) == sorted(KIND_NAMES)
    assert len(set(COMPARATORS.values())) == len(COMPARATORS)


def test_every_kind_has_its_approval_table_and_its_tightening_rule() -> None:
    """A kind missing in either would be judged by the common rows only, or be impossible
    for a team to tighten, without any error saying why."""
    assert set(KIND_NAMES) <= set(POLICY)  # (and the files that are no entries)
    assert sorted(TIGHTENS) == sorted(KIND_NAMES)


def test_no_kind_is_spelled_out_elsewhere() -> None:
    """Colours live only in the registry: the stylesheets carry none of the kinds."""
    for css in ("site_templates/cards/cards.css", "site_templates/assets/stylesheets/playbook.css"):
        text = (ROOT / css).read_text("utf-8")
        assert not any(name in text for name in KIND_NAMES), css
    generated = assets()["assets/stylesheets/kinds.css"]
    for kind in kinds.KINDS:
        assert f".pb-kind--{kind.name} {{ background: {kind.colour}; }}" in generated


def test_a_file_in_each_kinds_folder_is_found_as_that_kind(tmp_path: Path) -> None:
    for kind in kinds.KINDS:
        (tmp_path / kind.folder).mkdir()
        (tmp_path / kind.folder / "x.yml").write_text("id: x\n")
    found, problems = discover(tmp_path)
    assert not [p for p in problems if p.rule == "unknown-file"]
    assert sorted(k for _, k in found) == sorted(KIND_NAMES)


def test_lookup_by_name_or_folder() -> None:
    for kind in kinds.KINDS:
        assert kinds.lookup(kind.name) is kind
        assert kinds.lookup(kind.folder) is kind
    assert kinds.lookup("rules") is None
