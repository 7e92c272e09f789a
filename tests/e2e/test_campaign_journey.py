"""The selection-campaign journey in the browser: the second 信赖工匠 selection is in expert
scoring (demo data). The demo expert signs in, finds its to-do, opens its scoring queue, scores a
nominee on the weighted scorecard, and sees that it recuses itself (回避) from the nominee of its
own company, whose scorecard it cannot even open; HQ then reads the ranking with each expert's
total in its own column. A screenshot at every step."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .test_studio_journey import as_user

pytestmark = [pytest.mark.browser]
SCORES = [88, 84, 90, 86]  # weights 30/30/20/20 → 26.40 + 25.20 + 18.00 + 17.20 = 86.80


@pytest.fixture
def campaign_demo(demo_data):
    from talent.demo import SECOND, seed_campaigns
    from talent.models import Campaign

    seed_campaigns()  # idempotent: nothing more once seed_demo loads the campaigns itself
    return Campaign.objects.get(name=SECOND)


def test_an_expert_scores_a_nominee_and_recuses_itself(page, live_server, campaign_demo, screenshots):
    from accounts.models import User
    from talent.models import Nomination, Scorecard

    base = live_server.url
    campaign = campaign_demo
    expert = User.objects.get(username="expert")
    feng = Nomination.objects.get(campaign=campaign, person__name="冯丽")
    lin = Nomination.objects.get(campaign=campaign, person__name="林涛")
    queue_url = reverse("talent:scoring_queue")

    # 1. The expert's home lists what waits for its score.
    as_user(page, base, "expert")
    todo = page.get_by_test_id("todo-list").locator(f'a[href="{queue_url}"]')
    expect(todo).to_be_visible()
    expect(todo.locator(".badge")).to_have_text("2")
    screenshots(page, "campaign-01-expert-home")

    # 2. The queue: two to score, one scored, and 林涛 (零部件铸造厂, the expert's own company) recused.
    todo.click()
    expect(page.get_by_test_id("to-score-count")).to_have_text("2")
    expect(page.get_by_test_id(f"recused-{lin.pk}")).to_contain_text("林涛")
    expect(page.get_by_test_id(f"recused-{lin.pk}").get_by_test_id("recused-badge")).to_be_visible()
    expect(page.get_by_test_id("recused").locator("a")).to_have_count(0)
    screenshots(page, "campaign-02-queue")

    # 3. The weighted scorecard of 冯丽.
    page.get_by_test_id(f"score-{feng.pk}").click()
    criteria = list(campaign.criteria.order_by("order", "id"))
    for criterion, value in zip(criteria, SCORES, strict=True):
        page.fill(f"#id_criterion_{criterion.pk}", str(value))
    page.fill("#id_comment", "焊接质量控制经验突出，带徒成效明显。")
    screenshots(page, "campaign-03-scorecard")
    page.get_by_test_id("submit-scores").click()
    expect(page).to_have_url(f"{base}{queue_url}")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("scored")).to_contain_text("冯丽")
    expect(page.get_by_test_id("to-score-count")).to_have_text("1")
    screenshots(page, "campaign-04-scored")
    card = Scorecard.objects.get(nomination=feng, expert=expert)
    assert sorted(card.items.values_list("score", flat=True)) == sorted(SCORES)

    # 4. The recused nominee's scorecard is not there for this expert at all.
    response = page.goto(f"{base}{reverse('talent:nomination_score', args=[lin.pk])}")
    assert response.status == 404
    screenshots(page, "campaign-05-recusal-refused")

    # 5. HQ reads the ranking: each expert's total in its column, the mean and the rank.
    as_user(page, base, "hq_cadre")
    page.goto(f"{base}{campaign.get_absolute_url()}")
    expect(page.get_by_test_id("campaign-name")).to_have_text(campaign.name)
    expect(page.get_by_test_id("weight-total")).to_contain_text("100")
    screenshots(page, "campaign-06-campaign")
    page.get_by_test_id("ranking").click()
    row = page.get_by_test_id(f"rank-row-{feng.pk}")
    expect(row).to_contain_text("86.80")
    expect(page.get_by_test_id(f"rank-row-{lin.pk}")).to_contain_text("回避")  # the recused expert's cell
    screenshots(page, "campaign-07-ranking")
