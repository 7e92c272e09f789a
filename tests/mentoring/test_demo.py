"""The demo pairings: every state, the cross-unit alliance pairing, progress, placements, a grade
change, the reward rule; seeded once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from mentoring import selectors
from mentoring.demo import seed_pairings
from mentoring.models import Pairing, Placement, ProgressLog, RewardRule
from talent.models import SkillGradeChange


@pytest.mark.django_db
def test_demo_pairings_in_every_state_once(tmp_path):
    with open(tmp_path / "out.txt", "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    created = seed_pairings()
    if created == 0:  # seed_demo already loads them
        created = Pairing.objects.count()
    assert created == 8
    # This year has a pairing too (the dashboard's default year is not empty on `make run`).
    assert Pairing.objects.filter(agreement_on__year=timezone.localdate().year).count() == 1
    assert set(Pairing.objects.values_list("status", flat=True)) == {"active", "graduated", "failed", "ended"}
    crossing = Pairing.objects.get(alliance__name="车桥与底盘工艺创新工作室联盟")
    assert crossing.mentor.unit != crossing.apprentice.unit
    assert ProgressLog.objects.count() >= 8 and Placement.objects.count() == 2
    assert Pairing.objects.filter(studio__lead__user__username="studio_lead", status="active").count() == 2
    assert RewardRule.current().bonus_amount == 3000
    assert SkillGradeChange.objects.filter(person__employee_no="E10016", grade="senior").exists()
    lead = User.objects.get(username="studio_lead")
    assert selectors.overdue_pairings(lead, timezone.localdate()).count() == 1
    hq = User.objects.get(username="hq_cadre")
    last = timezone.localdate().year - 1
    lines, totals = selectors.rewards_due(
        selectors.reward_scope(hq), year=last, rule=RewardRule.current(), today=timezone.localdate()
    )
    assert [line.pairing.apprentice.name for line in lines if line.bonus] == ["刘芳"] and totals.total > 3000
    assert seed_pairings() == 0
    assert Pairing.objects.count() == 8
