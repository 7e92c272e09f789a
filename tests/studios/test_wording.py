"""Words on the studio pages: a person's name is headed 姓名 (not 名称, a thing's name), the funding
criterion says no more than the rule does, and a naming batch's label is composed in one language."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from studios.eligibility import studio_eligibility
from studios.models import EligibilityRules, NamingBatch, batch_label, batch_ordinal

# The Chinese of the msgids these tests read. The lead merges the catalogue from the helpers'
# lists; until then the test supplies the entries it needs, so it checks the templates and the
# code ask for them (with their context), and afterwards that the merged wording is this one.
CATALOGUE = {
    "person\x04Name": "姓名",
    "in place (more than ¥0)": "已落实（大于 ¥0）",
    "at least ¥%(amount)s": "不少于 ¥%(amount)s",
    "naming batch\x04%(year)s %(level)s %(name)s": "%(year)s年%(level)s%(name)s",
    "naming batch\x04company-level": "公司级",
    "naming batch\x04provincial-level": "省部级",
}


@pytest.fixture
def chinese():
    catalogue = trans_real.translation("zh-hans")._catalog
    missing = {key: value for key, value in CATALOGUE.items() if catalogue.get(key) is None}
    for key, value in missing.items():
        catalogue[key] = value
    with translation.override("zh-hans"):
        yield
    for key in missing:
        for part in catalogue._catalogs:
            part.pop(key, None)


def test_person_names_are_headed_full_name(world, client_as, chinese):
    studio = world.studio()
    page = client_as(world.unit_cadre).get(reverse("studios:studio_detail", args=[studio.pk])).content.decode()
    team = page.split('id="team"')[1].split("</table>")[0]
    assert "<th>姓名</th>" in team and "<th>名称</th>" not in team
    home = client_as(world.studio_lead).get(reverse("home")).content.decode()
    assert '<dt class="col-4">姓名</dt>' in home and '<dt class="col-4">名称</dt>' not in home


def test_the_funding_criterion_says_what_the_rule_asks(world, chinese):
    studio = world.studio()
    rules = EligibilityRules.current()
    rules.require_funding, rules.min_funding = True, Decimal("0")
    funding = next(c for c in studio_eligibility(studio, rules) if c.code == "funding")
    assert str(funding.threshold) == "已落实（大于 ¥0）"
    rules.min_funding = Decimal("10000")
    funding = next(c for c in studio_eligibility(studio, rules) if c.code == "funding")
    assert str(funding.threshold) == "不少于 ¥10,000.00"
    with translation.override("en"):
        rules.min_funding = Decimal("0")
        assert str(next(c for c in studio_eligibility(studio, rules) if c.code == "funding").threshold) == (
            "in place (more than ¥0)"
        )


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("第一批", 1),
        ("首批", 1),
        ("第二批", 2),
        ("第十批", 10),
        ("第十二批", 12),
        ("第二十批", 20),
        ("第三十五批", 35),
        ("第3批", 3),
        ("春季批", None),
        ("第一二批", None),
        ("第批", None),
        ("", None),
    ],
)
def test_a_batch_named_by_its_order_has_that_number(name, number):
    assert batch_ordinal(name) == number


def test_a_batch_label_is_composed_in_the_active_language(db, chinese):
    batch = NamingBatch(
        year=2025,
        level="company",
        name="第一批",
        publicity_start=datetime.date(2025, 5, 6),
        publicity_end=datetime.date(2025, 5, 12),
    )
    assert str(batch) == "2025年公司级第一批", "the Chinese is the union's own wording, unchanged"
    assert batch_label(2026, "provincial", "首批") == "2026年省部级首批"
    with translation.override("en"):
        assert str(batch) == "2025 company-level batch 1"
        assert batch_label(2026, "provincial", "首批") == "2026 provincial-level batch 1"
        assert batch_label(2026, "company", "春季增补") == "2026 company-level 春季增补", "a name of its own stays"
