from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField, phone_validator
from accounts.models import Unit, User
from accounts.selectors import unit_choices
from core.forms import DateInput, PortalForm, PortalModelForm, set_bounds
from core.pickers import SearchChoiceField
from core.uploads import DocumentUploadField, ImageUploadField

from .choices import NominationStatus, RecusalRelation
from .models import Campaign, Criterion, Honour, Nomination, Person, SkillGradeChange
from .services import CAMPAIGN_FIELDS

id_number_validator = RegexValidator(r"^\d{17}[\dXx]$", _("Enter the 18-character resident ID number."))
employee_no_validator = RegexValidator(r"^[A-Za-z0-9_-]+$", _("Use letters, digits, - and _ only."))


class PersonForm(PortalModelForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    photo = ImageUploadField(label=_("Photo"), required=False)

    class Meta:
        model = Person
        fields = ["name", "gender", "employee_no", "unit", "team_group", "post", "phone", "id_number", "photo"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = unit_choices(self.user)
        if self.instance.pk:
            units = (units | Unit.objects.filter(pk=self.instance.unit_id)).distinct()
        self.fields["unit"].queryset = units
        self.fields["phone"].validators.append(phone_validator)
        self.fields["id_number"].validators.append(id_number_validator)
        self.fields["employee_no"].validators.append(employee_no_validator)
        self.fields["photo"].widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})
        from core.permissions import can

        if self.instance.pk and not can(self.user, "view_personal", self.instance):
            # Personal data stays with those who manage the person's unit.
            del self.fields["phone"]
            del self.fields["id_number"]

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_id_number(self):
        return self.cleaned_data["id_number"].upper()

    def validate_unique(self):
        # employee_no uniqueness is checked by talent.services with a field message.
        pass


class GradeChangeForm(PortalModelForm):
    proof = DocumentUploadField(
        label=_("Proof"), required=False, help_text=_("A certificate as PDF or an Office file.")
    )

    class Meta:
        model = SkillGradeChange
        fields = ["grade", "changed_on", "proof", "note"]
        widgets = {"changed_on": DateInput()}

    def validate_unique(self):
        pass


