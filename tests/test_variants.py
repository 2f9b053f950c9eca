"""Live values per view (variants.Live): one span per value a reader can see, escaped, and
plain text where Markdown shows text as written."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from sales_playbook.model.playbook import Playbook
from sales_playbook.site.variants import Live
from sales_playbook.site.views import views
from sales_playbook.source import check

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def model() -> Playbook:
    return check.check(SAMPLE, dt.date(2026, 11, 23)).model


def spans(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<span class="([^"]*)"[^>]*>([^<]*)</span>', html)


def test_a_value_alike_at_every_level_of_a_team_is_one_span_per_team(model: Playbook) -> None:
    html = str(Live(model, views(model))("bis {rabatt-freigabe:teamleitung}"))
    found = spans(html.replace("\xa0", " "))
    assert [value for _, value in found] == ["15 %", "10 %"]  # the organisation's, the team's
    org, team = (set(classes.split()) for classes, _ in found)
    levels = {
        "pb-view-nolevel",
        *(f"pb-view-level--{lv}" for lv in ("einsteiger", "zertifiziert", "senior")),
    }
    assert levels <= org and levels <= team
    assert "pb-view-team--org" in org and "pb-view-team--oeffentlicher-sektor" not in org
    assert "pb-view--default" in org and "pb-view--default" not in team


def test_a_value_that_differs_by_level_has_a_span_for_each_view(model: Playbook) -> None:
    found = spans(str(Live(model, views(model))("{rabatt-freigabe}")).replace("\xa0", " "))
    assert len(found) == 8  # two teams x (no level chosen + three levels)
    default = [value for classes, value in found if "pb-view--default" in classes]
    assert default == [
        "5 % (Stufe Einsteiger:in) / 10 % (Stufe Zertifiziert) / 12 % (Stufe Senior)"
    ]


def test_in_a_code_span_or_a_link_address_the_value_is_plain_text(model: Playbook) -> None:
    html = str(
        Live(model, views(model))("`{rabatt-freigabe:teamleitung}` [x](/a/{rabatt-freigabe})")
    )
    assert "<span" not in html
    assert html.replace("\xa0", " ").startswith("`15 %` [x](/a/5 % (Stufe Einsteiger:in)")


def test_text_around_values_and_a_teams_name_stay_text(model: Playbook) -> None:
    html = str(Live(model, views(model))("<b>x</b> {rabatt-freigabe} {{ 7*7 }}"))
    assert html.startswith("&lt;b&gt;x&lt;/b&gt; <span") and html.endswith("{{ 7*7 }}")
