"""Generic scoped views. Apps declare `model`, `form_class`, `filterset_class`, `table_class` and
the permission `action`; these classes apply the one rule set (core.permissions) to each request:

- anonymous → redirect to the login page;
- an object outside `Model.objects.visible_to(user)` → 404;
- an action the policy refuses → 403;
- bad input → the form again with messages next to the fields, status 400, nothing written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .exceptions import TransitionNotAllowed
from .exports import table_xlsx_response
from .filters import AuditEventFilterSet
from .forms import TransitionForm
from .models import AuditEvent, Notification
from .page_cache import KeptPageMixin
from .permissions import can, scope
from .pickers import PICK_PARAM, pick_response
from .selectors import audit_event_list, audit_events_for
from .services import EVERY_TREE, notification_mark_read
from .tables import AuditEventTable


class PortalMixin:
    """Login required, then the model-level permission check of `permission_action`.

    Object views leave the model-level check out and check the object once it is found.
    `permission_action = None` marks a view that any logged-in user may open (home, own profile).
    """

    permission_action: str | None = "view"
    model = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_active:
            raise PermissionDenied
        if not getattr(self, "object_level", False) and self.permission_action is not None:
            if self.model is None:
                raise ImproperlyConfigured(f"{type(self).__name__} needs a model to check permissions against")
            if not can(request.user, self.permission_action, self.model):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedObjectMixin:
    """Finds the object within the user's scope (else 404), then checks the action on it (else 403)."""

    object_level = True
    list_select_related: tuple = ()

    def get_queryset(self):
        queryset = scope(self.request.user, self.model._default_manager.all())
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def get_object(self, queryset=None):
        if getattr(self, "_object", None) is None:
            obj = get_object_or_404(queryset if queryset is not None else self.get_queryset(), pk=self.kwargs["pk"])
            if not can(self.request.user, self.permission_action, obj):
                raise PermissionDenied
            self._object = obj
        return self._object


class BreadcrumbMixin:
    """`breadcrumbs`: a list of (label, url) shown above the title; the last entry has no link."""

    def get_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = self.get_breadcrumbs()
        return context


class PortalTemplateView(PortalMixin, BreadcrumbMixin, TemplateView):
    pass


def download_refused(request, *, count: int, limit: int, message):
    """When a download would hold more than `limit` rows: the page again (without ?export), with
    `message` (its %(count)s and %(max)s filled in) saying how many there are and what to narrow;
    else None. A file is never cut short silently, and a request never outlasts the server."""
    if count <= limit:
        return None
    from django.contrib import messages
    from django.contrib.humanize.templatetags.humanize import intcomma

    messages.error(request, message % {"count": intcomma(count), "max": intcomma(limit)})
    query = request.GET.copy()
    query.pop("export", None)
    return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)


