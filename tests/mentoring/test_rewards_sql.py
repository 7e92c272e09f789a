"""The rewards due computed in the database (mentoring.selectors.reward_lines / reward_totals)
give the figures of the Python algorithm they replaced, kept here as the reference: random
pairings and grade histories, dated on the awkward days (month ends, 29 February, the 1st, ties on
one day), under several rules, years and "todays". Run on SQLite and on PostgreSQL. Also: the SQL
month arithmetic, and the page's and the export's query counts, which do not grow with the lines."""

import datetime
import io
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Unit
from mentoring import selectors, services
from mentoring.choices import PairingStatus
from mentoring.models import Pairing, RewardRule
from mentoring.periods import add_months, counted_months, last_active_day
from talent.choices import SkillGrade
from talent.models import SkillGradeChange

from .fixtures import make_pairing, member, named_studio

D = datetime.date
GRADES = SkillGrade.values
STATUSES = [PairingStatus.ACTIVE, PairingStatus.GRADUATED, PairingStatus.FAILED, PairingStatus.ENDED]


# The reference: the Python algorithm the SQL replaced ------------------------------------------------


def reference_rewards(pairings, *, year, rule, today):
    """{pairing id: (months, rates, allowance, reached_on, bonus)} for each pairing with a line."""
    target = SkillGrade.rank(rule.bonus_grade)
    history = defaultdict(list)
    for person_id, on, pk, grade in SkillGradeChange.objects.values_list("person_id", "changed_on", "id", "grade"):
        history[person_id].append((on, pk, grade))
    for changes in history.values():
        changes.sort()

    def grade_on(person_id, day):
        held = [grade for on, _pk, grade in history[person_id] if on <= day]
        return held[-1] if held else ""

    lines = {}
    for pairing in pairings:
        last_day = last_active_day(term_ends_on=pairing.term_ends_on, ended_on=pairing.ended_on)
        months = counted_months(start=pairing.agreement_on, last_day=last_day, year=year, until=today)
        rates = []
        for month in months:
            rate = rule.rate_for(grade_on(pairing.mentor_id, month))
            if rates and rates[-1][1] == rate:
                rates[-1] = (rates[-1][0] + 1, rate)
            else:
                rates.append((1, rate))
        allowance = sum((count * rate for count, rate in rates), Decimal("0"))
        apprentice = history[pairing.apprentice_id]
        before = [grade for on, _pk, grade in apprentice if on < pairing.agreement_on]
        reached = next(
            (on for on, _pk, grade in apprentice if on >= pairing.agreement_on and SkillGrade.rank(grade) >= target),
            None,
        )
        bonus_due = (
            reached is not None
            and reached.year == year
            and reached <= today
            and pairing.status in (PairingStatus.ACTIVE, PairingStatus.GRADUATED)
            and reached <= add_months(pairing.agreement_on, 12 * rule.bonus_years)
            and SkillGrade.rank(before[-1] if before else "") < target
        )
        if months or bonus_due:
            lines[pairing.pk] = (
                len(months),
                rates,
                allowance,
                reached if bonus_due else None,
                rule.bonus_amount if bonus_due else Decimal("0"),
            )
    return lines


# Random data on awkward days ------------------------------------------------------------------------


def awkward_day(rng, years=range(2019, 2026)):
    year, month = rng.choice(years), rng.randint(1, 12)
    last = (add_months(D(year, month, 1), 1) - datetime.timedelta(days=1)).day
    return D(year, month, min(rng.choice([1, 1, 2, 15, 28, 29, 30, 31, last]), last))


def random_history(rng, person):
    """0–4 grade changes, created in random order (ids do not follow dates), some on one day."""
    days = [awkward_day(rng, range(2016, 2026)) for _ in range(rng.randint(0, 4))]
    if days and rng.random() < 0.3:
        days.append(days[0])  # two changes on one day: the later entry counts
    changes = {(day, rng.choice(GRADES)) for day in days}
    for day, grade in rng.sample(sorted(changes), len(changes)):
        SkillGradeChange.objects.create(person=person, grade=grade, changed_on=day)


