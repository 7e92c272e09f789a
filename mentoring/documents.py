"""The yearly list of mentor rewards due, as an Excel workbook (one line per pairing and a total)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import rows_to_workbook, workbook_response

from .selectors import RewardTotals, iter_reward_lines


def rate_text(rates) -> str:
    """ "3 × 200.00 + 9 × 300.00": the months at each monthly allowance."""
    return " + ".join(f"{months} × {rate}" for months, rate in rates)


def reward_rows(lines):
    """The workbook's rows: a header, one row per line as `lines` streams them, then the totals,
    summed on the way."""
    yield [
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
    totals = RewardTotals()
    for index, line in enumerate(lines, start=1):
        totals.add(line)
        pairing = line.pairing
        yield [
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
    yield [
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


def rewards_workbook_response(lines, *, year: int, rule, today, unit=None):
    """Every line of `lines` (mentoring.selectors.reward_lines) in a write-only workbook, the
    pairings read from the database a chunk at a time."""
    title = _("Mentor rewards %(year)s") % {"year": year}
    if unit is not None:
        title = f"{title} {unit}"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    rows = reward_rows(iter_reward_lines(lines, year=year, rule=rule, today=today))
    return workbook_response(rows_to_workbook(title, rows), f"{title}-{stamp}.xlsx")
