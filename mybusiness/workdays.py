"""Working days and the due dates of the service levels (French calendar).

A working day is Monday to Friday, except the French public holidays (the ``holidays`` library,
movable feasts included). « N working days » from a moment means:

* started on a working day: due at the same clock time on the Nth working day after it (an order
  submitted on Friday at 17:00 with two working days is due on Tuesday at 17:00);
* started on a weekend or a holiday: the clock starts on the next working day at 00:00, as if started
  then (an order submitted on Saturday with two working days is due on Wednesday at 00:00: it has all of
  Monday and Tuesday). A later start is never due earlier.

Times are read in the site's time zone (``TIME_ZONE``, Europe/Paris), where the calendar is.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _french_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day strictly after ``day``."""
    day += datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """The moment ``days`` working days after ``start`` (an aware datetime), aware in the current time zone."""
    zone = timezone.get_current_timezone()
    local = timezone.localtime(start, zone)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    if not is_working_day(day):
        # Submitted on a day off: the clock starts at the next working day's midnight.
        day, clock = next_working_day(day), datetime.time.min
    for _ in range(days):
        day = next_working_day(day)
    return datetime.datetime.combine(day, clock, zone)


def previous_working_day(day: datetime.date) -> datetime.date:
    """The last working day strictly before ``day``."""
    day -= datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def late_before(now: datetime.datetime, days: int) -> datetime.datetime:
    """The moment before which a start is overdue at ``now``: ``add_working_days(start, days) < now``
    if and only if ``start < late_before(now, days)`` (due dates only grow with the start), which a
    list filters on with the start's indexed column."""
    zone = timezone.get_current_timezone()
    local = timezone.localtime(now, zone)
    today = local.date()
    if is_working_day(today):
        # Due before now: started ``days`` working days ago at an earlier clock time (or earlier still).
        day = today
        for _ in range(days):
            day = previous_working_day(day)
        return datetime.datetime.combine(day, local.time().replace(tzinfo=None), zone)
    # On a day off every due date of the last working day has passed, and none later.
    day = previous_working_day(today)
    for _ in range(days):
        day = previous_working_day(day)
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, zone)
