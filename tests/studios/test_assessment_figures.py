"""The annual assessment's figures: the unit scores and HQ grades on the year as it stands at
their step (a result verified after the self-assessment counts), each step's audit event keeps
the figures it was taken on, and the pages show them as people read them (money as ¥)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from achievements import services as achievements
from core.models import AuditEvent
from studios import services
from studios.choices import AssessmentGrade, AssessmentStatus
from studios.models import Assessment


def last_year():
    """The year assessed: last year, as of when the test runs (a full run may cross midnight)."""
    return timezone.localdate().year - 1


@pytest.fixture
def named(world):
    studio = world.studio(status="named", level="company")
    services.funding_add(
        actor=world.unit_cadre,
        studio=studio,
        direction="in",
        source="founding",
        amount=Decimal("50000"),
        entry_date=datetime.date(last_year(), 3, 1),
    )
    return studio


def verified_result(world, studio, title, benefit):
    result = achievements.result_create(
        actor=world.studio_lead,
        studio=studio,
        title=title,
        category="technical_innovation",
        achieved_on=datetime.date(last_year(), 9, 15),
        contributors=[world.lead_person],
        benefit=Decimal(benefit),
        benefit_year=last_year(),
    )
    achievements.result_submit(actor=world.studio_lead, result=result)
    return achievements.result_verify(actor=world.unit_cadre, result=result)


def figure_cells(page, code):
    row = re.search(rf'<tr data-figure="{code}">(.*?)</tr>', page, re.S).group(1)
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def step_comments(studio):
    return dict(
        AuditEvent.objects.filter(
            content_type__model="studio",
            object_id=str(studio.pk),
            action__in=["assessment_self", "assessment_score", "assessment_grade"],
        ).values_list("action", "comment")
    )


def test_the_unit_scores_and_hq_grades_on_the_figures_of_their_step(world, named):
    assessment_round = services.round_open(actor=world.hq, year=last_year())
    assessment = Assessment.objects.get(round=assessment_round, studio=named)
    services.assessment_self_submit(actor=world.studio_lead, assessment=assessment, summary="全年开展课题攻关")
    assessment.refresh_from_db()
    assert assessment.figures["verified_results"] == 0 and assessment.no_verified_result

    # Verified after the self-assessment: it counts in the unit's score.
    verified_result(world, named, "桥壳反变形焊接工装", "186000")
    services.assessment_unit_score(actor=world.unit_cadre, assessment=assessment, score=Decimal("90"))
    assessment.refresh_from_db()
    assert assessment.figures["verified_results"] == 1 and Decimal(assessment.figures["benefit"]) == 186000
    assert not assessment.no_verified_result

    # And one verified after the score counts in HQ's grade.
    verified_result(world, named, "一种桥壳焊接夹具", "0")
    services.assessment_grade(actor=world.hq, assessment=assessment, grade=AssessmentGrade.EXCELLENT)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.GRADED and assessment.figures["verified_results"] == 2

    # The history keeps what each decision was taken on, the moves since the step before included.
    comments = step_comments(named)
    assert "本年度已审核成果数 0" in comments["assessment_self"] and "¥50,000.00" in comments["assessment_self"]
    assert "0 → 1" in comments["assessment_score"] and "¥0.00 → ¥186,000.00" in comments["assessment_score"]
    assert "1 → 2" in comments["assessment_grade"] and "0 → 1" not in comments["assessment_grade"]
    # Read in English, the same history is composed in English, the figures in the same order.
    from django.utils import translation

    events = {
        e.action: e
        for e in AuditEvent.objects.filter(
            content_type__model="studio", object_id=str(named.pk), action__startswith="assessment_"
        )
    }
    with translation.override("en"):
        graded = events["assessment_grade"].shown_comment
        scored = events["assessment_score"].shown_comment
    assert (
        graded.startswith(f"{assessment_round}: Excellent\nFigures taken: ")
        and "Verified results in the year 1 → 2" in graded
    )
    assert "¥0.00 → ¥186,000.00" in scored and "90" in scored.split("\n")[0]
    labels = [
        part.rsplit(" ", 1)[0] for part in comments["assessment_self"].split("\n")[1].split("：", 1)[1].split("；")
    ]
    with translation.override("zh-hans"):
        shown = events["assessment_self"].shown_comment
    assert shown == comments["assessment_self"], "the stored copy and the sentence read alike"
    assert labels[0] == "团队人数"


def test_pages_show_todays_figures_until_graded_with_money_formatted(world, named, client_as):
    assessment_round = services.round_open(actor=world.hq, year=last_year())
    assessment = Assessment.objects.get(round=assessment_round, studio=named)
    services.assessment_self_submit(actor=world.studio_lead, assessment=assessment, summary="全年开展课题攻关")
    verified_result(world, named, "桥壳反变形焊接工装", "186000")

    client = client_as(world.unit_cadre)
    for name in ("studios:assessment_detail", "studios:assessment_score"):
        page = client.get(reverse(name, args=[assessment.pk])).content.decode()
        assert figure_cells(page, "funding_in") == ["¥50,000.00", "¥50,000.00"], name
        # Today's figure, and beside it the one recorded at the self-assessment.
        assert figure_cells(page, "benefit") == ["¥186,000.00", "¥0.00"], name
        assert figure_cells(page, "verified_results") == ["1", "0"], name
        assert "该工作室本年度没有已审核的成果" not in page, name

    services.assessment_unit_score(actor=world.unit_cadre, assessment=assessment, score=Decimal("90"))
    services.assessment_grade(actor=world.hq, assessment=assessment, grade=AssessmentGrade.GOOD)
    # Once graded, the page shows what HQ graded on, even if the year's data moves afterwards.
    verified_result(world, named, "一种桥壳焊接夹具", "5000")
    page = client.get(reverse("studios:assessment_detail", args=[assessment.pk])).content.decode()
    assert figure_cells(page, "benefit") == ["¥186,000.00"] and figure_cells(page, "verified_results") == ["1"]