def random_pairings(world, seed, count=45):
    rng = random.Random(seed)
    studio = named_studio(world)
    people = [member(studio, name=f"随机{seed}-{i:02d}") for i in range(14)]
    for person in people:
        random_history(rng, person)
    active_pairs = set()
    pairings = []
    while len(pairings) < count:
        mentor, apprentice = rng.sample(people, 2)
        status = rng.choice(STATUSES)
        if status == PairingStatus.ACTIVE:
            if (mentor.pk, apprentice.pk) in active_pairs:
                continue
            active_pairs.add((mentor.pk, apprentice.pk))
        agreed = awkward_day(rng)
        term = rng.choice([1, 3, 6, 11, 12, 12, 13, 24, 36])
        fields = {}
        if status != PairingStatus.ACTIVE:
            ended = agreed + datetime.timedelta(days=rng.randint(0, term * 31 + 60))
            if rng.random() < 0.5 and ended.replace(day=1) >= agreed:
                ended = ended.replace(day=1)  # closed on a month's first day: that month is not counted
            fields["ended_on"] = ended
        pairings.append(
            make_pairing(
                world,
                studio=studio,
                mentor=mentor,
                apprentice=apprentice,
                agreement_on=agreed,
                term_months=term,
                status=status,
                **fields,
            )
        )
        # Promotions during and after the term: the apprentice's make bonuses, the mentor's change rates.
        for person, chance in ((apprentice, 0.6), (mentor, 0.3)):
            if rng.random() < chance:
                on = add_months(agreed, rng.choice([0, 1, 5, 11, 12, 23, 24, 25, 47, 48])) + datetime.timedelta(
                    days=rng.choice([-1, 0, 0, 1, 9])
                )
                SkillGradeChange.objects.get_or_create(person=person, grade=rng.choice(GRADES[2:]), changed_on=on)
    return pairings


