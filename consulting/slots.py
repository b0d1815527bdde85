"""Free slots, computed (never stored) from weekly rules, date overrides, existing bookings and a session type.

Pure functions: no database, no clock. Everything arrives as arguments, so tests can pass any `now`.

Time zones: each availability range is turned into real instants *per date* in the consultant's zone
(`datetime.combine(date, time, tzinfo=zone)` then UTC), and start times are stepped in absolute time inside that
range. A range that spans a DST change therefore yields exactly the hours that really exist that day.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

UTC = datetime.UTC


class RuleLike(Protocol):
    weekday: int
    start_time: datetime.time
    end_time: datetime.time


class OverrideLike(Protocol):
    date: datetime.date
    unavailable: bool
    start_time: datetime.time | None
    end_time: datetime.time | None


class BusyLike(Protocol):
    start: datetime.datetime
    blocked_start: datetime.datetime
    blocked_end: datetime.datetime


class SessionLike(Protocol):
    length_minutes: int
    slot_interval_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    minimum_notice_hours: int
    booking_window_days: int
    daily_limit: int | None


@dataclass(frozen=True)
class Busy:
    """An interval already taken (a booking's session plus buffers); `start` is the session's own start."""

    start: datetime.datetime
    blocked_start: datetime.datetime
    blocked_end: datetime.datetime


def _instant(day: datetime.date, at: datetime.time, zone: ZoneInfo) -> datetime.datetime:
    """A wall-clock time on a date in `zone` as a UTC instant (a time skipped by DST moves forward)."""
    local = datetime.datetime.combine(day, at, tzinfo=zone)
    return local.astimezone(UTC)


def _day_ranges(day: datetime.date, rules: Sequence[RuleLike], overrides: dict, zone: ZoneInfo):
    """The available UTC ranges of one local date: the override's ranges when there is one, else the rules."""
    if day in overrides:
        rows = overrides[day]
        if any(o.unavailable for o in rows):
            return []
        pairs = [(o.start_time, o.end_time) for o in rows if o.start_time and o.end_time]
    else:
        pairs = [(r.start_time, r.end_time) for r in rules if r.weekday == day.weekday()]
    ranges = []
    for start_time, end_time in sorted(pairs):
        start, end = _instant(day, start_time, zone), _instant(day, end_time, zone)
        if start < end:
            ranges.append((start, end))
    return ranges


def blocked_interval(start: datetime.datetime, session: SessionLike) -> tuple[datetime.datetime, datetime.datetime]:
    """The stretch of time a session starting at `start` keeps the consultant busy, buffers included."""
    end = start + datetime.timedelta(minutes=session.length_minutes)
    return (start - datetime.timedelta(minutes=session.buffer_before_minutes),
            end + datetime.timedelta(minutes=session.buffer_after_minutes))


def free_slots(
    *,
    zone: ZoneInfo,
    rules: Iterable[RuleLike],
    overrides: Iterable[OverrideLike],
    busy: Iterable[BusyLike],
    session: SessionLike,
    now: datetime.datetime,
    range_start: datetime.datetime,
    range_end: datetime.datetime,
) -> list[datetime.datetime]:
    """UTC start times of every free slot that starts in [range_start, range_end).

    A slot is free when the session lies inside an available range of its local date, starts no sooner than the
    minimum notice and no later than the booking window allows, its blocked interval (session plus buffers)
    overlaps no existing booking's blocked interval, and the consultant's local day is below the daily limit.
    """
    rules = list(rules)
    by_date: dict[datetime.date, list] = defaultdict(list)
    for override in overrides:
        by_date[override.date].append(override)
    busy = sorted(busy, key=lambda b: b.blocked_start)
    per_day = defaultdict(int)
    for b in busy:
        per_day[b.start.astimezone(zone).date()] += 1

    earliest = max(range_start, now + datetime.timedelta(hours=session.minimum_notice_hours))
    latest = min(range_end, now + datetime.timedelta(days=session.booking_window_days))
    if earliest >= latest:
        return []
    length = datetime.timedelta(minutes=session.length_minutes)
    step = datetime.timedelta(minutes=session.slot_interval_minutes)

    slots: list[datetime.datetime] = []
    day = earliest.astimezone(zone).date() - datetime.timedelta(days=1)
    last_day = latest.astimezone(zone).date() + datetime.timedelta(days=1)
    while day <= last_day:
        if session.daily_limit is not None and per_day[day] >= session.daily_limit:
            day += datetime.timedelta(days=1)
            continue
        for range_from, range_to in _day_ranges(day, rules, by_date, zone):
            start = range_from
            while start + length <= range_to:
                if earliest <= start < latest and not _overlaps(blocked_interval(start, session), busy):
                    slots.append(start)
                start += step
        day += datetime.timedelta(days=1)
    return sorted(set(slots))


def _overlaps(interval, busy: Sequence[BusyLike]) -> bool:
    lo, hi = interval
    return any(b.blocked_start < hi and lo < b.blocked_end for b in busy)


def nearest(slots: Sequence[datetime.datetime], wanted: datetime.datetime, count: int = 3) -> list[datetime.datetime]:
    """The `count` free start times closest to the wanted one, in time order."""
    closest = sorted(slots, key=lambda s: (abs(s - wanted), s))[:count]
    return sorted(closest)


def group_by_day(slots: Iterable[datetime.datetime], viewer_zone: ZoneInfo) -> list[tuple[datetime.date, list]]:
    """Slots grouped by the *viewer's* local date, each as an aware datetime in the viewer's zone."""
    days: dict[datetime.date, list[datetime.datetime]] = defaultdict(list)
    for slot in sorted(slots):
        local = slot.astimezone(viewer_zone)
        days[local.date()].append(local)
    return sorted(days.items())
