"""The attendance list of a class (Excel) and attendance certificates (PDF, Chinese fonts)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import rows_to_workbook


def attendance_rows(training_class, enrolments, sessions, marks) -> list[list]:
    header = [_("No."), _("Full name"), _("Employee number"), _("Unit"), _("Status")]
    header += [f"{timezone.localtime(s.starts_at):%m-%d %H:%M} {s.title}" for s in sessions]
    header += [_("Sessions attended"), _("Hours credited"), _("Certificate number")]
    rows = [header]
    for index, enrolment in enumerate(enrolments, start=1):
        signed = marks.get(enrolment.pk, {})
        row = [
            index,
            enrolment.person.name,
            enrolment.person.employee_no or "",
            str(enrolment.person.unit),
            enrolment.get_status_display(),
        ]
        row += [timezone.localtime(signed[s.pk]).strftime("%H:%M") if s.pk in signed else "" for s in sessions]
        row += [len(signed), float(enrolment.hours), enrolment.certificate_no]
        rows.append(row)
    return rows


def attendance_workbook(training_class, enrolments, sessions, marks):
    return rows_to_workbook(_("Attendance"), attendance_rows(training_class, enrolments, sessions, marks))


def certificates_pdf(enrolments) -> bytes:
    """One A4 landscape page per certificate."""
    from weasyprint import HTML

    html = render_to_string("training/certificate_pdf.html", {"enrolments": enrolments})
    return HTML(string=html).write_pdf()
