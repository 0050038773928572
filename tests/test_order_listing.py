"""orders.listing: the order list's dates, through strftime where the language allows, read as Django writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from orders.listing import local_date_formatter

MOMENTS = [
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # the night Paris moves to summer time
    datetime(2026, 3, 29, 1, 1, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # and back to winter time
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # already next year in Paris
    datetime(2027, 1, 5, 13, 5, 9, tzinfo=UTC),  # an afternoon: "p.m." in English
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("format_name", ["SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT"])
@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Cayenne"])
def test_dates_read_as_djangos_own_format_in_the_local_time_zone(language, format_name, zone):
    with translation.override(language), timezone.override(zone):
        write = local_date_formatter(format_name)
        for moment in MOMENTS:
            assert write(moment) == date_format(timezone.localtime(moment), format_name), moment
