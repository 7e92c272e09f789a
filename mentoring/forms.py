"""Forms of the mentoring app: they validate and render; mentoring.services writes.

People are offered from a bounded list: the current team of the pairing's studio, or of the
alliance's member studios, that the user can see; never the whole people registry.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import Unit
from alliances.models import Alliance
from core.forms import DateInput, PortalForm, PortalModelForm, set_bounds
from core.pickers import SearchChoiceField
from core.uploads import DocumentUploadField
from studios.models import Studio
from talent.choices import HonourLevel, SkillGrade
from talent.models import Person, SkillGradeChange

from . import selectors
from .choices import MAX_TERM_MONTHS, MIN_TERM_MONTHS, EndReason, GraduationGrade
from .models import ALLOWANCE_FIELDS, RewardRule

DATE = DateInput()
TEXT_MAX = 2000


class PersonChoiceField(SearchChoiceField):
    """A person of the pairing's studio or alliance, searched by name when there are many."""

    search_fields = ("name", "employee_no")

    def label_from_instance(self, obj):
        grade = obj.get_skill_grade_display()
        return " · ".join(str(part) for part in (obj.name, obj.unit, grade) if part)


def _text(label, *, required=True, rows=3, max_length=TEXT_MAX, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _today_default(form, *names):
    for name in names:
        form.initial[name] = form.initial.get(name) or timezone.localdate()


class PairingTargetForm(PortalForm):
    """Step one of a new pairing from the list: the studio, or the alliance, it is set up in."""

    studio = SearchChoiceField(
        label=_("Studio"), queryset=Studio.objects.none(), required=False, search_order=("-updated_at", "-id")
    )
    alliance = SearchChoiceField(label=_("Alliance (across units)"), queryset=Alliance.objects.none(), required=False)

    def __init__(self, *args, studios=None, alliances=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios if studios is not None else Studio.objects.none()
        self.fields["alliance"].queryset = alliances if alliances is not None else Alliance.objects.none()
        self.fields["studio"].label_from_instance = lambda s: f"{s.name} · {s.unit}"


class PairingForm(PortalForm):
    """A pairing's agreement: who, when, for how long, towards what."""

    mentor = PersonChoiceField(label=_("Mentor"), queryset=Person.objects.none())
    apprentice = PersonChoiceField(label=_("Apprentice"), queryset=Person.objects.none())
    agreement_on = forms.DateField(label=_("Agreement signed on"), widget=DATE)
    term_months = forms.IntegerField(
        label=_("Term (months)"),
        help_text=_("From %(min)d to %(max)d months.") % {"min": MIN_TERM_MONTHS, "max": MAX_TERM_MONTHS},
    )
    goals = _text(_("Goals"), rows=5, help_text=_("What the apprentice is to learn and reach by the end of the term."))
    agreement = DocumentUploadField(label=_("Mentoring agreement (signed)"), required=False)

    def __init__(self, *args, instance=None, studio=None, alliance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            studio, alliance = instance.studio, instance.alliance
            for name in ("mentor", "apprentice", "agreement_on", "term_months", "goals"):
                self.initial.setdefault(name, getattr(instance, name))
            if instance.agreement:
                self.fields["agreement"].help_text = _("Upload a file only to replace the current one.")
        people = (
            selectors.studio_team_choices(self.user, studio)
            if studio is not None
            else selectors.alliance_team_choices(self.user, alliance)
            if alliance is not None
            else Person.objects.none()
        )
        if instance is not None:
            # The people of the pairing stay choosable, even if one has since left the team.
            current = Person.objects.filter(pk__in=[instance.mentor_id, instance.apprentice_id])
            people = (people | current.select_related("unit")).distinct()
        self.fields["mentor"].queryset = people
        self.fields["apprentice"].queryset = people
        if alliance is not None:
            self.fields["apprentice"].help_text = _("From a member studio of another unit than the mentor's.")
        set_bounds(self.fields["term_months"], minimum=MIN_TERM_MONTHS, maximum=MAX_TERM_MONTHS)
        self.initial.setdefault("term_months", 12)
        _today_default(self, "agreement_on")

    def clean_goals(self):
        return self.cleaned_data["goals"].strip()

    def clean(self):
        data = super().clean()
        mentor, apprentice = data.get("mentor"), data.get("apprentice")
        if mentor is not None and mentor == apprentice:
            self.add_error("apprentice", _("The mentor and the apprentice must be two different people."))
        return data


class ProgressForm(PortalForm):
    logged_on = forms.DateField(label=_("Date"), widget=DATE)
    content = _text(
        _("Progress"), rows=5, help_text=_("What was taught and practised, and how the apprentice is doing.")
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        _today_default(self, "logged_on")


class PlacementForm(PortalForm):
    competition = forms.CharField(
        label=_("Competition"), max_length=200, help_text=_("e.g. 公司第十届职业技能大赛（数控车工）")
    )
    level = forms.ChoiceField(label=_("Level"), choices=HonourLevel.choices)
    placement = forms.CharField(label=_("Placement"), max_length=50, help_text=_("e.g. 一等奖 or 第二名"))
    placed_on = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        _today_default(self, "placed_on")


class AssessForm(PortalForm):
    """The graduation assessment (出师考核)."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)
    score = forms.DecimalField(label=_("Score"), max_digits=4, decimal_places=1, help_text=_("From 0 to 100."))
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=GraduationGrade.choices,
        help_text=_("Below 60 is a fail; an excellent needs 85 or more."),
    )
    assessors = forms.CharField(
        label=_("Assessors"), max_length=200, help_text=_("The members of the assessment panel.")
    )
    comment = _text(_("Comment"), required=False)

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        set_bounds(self.fields["score"], minimum=0, maximum=100)
        _today_default(self, "assessed_on")

    def clean(self):
        from .services import check_score

        data = super().clean()
        if "score" in data and "grade" in data:
            for field, message in check_score(data["score"], data["grade"]).items():
                self.add_error(field, message)
        return data


class EndForm(PortalForm):
    """Ending a pairing early (提前终止)."""

    ended_on = forms.DateField(label=_("Ended on"), widget=DATE)
    reason = forms.ChoiceField(label=_("Reason"), choices=EndReason.choices)
    comment = _text(_("Comment"), required=False, help_text=_("Required for another reason."))

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        _today_default(self, "ended_on")

    def clean(self):
        data = super().clean()
        if data.get("reason") == EndReason.OTHER and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Explain the reason."))
        return data


class GradeChangeForm(PortalForm):
    """A skill-grade change of the apprentice (recorded in the people registry)."""

    grade = forms.ChoiceField(label=_("Skill grade"), choices=SkillGrade.choices)
    changed_on = forms.DateField(label=_("Date"), widget=DATE)
    proof = DocumentUploadField(
        label=_("Proof"), required=False, help_text=_("A certificate as PDF or an Office file.")
    )
    note = forms.CharField(
        label=_("Note"), max_length=SkillGradeChange._meta.get_field("note").max_length, required=False
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        _today_default(self, "changed_on")


class RewardRuleForm(PortalModelForm):
    class Meta:
        model = RewardRule
        fields = [*ALLOWANCE_FIELDS, "bonus_grade", "bonus_years", "bonus_amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ALLOWANCE_FIELDS:
            set_bounds(self.fields[name], minimum=0, maximum=100000)
        set_bounds(self.fields["bonus_amount"], minimum=0, maximum=1000000)
        set_bounds(self.fields["bonus_years"], minimum=1, maximum=10)


class RewardYearForm(PortalForm):
    """The year (and, optionally, the unit subtree) of the list of rewards due."""

    year = forms.IntegerField(label=_("Year"))
    unit = UnitChoiceField(label=_("Unit (and below)"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        from accounts.selectors import unit_choices

        super().__init__(*args, **kwargs)
        set_bounds(self.fields["year"], minimum=2000, maximum=timezone.localdate().year)
        self.fields["unit"].queryset = unit_choices(self.user)
