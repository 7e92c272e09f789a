from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from core.permissions import can
from core.views import (
    PortalMixin,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormMixin,
    TransitionView,
)

from . import selectors, services
from .filters import UnitFilterSet, UserFilterSet
from .forms import PortalAuthenticationForm, PortalPasswordChangeForm, ProfileForm, UnitForm, UnitMoveForm, UserForm
from .models import Unit, User
from .tables import UnitTable, UserTable

UNITS = (_("Units"), reverse_lazy("accounts:unit_list"))
USERS = (_("Users"), reverse_lazy("accounts:user_list"))


# Units ------------------------------------------------------------------------------------------


class UnitListView(ScopedListView):
    model = Unit
    table_class = UnitTable
    filterset_class = UnitFilterSet
    create_url_name = "accounts:unit_create"

    def get_queryset(self):
        return selectors.unit_list(self.request.user)

    def get_breadcrumbs(self):
        return [(UNITS[0], None)]


class UnitDetailView(ScopedDetailView):
    model = Unit
    template_name = "accounts/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit, user = self.object, self.request.user
        context.update(
            ancestors=selectors.unit_ancestors(unit),
            children=selectors.unit_children(unit),
            users=selectors.user_list(user).filter(unit=unit, is_active=True),
            can_change=can(user, "change", unit),
            can_move=can(user, "move", unit) and not unit.is_root(),
            can_add=can(user, "add", Unit),
        )
        return context

    def get_breadcrumbs(self):
        return [UNITS, (self.object.name, None)]


class UnitCreateView(ScopedCreateView):
    model = Unit
    form_class = UnitForm
    title = _("New unit")
    success_message = _("The unit was created.")

    def get_initial(self):
        parent = self.request.GET.get("parent")
        return {"parent": parent} if parent and parent.isdigit() else {}

    def perform(self, form):
        data = form.cleaned_data
        return services.unit_create(
            actor=self.request.user,
            parent=data["parent"],
            name=data["name"],
            short_name=data["short_name"],
            code=data["code"],
            kind=data["kind"],
            union_name=data["union_name"],
        )

    def get_breadcrumbs(self):
        return [UNITS, (self.title, None)]


class UnitUpdateView(ScopedUpdateView):
    model = Unit
    form_class = UnitForm
    title = _("Edit unit")
    success_message = _("The unit was saved.")

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in services.UNIT_FIELDS if name in form.cleaned_data}
        return services.unit_update(actor=self.request.user, unit=self.get_object(), **fields)

    def get_breadcrumbs(self):
        return [UNITS, (self.get_object().name, self.get_object().get_absolute_url()), (self.title, None)]


class UnitMoveView(ScopedUpdateView):
    model = Unit
    form_class = UnitMoveForm
    permission_action = "move"
    title = _("Move unit")
    success_message = _("The unit was moved with everything below it.")

    def perform(self, form):
        return services.unit_move(
            actor=self.request.user, unit=self.get_object(), new_parent=form.cleaned_data["new_parent"]
        )

    def get_breadcrumbs(self):
        return [UNITS, (self.get_object().name, self.get_object().get_absolute_url()), (self.title, None)]


# Users ------------------------------------------------------------------------------------------


class UserListView(ScopedListView):
    model = User
    table_class = UserTable
    filterset_class = UserFilterSet
    create_url_name = "accounts:user_create"

    def get_queryset(self):
        return selectors.user_list(self.request.user)

    def get_breadcrumbs(self):
        return [(USERS[0], None)]


class UserDetailView(ScopedDetailView):
    model = User
    template_name = "accounts/user_detail.html"
    list_select_related = ("unit",)
    context_object_name = "account"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        account, user = self.object, self.request.user
        context.update(
            is_locked=services.user_is_locked(account),
            can_change=can(user, "change", account),
            can_deactivate=account.is_active and can(user, "deactivate", account),
            can_activate=not account.is_active and can(user, "activate", account),
            can_reset_password=account.is_active and can(user, "reset_password", account),
            can_unlock=can(user, "unlock", account),
        )
        return context

    def get_breadcrumbs(self):
        return [USERS, (str(self.object), None)]


