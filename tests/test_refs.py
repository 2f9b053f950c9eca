"""Live references to band edges in free text: `{path}` and `{path:role}`."""

from __future__ import annotations

import dataclasses

import pytest

from sales_playbook.model.levels import at_level
from sales_playbook.model.overlay import apply
from sales_playbook.model.playbook import Band, EscalationPath, Playbook
from sales_playbook.model.refs import Ref, ref_value, refs_in, render_refs
from sales_playbook.source.assemble import build_model
from sales_playbook.source.check import validate
from sales_playbook.source.validate import default_interval
from sales_playbook.text import Text

from .conftest import SAMPLE, TODAY

DE, EN = Text("de"), Text("en")


@pytest.fixture(scope="module")
def sample() -> Playbook:
    sources, problems = validate(SAMPLE, TODAY)
    assert [p for p in problems if p.severity == "error"] == []
    return build_model(sources, TODAY, default_interval(sources))


def test_refs_in_finds_paths_roles_and_their_offsets() -> None:
    text = "Bis {rabatt-freigabe} du, bis {rabatt-freigabe:teamleitung} die TL."
    found = refs_in(text)
    assert found == [
        Ref("rabatt-freigabe", "", 4, 21),
        Ref("rabatt-freigabe", "teamleitung", 30, 59),
    ]
    assert [text[r.start : r.end] for r in found] == [
        "{rabatt-freigabe}",
        "{rabatt-freigabe:teamleitung}",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        "{ rabatt-freigabe }",
        "{Rabatt-Freigabe}",
        "{rabatt_freigabe}",
        "{rabatt-freigabe:}",
        "{:teamleitung}",
        "{a:b:c}",
        "{-a}",
        "{a-}",
        "{a--b}",
        "{rabatt-freigabe",
        "rabatt-freigabe}",
        "{{rabatt-freigabe}",
        "{{rabatt-freigabe:teamleitung}}",
        '{"json": 1}',
        "% {x y}",
    ],
)
def test_anything_but_a_slug_in_braces_is_no_reference(text: str) -> None:
    assert refs_in(text) == []


def test_an_escaped_brace_before_a_reference_leaves_the_reference() -> None:
    text = "{{{a}"
    assert refs_in(text) == [Ref("a", "", 2, 5)]


def test_other_double_braces_stay_text(sample: Playbook) -> None:
    text = "Feindlich {{ 7*7 }} und {{x"
    assert refs_in(text) == []
    assert render_refs(text, sample, Text("de")) == text


def test_the_rep_role_limit_follows_the_level(sample: Playbook) -> None:
    ref = refs_in("{rabatt-freigabe}")[0]
    assert ref_value(sample, ref) == 5  # the lowest level's bands, unresolved
    limits = {lv: ref_value(at_level(sample, lv), ref) for lv in ("einsteiger", "senior")}
    assert limits == {"einsteiger": 5, "senior": 12}
    assert ref_value(at_level(sample, "zertifiziert"), ref) == 10


def test_another_roles_limit_is_the_top_of_its_highest_band(sample: Playbook) -> None:
    assert ref_value(sample, Ref("rabatt-freigabe", "teamleitung", 0, 0)) == 15
    assert ref_value(sample, Ref("rabatt-freigabe", "geschaeftsfuehrung", 0, 0)) == 100
    assert ref_value(sample, Ref("vertragsvolumen-freigabe", "vertriebsleitung", 0, 0)) == 1e6


def test_an_open_ended_top_band_gives_its_lower_edge(sample: Playbook) -> None:
    ref = Ref("vertragsvolumen-freigabe", "geschaeftsfuehrung", 0, 0)
    assert ref_value(sample, ref) == 1_000_000
    assert ref_value(sample, Ref("vertragsklausel-freigabe", "geschaeftsfuehrung", 0, 0)) == 2