class ScopedListView(KeptPageMixin, PortalMixin, BreadcrumbMixin, SingleTableMixin, FilterView):
    """A filtered, sorted, paginated table of what the user may see, with Excel export of all filtered rows.

    A list whose every row and column only audited writes change (`keep_page = True`) is kept
    whole per user and address (core.page_cache) for `kept_page_timeout`, and checked against the
    generation of every tree together: any audited write anywhere redraws it. A list whose rows
    a unit cadre sees are exactly those counted under its subtree, and whose other columns only
    global writes change (`kept_subtree_for_cadres = True`), is checked against the cadre's own
    subtree instead, so a write in another province leaves it kept. Lists of what changes without
    an audit (reports in progress, accounts signing in, the audit log itself) are always drawn."""

    template_name = "includes/list_page.html"
    list_select_related: tuple = ()
    export_title = None
    create_url_name = None
    title = None
    keep_page = False
    kept_subtree_for_cadres = False
    # A list is opened while someone pages through it: kept for minutes, not the day, which bounds
    # the cache's memory to the pages of the people browsing now.
    kept_page_timeout = 15 * 60

    @property
    def kept_page_name(self) -> str:
        return f"list:{type(self).__module__}.{type(self).__name__}"

    def kept_page_scope(self) -> str:
        user = self.request.user
        if self.kept_subtree_for_cadres and user.is_unit_cadre and user.unit_id is not None:
            return user.unit.path
        return EVERY_TREE

    def get_queryset(self):
        queryset = scope(self.request.user, self.model._default_manager.all())
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def get_paginate_by(self, table_data):
        from django.conf import settings

        return settings.PORTAL_PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        # The table pages the rows (django-tables2 counts them once); ListView's own pager would
        # count them a second time — a full COUNT of 120,000 studios at national scale.
        return None, None, queryset, False

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":  # a file, never kept (answered before the kept page)
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def export(self, request):
        if not can(request.user, "export", self.model):
            raise PermissionDenied
        from django.conf import settings

        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs if filterset.is_valid() else self.get_queryset().none()
        # A bound on one download: at national scale an unfiltered export would be millions of rows
        # and outlast the request. Never a file silently cut short: above the bound the list says
        # how many rows there are and asks for a narrower filter.
        too_big = download_refused(
            request,
            count=rows.count(),
            limit=settings.PORTAL_EXPORT_MAX_ROWS,
            message=_(
                "%(count)s rows are more than one download holds (%(max)s). Narrow the filter and download again."
            ),
        )
        if too_big:
            return too_big
        table = self.get_table_class()(rows)
        return table_xlsx_response(table, title=str(self.get_title()))

    def get_title(self):
        return self.title or capfirst(self.model._meta.verbose_name_plural)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            title=self.get_title(),
            can_export=can(user, "export", self.model),
            can_add=bool(self.create_url_name) and can(user, "add", self.model),
            create_url_name=self.create_url_name,
        )
        table = context.get("table")
        if table is not None and not table.empty_text:
            paginator = getattr(table, "paginator", None)  # counted once already
            if (paginator.count if paginator is not None else len(table.data)) == 0:
                table.empty_text = self.empty_text(context["can_add"])
        return context

    def empty_text(self, can_add: bool) -> str:
        """What an empty list says: that the filters match nothing, or how to add the first row."""
        if any(key not in ("page", "sort", "per_page") and value for key, value in self.request.GET.items()):
            return _("Nothing matches these filters. Widen or clear them.")
        if can_add:
            return _("Nothing recorded yet. Use “New” to add the first.")
        return _("Nothing recorded yet.")


class ScopedDetailView(PortalMixin, ScopedObjectMixin, BreadcrumbMixin, DetailView):
    """One object the user may see, with its audit history."""

    show_history = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.show_history:
            context["history"] = audit_events_for(self.object)
        return context


class ServiceFormMixin(BreadcrumbMixin):
    """A form whose valid data goes to one service call (`perform`), never to `form.save()`."""

    success_message = _("Saved.")
    template_name = "includes/form_page.html"
    title = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get(self, request, *args, **kwargs):
        # A picker's search (core.pickers): answered from the page's own form, so by the same
        # checks and scope as the page.
        if PICK_PARAM in request.GET:
            return pick_response(self.get_form(), request)
        return super().get(request, *args, **kwargs)

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: next to the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class StateFormMixin:
    """For a form page whose service may refuse because of the object's state: that refusal
    (TransitionNotAllowed) answers 409 with the reason above the form; other bad input stays 400
    with messages next to the fields. Put it before the view class."""

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except TransitionNotAllowed as error:
            form.add_error(None, error.messages)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class ScopedCreateView(PortalMixin, ServiceFormMixin, FormView):
    permission_action = "add"


class ScopedUpdateView(PortalMixin, ScopedObjectMixin, ServiceFormMixin, FormView):
    permission_action = "change"

    def dispatch(self, request, *args, **kwargs):
        self._object = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_object()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.get_object()
        return context


class TransitionView(PortalMixin, ScopedObjectMixin, ServiceFormMixin, FormView):
    """Confirm-and-act page for one state change (with a comment), calling one service.

    An action the current state does not allow is refused with the service's message (409).
    """

    form_class = TransitionForm
    template_name = "includes/transition_page.html"
    comment_required = False
    confirm_message = ""
    button_label = _("Confirm")
    button_class = "btn-primary"

    def dispatch(self, request, *args, **kwargs):
        self._object = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["comment_required"] = self.comment_required
        return kwargs

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except TransitionNotAllowed as error:
            context = self.get_context_data(form=form, refused=error.messages)
            return self.render_to_response(context, status=409)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.get_object(),
            confirm_message=self.confirm_message,
            button_label=self.button_label,
            button_class=self.button_class,
        )
        return context


