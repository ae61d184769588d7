"""Calendar arithmetic shared by the formula language (ADDMONTHS) and SOQL date literals (LAST_N_MONTHS…)."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(start: dt.date, months: int) -> dt.date:
    """Salesforce's end-of-month rule: from a month's last day, land on the target month's last day; otherwise
    keep the day, clamped to the target month. ValueError outside years 1–9999."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise ValueError("date out of range")
    last_day = calendar.monthrange(year, month)[1]
    was_last = start.day == calendar.monthrange(start.year, start.month)[1]
    return start.replace(year=year, month=month, day=last_day if was_last else min(start.day, last_day))
