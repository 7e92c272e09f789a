"""The demo campaigns load through the services, once, and show what the README promises."""

import os

import pytest
from django.core.management import call_command

from achievements.models import Award
from talent.demo import FIRST, RESULTS, SECOND, seed_campaigns
from talent.models import Campaign, Honour
from talent.selectors import scoring_queue


@pytest.mark.django_db(transaction=True)
def test_demo_campaigns():
    from accounts.models import User

    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    if not Campaign.objects.filter(name=FIRST).exists():  # until seed_demo calls it itself
        assert seed_campaigns() == 3
    assert seed_campaigns() == 0, "idempotent"
    first, results, second = (Campaign.objects.get(name=name) for name in (FIRST, RESULTS, SECOND))
    assert (first.status, first.year, results.status, second.status) == ("closed", 2025, "closed", "scoring")
    winners = set(first.nominations.filter(status="selected").values_list("person__name", flat=True))
    honoured = Honour.objects.filter(campaign=first, title="信赖工匠", year=2025)
    assert winners == set(honoured.values_list("person__name", flat=True))
    assert len(winners) == 2
    assert Award.objects.filter(campaign=results, grade="一等奖").count() == 2
    expert = User.objects.get(username="expert")
    queue = list(scoring_queue(expert))
    recused = [n for n in queue if n.recused]
    assert [str(n.nominee) for n in recused] == ["林涛"]
    assert sum(1 for n in queue if n.mine) == 1
    assert sum(1 for n in queue if not n.mine and not n.recused) == 2
    # The HQ-level expert has declared a conflict of interest (回避) with one nominee, unscored.
    from talent.models import Recusal

    declared = Recusal.objects.select_related("expert").get(nomination__campaign=second)
    assert (declared.expert.username, declared.relation, declared.withdrawn_total) == ("expert_hq", "mentor", None)
    assert not declared.nomination.scorecards.filter(expert=declared.expert).exists()