class ProtectedFileView(PortalMixin, ScopedObjectMixin, View):
    """Serves one uploaded file of an object the user may see. Private files never go through
    MEDIA_URL: every download passes the same rule set as the object's page."""

    file_field: str = ""
    as_attachment = True
    http_method_names = ["get"]

    def dispatch(self, request, *args, **kwargs):
        self._object = None
        return super().dispatch(request, *args, **kwargs)

    def get_download_name(self, obj, field_file) -> str:
        return field_file.name.rsplit("/", 1)[-1]

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        field_file = getattr(obj, self.file_field)
        if not field_file:
            raise Http404
        try:
            handle = field_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        from .exports import safe_filename

        # Download names are made of stored titles: never a folder, a control character or a dot file.
        response = FileResponse(
            handle, as_attachment=self.as_attachment, filename=safe_filename(self.get_download_name(obj, field_file))
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
        response["Cache-Control"] = "private, max-age=300"
        return response


class ObjectDocumentView(PortalMixin, ScopedObjectMixin, View):
    """One object's official list as Excel (`fmt = "xlsx"`) or PDF, after the `export` check.
    Subclasses implement `workbook(obj)` and `pdf(obj)`."""

    permission_action = "export"
    fmt = "xlsx"
    http_method_names = ["get"]

    def dispatch(self, request, *args, **kwargs):
        self._object = None
        return super().dispatch(request, *args, **kwargs)

    def workbook(self, obj):
        raise NotImplementedError

    def pdf(self, obj) -> bytes:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        from .exports import content_disposition, workbook_response

        obj = self.get_object()
        if self.fmt == "pdf":
            response = HttpResponse(self.pdf(obj), content_type="application/pdf")
            response["Content-Disposition"] = content_disposition(f"{obj}.pdf")
            return response
        return workbook_response(self.workbook(obj), f"{obj}.xlsx")


def csrf_failure(request, reason=""):
    """A missing or wrong CSRF token: the portal's own 403 page, in the user's language."""
    return render(request, "403_csrf.html", status=403)


# Pages of core itself ---------------------------------------------------------------------------


class HomeView(PortalMixin, TemplateView):
    """Each role lands on its own home: HQ an overview, a unit cadre its to-do list, a lead its
    studio, an expert its review queue, leadership the dashboards."""

    permission_action = None

    def get_template_names(self):
        user = self.request.user
        role = "hq_cadre" if user.is_hq else user.role
        return [f"home/{role}.html"]

    def get_context_data(self, **kwargs):
        from accounts import selectors as account_selectors

        from .home import todos_for
        from .selectors import notification_list

        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["todos"] = todos_for(user)
        context["notifications"] = list(notification_list(user).filter(read_at__isnull=True)[:5])
        if user.is_hq or user.is_unit_cadre:
            context["overview"] = account_selectors.organisation_overview(user)
        if user.is_hq:
            context["recent_events"] = list(audit_event_list(user)[:8])
        if user.is_unit_cadre and user.unit_id:
            context["child_units"] = account_selectors.unit_children(user.unit)
        if user.is_studio_lead:
            from studios.selectors import studios_led_by

            context["my_studios"] = list(studios_led_by(user).select_related("unit", "kind").order_by("name"))
        if user.is_hq or user.is_unit_cadre or user.is_viewer:
            from studios.selectors import studio_status_counts

            context["studio_counts"] = studio_status_counts(user)
        if user.is_viewer:
            # Leadership follows the studios' work, not the accounts: the dashboard's key figures
            # for this year and the whole company (cached, as the dashboard serves them).
            from django.utils import timezone

            from reports.dashboard import dashboard_entry
            from reports.dashboard_views import current_year, default_unit

            year, unit = current_year(), default_unit(user)
            entry = dashboard_entry(year, unit)
            context["dashboard"] = {
                "year": year,
                "unit": unit,
                "kpis": entry.data["kpis"],
                "stale_since": timezone.localtime(entry.computed_at) if entry.stale else None,
                "today": timezone.localdate(),
            }
        if user.is_hq:
            overview = context["overview"]
            from studios.selectors import named_studios_per_branch

            branches = named_studios_per_branch(user)
            context["charts"] = {
                "studios_per_branch": {
                    "tooltip": {},
                    "grid": {"left": 40, "right": 10, "bottom": 60},
                    "xAxis": {"type": "category", "data": [b[0] for b in branches], "axisLabel": {"rotate": 30}},
                    "yAxis": {"type": "value", "minInterval": 1},
                    "series": [{"type": "bar", "data": [b[1] for b in branches]}],
                },
                "users_by_role": {
                    "tooltip": {"trigger": "item"},
                    "series": [
                        {
                            "type": "pie",
                            "radius": ["40%", "70%"],
                            "data": [{"name": str(label), "value": n} for label, n in overview["users_by_role"]],
                        }
                    ],
                },
            }
        return context


class NotificationListView(PortalMixin, BreadcrumbMixin, ListView):
    model = Notification
    template_name = "core/notification_list.html"
    paginate_by = 25

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user)

    def get_breadcrumbs(self):
        return [(_("Notifications"), None)]


