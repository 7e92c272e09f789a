"""The eligibility check of a studio application against HQ's thresholds (EligibilityRules).

Each criterion gives pass or fail with the figure behind it, shown to the applicant when it
submits and to both reviewers. A failing application may still be submitted with an explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone, translation

from core.i18n import ChoiceLabel, Sentence, sentence, translate
from talent.choices import HonourKind, HonourLevel, SkillGrade
from talent.models import Honour

from .models import EligibilityRules, Studio
from .selectors import funding_totals, team_figures

# The union's rules ask for a 劳模 or craftsman (工匠) honour; other honours do not count here.
LEAD_HONOUR_KINDS = (HonourKind.MODEL_WORKER, HonourKind.CRAFTSMAN)


TEXTS = ("label", "figure", "threshold")


@dataclass(frozen=True)
class Criterion:
    """One criterion; its texts are sentences (core.i18n), shown in the reader's language."""

    code: str
    label: Sentence
    passed: bool
    figure: Sentence | str
    threshold: Sentence

    def as_dict(self) -> dict:
        """As stored with the application: the texts in the site's language (as read by the
        applicant at submission) and as sentences, shown later in each reviewer's language."""
        with translation.override(settings.LANGUAGE_CODE):
            stored = {"code": self.code, "passed": self.passed, **{name: str(getattr(self, name)) for name in TEXTS}}
        stored["sentences"] = {
            name: getattr(self, name).as_json() for name in TEXTS if isinstance(getattr(self, name), Sentence)
        }
        return stored


def shown_criteria(stored: list[dict]) -> list[dict]:
    """The criteria stored with an application, in the active language (a criterion stored before
    its sentences were kept is shown as stored)."""
    shown = []
    for criterion in stored or []:
        sentences = criterion.get("sentences") or {}
        shown.append(
            {
                **criterion,
                **{name: translate(sentences[name], fallback=criterion[name]) for name in TEXTS if name in sentences},
            }
        )
    return shown


def best_honour(person) -> Honour | None:
    """The person's honour of the highest level (ranked in the database, not by string order)."""
    rank = Case(
        *[When(level=value, then=Value(HonourLevel.rank(value))) for value in HonourLevel.values],
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        Honour.objects.filter(person=person, kind__in=LEAD_HONOUR_KINDS)
        .annotate(rank=rank)
        .order_by("-rank", "-year")
        .first()
    )


def _years_between(start, end) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def studio_eligibility(studio: Studio, rules: EligibilityRules | None = None) -> list[Criterion]:
    rules = rules or EligibilityRules.current()
    team = team_figures(studio)
    funding = funding_totals(studio)
    lead = studio.lead
    criteria = []

    criteria.append(
        Criterion(
            code="team_size",
            label=sentence("Team size"),
            passed=team["size"] >= rules.min_team_size,
            figure=sentence("%(n)s people", n=team["size"]),
            threshold=sentence("at least %(n)s", n=rules.min_team_size),
        )
    )

    honour = best_honour(lead)
    honour_ok = honour is not None and HonourLevel.rank(honour.level) >= HonourLevel.rank(rules.lead_min_honour_level)
    grade_ok = SkillGrade.rank(lead.skill_grade) >= SkillGrade.rank(rules.lead_min_skill_grade)
    honour_figure = (
        sentence("%(title)s (%(level)s)", title=honour.title, level=ChoiceLabel(HonourLevel, honour.level))
        if honour
        else sentence("no honour")
    )
    grade_figure = ChoiceLabel(SkillGrade, lead.skill_grade) if lead.skill_grade else sentence("no skill grade")
    criteria.append(
        Criterion(
            code="lead",
            label=sentence("Lead's honour or skill grade"),
            passed=honour_ok or grade_ok,
            figure=sentence("%(honour)s / %(grade)s", honour=honour_figure, grade=grade_figure),
            threshold=sentence(
                "honour at %(level)s or above, or skill grade %(grade)s or above",
                level=ChoiceLabel(HonourLevel, rules.lead_min_honour_level),
                grade=ChoiceLabel(SkillGrade, rules.lead_min_skill_grade),
            ),
        )
    )

    area = studio.venue_area or Decimal("0")
    criteria.append(
        Criterion(
            code="venue",
            label=sentence("Fixed venue"),
            passed=bool(studio.venue_address) and area >= rules.min_venue_area,
            figure=sentence("%(area)s m² at %(address)s", area=area, address=studio.venue_address or "—"),
            threshold=sentence("an address and at least %(area)s m²", area=rules.min_venue_area),
        )
    )

    if rules.require_funding:
        if rules.min_funding > 0:
            threshold = sentence("at least ¥%(amount)s", amount=f"{rules.min_funding:,.2f}")
        else:  # "at least ¥0.00" beside "more than ¥0" says nothing more
            threshold = sentence("in place (more than ¥0)")
        criteria.append(
            Criterion(
                code="funding",
                label=sentence("Funding in place"),
                passed=funding["income"] > 0 and funding["income"] >= rules.min_funding,
                figure=f"¥{funding['income']:,.2f}",
                threshold=threshold,
            )
        )

    criteria.append(
        Criterion(
            code="projects",
            label=sentence("Projects per year"),
            passed=studio.planned_projects >= rules.min_projects_per_year,
            figure=sentence("%(n)s planned", n=studio.planned_projects),
            threshold=sentence("at least %(n)s", n=rules.min_projects_per_year),
        )
    )

    if rules.forbid_single_team_group and team["size"] > 1:
        single = team["with_group"] == team["size"] and team["team_groups"] == 1
        criteria.append(
            Criterion(
                code="team_groups",
                label=sentence("Team drawn from more than one 班组"),
                passed=not single,
                figure=sentence("%(n)s 班组 among members", n=team["team_groups"]),
                threshold=sentence("not all from one 班组"),
            )
        )

    if studio.applying_demonstration:
        years = _years_between(studio.founded_on, timezone.localdate()) if studio.founded_on else 0
        criteria.append(
            Criterion(
                code="demonstration_years",
                label=sentence("Years in operation (demonstration title)"),
                passed=years >= rules.demonstration_min_years,
                figure=sentence("%(n)s years", n=years),
                threshold=sentence("at least %(n)s years", n=rules.demonstration_min_years),
            )
        )
    return criteria


def all_passed(criteria) -> bool:
    return all(c["passed"] if isinstance(c, dict) else c.passed for c in criteria)
