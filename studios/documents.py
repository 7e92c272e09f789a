"""Official documents of naming batches: the naming list as Excel and as PDF (Chinese fonts)."""

from django.utils.translation import gettext as _

from core.exports import rows_to_workbook, table_pdf


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
    meta = [batch.document_no] if batch.document_no else []
    meta.append(f"{_('Public notice')} {batch.publicity_start:%Y-%m-%d} – {batch.publicity_end:%Y-%m-%d}")
    if batch.named_on:
        meta.append(f"{_('Named on')} {batch.named_on:%Y-%m-%d}")
    rows = batch_rows(batch, studios)
    return table_pdf(
        title=_("%(batch)s naming list") % {"batch": batch},
        meta=" · ".join(meta),
        header=rows[0],
        rows=rows[1:],
        empty=_("No studio in this batch yet."),
    )
