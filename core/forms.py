from django import forms
from django.utils.translation import gettext_lazy as _

from .uploads import ImageUploadField


class DateInput(forms.DateInput):
    """An HTML date picker. Its value must be ISO (YYYY-MM-DD) whatever the language, or the
    browser shows it empty (the zh-hans input format would be 2026/11/24)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def set_bounds(field, *, minimum=None, maximum=None) -> None:
    """Bound a number field after construction: the validators and the input's min/max attributes.
    (Assigning field.min_value afterwards would change neither.) The bound replaces the one the
    field had (a positive field's "at least 0"), so that a year of -5 reads one message, not
    "at least 0" and "at least 1980"."""
    from django.core.validators import MaxValueValidator, MinValueValidator

    if minimum is not None:
        field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator)]
        field.validators.append(MinValueValidator(minimum))
        field.min_value = minimum
        field.widget.attrs["min"] = minimum
    if maximum is not None:
        field.validators = [v for v in field.validators if not isinstance(v, MaxValueValidator)]
        field.validators.append(MaxValueValidator(maximum))
        field.max_value = maximum
        field.widget.attrs["max"] = maximum


def set_max_length(field, maximum: int) -> None:
    """Bound a text field's length after construction: the validator and the input's maxlength.
    (Assigning field.max_length afterwards would change neither.)"""
    from django.core.validators import MaxLengthValidator

    field.max_length = maximum
    field.validators.append(MaxLengthValidator(maximum))
    field.widget.attrs["maxlength"] = str(maximum)


class PortalFormMixin:
    """Forms receive the acting user, so that choice fields list only what the user may see."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    """A ModelForm used for validation and rendering only: services do the saving."""

    def save(self, commit=True):  # pragma: no cover - guard
        raise NotImplementedError("Portal forms are saved by services, not by form.save()")


class TransitionForm(PortalForm):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = comment_required
        if comment_required:
            self.fields["comment"].label = _("Reason")


def kind_form(kind_model):
    """The form of an entry of a configurable list (ConfigurableKind); the service checks names."""

    class KindForm(PortalModelForm):
        class Meta:
            model = kind_model
            fields = ["name", "order", "is_active"]

        def validate_unique(self):
            pass

    return KindForm


class PictureForm(PortalForm):
    """One picture with a caption (a studio's photos, a result's pictures)."""

    image = ImageUploadField(label=_("Picture"))
    caption = forms.CharField(label=_("Caption"), required=False, max_length=100)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
