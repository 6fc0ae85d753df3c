"""Periods: date filters cover whole weeks, Monday to Sunday in the district's time zone.

A window of arbitrary days lets two views differ by one family (18-21 November against
18-22 November). Snapped to whole weeks, two windows differ by whole weeks, and
engagement.summary.differencing checks a view against every window that contains it, so a
week that adds 1 to k-1 people to a view keeps that view from being shown.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from engagement.summary.model import SummaryFilters

WEEK = timedelta(days=7)


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def week_end(day: date) -> date:
    """The Sunday of `day`'s week (at most the day before the calendar's last, so that the
    day after the end can still be computed)."""
    last = date.max - timedelta(days=1)
    monday = week_start(day)
    return last if monday > last - timedelta(days=6) else monday + timedelta(days=6)


def snap(filters: SummaryFilters) -> SummaryFilters:
    """`filters` with its dates moved out to whole weeks: the start to a Monday, the end to
    a Sunday (so the window only grows, never drops a day that was asked for)."""
    start = week_start(filters.date_from) if filters.date_from else None
    end = week_end(filters.date_to) if filters.date_to else None
    if start == filters.date_from and end == filters.date_to:
        return filters
    return dataclasses.replace(filters, date_from=start, date_to=end)


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the district's time zone."""
    zone = ZoneInfo(current_app.config.get("DISTRICT_TIMEZONE", "UTC"))
    return datetime.combine(day, time.min, tzinfo=zone)


def local_day(moment: datetime) -> date:
    """The district's calendar day of an aware datetime."""
    zone = ZoneInfo(current_app.config.get("DISTRICT_TIMEZONE", "UTC"))
    return moment.astimezone(zone).date()


def weeks_between(first: date, last: date) -> list[date]:
    """The Mondays of every week from `first`'s to `last`'s, in order."""
    start, end = week_start(first), week_start(last)
    count = (end - start).days // 7 + 1
    return [start + i * WEEK for i in range(max(count, 1))]
