from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.permissions import can
from core.views import (
    ProtectedFileView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    TransitionView,
)

from . import selectors, services
from .filters import PersonFilterSet
from .forms import GradeChangeForm, HonourForm, PersonForm, PersonLinkForm
from .models import Honour, Person, SkillGradeChange
from .tables import PersonTable

PEOPLE = (_("People"), reverse_lazy("talent:person_list"))


class PersonListView(ScopedListView):
    model = Person
    table_class = PersonTable
    filterset_class = PersonFilterSet
    create_url_name = "talent:person_create"
    title = _("Talent registry")

    def get_queryset(self):
        return selectors.person_list(self.request.user)

    def get_breadcrumbs(self):
        return [(PEOPLE[0], None)]


class PersonDetailView(ScopedDetailView):
    model = Person
    template_name = "talent/person_detail.html"
    list_select_related = ("unit", "user")

    def get_context_data(self, **kwargs):
        from studios.models import Membership, Studio

        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        context.update(
            honours=list(person.honours.all()),
            grade_changes=list(person.grade_changes.all()),
            memberships=list(
                Membership.objects.filter(person=person, studio__in=Studio.objects.visible_to(user).values("pk"))
                .select_related("studio")
                .order_by("left_on", "-joined_on")
            ),
            can_change=can(user, "change", person),
            can_view_personal=can(user, "view_personal", person),
            can_link=can(user, "link_user", person),
        )
        return context

    def get_breadcrumbs(self):
        return [PEOPLE, (self.object.name, None)]


class PersonCreateView(ScopedCreateView):
    model = Person
    form_class = PersonForm
    title = _("New person")
    success_message = _("The person was added to the registry.")

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.person_create(actor=self.request.user, name=data.pop("name"), unit=data.pop("unit"), **data)

    def get_breadcrumbs(self):
        return [PEOPLE, (self.title, None)]


class PersonChildMixin:
    def get_breadcrumbs(self):
        person = self.get_object()
        return [PEOPLE, (person.name, person.get_absolute_url()), (self.title, None)]


class PersonUpdateView(PersonChildMixin, ScopedUpdateView):
    model = Person
    form_class = PersonForm
    title = _("Edit person")

    def perform(self, form):
        return services.person_update(actor=self.request.user, person=self.get_object(), **form.cleaned_data)


class PersonGradeCreateView(PersonChildMixin, ScopedUpdateView):
    """Record a skill-grade change (the form is a new SkillGradeChange of this person)."""

    model = Person
    form_class = GradeChangeForm
    title = _("Record a skill-grade change")
    success_message = _("The skill-grade change was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = SkillGradeChange(person=self.get_object())
        return kwargs

    def perform(self, form):
        services.person_grade_change(actor=self.request.user, person=self.get_object(), **form.cleaned_data)
        return self.get_object()


class HonourCreateView(PersonChildMixin, ScopedUpdateView):
    model = Person
    form_class = HonourForm
    title = _("Record an honour")
    success_message = _("The honour was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Honour(person=self.get_object())
        return kwargs

    def perform(self, form):
        services.honour_add(actor=self.request.user, person=self.get_object(), **form.cleaned_data)
        return self.get_object()


class HonourDeleteView(TransitionView):
    model = Honour
    permission_action = "delete"
    title = _("Remove honour")
    button_label = _("Remove")
    button_class = "btn-danger"
    success_message = _("The honour was removed.")
    list_select_related = ("person",)

    def perform(self, form):
        honour = self.get_object()
        services.honour_remove(actor=self.request.user, honour=honour)
        return honour.person


class PersonLinkView(PersonChildMixin, ScopedUpdateView):
    model = Person
    form_class = PersonLinkForm
    permission_action = "link_user"
    title = _("Link to a login")

    def perform(self, form):
        return services.person_link_user(
            actor=self.request.user, person=self.get_object(), user=form.cleaned_data["user"]
        )


class PersonPhotoView(ProtectedFileView):
    model = Person
    file_field = "photo"
    as_attachment = False


class GradeProofView(ProtectedFileView):
    model = SkillGradeChange
    file_field = "proof"
