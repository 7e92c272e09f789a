"""The demo tells one consistent story: what it stored at a step (an application's eligibility
check, an assessment's figures) agrees with the data the demo holds, because each step is seeded
after the data it reads (a lead's skill grade raised by a pairing, results verified in the year)."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from studios.assessment import assessment_figures
from studios.eligibility import studio_eligibility
from studios.models import Assessment, Studio


@pytest.mark.django_db
def test_the_demos_stored_checks_and_assessment_figures_agree_with_its_data(tmp_path):
    with open(tmp_path / "out.txt", "w") as quiet:
        call_command("seed_demo", stdout=quiet)

    checked = Studio.objects.exclude(eligibility=[]).select_related("lead")
    assert checked.count() >= 9
    for studio in checked:
        assert studio.eligibility == [c.as_dict() for c in studio_eligibility(studio)], studio.name
    liu = Studio.objects.get(name="刘芳热处理职工创新工作室")
    lead = next(c for c in liu.eligibility if c["code"] == "lead")
    assert lead["passed"], "刘芳 became a technician in last year's June, before this year's submission"

    assessments = Assessment.objects.select_related("round", "studio")
    assert assessments.count() == 5
    for assessment in assessments:
        figures = assessment_figures(assessment.studio, assessment.round.year)
        assert assessment.figures == figures, assessment.studio.name
        assert assessment.no_verified_result == (not figures["verified_results"])
    axle = Assessment.objects.get(studio__name="张卫东车桥工艺创新工作室")
    assert (axle.figures["projects_started"], axle.figures["verified_results"]) == (2, 2)
    assert (Decimal(axle.figures["benefit"]), axle.figures["pairings_active"]) == (186000, 3)