class HonourForm(PortalModelForm):
    class Meta:
        model = Honour
        fields = ["kind", "level", "title", "year", "issuer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_bounds(self.fields["year"], minimum=1950)
        set_bounds(self.fields["year"], maximum=timezone.localdate().year)

    def validate_unique(self):
        pass


class PersonLinkForm(PortalForm):
    user = SearchChoiceField(
        label=_("Login"),
        queryset=User.objects.none(),
        required=False,
        search_fields=("username", "name"),
        search_order=("username", "id"),
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        linked = User.objects.filter(pk=instance.user_id) if instance and instance.user_id else User.objects.none()
        self.fields["user"].queryset = (User.objects.visible_to(self.user).filter(is_active=True) | linked).distinct()
        self.initial.setdefault("user", instance.user_id if instance else None)


# Selection campaigns ------------------------------------------------------------------------------

DATE = DateInput()


class ServiceValidatedModelForm(PortalModelForm):
    """The model's own checks (names, date order, constraints) are made by talent.services, with
    a message next to the right field; the form checks types, lengths and bounds only."""

    def _post_clean(self):
        pass


class CampaignForm(ServiceValidatedModelForm):
    class Meta:
        model = Campaign
        fields = list(CAMPAIGN_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "nominations_close_on": DATE,
            "scoring_until": DATE,
            "publicity_from": DATE,
            "publicity_until": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        set_bounds(self.fields["year"], minimum=1950, maximum=this_year + 1)
        set_bounds(self.fields["quota"], minimum=1, maximum=1000)
        self.fields["publicity_from"].help_text = _("Planned; HQ sets the final days when it publicises the selection.")
        if self.instance.pk:
            del self.fields["kind"]  # what a campaign selects is fixed once it exists
        else:
            self.initial["year"] = self.initial.get("year") or this_year

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_honour_title(self):
        return self.cleaned_data["honour_title"].strip()


class CriterionForm(ServiceValidatedModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "weight", "description", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_bounds(self.fields["weight"], minimum=1, maximum=100)
        set_bounds(self.fields["order"], minimum=0, maximum=999)
        self.fields["weight"].help_text = _("The weights of a campaign's criteria add up to 100.")

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} · {obj.unit}"


class PanelForm(PortalForm):
    expert = ExpertChoiceField(label=_("Review expert"), queryset=User.objects.none())

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.choices import Role

        self.fields["expert"].queryset = (
            User.objects.filter(role=Role.EXPERT, is_active=True)
            .exclude(campaign_panels__campaign=campaign)
            .select_related("unit")
            .order_by("unit__path", "name")
        )


class NomineeChoiceField(forms.ModelChoiceField):
    """Validates against every nominee the user may put forward, but offers only a bounded page of
    them (those matching the search): at national scale a full list would be millions of rows."""

    def label_from_instance(self, obj):
        if isinstance(obj, Person):
            number = f" · {obj.employee_no}" if obj.employee_no else ""
            return f"{obj.name}{number} · {obj.unit}"
        return f"{obj.title} · {obj.studio} · {obj.get_category_display()}"

    def offer(self, rows, total: int) -> None:
        self.widget.choices = [("", "---------")] + [(row.pk, self.label_from_instance(row)) for row in rows]
        self.offered, self.total = len(rows), total


def _as_pk(value) -> int | None:
    """A posted primary key, or None for anything that is not one ("²", "1.5", "abc", a huge number)."""
    try:
        pk = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**63 else None


class NominationForm(PortalForm):
    """A nomination to a campaign: a person (craftsman selection) or a verified result (result
    selection), the statement of deeds and the supporting material."""

    statement = forms.CharField(
        label=_("Deeds and reasons (事迹/推荐理由)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    material = DocumentUploadField(
        label=_("Nomination material"),
        required=False,
        help_text=_("The nomination form and evidence as one PDF or Office file."),
    )

    def __init__(self, *args, campaign=None, query: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import CHOICE_LIMIT, nominable_people, nominable_results

        self.campaign = campaign
        query = (query or "").strip()[:50]
        if campaign.selects_people:
            self.nominee_field = "person"
            candidates = nominable_people(self.user, campaign).select_related("unit")
            matches = (
                candidates.filter(Q(name__icontains=query) | Q(employee_no__iexact=query)) if query else candidates
            )
            field = NomineeChoiceField(
                label=_("Person"),
                queryset=candidates,
                help_text=_("Search by name or employee number; people of your unit and the units below it."),
            )
            ordering = ("name", "id")
        else:
            self.nominee_field = "result"
            candidates = nominable_results(self.user, campaign).select_related("studio")
            matches = (
                candidates.filter(Q(title__icontains=query) | Q(patent_no__icontains=query)) if query else candidates
            )
            field = NomineeChoiceField(
                label=_("Verified result"),
                queryset=candidates,
                help_text=_("Search by title or patent number; verified results of your unit's studios."),
            )
            ordering = ("title", "id")
        rows = list(matches.order_by(*ordering)[:CHOICE_LIMIT])
        chosen = _as_pk(self.data.get(self.nominee_field)) if self.is_bound else None
        if chosen is not None and all(row.pk != chosen for row in rows):
            rows += list(candidates.filter(pk=chosen))  # keep the posted choice on the page again
        field.offer(rows, matches.count() if len(rows) >= CHOICE_LIMIT else len(rows))
        self.fields = {self.nominee_field: field, **self.fields}

    def clean_statement(self):
        return self.cleaned_data["statement"].strip()


class ScoreForm(PortalForm):
    """The weighted scorecard: a whole score from 0 to 100 per criterion, and a comment."""

    def __init__(self, *args, criteria=(), scorecard=None, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        current = {item.criterion_id: item.score for item in scorecard.items.all()} if scorecard else {}
        for criterion in self.criteria:
            name = f"criterion_{criterion.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{criterion.name}（{criterion.weight}%）",
                min_value=0,
                max_value=100,
                # Django prints help_text unescaped (it may hold markup); this one is typed by HQ.
                help_text=escape(criterion.description),
                widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric"}),
            )
            if criterion.pk in current:
                self.initial[name] = current[criterion.pk]
        self.fields["comment"] = forms.CharField(
            label=_("Expert's comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
        if scorecard is not None:
            self.initial["comment"] = scorecard.comment

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class RecusalForm(PortalForm):
    """An expert's declaration of a conflict of interest (回避) with a nominee, with the reason."""

    relation = forms.ChoiceField(
        label=_("Relation to the nominee"), choices=[("", "---------"), *RecusalRelation.choices]
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How you are related to the nominee, e.g. “his mentor since 2018”."),
    )

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)


class RankedChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, labels=None, **kwargs):
        self.labels = labels or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self.labels.get(obj.pk, str(obj))


class PublicityForm(PortalForm):
    """HQ's choice for the public notice, offered by rank (the top `quota` scored nominees ticked)."""

    selected = RankedChoiceField(
        label=_("Proposed for selection"), queryset=Nomination.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    publicity_from = forms.DateField(label=_("Public notice from"), widget=DATE)
    publicity_until = forms.DateField(label=_("Public notice until"), widget=DATE)
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, campaign=None, ranked=(), comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        import datetime

        self.campaign = campaign
        labels = {}
        for row in ranked:
            score = f"{row.mean}" if row.mean is not None else _("not scored")
            place = _("No. %(rank)s") % {"rank": row.rank} if row.rank else "—"
            labels[row.pk] = f"{place} · {row.nominee} · {row.unit} · {score}"
        field = self.fields["selected"]
        field.labels = labels
        field.queryset = Nomination.objects.filter(campaign=campaign, status=NominationStatus.NOMINATED)
        # Offered in rank order (the queryset validates the answer).
        field.widget.choices = [(row.pk, labels[row.pk]) for row in ranked if row.status == NominationStatus.NOMINATED]
        field.help_text = _("At most %(quota)d; offered by rank, the best scored first.") % {"quota": campaign.quota}
        self.initial["selected"] = [row.pk for row in ranked if row.rank is not None][: campaign.quota]
        start = max(timezone.localdate(), campaign.nominations_close_on)
        self.initial["publicity_from"] = campaign.publicity_from or start
        self.initial["publicity_until"] = campaign.publicity_until or start + datetime.timedelta(days=6)

    def clean_selected(self):
        selected = self.cleaned_data["selected"]
        if len(selected) > self.campaign.quota:
            raise forms.ValidationError(
                _("At most %(quota)d can be selected; you chose %(count)d.")
                % {"quota": self.campaign.quota, "count": len(selected)}
            )
        return selected

    def clean(self):
        data = super().clean()
        start, end = data.get("publicity_from"), data.get("publicity_until")
        if start and end and end < start:
            self.add_error("publicity_until", _("The public notice cannot end before it begins."))
        return data
