"""The registry of entry kinds: everything that differs from one kind to the next.

Adding a kind means one entry here, one schema in `schemas/`, one model class in
`model/playbook.py`, one page template in `site_templates/pages/`, its card templates in
`site_templates/cards/kinds/` (Typst for the PDFs, HTML for the print view) with its
card data in `cards/carddata.py` (plus its labels in `site_templates/i18n/`), and its
comparator in `changes/comparators.py`.
`tests/test_kinds.py` walks this registry against all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .playbook import (
    Entry,
    EscalationPath,
    FlexibleZone,
    NonNegotiable,
    QualificationRule,
    Underperformance,
)


@dataclass(frozen=True)
class Kind:
    name: str  # in the model, templates, CSS classes and i18n labels: `non_negotiable`
    folder: str  # where its files live in a playbook and its pages on the site
    schema: str  # `schemas/<schema>.schema.json`
    noun: str  # in messages: "a non-negotiable"
    prefix: str  # of its card numbers: `NN-…`
    model: type[Entry]
    icon: str  # SVG path (24 x 24) on its card
    colour: str  # of its card band and its badge on the site
    search_boost: (
        float  # how much a match on an entry counts (site/search.py): rules and thresholds first
    )

    @property
    def page_template(self) -> str:
        return f"{self.name}.md.j2"

    @property
    def card_template(self) -> str:
        """Its part of the card in the HTML print view."""
        return f"kinds/{self.name}.html.j2"

    @property
    def card_typst(self) -> str:
        """Its part of the card in the PDFs (`deck.typ` imports it by the kind's name)."""
        return f"kinds/{self.name}.typ"


KINDS: tuple[Kind, ...] = (
    Kind(
        name="non_negotiable",
        folder="non-negotiables",
        schema="non-negotiable",
        noun="non-negotiable",
        prefix="NN",
        model=NonNegotiable,
        icon="M12 2 4 5v6c0 5.2 3.4 10 8 11 4.6-1 8-5.8 8-11V5z",
        colour="#b71c1c",
        search_boost=1.15,
    ),
    Kind(
        name="flexible_zone",
        folder="flexible-zones",
        schema="flexible-zone",
        noun="flexible zone",
        prefix="FZ",
        model=FlexibleZone,
        icon="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z",
        colour="#1b5e20",
        search_boost=1,
    ),
    Kind(
        name="escalation_path",
        folder="escalation-paths",
        schema="escalation-path",
        noun="escalation path",
        prefix="EP",
        model=EscalationPath,
        icon="M3 19h5v-5h4v-4h4V6h5V4h-7v4h-4v4H6v4H3z",
        colour="#0d47a1",
        search_boost=1.2,
    ),
    Kind(
        name="qualification_rule",
        folder="qualification",
        schema="qualification-rule",
        noun="qualification rule",
        prefix="QR",
        model=QualificationRule,
        icon="M3 4h18l-7 8.5V18l-4 2v-7.5z",
        colour="#4a148c",
        search_boost=1,
    ),
    Kind(
        name="underperformance",
        folder="underperformance",
        schema="underperformance",
        noun="underperformance procedure",
        prefix="UP",
        model=Underperformance,
        icon="M3 17.5 9.5 11l4 4L19 9.5V13h2V6h-7v2h3.6l-4.1 4.1-4-4L1.6 16z",
        colour="#8d4f00",
        search_boost=1,
    ),
)

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS}
ENTRY_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS)  # in display order
KIND_NAMES: dict[str, str] = {k.name: k.noun for k in KINDS}  # in messages: "non-negotiable"


def kind_of(entry: Entry) -> Kind:
    return BY_NAME[entry.kind]


def lookup(name: str) -> Kind | None:
    """A kind by its name (`escalation_path`) or folder (`escalation-paths`)."""
    return BY_NAME.get(name) or BY_FOLDER.get(name)


def stylesheet(selector: str) -> str:
    """CSS giving each kind its colour; `selector` has `{kind}` where the name goes."""
    return "".join(f"{selector.format(kind=k.name)} {{ background: {k.colour}; }}\n" for k in KINDS)
