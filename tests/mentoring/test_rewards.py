"""The mentor reward rule computed from HQ's configuration: month counting (mentoring.periods),
allowances by the mentor's grade month by month, the bonus rule, hand-computed sums under two
configurations, the cadre's subtree, the page and its Excel export."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from mentoring import selectors, services
from mentoring.models import RewardRule
from mentoring.periods import add_months, counted_months, last_active_day, term_end
from studios.models import Membership
from talent.models import SkillGradeChange

from ..factories import PersonFactory
from .fixtures import make_pairing, named_studio

D = datetime.date
FAR_FUTURE = D(2100, 1, 1)


# Month counting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 3, 15), 12, D(2025, 3, 15)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 3, 15), -27, D(2021, 12, 15)),
        (D(2024, 5, 31), -24, D(2022, 5, 31)),
    ],
)
def test_add_months_clamps_to_the_months_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (D(2024, 3, 1), 12, D(2025, 2, 28)),
        (D(2024, 3, 15), 12, D(2025, 3, 14)),
        (D(2024, 2, 29), 12, D(2025, 2, 27)),
        (D(2025, 1, 31), 1, D(2025, 2, 27)),
    ],
)
def test_the_terms_last_day(start, months, last):
    assert term_end(start, months) == last


def months_of(start, term, year, *, ended_on=None, until=None):
    last = last_active_day(term_ends_on=term_end(start, term), ended_on=ended_on)
    return [d.month for d in counted_months(start=start, last_day=last, year=year, until=until)]


def test_a_month_counts_when_the_pairing_is_active_on_its_first_day():
    # Signed mid-month: paid from the next month; the month the term ends in counts (active on the 1st).
    assert months_of(D(2024, 3, 15), 12, 2024) == [4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert months_of(D(2024, 3, 15), 12, 2025) == [1, 2, 3]
    # Signed on the 1st: that month counts; the term ends on the last day of February.
    assert months_of(D(2024, 3, 1), 12, 2024) == list(range(3, 13))
    assert months_of(D(2024, 3, 1), 12, 2025) == [1, 2]


def test_a_closed_pairing_stops_counting_on_the_day_it_closed():
    # Ended on the 1st of July: July is not counted (not active on that day); ended on the 2nd: it is.
    assert months_of(D(2024, 1, 10), 24, 2024, ended_on=D(2024, 7, 1)) == [2, 3, 4, 5, 6]
    assert months_of(D(2024, 1, 10), 24, 2024, ended_on=D(2024, 7, 2)) == [2, 3, 4, 5, 6, 7]
    assert months_of(D(2024, 5, 1), 12, 2024, ended_on=D(2024, 5, 1)) == []  # closed the day it began
    # Closed after the term: the term's end still stops the count.
    assert months_of(D(2024, 1, 1), 6, 2024, ended_on=D(2024, 9, 30)) == [1, 2, 3, 4, 5, 6]


def test_months_not_yet_begun_are_not_due():
    assert months_of(D(2026, 1, 1), 24, 2026, until=D(2026, 5, 20)) == [1, 2, 3, 4, 5]
    assert months_of(D(2026, 1, 1), 24, 2026, until=D(2026, 5, 1)) == [1, 2, 3, 4, 5]
    assert months_of(D(2026, 1, 1), 24, 2026, until=D(2026, 4, 30)) == [1, 2, 3, 4]


@given(
    start=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)),
    term=st.integers(min_value=1, max_value=60),
)
def test_a_full_term_counts_exactly_its_months(start, term):
    years = range(start.year, term_end(start, term).year + 1)
    assert sum(len(months_of(start, term, year)) for year in years) == term


# Rewards from the configuration -------------------------------------------------------------------


def person(studio, grades, **fields):
    """A team member of `studio` with a skill-grade history [(grade, date), ...]."""
    someone = PersonFactory(unit=studio.unit, **fields)
    Membership.objects.create(studio=studio, person=someone, role="member", joined_on=D(2018, 1, 1))
    for grade, on in grades:
        SkillGradeChange.objects.create(person=someone, grade=grade, changed_on=on)
    if grades:
        someone.skill_grade = max(grades, key=lambda g: g[1])[0]
        someone.save(update_fields=["skill_grade"])
    return someone


@pytest.fixture
def pairings(world):
    """Five pairings with hand-checked rewards for 2024 (see the configurations below), one of
    them outside branch A, and one with nothing due in 2024."""
    studio = named_studio(world)
    m1 = person(studio, [("technician", D(2020, 6, 1)), ("senior_technician", D(2024, 9, 10))], name="师傅一")
    m2 = person(studio, [("master_technician", D(2019, 1, 1))], name="师傅二")
    m3 = person(studio, [], name="师傅三")  # no grade: no allowance
    m4 = person(studio, [("senior_technician", D(2018, 1, 1))], name="师傅四")
    a1 = person(studio, [("senior", D(2020, 6, 1)), ("technician", D(2024, 12, 1))])
    a2 = person(studio, [("intermediate", D(2020, 6, 1)), ("technician", D(2024, 5, 1))])
    a3 = person(studio, [("senior", D(2020, 6, 1)), ("senior_technician", D(2024, 6, 10))])
    a4 = person(studio, [("senior", D(2020, 6, 1)), ("technician", D(2024, 5, 31))])
    a6 = person(studio, [("technician", D(2021, 6, 1)), ("senior_technician", D(2024, 4, 1))])
    p = {
        # Apr–Sep at the technician rate, Oct–Dec at the senior technician rate (promoted 10 Sep).
        "p1": make_pairing(world, studio=studio, mentor=m1, apprentice=a1, agreement_on=D(2024, 3, 15), term_months=12),
        # Ended early on 20 June: Jan–Jun; the apprentice's technician grade earns no bonus.
        "p2": make_pairing(
            world,
            studio=studio,
            mentor=m2,
            apprentice=a2,
            agreement_on=D(2023, 1, 1),
            term_months=24,
            status="ended",
            ended_on=D(2024, 6, 20),
        ),
        # Graduated on 15 June: Jan–Jun, at no rate (ungraded mentor); the apprentice jumped to senior technician.
        "p3": make_pairing(
            world,
            studio=studio,
            mentor=m3,
            apprentice=a3,
            agreement_on=D(2024, 1, 1),
            term_months=6,
            status="graduated",
            ended_on=D(2024, 6, 15),
        ),
        # Long graduated; the apprentice became a technician within two years (31 May 2024).
        "p4": make_pairing(
            world,
            studio=studio,
            mentor=m1,
            apprentice=a4,
            agreement_on=D(2022, 6, 1),
            term_months=12,
            status="graduated",
            ended_on=D(2023, 5, 20),
        ),
        # Term over on 31 Aug, not assessed: Jan–Aug; the apprentice was a technician already.
        "p6": make_pairing(world, studio=studio, mentor=m4, apprentice=a6, agreement_on=D(2023, 9, 1), term_months=12),
    }
    outside = person(world.other_studio, [("chief_technician", D(2015, 1, 1))])
    p["b1"] = make_pairing(
        world,
        studio=world.other_studio,
        mentor=outside,
        apprentice=person(world.other_studio, []),
        agreement_on=D(2024, 1, 1),
        term_months=12,
    )
    p["later"] = make_pairing(world, studio=studio, agreement_on=D(2025, 2, 1))
    return p


CONFIG_A = {
    "allowance_technician": Decimal("200"),
    "allowance_senior_technician": Decimal("300"),
    "allowance_master_technician": Decimal("400"),
    "allowance_chief_technician": Decimal("1000"),
    "bonus_grade": "technician",
    "bonus_years": 2,
    "bonus_amount": Decimal("5000"),
}
CONFIG_B = {
    "allowance_technician": Decimal("150"),
    "allowance_senior_technician": Decimal("350"),
    "allowance_master_technician": Decimal("500"),
    "allowance_chief_technician": Decimal("1000"),
    "bonus_grade": "senior_technician",
    "bonus_years": 1,
    "bonus_amount": Decimal("8000"),
}


def due(world, user, year=2024, today=FAR_FUTURE, **scope):
    return selectors.rewards_due(
        selectors.reward_scope(user, **scope), year=year, rule=RewardRule.current(), today=today
    )


def by_pairing(lines):
    return {line.pairing.pk: (line.months, line.allowance, line.bonus) for line in lines}


def test_rewards_under_configuration_a(world, pairings):
    services.reward_rule_update(actor=world.hq, **CONFIG_A)
    lines, totals = due(world, world.unit_cadre)
    p = pairings
    assert by_pairing(lines) == {
        p["p1"].pk: (9, Decimal("2100"), Decimal("5000")),  # 6 × 200 + 3 × 300; reached technician 1 Dec
        p["p2"].pk: (6, Decimal("2400"), Decimal("0")),  # 6 × 400; ended early: no bonus
        p["p3"].pk: (6, Decimal("0"), Decimal("5000")),  # ungraded mentor; senior technician ≥ technician
        p["p4"].pk: (0, Decimal("0"), Decimal("5000")),  # bonus only, within two years
        p["p6"].pk: (8, Decimal("2400"), Decimal("0")),  # 8 × 300; was a technician before the agreement
    }
    line1 = next(line for line in lines if line.pairing.pk == p["p1"].pk)
    assert line1.rates == [(6, Decimal("200.00")), (3, Decimal("300.00"))] and line1.reached_on == D(2024, 12, 1)
    assert (totals.pairings, totals.months, totals.allowance, totals.bonus, totals.total) == (
        5,
        29,
        Decimal("6900"),
        Decimal("15000"),
        Decimal("21900"),
    )


def test_rewards_under_configuration_b_differ(world, pairings):
    services.reward_rule_update(actor=world.hq, **CONFIG_B)
    lines, totals = due(world, world.unit_cadre)
    p = pairings
    assert by_pairing(lines) == {
        p["p1"].pk: (9, Decimal("1950"), Decimal("0")),  # 6 × 150 + 3 × 350; not a senior technician
        p["p2"].pk: (6, Decimal("3000"), Decimal("0")),  # 6 × 500
        p["p3"].pk: (6, Decimal("0"), Decimal("8000")),  # senior technician within one year
        p["p6"].pk: (8, Decimal("2800"), Decimal("8000")),  # 8 × 350; technician → senior technician in 7 months
    }
    assert (totals.pairings, totals.months, totals.allowance, totals.bonus, totals.total) == (
        4,
        29,
        Decimal("7750"),
        Decimal("16000"),
        Decimal("23750"),
    )


def test_hq_sees_every_unit_and_the_unit_filter_narrows(world, pairings):
    services.reward_rule_update(actor=world.hq, **CONFIG_A)
    everything, totals = due(world, world.hq)
    assert pairings["b1"].pk in by_pairing(everything)
    assert by_pairing(everything)[pairings["b1"].pk] == (12, Decimal("12000"), Decimal("0"))
    assert totals.total == Decimal("21900") + Decimal("12000")
    branch_b, _ = due(world, world.hq, unit=world.branch_b)
    assert list(by_pairing(branch_b)) == [pairings["b1"].pk]
    other_cadre, _ = due(world, world.unit_cadre_other)
    assert list(by_pairing(other_cadre)) == [pairings["b1"].pk]
    assert due(world, world.studio_lead)[0] == []
    # Nothing in 2023 is due to the pairings signed in 2024, and 2025 has the later ones.
    assert pairings["p1"].pk not in by_pairing(due(world, world.hq, year=2023)[0])
    assert by_pairing(due(world, world.hq, year=2025)[0])[pairings["p1"].pk][0] == 3


def test_the_bonus_rules(world):
    services.reward_rule_update(actor=world.hq, **CONFIG_A)
    studio = named_studio(world)
    mentor = person(studio, [("technician", D(2015, 1, 1))])

    def bonus(agreed, grades, **fields):
        pairing = make_pairing(
            world, studio=studio, mentor=mentor, apprentice=person(studio, grades), agreement_on=agreed, **fields
        )
        lines, _totals = due(world, world.hq, year=2024)
        return next((line.bonus for line in lines if line.pairing.pk == pairing.pk), None)

    on_anniversary = bonus(D(2022, 7, 1), [("senior", D(2020, 1, 1)), ("technician", D(2024, 7, 1))])
    day_late = bonus(D(2022, 6, 30), [("senior", D(2020, 1, 1)), ("technician", D(2024, 7, 1))])
    failed = bonus(
        D(2024, 1, 1),
        [("senior", D(2020, 1, 1)), ("technician", D(2024, 5, 1))],
        status="failed",
        ended_on=D(2024, 6, 1),
    )
    first_counts = bonus(
        D(2022, 3, 1),
        [("senior", D(2020, 1, 1)), ("technician", D(2023, 5, 1)), ("senior_technician", D(2024, 3, 1))],
    )
    on_agreement_day = bonus(D(2024, 2, 1), [("senior", D(2020, 1, 1)), ("technician", D(2024, 2, 1))])
    assert on_anniversary == Decimal("5000.00")  # within N years: the anniversary still counts
    assert day_late is None  # reached one day after the second anniversary (term long over: no line)
    assert failed == Decimal("0")  # months are due, no bonus for a failed pairing
    assert first_counts is None  # the first qualifying change fell in 2023: the bonus was 2023's
    assert on_agreement_day == Decimal("5000.00")


def test_reward_page_and_export_match(world, client_as, pairings):
    services.reward_rule_update(actor=world.hq, **CONFIG_A)
    client = client_as(world.unit_cadre)
    response = client.get(reverse("mentoring:reward_list"), {"year": 2024})
    assert response.status_code == 200
    assert response.context["totals"].total == Decimal("21900")
    page = response.content.decode()
    assert "¥21,900.00" in page and "师傅一" in page and pairings["b1"].mentor.name not in page
    export = client.get(reverse("mentoring:reward_list"), {"year": 2024, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 5 + 1
    assert rows[-1][9] == 29 and rows[-1][-1] == 21900
    assert sum(row[-1] for row in rows[1:-1]) == 21900
    first = next(row for row in rows[1:-1] if row[3] == "师傅一" and row[9] == 9)
    assert first[10] == "6 × 200.00 + 3 × 300.00" and first[13] == 5000
    for role in ("studio_lead", "expert"):
        assert (
            client_as(getattr(world, role))
            .get(reverse("mentoring:reward_list"), {"year": 2024, "export": "xlsx"})
            .status_code
            == 403
        )


def test_the_rewards_of_this_year_without_a_year_in_the_query_and_their_export(world, client_as, pairings):
    """The first visit names no year: the page shows this year's, and its export link (which had
    no year and came back 400 "年度 这个字段是必填项") downloads the year shown."""
    client = client_as(world.hq)
    url = reverse("mentoring:reward_list")
    this_year = timezone.localdate().year
    response = client.get(url)
    assert response.status_code == 200 and response.context["year"] == this_year
    page = response.content.decode()
    assert f'href="?year={this_year}&amp;export=xlsx"' in page
    for query in ({"export": "xlsx"}, {"year": this_year, "export": "xlsx"}):
        export = client.get(url, query)
        assert export.status_code == 200, query
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url, {"page": 2}).context["year"] == this_year
    assert client.get(url, {"year": 2024, "export": "xlsx"}).status_code == 200
    assert client.get(url, {"year": ""}).status_code == 400  # a year cleared on the form is still asked for


def test_a_download_too_big_for_one_request_asks_for_a_unit(world, client_as, pairings, settings):
    services.reward_rule_update(actor=world.hq, **CONFIG_A)
    settings.MENTORING_REWARDS_EXPORT_MAX_LINES = 4  # the unit cadre's 2024 has 5 lines
    client = client_as(world.unit_cadre)
    url = reverse("mentoring:reward_list")
    response = client.get(url, {"year": 2024, "export": "xlsx"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?year=2024"
    page = client.get(response["Location"]).content.decode()
    assert "5 条明细超过单次下载的上限（4 条）" in page
    settings.MENTORING_REWARDS_EXPORT_MAX_LINES = 5
    export = client.get(url, {"year": 2024, "export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_reward_rule_page_and_edit(world, client_as):
    client = client_as(world.hq)
    page = client.get(reverse("mentoring:reward_rule"))
    assert page.status_code == 200 and not RewardRule.objects.exists()
    data = dict.fromkeys(("allowance_junior", "allowance_intermediate", "allowance_senior"), "0")
    data.update({k: str(v) for k, v in CONFIG_A.items()})
    response = client.post(reverse("mentoring:reward_rule_update"), data)
    assert response.status_code == 302
    rule = RewardRule.current()
    assert (rule.allowance_technician, rule.bonus_grade, rule.bonus_years) == (Decimal("200.00"), "technician", 2)
    shown = client_as(world.viewer).get(reverse("mentoring:reward_rule")).content.decode()
    assert "¥200.00" in shown and "¥5,000.00" in shown
    assert reverse("mentoring:reward_rule_update") not in shown  # leadership reads, HQ edits
    hq_page = client_as(world.hq).get(reverse("mentoring:reward_rule")).content.decode()
    assert reverse("mentoring:reward_rule_update") in hq_page
