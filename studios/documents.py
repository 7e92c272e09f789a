"""Official documents of naming batches: the naming list as Excel and as PDF (Chinese fonts)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import rows_to_workbook


def batch_rows(batch, studios):
    header = [_("No."), _("Studio"), _("Kind"), _("Unit"), _("Lead"), _("Level"), _("Status")]
    rows = [header]
    for index, studio in enumerate(studios, start=1):
        level = studio.get_level_display() or batch.get_level_display()
        rows.append(
            [
                index,
                studio.name,
                str(studio.kind),
                str(studio.unit),
                str(studio.lead),
                level,
                studio.get_status_display(),
            ]
        )
    return rows


def batch_workbook(batch, studios):
    return rows_to_workbook(str(batch)[:31], batch_rows(batch, studios))


def batch_pdf(batch, studios) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "studios/batch_pdf.html",
        {
            "batch": batch,
            "rows": batch_rows(batch, studios)[1:],
            "header": batch_rows(batch, [])[0],
            "today": timezone.localdate(),
        },
    )
    return HTML(string=html).write_pdf()
