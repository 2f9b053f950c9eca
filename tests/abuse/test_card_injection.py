"""Text that is Typst syntax stays text on the cards: the data travels as JSON, never as
Typst code. Every text field of every kind carries the payload."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from sales_playbook.cards import deck as cards
from sales_playbook.cards.typeset import typeset
from sales_playbook.source import check
from sales_playbook.text import Text

from ..conftest import TODAY, run_cli
from ..test_xss import poison

# markup, code, maths, references, labels, escapes and a would-be file read
PAYLOAD = '#panic("x") $x^2$ ] [ @ref <script>alert(1)</script> \\ #read("/etc/passwd") *b* _i_'
SHOWN = PAYLOAD.replace(" ", "")


def flat(text: str) -> str:
    return "".join(text.replace("\u00ad", "").split())


def test_every_field_of_every_kind_stays_text(base_playbook: Path, tmp_path: Path) -> None:
    for path in base_playbook.rglob("*.yml"):
        data = poison(yaml.safe_load(path.read_text("utf-8")), PAYLOAD)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, width=10_000), "utf-8")
    out = tmp_path / "deck"
    # A5: the payload makes every text longer; the point here is what is set, not the fit
    code, err = run_cli("cards", str(base_playbook), "--out", str(out), "--size", "A5")
    assert code == 0, err
    model = check.check(base_playbook, TODAY).model
    pdf = PdfReader(out / "decision-cards.pdf")
    assert len(pdf.pages) == len(model.in_force)  # nothing broke a page or ended the deck
    for entry, page in zip(model.in_force, pdf.pages, strict=True):
        text = flat(page.extract_text())
        assert text.count(SHOWN) >= 2, entry.id  # title and summary or rule, at least
        assert "root:" not in text


def _strings(value: Any, payload: str) -> Any:
    """`payload` appended to every string in the card data."""
    if isinstance(value, dict):
        return {k: _strings(v, payload) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v, payload) for v in value]
    return f"{value} {payload}" if isinstance(value, str) else value


TEMPLATE_KEYS = {"kind", "colour", "icon", "qr"}  # chosen by the tool, not a playbook


def test_every_string_the_template_sets_stays_text(base_playbook: Path) -> None:
    model = check.check(base_playbook, TODAY).model
    made = cards.make_cards(model, model.in_force, None)
    data = cards.deck_data(model, made, cards.CardOptions("A5"), Text(model.language))
    data["labels"] = _strings(data["labels"], PAYLOAD)
    data["cards"] = [
        {k: v if k in TEMPLATE_KEYS else _strings(v, PAYLOAD) for k, v in card.items()}
        for card in data["cards"]
    ]
    laid = typeset(data, 0)
    import io

    pages = PdfReader(io.BytesIO(laid.pdf)).pages
    assert len(pages) == len(made)
    for card, page in zip(data["cards"], pages, strict=True):
        text = flat(page.extract_text())
        strings = json.dumps(card["body"], ensure_ascii=False).count(PAYLOAD.replace('"', '\\"'))
        # title, number, kind label, meta lines, URL and every string of the body
        assert text.count(SHOWN) >= strings + 3, card["number"]


SUMMARIES = [  # (an escalation path's card gives the answer its bands make, not its summary)
    ("flexible-zones", "ansprache.yml"),
    ("qualification", "lead.yml"),
    ("underperformance", "schwaeche.yml"),
]


@pytest.mark.parametrize(
    ("file", "field"),
    [("non-negotiables/preisregel.yml", "title"), ("non-negotiables/preisregel.yml", "rule")]
    + [(f"{folder}/{name}", "summary") for folder, name in SUMMARIES]
    + [("escalation-paths/rabatt.yml", "quantity.name")],
)
def test_typst_syntax_in_one_field_builds_and_shows(
    base_playbook: Path, tmp_path: Path, file: str, field: str
) -> None:
    path = base_playbook / file
    data = yaml.safe_load(path.read_text("utf-8"))
    *parents, name = field.split(".")
    held = data
    for parent in parents:
        held = held[parent]
    held[name] = f"{held[name]} {PAYLOAD}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, width=10_000), "utf-8")
    out = tmp_path / "deck"
    code, err = run_cli("cards", str(base_playbook), "--out", str(out), "--size", "A5")
    assert code == 0, err
    text = "".join(flat(p.extract_text()) for p in PdfReader(out / "decision-cards.pdf").pages)
    assert SHOWN in text
