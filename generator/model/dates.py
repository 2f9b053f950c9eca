"""Review dates: when an entry is due for review again, from its last review and interval."""

from __future__ import annotations

import datetime as dt


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(f"no such date: {months} months after {day}")


def review_due(last_reviewed: str, interval_months: int) -> dt.date | None:
    try:
        return _add_months(dt.date.fromisoformat(last_reviewed), interval_months)
    except (TypeError, ValueError, OverflowError):
        return None
