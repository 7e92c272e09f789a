from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.forms import PortalForm, PortalModelForm, set_max_length
from core.pickers import SearchChoiceField

from .models import Unit, User
from .policies import assignable_roles
from .selectors import unit_choices

code_validator = RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9_-]*$", _("Use letters, digits, - and _ only."))
username_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", _("Use letters, digits, dot, - and _ only, starting with a letter or digit.")
)
phone_validator = RegexValidator(r"^[0-9+\- ]{5,20}$", _("Enter a phone number of digits, spaces, + and -."))


class UnitChoiceField(SearchChoiceField):
    """A unit picker that shows the tree by indentation (a national tree: searched by name, short
    name or code; core.pickers)."""

    search_fields = ("name", "short_name", "code")
    search_order = ("path",)

    def label_from_instance(self, obj):
        return obj.indented_name


class UnitForm(PortalModelForm):
    parent = UnitChoiceField(label=_("Parent unit"), queryset=Unit.objects.none(), required=False)

    class Meta:
        model = Unit
        fields = ["parent", "name", "short_name", "code", "kind", "union_name", "is_active"]
        help_texts = {
            "code": _("A short unique code, e.g. the unit's code in the HR system."),
            "union_name": _("The name of this unit's trade union, e.g. 某某分公司工会."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].validators.append(code_validator)
        if self.instance.pk:
            # A unit changes place through "move", which also moves everything below it.
            del self.fields["parent"]
        else:
            del self.fields["is_active"]
            self.fields["parent"].queryset = unit_choices(self.user)
            self.fields["parent"].required = Unit.objects.exists()

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class UnitMoveForm(PortalForm):
    new_parent = UnitChoiceField(label=_("New parent unit"), queryset=Unit.objects.none())

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        # Neither the unit itself nor anything below it can become its parent.
        self.fields["new_parent"].queryset = unit_choices(self.user).exclude(path__startswith=instance.path)


class UserForm(PortalModelForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    class Meta:
        model = User
        fields = ["username", "name", "role", "unit", "email", "phone"]
        help_texts = {"username": _("Used to sign in; letters, digits, dot, - and _.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["unit"].queryset = unit_choices(self.user)
        self.fields["role"].choices = assignable_roles(self.user)
        self.fields["phone"].validators.append(phone_validator)
        if self.instance.pk:
            del self.fields["username"]
        else:
            self.fields["username"].validators.append(username_validator)

    def clean_username(self):
        # Uniqueness (case-insensitive) is checked by accounts.services.user_create.
        return self.cleaned_data["username"].strip()


class ProfileForm(PortalModelForm):
    class Meta:
        model = User
        fields = ["name", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["phone"].validators.append(phone_validator)


# Django's password fields have no bound of their own: a password of megabytes went on to the
# authentication backends and the hasher. No password the portal sets is longer than this.
PASSWORD_MAX_LENGTH = 128


class PortalAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, whose username gets a real length check: Django only sets the
    attribute, so a name of thousands of characters went on to the authentication backends."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        set_max_length(self.fields["username"], self.fields["username"].max_length or 150)
        set_max_length(self.fields["password"], PASSWORD_MAX_LENGTH)


class PortalPasswordChangeForm(PasswordChangeForm):
    """Django's password change form; the view reports the change to accounts.services."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("old_password", "new_password1", "new_password2"):
            set_max_length(self.fields[name], PASSWORD_MAX_LENGTH)


# Django 5.2's MinimumLengthValidator asks for this msgid, which Django's own zh_Hans catalogue does
# not translate yet (it has the older "%(min_length)d" one): named here so that ours carries it.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
