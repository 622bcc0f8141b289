"""Deadlines counted in Chinese working days: public holidays off, adjusted working weekends on."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

CHINA = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)


def china_date(moment: datetime | None = None) -> date:
    """The calendar day in China of `moment` (now when None)."""
    return (moment or datetime.now(CHINA)).astimezone(CHINA).date()


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    """The official calendar where `chinese-calendar` knows the year; Monday to Friday beyond it."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: datetime, days: int) -> datetime:
    """The end (23:59:59 Beijing time) of the `days`-th working day after the day of `start`."""
    if days < 1:
        raise ValueError("a deadline is at least one working day")
    return datetime.combine(_nth_working_day(start.astimezone(CHINA).date(), days), END_OF_DAY, tzinfo=CHINA)


@lru_cache(maxsize=4096)
def _nth_working_day(day: date, days: int) -> date:
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def working_days_left(now: datetime, due: datetime) -> int:
    """Working days from today to the due day (0 on the due day, negative once overdue)."""
    today, due_day = now.astimezone(CHINA).date(), due.astimezone(CHINA).date()
    if due_day < today:
        return -sum(1 for n in range(1, (today - due_day).days + 1) if is_workday(due_day + timedelta(days=n)))
    return sum(1 for n in range(1, (due_day - today).days + 1) if is_workday(today + timedelta(days=n)))