class NotificationMenuView(NotificationListView):
    """The bell's drop-down (loaded with htmx): the latest few notifications."""

    template_name = "core/notification_menu.html"
    paginate_by = None

    def get_queryset(self):
        return super().get_queryset()[:8]


class NotificationOpenView(PortalMixin, ScopedObjectMixin, View):
    """Follow a notification's link, marking it read on the way."""

    model = Notification
    permission_action = "mark_read"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        notification = self.get_object()
        notification_mark_read(user=request.user, notification=notification)
        # Only a path of this site: not `//host`, nor `/\host` (which browsers read as `//host`).
        target = notification.url
        inside = target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return HttpResponseRedirect(target if inside else reverse("core:notification_list"))


class NotificationReadAllView(PortalMixin, View):
    model = Notification
    permission_action = "mark_read"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        count = notification_mark_read(user=request.user)
        messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
        return HttpResponseRedirect(reverse("core:notification_list"))


class AuditEventListView(ScopedListView):
    model = AuditEvent
    table_class = AuditEventTable
    filterset_class = AuditEventFilterSet
    title = _("Audit log")

    def get_queryset(self):
        return audit_event_list(self.request.user)

    def get_breadcrumbs(self):
        return [(self.title, None)]


class PublicView(View):
    """A page anyone may open without signing in (the public showcase).

    Public views read only through selectors that return approved, public content; they never
    use `visible_to`, and they have no write methods.
    """

    http_method_names = ["get", "head"]


class HealthView(PublicView):
    """`/health/` for load balancers and monitoring (and the benchmark's trivial view): the
    application answers and its database answers. No session, no template, nothing about the data."""

    def get(self, request):
        from django.db import DatabaseError, connection

        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        return HttpResponse("ok\n", content_type="text/plain")


class SearchView(PortalMixin, BreadcrumbMixin, TemplateView):
    """The header's search box: studios, people, projects and results the user may see."""

    permission_action = None
    template_name = "core/search.html"

    def get_context_data(self, **kwargs):
        from .search import search

        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        context.update(query=query, groups=search(self.request.user, query) if query else [])
        return context

    def get_breadcrumbs(self):
        return [(_("Search"), None)]


class KindListView(PortalMixin, BreadcrumbMixin, ListView):
    """HQ's page of one configurable list (ConfigurableKind), with how often each entry is used."""

    template_name = "includes/kind_list.html"
    usage_relation = ""
    usage_label = ""
    create_url_name = ""
    update_url_name = ""
    title = ""

    def get_queryset(self):
        from django.db.models import Count

        return self.model.objects.annotate(usage=Count(self.usage_relation)).order_by("order", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            usage_label=self.usage_label,
            create_url_name=self.create_url_name,
            update_url_name=self.update_url_name,
        )
        return context

    def get_breadcrumbs(self):
        return [(self.title, None)]


class KindCreateView(ScopedCreateView):
    def perform(self, form):
        from .services import kind_create

        data = form.cleaned_data
        return kind_create(actor=self.request.user, model=self.model, name=data["name"], order=data["order"])


class KindUpdateView(ScopedUpdateView):
    def perform(self, form):
        from .services import kind_update

        return kind_update(actor=self.request.user, kind=self.get_object(), **form.cleaned_data)
