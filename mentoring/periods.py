"""Date arithmetic of a pairing's term and of the months counted for the mentor's allowance.

- The term runs from the agreement date for `term_months` months: its last day is the day before
  the same date `term_months` months later (clamped to the month's end: 31 Jan + 1 month → 28 Feb).
- A pairing is active from its agreement date to the earlier of the term's last day and the day
  before it was closed (graduated, failed or ended on `ended_on`: on that day it is no longer on).
- A month counts for the allowance when the pairing is active on the month's first day. So a
  pairing signed mid-month is paid from the next month (次月起计) and a full term always pays
  exactly `term_months` months, whatever the dates.
"""

from __future__ import annotations

import calendar
import datetime

ONE_DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(agreement_on: datetime.date, term_months: int) -> datetime.date:
    """The last day of a term (inclusive)."""
    return add_months(agreement_on, term_months) - ONE_DAY


def last_active_day(*, term_ends_on: datetime.date, ended_on: datetime.date | None) -> datetime.date:
    """The last day on which the pairing was (or will be, if all goes to term) active."""
    if ended_on is None:
        return term_ends_on
    return min(term_ends_on, ended_on - ONE_DAY)


def counted_months(
    *, start: datetime.date, last_day: datetime.date, year: int, until: datetime.date | None = None
) -> list[datetime.date]:
    """The first days of the months of `year` on which the pairing was active (and, with `until`,
    that have begun by then: a month not yet begun is not due)."""
    firsts = []
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        if start <= first <= last_day and (until is None or first <= until):
            firsts.append(first)
    return firsts