def test_a_single_open_ended_band_gives_the_minimum(sample: Playbook) -> None:
    path = sample.entry("vertragsvolumen-freigabe")
    assert isinstance(path, EscalationPath)
    only = Band(None, None, 0, "vertrieb", (), (), 0, "CRM", "")
    alone = dataclasses.replace(path, bands=(only,))
    model = dataclasses.replace(sample, entries=(alone,))
    assert ref_value(model, Ref("vertragsvolumen-freigabe", "", 0, 0)) == 0


def test_no_value_where_the_role_decides_nothing_or_the_path_is_unknown(
    sample: Playbook,
) -> None:
    assert ref_value(sample, Ref("rabatt-freigabe", "finanzen", 0, 0)) is None
    assert ref_value(sample, Ref("rabatt-freigabe", "niemand", 0, 0)) is None
    assert ref_value(sample, Ref("gibt-es-nicht", "", 0, 0)) is None
    assert ref_value(sample, Ref("rabatt-obergrenze", "", 0, 0)) is None  # not a path
    # at the lowest level the rep decides no payment term: the team lead does
    zahlungsziel = Ref("zahlungsziel-freigabe", "", 0, 0)
    assert ref_value(at_level(sample, "einsteiger"), zahlungsziel) is None
    assert ref_value(at_level(sample, "senior"), zahlungsziel) == 45


def test_a_team_view_has_the_teams_values(sample: Playbook) -> None:
    team = apply(sample, "oeffentlicher-sektor")
    ref = Ref("rabatt-freigabe", "", 0, 0)
    assert ref_value(at_level(team, "senior"), ref) == 8
    assert ref_value(team, Ref("rabatt-freigabe", "teamleitung", 0, 0)) == 10


def test_render_formats_in_the_paths_unit_and_language(sample: Playbook) -> None:
    senior = at_level(sample, "senior")
    text = "Bis {rabatt-freigabe} entscheidest du; Verträge bis {vertragsvolumen-freigabe}."
    nb = "\u00a0"  # the units keep a number and its unit together
    assert render_refs(text, senior, DE) == (
        f"Bis 12{nb}% entscheidest du; Verträge bis 50.000{nb}EUR."
    )
    assert render_refs(text, senior, EN) == (
        f"Bis 12{nb}% entscheidest du; Verträge bis EUR{nb}50,000."
    )
    days = render_refs("{zahlungsziel-freigabe:teamleitung}", senior, DE)
    assert days == f"60{nb}Tage"


def test_render_says_nothing_where_there_is_no_value(sample: Playbook) -> None:
    einsteiger = at_level(sample, "einsteiger")
    assert render_refs("bis {zahlungsziel-freigabe}", einsteiger, DE) == "bis nichts"
    assert render_refs("{gibt-es-nicht} / {rabatt-freigabe:x}", sample, EN) == "nothing / nothing"


def test_render_keeps_other_braces_and_unescapes_double_ones(sample: Playbook) -> None:
    text = "{{rabatt-freigabe} ist {rabatt-freigabe}, {x y}, {}, }}, {A}"
    assert render_refs(text, sample, DE) == "{rabatt-freigabe} ist 5\u00a0%, {x y}, {}, }}, {A}"


def test_render_passes_each_value_through_wrap(sample: Playbook) -> None:
    seen: list[Ref] = []

    def wrap(value: str, ref: Ref) -> str:
        seen.append(ref)
        return f"<b data-ref='{ref.path}:{ref.role}'>{value}</b>"

    text = "{rabatt-freigabe} / {rabatt-freigabe:teamleitung}"
    shown = render_refs(text, sample, DE, wrap)
    assert shown.replace("\u00a0", " ") == (
        "<b data-ref='rabatt-freigabe:'>5 %</b> / "
        "<b data-ref='rabatt-freigabe:teamleitung'>15 %</b>"
    )
    assert seen == refs_in(text)


def test_render_leaves_text_without_references_as_it_is(sample: Playbook) -> None:
    text = "Rabatt bis 10 % - {nicht: eine Referenz} und ein } allein."
    assert render_refs(text, sample, DE) == text
