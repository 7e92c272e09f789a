"""The designation list of a batch (pilot and demonstration units) as Excel and as PDF."""

from django.utils.translation import gettext as _

from core.exports import rows_to_workbook, table_pdf


def designation_rows(designations):
    rows = [[_("No."), _("Designation"), _("Alliance or studio"), _("Lead unit or unit"), _("Citation")]]
    for index, designation in enumerate(designations, start=1):
        target = designation.target
        unit = designation.alliance.lead_unit if designation.alliance_id else designation.studio.unit
        rows.append([index, designation.get_kind_display(), str(target), str(unit), designation.citation])
    return rows


def designation_workbook(batch, designations):
    return rows_to_workbook(str(batch)[:31], designation_rows(designations))


def designation_pdf(batch, designations) -> bytes:
    meta = [batch.document_no] if batch.document_no else []
    meta.append(f"{_('Designated on')} {batch.designated_on:%Y-%m-%d}")
    if batch.status != "published":
        meta.append(_("Draft"))
    rows = designation_rows(designations)
    return table_pdf(
        title=_("%(batch)s pilot and demonstration units") % {"batch": batch},
        meta=" · ".join(meta),
        header=rows[0],
        rows=rows[1:],
        empty=_("No designation in this batch yet."),
    )
