from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField, phone_validator
from accounts.models import Unit, User
from accounts.selectors import unit_choices
from core.forms import DateInput, PortalForm, PortalModelForm, set_bounds
from core.uploads import DocumentUploadField, ImageUploadField

from .models import Honour, Person, SkillGradeChange

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
    user = forms.ModelChoiceField(label=_("Login"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        linked = User.objects.filter(pk=instance.user_id) if instance and instance.user_id else User.objects.none()
        self.fields["user"].queryset = (User.objects.visible_to(self.user).filter(is_active=True) | linked).distinct()
        self.initial.setdefault("user", instance.user_id if instance else None)
