"""Due dates in working days: Monday to Friday, French public holidays off (mybusiness.workdays)."""

import datetime
import zoneinfo

import pytest

from mybusiness.workdays import add_working_days, is_working_day, late_before

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # A Tuesday: the same clock time two working days later.
        (at(2026, 3, 10, 9, 30), 2, at(2026, 3, 12, 9, 30)),
        # Friday 17:00 across the weekend: Tuesday 17:00.
        (at(2026, 3, 13, 17), 2, at(2026, 3, 17, 17)),
        # Saturday and Sunday: the clock starts on Monday at 00:00, due Wednesday 00:00.
        (at(2026, 3, 14, 11), 2, at(2026, 3, 18)),
        (at(2026, 3, 15, 23, 59), 2, at(2026, 3, 18)),
        # 1 May 2026 is a Friday: Thursday 30 April 10:00 is due on Tuesday 5 May.
        (at(2026, 4, 30, 10), 2, at(2026, 5, 5, 10)),
        # Submitted on 1 May itself: starts Monday 4 May 00:00.
        (at(2026, 5, 1, 15), 2, at(2026, 5, 6)),
        # 14 July 2026 is a Tuesday: Monday 13 July is due on Thursday 16.
        (at(2026, 7, 13, 16), 2, at(2026, 7, 16, 16)),
        # Ascension moves with Easter: Thursday 14 May 2026, Thursday 6 May 2027.
        (at(2026, 5, 13, 8), 2, at(2026, 5, 18, 8)),
        (at(2027, 5, 5, 8), 2, at(2027, 5, 10, 8)),
        # Across the new year: Wednesday 31 December 2025, 1 January off, Friday then Monday.
        (at(2025, 12, 31, 14), 2, at(2026, 1, 5, 14)),
        (at(2026, 12, 31, 14), 1, at(2027, 1, 4, 14)),
        # Whit Monday (25 May 2026) is a public holiday in the library's French calendar.
        (at(2026, 5, 22, 9), 1, at(2026, 5, 26, 9)),
    ],
)
def test_due_dates(start, days, due):
    assert add_working_days(start, days) == due


def test_a_later_start_is_never_due_earlier():
    start = at(2026, 4, 24)  # a Friday
    previous = add_working_days(start, 2)
    for hour in range(1, 24 * 10):
        due = add_working_days(start + datetime.timedelta(hours=hour), 2)
        assert due >= previous
        previous = due


def test_an_utc_start_is_read_in_paris_time():
    # 23:30 UTC on Friday 13 March is Saturday 00:30 in Paris: a day off.
    start = datetime.datetime(2026, 3, 13, 23, 30, tzinfo=datetime.UTC)
    assert add_working_days(start, 2) == at(2026, 3, 18)


def test_working_days():
    assert is_working_day(datetime.date(2026, 3, 10))
    assert not is_working_day(datetime.date(2026, 3, 14))
    assert not is_working_day(datetime.date(2026, 11, 11))
    assert not is_working_day(datetime.date(2026, 12, 25))


def test_late_before_agrees_with_the_due_dates():
    # Every 37 minutes over two months that hold Easter, 1 and 8 May, Ascension and Whit Monday.
    start = at(2026, 3, 28, 0, 7)
    for step in range(0, 60 * 24 * 60, 37):
        now = start + datetime.timedelta(minutes=step)
        cutoff = late_before(now, 2)
        for probe in (cutoff - datetime.timedelta(seconds=1), cutoff):
            assert (add_working_days(probe, 2) < now) == (probe < cutoff), (now, probe)