RULES = [
    {
        "allowance_junior": Decimal("10.10"),
        "allowance_intermediate": Decimal("20.20"),
        "allowance_senior": Decimal("33.33"),
        "allowance_technician": Decimal("200"),
        "allowance_senior_technician": Decimal("300.50"),
        "allowance_master_technician": Decimal("400"),
        "allowance_chief_technician": Decimal("1000"),
        "bonus_grade": "technician",
        "bonus_years": 2,
        "bonus_amount": Decimal("5000"),
    },
    {
        "allowance_junior": Decimal("0"),
        "allowance_intermediate": Decimal("0"),
        "allowance_senior": Decimal("50"),
        "allowance_technician": Decimal("150.25"),
        "allowance_senior_technician": Decimal("350"),
        "allowance_master_technician": Decimal("500"),
        "allowance_chief_technician": Decimal("99999.99"),
        "bonus_grade": "senior",
        "bonus_years": 1,
        "bonus_amount": Decimal("8000.01"),
    },
    {
        "allowance_technician": Decimal("120"),
        "bonus_grade": "senior_technician",
        "bonus_years": 4,
        "bonus_amount": Decimal("300"),
    },
]
WHEN = [
    (2020, D(2100, 1, 1)),
    (2021, D(2021, 3, 1)),
    (2022, D(2022, 12, 31)),
    (2023, D(2023, 6, 15)),
    (2024, D(2024, 2, 29)),
    (2024, D(2100, 1, 1)),
    (2025, D(2025, 1, 1)),
    (2025, D(2025, 11, 30)),
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sql_gives_the_python_algorithms_figures(world, seed):
    pairings = random_pairings(world, seed)
    scope = Pairing.objects.filter(pk__in=[p.pk for p in pairings])
    lines_seen = bonuses_seen = 0
    for config in RULES:
        services.reward_rule_update(actor=world.hq, **config)
        rule = RewardRule.current()
        for year, today in WHEN:
            expected = reference_rewards(pairings, year=year, rule=rule, today=today)
            lines, summed = selectors.rewards_due(scope, year=year, rule=rule, today=today)
            got = {
                line.pairing.pk: (line.months, line.rates, line.allowance, line.reached_on, line.bonus)
                for line in lines
            }
            assert got == expected, (config, year, today)
            totals = selectors.reward_totals(scope, year=year, rule=rule, today=today)
            want = (
                len(expected),
                sum(line[0] for line in expected.values()),
                sum((line[2] for line in expected.values()), Decimal("0")),
                sum((line[4] for line in expected.values()), Decimal("0")),
            )
            assert (totals.pairings, totals.months, totals.allowance, totals.bonus) == want
            assert (summed.pairings, summed.months, summed.allowance, summed.bonus) == want
            lines_seen += len(expected)
            bonuses_seen += sum(1 for line in expected.values() if line[3])
    assert lines_seen > 100 and bonuses_seen > 3  # the data exercised both parts


@pytest.mark.parametrize("months", [1, -1, 11, 12, 13, 24, 36, -12, -24, 120])
def test_the_sql_month_arithmetic_clamps_like_periods(world, months):
    unit = Unit.objects.first()
    days = [D(2024, 1, 31), D(2024, 2, 29), D(2023, 2, 28), D(2024, 3, 31), D(2024, 12, 31), D(2025, 5, 1)]
    for day in days:
        shifted = (
            Unit.objects.filter(pk=unit.pk)
            .annotate(shifted=selectors.AddMonths(Value(day), months))
            .values_list("shifted", flat=True)
            .get()
        )
        assert shifted == add_months(day, months), (day, months)


# Query counts ----------------------------------------------------------------------------------------


def grow_lines(world, studio, count):
    """`count` pairings with something due in 2024: graded mentors (some promoted mid-year) and
    apprentices, some of whom reach the bonus grade."""
    for i in range(count):
        mentor = member(studio, grade=["technician", "senior_technician"][i % 2])
        if i % 3 == 0:
            SkillGradeChange.objects.create(person=mentor, grade="master_technician", changed_on=D(2024, 6, 10))
        apprentice = member(studio, grade="senior")
        if i % 4 == 0:
            SkillGradeChange.objects.create(person=apprentice, grade="technician", changed_on=D(2024, 9, 1))
        make_pairing(world, studio=studio, mentor=mentor, apprentice=apprentice, agreement_on=D(2024, 1, 1))


def page_counts(client):
    numbers = []
    for query in ({"year": 2024}, {"year": 2024, "page": 2}, {"year": 2024, "export": "xlsx"}):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("mentoring:reward_list"), query)
            assert response.status_code == 200
        numbers.append(len(ctx))
    return numbers, response


def test_the_reward_page_and_export_query_counts_do_not_grow_with_the_lines(world, client_as):
    services.reward_rule_update(
        actor=world.hq,
        allowance_technician=200,
        allowance_senior_technician=300,
        allowance_master_technician=400,
        bonus_amount=1000,
    )
    studio = named_studio(world)
    client = client_as(world.hq)
    grow_lines(world, studio, 3)
    page_counts(client)  # warm caches (content types, session)
    small, export = page_counts(client)
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 3 + 1
    grow_lines(world, studio, 60)  # more than a page of lines
    large, export = page_counts(client)
    assert small == large
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 63 + 1
    page_two = client.get(reverse("mentoring:reward_list"), {"year": 2024, "page": 2}).context
    assert len(page_two["lines"].object_list) == 13 and page_two["totals"].pairings == 63
    assert page_two["lines"].paginator.num_pages == 2
    # The page's lines are those of the full list, in its order, with the export's figures.
    first_page = client.get(reverse("mentoring:reward_list"), {"year": 2024}).context["lines"].object_list
    everything, totals = selectors.rewards_due(
        selectors.reward_scope(world.hq), year=2024, rule=RewardRule.current(), today=D(2100, 1, 1)
    )
    assert [line.pairing.pk for line in first_page] == [line.pairing.pk for line in everything[:50]]
    assert [(line.rates, line.total) for line in first_page] == [(line.rates, line.total) for line in everything[:50]]
    assert rows[-1][-1] == float(totals.total) == float(page_two["totals"].total)