class UserCreateView(ScopedCreateView):
    model = User
    form_class = UserForm
    title = _("New user")

    def perform(self, form):
        data = form.cleaned_data
        user, password = services.user_create(
            actor=self.request.user,
            username=data["username"],
            name=data["name"],
            role=data["role"],
            unit=data["unit"],
            email=data["email"],
            phone=data["phone"],
        )
        self.success_message = _(
            "The account was created. Temporary password: %(password)s — pass it on in person; "
            "it must be changed at first sign-in."
        ) % {"password": password}
        return user

    def get_breadcrumbs(self):
        return [USERS, (self.title, None)]


class UserUpdateView(ScopedUpdateView):
    model = User
    form_class = UserForm
    title = _("Edit user")
    list_select_related = ("unit",)

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in services.USER_FIELDS}
        return services.user_update(actor=self.request.user, user=self.get_object(), **fields)

    def get_breadcrumbs(self):
        account = self.get_object()
        return [USERS, (str(account), account.get_absolute_url()), (self.title, None)]


class UserTransitionView(TransitionView):
    model = User
    list_select_related = ("unit",)

    def get_breadcrumbs(self):
        account = self.get_object()
        return [USERS, (str(account), account.get_absolute_url()), (self.title, None)]


class UserDeactivateView(UserTransitionView):
    permission_action = "deactivate"
    title = _("Deactivate account")
    comment_required = True
    confirm_message = _("The person will no longer be able to sign in. Their records and history are kept.")
    button_label = _("Deactivate")
    button_class = "btn-danger"
    success_message = _("The account was deactivated.")

    def perform(self, form):
        return services.user_deactivate(
            actor=self.request.user, user=self.get_object(), comment=form.cleaned_data["comment"]
        )


class UserActivateView(UserTransitionView):
    permission_action = "activate"
    title = _("Reactivate account")
    button_label = _("Reactivate")
    success_message = _("The account was reactivated.")

    def perform(self, form):
        return services.user_activate(
            actor=self.request.user, user=self.get_object(), comment=form.cleaned_data["comment"]
        )


class UserPasswordResetView(UserTransitionView):
    permission_action = "reset_password"
    title = _("Reset password")
    confirm_message = _(
        "A new temporary password is generated and shown to you once. The person must change it at next sign-in."
    )
    button_label = _("Reset password")
    button_class = "btn-warning"

    def perform(self, form):
        account = self.get_object()
        password = services.user_password_reset(
            actor=self.request.user, user=account, comment=form.cleaned_data["comment"]
        )
        self.success_message = _("New temporary password for %(user)s: %(password)s") % {
            "user": account.display_name,
            "password": password,
        }
        return account


class UserUnlockView(UserTransitionView):
    permission_action = "unlock"
    title = _("Unlock account")
    confirm_message = _("The account was locked after repeated failed sign-ins. Unlock it now?")
    button_label = _("Unlock")
    success_message = _("The account was unlocked.")

    def perform(self, form):
        return services.user_unlock(
            actor=self.request.user, user=self.get_object(), comment=form.cleaned_data["comment"]
        )


# Own account ------------------------------------------------------------------------------------


class ProfileView(PortalMixin, ServiceFormMixin, FormView):
    """Every signed-in person edits their own contact details here."""

    permission_action = None
    form_class = ProfileForm
    template_name = "accounts/profile.html"
    title = _("My account")
    success_message = _("Your details were saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.request.user
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        return services.user_profile_update(
            user=self.request.user, name=data["name"], email=data["email"], phone=data["phone"]
        )

    def get_success_url(self):
        return reverse("accounts:profile")

    def get_breadcrumbs(self):
        return [(self.title, None)]


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PortalPasswordChangeForm
    template_name = "registration/password_change_form.html"

    def form_valid(self, form):
        # The form only validates (old password, validators); the service writes and audits.
        user = services.user_password_change(user=self.request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self):
        return reverse("home")


class LoginView(auth_views.LoginView):
    form_class = PortalAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
