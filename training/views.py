from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from core.exceptions import TransitionNotAllowed
from core.exports import content_disposition
from core.permissions import can
from core.views import (
    ObjectDocumentView,
    PortalMixin,
    ProtectedFileView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ScopedUpdateView,
    StateFormMixin,
    TransitionView,
    add_errors,
)

from . import selectors, services, tokens
from .choices import ClassStatus, EnrolmentStatus
from .documents import attendance_workbook, certificates_pdf
from .filters import ClassFilterSet
from .forms import AttendanceForm, ClassForm, EnrolForm, FeedbackForm, MaterialForm, SessionForm, SignInForm
from .models import Enrolment, Feedback, Material, Session, TrainingClass
from .tables import ClassTable

CLASSES = (_("Training classes"), reverse_lazy("training:class_list"))


class ClassListView(ScopedListView):
    model = TrainingClass
    keep_page = True
    table_class = ClassTable
    filterset_class = ClassFilterSet
    create_url_name = "training:class_create"
    title = _("Training classes")

    def get_queryset(self):
        return selectors.class_list(self.request.user)

    def get_breadcrumbs(self):
        return [(CLASSES[0], None)]


class ClassDetailView(ScopedDetailView):
    model = TrainingClass
    template_name = "training/class_detail.html"
    list_select_related = ("organiser", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        training_class, user = self.object, self.request.user
        sessions = selectors.sessions_of(training_class)
        enrolments = selectors.trainee_rows(user, training_class, sessions)
        manages = can(user, "manage", training_class)
        status = training_class.status
        if not can(user, "read_feedback", training_class):
            # The class's history names every trainee and cancellation reason: organisers and
            # leadership read it; a cadre or lead elsewhere sees only the places it could make.
            context["history"] = None
        context.update(
            figures=selectors.seat_figures(training_class),
            sessions=sessions,
            enrolments=enrolments,
            enrolled=[e for e in enrolments if e.status == EnrolmentStatus.ENROLLED],
            waiting=[e for e in enrolments if e.status == EnrolmentStatus.WAITING],
            cancelled=[e for e in enrolments if e.status == EnrolmentStatus.CANCELLED],
            materials=selectors.materials_of(training_class),
            feedback=selectors.feedback_summary(training_class) if can(user, "read_feedback", training_class) else None,
            manages=manages and status != ClassStatus.FINISHED,
            can_manage_materials=manages,
            can_open=manages and status == ClassStatus.PREPARING,
            can_start=manages and status == ClassStatus.ENROLLING,
            can_finish=manages and status == ClassStatus.RUNNING,
            can_enrol=can(user, "enrol", training_class),
            can_cancel=status in (ClassStatus.ENROLLING, ClassStatus.RUNNING)
            and (manages or user.is_unit_cadre or user.is_studio_lead),
            can_export=can(user, "export", training_class),
            can_print_all=manages and status == ClassStatus.FINISHED,
            show_sign_in=manages and status == ClassStatus.RUNNING,
        )
        return context

    def get_breadcrumbs(self):
        return [CLASSES, (self.object.title, None)]


class ClassCreateView(ScopedCreateView):
    model = TrainingClass
    form_class = ClassForm
    title = _("New training class")
    success_message = _("The class was created in preparation. Add its sessions, then open enrolment.")

    def perform(self, form):
        return services.class_create(actor=self.request.user, **form.cleaned_data)

    def get_breadcrumbs(self):
        return [CLASSES, (self.title, None)]


class ClassChildMixin:
    model = TrainingClass
    list_select_related = ("organiser",)

    def get_breadcrumbs(self):
        training_class = self.get_object()
        return [CLASSES, (training_class.title, training_class.get_absolute_url()), (self.title, None)]


class ClassUpdateView(ClassChildMixin, ScopedUpdateView):
    form_class = ClassForm
    title = _("Edit training class")

    def perform(self, form):
        return services.class_update(actor=self.request.user, training_class=self.get_object(), **form.cleaned_data)


class ClassOpenView(ClassChildMixin, TransitionView):
    permission_action = "manage"
    title = _("Open enrolment")
    button_label = _("Open enrolment")
    button_class = "btn-success"
    confirm_message = _("Cadres and studio leads of the units below the organiser can now enrol people.")
    success_message = _("The class is open for enrolment.")

    def perform(self, form):
        return services.class_open_enrolment(
            actor=self.request.user, training_class=self.get_object(), comment=form.cleaned_data["comment"]
        )


class ClassStartView(ClassChildMixin, TransitionView):
    permission_action = "manage"
    title = _("Start the class")
    button_label = pgettext_lazy("training class", "Start")
    button_class = "btn-success"
    confirm_message = _("Enrolment closes; trainees sign in to each session with the QR code shown in the room.")
    success_message = _("The class is in progress.")

    def perform(self, form):
        return services.class_start(
            actor=self.request.user, training_class=self.get_object(), comment=form.cleaned_data["comment"]
        )


class ClassFinishView(ClassChildMixin, TransitionView):
    permission_action = "manage"
    title = _("Finish the class")
    button_label = pgettext_lazy("training class", "Finish")
    button_class = "btn-primary"
    confirm_message = _("Sign-in closes, waiting places lapse and everyone who attended gets a numbered certificate.")
    success_message = _("The class has finished; certificates can be printed.")

    def perform(self, form):
        return services.class_finish(
            actor=self.request.user, training_class=self.get_object(), comment=form.cleaned_data["comment"]
        )


# Sessions -----------------------------------------------------------------------------------------


class SessionCreateView(ClassChildMixin, ScopedUpdateView):
    form_class = SessionForm
    permission_action = "manage"
    title = _("Add a session")
    success_message = _("The session was added.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Session(training_class=self.get_object())
        return kwargs

    def perform(self, form):
        services.session_create(actor=self.request.user, training_class=self.get_object(), **form.cleaned_data)
        return self.get_object()


class SessionChildMixin:
    model = Session
    list_select_related = ("training_class", "training_class__organiser")

    def get_breadcrumbs(self):
        session = self.get_object()
        training_class = session.training_class
        return [CLASSES, (training_class.title, training_class.get_absolute_url()), (self.title, None)]


class SessionUpdateView(SessionChildMixin, ScopedUpdateView):
    form_class = SessionForm
    title = _("Edit session")

    def perform(self, form):
        return services.session_update(actor=self.request.user, session=self.get_object(), **form.cleaned_data)


class SessionDeleteView(SessionChildMixin, TransitionView):
    permission_action = "delete"
    title = _("Remove session")
    button_label = _("Remove")
    button_class = "btn-danger"
    success_message = _("The session was removed.")

    def perform(self, form):
        return services.session_delete(actor=self.request.user, session=self.get_object())


class SessionSignInCodeView(SessionChildMixin, PortalMixin, ScopedObjectMixin, View):
    """The room display: a QR code for the session that renews itself every minute.

    The whole page on a normal request; with htmx (every 60 s) only the code and its link."""

    permission_action = "sign_in_code"
    http_method_names = ["get"]
    title = _("Sign-in code")

    def get(self, request, *args, **kwargs):
        import segno

        session = self.get_object()
        token = tokens.sign_in_token(session)
        link = request.build_absolute_uri(reverse("training:sign_in", args=[token]))
        qr = segno.make(link, error="m")
        context = {
            "object": session,
            "session": session,
            "training_class": session.training_class,
            "link": link,
            "qr_svg": qr.svg_inline(scale=8, dark="#111", light="#fff"),
            "signed": session.attendances.count(),
            "enrolled": session.training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED).count(),
            "title": self.title,
            "breadcrumbs": self.get_breadcrumbs(),
            "running": session.training_class.status == ClassStatus.RUNNING,
        }
        template = "training/_sign_in_code.html" if request.htmx else "training/session_sign_in_code.html"
        response = render(request, template, context)
        response["Cache-Control"] = "no-store"
        return response


class AttendanceRecordView(StateFormMixin, SessionChildMixin, ScopedUpdateView):
    form_class = AttendanceForm
    permission_action = "change"
    title = _("Record attendance by hand")
    success_message = _("The attendance was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        kwargs["session"] = self.get_object()
        return kwargs

    def perform(self, form):
        session = self.get_object()
        services.attendance_record(actor=self.request.user, session=session, enrolment=form.cleaned_data["enrolment"])
        return session.training_class


# Enrolment ----------------------------------------------------------------------------------------


class EnrolView(StateFormMixin, ClassChildMixin, ScopedUpdateView):
    form_class = EnrolForm
    permission_action = "enrol"
    title = _("Enrol people")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        kwargs["training_class"] = self.get_object()
        return kwargs

    def perform(self, form):
        counts = services.enrol(actor=self.request.user, training_class=self.get_object(), people=form.people())
        self.success_message = services.enrol_message(counts)
        return self.get_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = selectors.seat_figures(self.get_object())
        context["form_intro"] = _(
            "%(seats)s seats and %(waiting)s waiting places are left. When the seats are taken, people join "
            "the waiting list in the order they were asked for, and get a seat when one is freed."
        ) % {"seats": context["figures"]["seats_left"], "waiting": context["figures"]["waiting_left"]}
        return context


class EnrolmentCancelView(TransitionView):
    model = Enrolment
    permission_action = "cancel"
    list_select_related = ("training_class", "person")
    title = _("Cancel the place")
    button_label = _("Cancel the place")
    button_class = "btn-danger"
    success_message = _("The place was cancelled.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["confirm_message"] = _(
            "%(name)s will no longer attend “%(title)s”. A freed seat goes to the first person waiting."
        ) % {
            "name": self.get_object().person.name,
            "title": self.get_object().training_class.title,
        }
        return context

    def perform(self, form):
        enrolment = services.enrolment_cancel(
            actor=self.request.user, enrolment=self.get_object(), comment=form.cleaned_data["comment"]
        )
        return enrolment.training_class

    def get_breadcrumbs(self):
        training_class = self.get_object().training_class
        return [CLASSES, (training_class.title, training_class.get_absolute_url()), (self.title, None)]


# Documents ----------------------------------------------------------------------------------------


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class AttendanceExportView(ObjectDocumentView):
    model = TrainingClass

    def workbook(self, training_class):
        enrolments = list(
            selectors.enrolments_for(self.request.user, training_class).exclude(status=EnrolmentStatus.CANCELLED)
        )
        sessions = list(training_class.sessions.order_by("starts_at", "pk"))
        marks = selectors.attendance_marks(training_class, [e.pk for e in enrolments])
        return attendance_workbook(training_class, enrolments, sessions, marks)

    def get(self, request, *args, **kwargs):
        from core.exports import workbook_response

        training_class = self.get_object()
        title = _("Attendance")
        return workbook_response(self.workbook(training_class), f"{training_class.title}-{title}.xlsx")


class CertificateView(PortalMixin, ScopedObjectMixin, View):
    """One trainee's certificate, for whoever may see the place (organisers, the person's cadre or lead)."""

    model = Enrolment
    permission_action = "certificate"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        enrolment = self.get_object()
        rows = selectors.certificate_rows(Enrolment.objects.filter(pk=enrolment.pk))
        if not rows:
            raise Http404
        return _pdf_response(certificates_pdf(rows), f"{enrolment.person.name}-{enrolment.certificate_no}.pdf")


class CertificatesView(PortalMixin, ScopedObjectMixin, View):
    """Every certificate of a finished class, one page each, for the organisers to print."""

    model = TrainingClass
    permission_action = "manage"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        training_class = self.get_object()
        rows = selectors.certificate_rows(training_class.enrolments.all())
        if not rows:
            raise Http404
        return _pdf_response(certificates_pdf(rows), f"{training_class.title}.pdf")


# Materials ----------------------------------------------------------------------------------------


class MaterialCreateView(ClassChildMixin, ScopedUpdateView):
    form_class = MaterialForm
    permission_action = "manage"
    title = _("Add course material")
    success_message = _("The material was added.")

    def perform(self, form):
        services.material_add(actor=self.request.user, training_class=self.get_object(), **form.cleaned_data)
        return self.get_object()


class MaterialFileView(ProtectedFileView):
    model = Material
    file_field = "file"
    list_select_related = ("training_class",)

    def get_download_name(self, material, field_file) -> str:
        extension = field_file.name.rsplit(".", 1)[-1]
        return f"{material.title}.{extension}"


class MaterialDeleteView(TransitionView):
    model = Material
    permission_action = "delete"
    list_select_related = ("training_class",)
    title = _("Remove material")
    button_label = _("Remove")
    button_class = "btn-danger"
    success_message = _("The material was removed.")

    def perform(self, form):
        return services.material_delete(actor=self.request.user, material=self.get_object())


# Trainees (no login: signed links) ----------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class TraineeView(View):
    """Pages for trainees, who need no login: the link's signature is the permission.

    A forged or damaged link answers 400, an expired one 400 with its own message; nothing is
    written. These views never read through `visible_to`; each touches only the one session or
    enrolment its signed token names.
    """

    http_method_names = ["get", "post"]
    template_name = ""

    def refuse(self, request, message, status=400):
        return render(request, "training/trainee_message.html", {"message": message, "refused": True}, status=status)


class SignInView(TraineeView):
    template_name = "training/sign_in.html"

    def _session(self, token):
        session_id = tokens.session_id_from(token)
        session = Session.objects.select_related("training_class").filter(pk=session_id).first()
        if session is None:
            raise Http404
        return session

    def dispatch(self, request, *args, **kwargs):
        try:
            self.session = self._session(kwargs["token"])
        except tokens.BadToken as error:
            message = (
                _("This sign-in code has expired. Scan the code shown in the room again.")
                if error.expired
                else _("This sign-in link is not valid. Scan the code shown in the room.")
            )
            return self.refuse(request, message)
        return super().dispatch(request, *args, **kwargs)

    def context(self, form, **extra):
        return {"form": form, "session": self.session, "training_class": self.session.training_class, **extra}

    def get(self, request, *args, **kwargs):
        initial = {}
        person = getattr(request.user, "person", None) if request.user.is_authenticated else None
        if person is not None:
            initial = {"employee_no": person.employee_no, "name": person.name}
        return render(request, self.template_name, self.context(SignInForm(initial=initial)))

    def post(self, request, *args, **kwargs):
        form = SignInForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=400)
        try:
            attendance = services.sign_in(session=self.session, **form.cleaned_data)
        except TransitionNotAllowed as error:
            return render(request, self.template_name, self.context(form, refused=error.messages), status=409)
        except ValidationError as error:
            add_errors(form, error)
            return render(request, self.template_name, self.context(form), status=400)
        messages.success(
            request,
            _("Signed in to “%(session)s” at %(time)s.")
            % {"session": self.session.title, "time": timezone.localtime(attendance.signed_at).strftime("%H:%M")},
        )
        return HttpResponseRedirect(reverse("training:trainee", args=[tokens.feedback_token(attendance.enrolment)]))


class TraineeEnrolmentMixin:
    def dispatch(self, request, *args, **kwargs):
        try:
            enrolment_id = tokens.enrolment_id_from(kwargs["token"])
        except tokens.BadToken as error:
            message = (
                _("This link has expired.")
                if error.expired
                else _("This link is not valid. Use the link you got when you signed in.")
            )
            return self.refuse(request, message)
        self.enrolment = (
            Enrolment.objects.select_related("person", "person__unit", "training_class", "training_class__organiser")
            .filter(pk=enrolment_id)
            .first()
        )
        if self.enrolment is None or self.enrolment.status == EnrolmentStatus.CANCELLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class TraineeHomeView(TraineeEnrolmentMixin, TraineeView):
    """The trainee's own page: sessions signed in, hours credited, the feedback form, the certificate."""

    template_name = "training/trainee.html"

    def context(self, form=None, **extra):
        enrolment = self.enrolment
        attended = {a.session_id: a.signed_at for a in enrolment.attendances.all()}
        sessions = list(enrolment.training_class.sessions.order_by("starts_at", "pk"))
        given = Feedback.objects.filter(enrolment=enrolment).exists()
        can_give = (
            not given
            and bool(attended)
            and enrolment.training_class.status in (ClassStatus.RUNNING, ClassStatus.FINISHED)
        )
        return {
            "enrolment": enrolment,
            "training_class": enrolment.training_class,
            "sessions": [(s, attended.get(s.pk)) for s in sessions],
            "hours": selectors.enrolment_hours(enrolment),
            "feedback_given": given,
            "form": (form or FeedbackForm()) if can_give else None,
            "token": self.kwargs["token"],
            **extra,
        }

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.context())

    def post(self, request, *args, **kwargs):
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=400)
        try:
            services.feedback_submit(enrolment=self.enrolment, **form.cleaned_data)
        except TransitionNotAllowed as error:
            return render(request, self.template_name, self.context(form, refused=error.messages), status=409)
        except ValidationError as error:
            add_errors(form, error)
            return render(request, self.template_name, self.context(form), status=400)
        messages.success(request, _("Thank you for your feedback."))
        return HttpResponseRedirect(request.path)


class TraineeCertificateView(TraineeEnrolmentMixin, TraineeView):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        rows = selectors.certificate_rows(Enrolment.objects.filter(pk=self.enrolment.pk))
        if not rows:
            return self.refuse(
                request, _("The certificate is issued when the class has finished, to trainees who attended."), 404
            )
        return _pdf_response(certificates_pdf(rows), f"{self.enrolment.person.name}-{rows[0].certificate_no}.pdf")
