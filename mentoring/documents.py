"""The yearly list of mentor rewards due, as an Excel workbook (one line per pairing and a total)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import rows_to_workbook, workbook_response


def rate_text(rates) -> str:
    """ "3 × 200.00 + 9 × 300.00": the months at each monthly allowance."""
    return " + ".join(f"{months} × {rate}" for months, rate in rates)


def reward_rows(lines, totals) -> list[list]:
    rows = [
        [
            _("No."),
            _("Unit"),
            _("Studio or alliance"),
            _("Mentor"),
            _("Employee number"),
            _("Apprentice"),
            _("Agreement signed on"),
            _("Term ends on"),
            _("Status"),
            _("Months"),
            _("Monthly allowance"),
            _("Allowance (yuan)"),
            _("Bonus grade reached on"),
            _("Bonus (yuan)"),
            _("Total (yuan)"),
        ]
    ]
    for index, line in enumerate(lines, start=1):
        pairing = line.pairing
        rows.append(
            [
                index,
                str(pairing.unit),
                str(pairing.target),
                pairing.mentor.name,
                pairing.mentor.employee_no or "",
                pairing.apprentice.name,
                pairing.agreement_on.isoformat(),
                pairing.term_ends_on.isoformat(),
                pairing.get_status_display(),
                line.months,
                rate_text(line.rates),
                float(line.allowance),
                line.reached_on.isoformat() if line.reached_on else "",
                float(line.bonus),
                float(line.total),
            ]
        )
    rows.append(
        [
            _("Total"),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            totals.months,
            "",
            float(totals.allowance),
            "",
            float(totals.bonus),
            float(totals.total),
        ]
    )
    return rows


def rewards_workbook_response(lines, totals, *, year: int, unit=None):
    title = _("Mentor rewards %(year)s") % {"year": year}
    if unit is not None:
        title = f"{title} {unit}"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return workbook_response(rows_to_workbook(title, reward_rows(lines, totals)), f"{title}-{stamp}.xlsx")
