"""The slot engine on its own: plain values in, UTC start times out, no database and no clock."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from consulting.slots import Busy, free_slots, group_by_day, nearest

UTC = datetime.UTC
WARSAW = ZoneInfo("Europe/Warsaw")
SEOUL = ZoneInfo("Asia/Seoul")
BOGOTA = ZoneInfo("America/Bogota")


@dataclass
class Rule:
    weekday: int
    start_time: datetime.time
    end_time: datetime.time


@dataclass
class Override:
    date: datetime.date
    unavailable: bool = False
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None


@dataclass
class Session:
    length_minutes: int = 60
    slot_interval_minutes: int = 60
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    minimum_notice_hours: int = 0
    booking_window_days: int = 60
    daily_limit: int | None = None


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def every_day(start_hour, end_hour):
    return [Rule(d, datetime.time(start_hour), datetime.time(end_hour)) for d in range(7)]


def compute(*, zone=WARSAW, rules=None, overrides=(), busy=(), session=None, now=None, start=None, end=None):
    return free_slots(
        zone=zone, rules=rules if rules is not None else every_day(9, 11), overrides=overrides, busy=busy,
        session=session or Session(), now=now or utc(2026, 3, 1), range_start=start, range_end=end,
    )


def test_slots_spring_dst_change_keeps_local_hours_in_warsaw():
    slots = compute(start=utc(2026, 3, 27), end=utc(2026, 3, 31))

    assert slots == [
        utc(2026, 3, 27, 8), utc(2026, 3, 27, 9),  # Friday, CET (UTC+1)
        utc(2026, 3, 28, 8), utc(2026, 3, 28, 9),  # Saturday, CET
        utc(2026, 3, 29, 7), utc(2026, 3, 29, 8),  # Sunday: clocks went forward at 02:00, CEST (UTC+2)
        utc(2026, 3, 30, 7), utc(2026, 3, 30, 8),  # Monday, CEST
    ]
    assert {s.astimezone(WARSAW).hour for s in slots} == {9, 10}


def test_slots_spring_dst_change_seen_from_seoul_and_bogota():
    slots = compute(start=utc(2026, 3, 27), end=utc(2026, 3, 31))

    seoul = [(day, [t.strftime("%H:%M") for t in times]) for day, times in group_by_day(slots, SEOUL)]
    bogota = [(day, [t.strftime("%H:%M") for t in times]) for day, times in group_by_day(slots, BOGOTA)]

    assert seoul == [
        (datetime.date(2026, 3, 27), ["17:00", "18:00"]),
        (datetime.date(2026, 3, 28), ["17:00", "18:00"]),
        (datetime.date(2026, 3, 29), ["16:00", "17:00"]),
        (datetime.date(2026, 3, 30), ["16:00", "17:00"]),
    ]
    assert bogota == [
        (datetime.date(2026, 3, 27), ["03:00", "04:00"]),
        (datetime.date(2026, 3, 28), ["03:00", "04:00"]),
        (datetime.date(2026, 3, 29), ["02:00", "03:00"]),
        (datetime.date(2026, 3, 30), ["02:00", "03:00"]),
    ]


def test_slots_range_across_spring_gap_offers_only_real_hours():
    rules = [Rule(6, datetime.time(1), datetime.time(4))]  # Sunday 01:00-04:00; 02:00-03:00 does not exist

    slots = compute(rules=rules, start=utc(2026, 3, 28), end=utc(2026, 3, 30))

    assert slots == [utc(2026, 3, 29, 0), utc(2026, 3, 29, 1)]
    assert [s.astimezone(WARSAW).strftime("%H:%M %Z") for s in slots] == ["01:00 CET", "03:00 CEST"]


def test_slots_autumn_dst_change_keeps_local_hours_and_repeated_hour():
    slots = compute(now=utc(2026, 10, 1), start=utc(2026, 10, 23), end=utc(2026, 10, 27))
    repeated = compute(rules=[Rule(6, datetime.time(1), datetime.time(4))], now=utc(2026, 10, 1),
                       start=utc(2026, 10, 24), end=utc(2026, 10, 26))

    assert slots == [
        utc(2026, 10, 23, 7), utc(2026, 10, 23, 8),
        utc(2026, 10, 24, 7), utc(2026, 10, 24, 8),
        utc(2026, 10, 25, 8), utc(2026, 10, 25, 9),  # clocks went back at 03:00: CET (UTC+1)
        utc(2026, 10, 26, 8), utc(2026, 10, 26, 9),
    ]
    assert [s.astimezone(WARSAW).strftime("%H:%M %Z") for s in repeated] == [
        "01:00 CEST", "02:00 CEST", "02:00 CET", "03:00 CET",
    ]


def test_slots_autumn_dst_change_seen_from_seoul_and_bogota():
    slots = compute(now=utc(2026, 10, 1), start=utc(2026, 10, 24), end=utc(2026, 10, 26))

    assert [(d, [t.strftime("%H:%M") for t in ts]) for d, ts in group_by_day(slots, SEOUL)] == [
        (datetime.date(2026, 10, 24), ["16:00", "17:00"]),
        (datetime.date(2026, 10, 25), ["17:00", "18:00"]),
    ]
    assert [(d, [t.strftime("%H:%M") for t in ts]) for d, ts in group_by_day(slots, BOGOTA)] == [
        (datetime.date(2026, 10, 24), ["02:00", "03:00"]),
        (datetime.date(2026, 10, 25), ["03:00", "04:00"]),
    ]


def test_group_by_day_puts_late_warsaw_evening_on_next_seoul_day():
    slots = compute(rules=[Rule(4, datetime.time(17), datetime.time(18))], start=utc(2026, 3, 27),
                    end=utc(2026, 3, 28))

    grouped = group_by_day(slots, SEOUL)

    assert slots == [utc(2026, 3, 27, 16)]
    assert [(d, [t.strftime("%H:%M") for t in ts]) for d, ts in grouped] == [(datetime.date(2026, 3, 28), ["01:00"])]


def test_slots_override_day_off_removes_the_day():
    overrides = [Override(datetime.date(2026, 3, 27), unavailable=True)]

    slots = compute(overrides=overrides, start=utc(2026, 3, 27), end=utc(2026, 3, 29))

    assert slots == [utc(2026, 3, 28, 8), utc(2026, 3, 28, 9)]


def test_slots_override_with_ranges_replaces_weekly_rules():
    overrides = [
        Override(datetime.date(2026, 3, 27), start_time=datetime.time(14), end_time=datetime.time(15)),
        Override(datetime.date(2026, 3, 27), start_time=datetime.time(16), end_time=datetime.time(17)),
    ]

    slots = compute(overrides=overrides, start=utc(2026, 3, 27), end=utc(2026, 3, 28))

    assert slots == [utc(2026, 3, 27, 13), utc(2026, 3, 27, 15)]


def test_slots_several_ranges_per_day():
    rules = [Rule(0, datetime.time(9), datetime.time(10)), Rule(0, datetime.time(13), datetime.time(15))]

    slots = compute(zone=ZoneInfo("UTC"), rules=rules, start=utc(2026, 3, 2), end=utc(2026, 3, 3))

    assert slots == [utc(2026, 3, 2, 9), utc(2026, 3, 2, 13), utc(2026, 3, 2, 14)]


def test_slots_buffers_keep_distance_from_existing_booking():
    session = Session(length_minutes=60, slot_interval_minutes=30, buffer_before_minutes=15, buffer_after_minutes=15)
    existing = Busy(start=utc(2026, 3, 2, 11), blocked_start=utc(2026, 3, 2, 10, 45),
                    blocked_end=utc(2026, 3, 2, 12, 15))

    slots = compute(zone=ZoneInfo("UTC"), rules=[Rule(0, datetime.time(9), datetime.time(15))], busy=[existing],
                    session=session, start=utc(2026, 3, 2), end=utc(2026, 3, 3))

    # 09:30-10:30 needs 09:15-10:45: touches the existing 10:45 edge without overlapping.
    assert slots == [utc(2026, 3, 2, 9), utc(2026, 3, 2, 9, 30), utc(2026, 3, 2, 12, 30), utc(2026, 3, 2, 13),
                     utc(2026, 3, 2, 13, 30), utc(2026, 3, 2, 14)]


def test_slots_minimum_notice_hides_times_too_soon():
    session = Session(minimum_notice_hours=24)

    slots = compute(zone=ZoneInfo("UTC"), rules=every_day(9, 12), session=session, now=utc(2026, 3, 2, 10),
                    start=utc(2026, 3, 2), end=utc(2026, 3, 4))

    assert slots == [utc(2026, 3, 3, 10), utc(2026, 3, 3, 11)]


def test_slots_booking_window_hides_times_too_far_ahead():
    session = Session(booking_window_days=2)

    slots = compute(zone=ZoneInfo("UTC"), rules=every_day(9, 11), session=session, now=utc(2026, 3, 2, 10),
                    start=utc(2026, 3, 2), end=utc(2026, 3, 10))

    assert slots == [utc(2026, 3, 2, 10), utc(2026, 3, 3, 9), utc(2026, 3, 3, 10), utc(2026, 3, 4, 9)]


def test_slots_daily_limit_closes_a_full_day_in_consultant_zone():
    session = Session(daily_limit=1)
    # 23:30 UTC on 1 March is 08:30 on 2 March in Seoul: it counts for the Seoul day of 2 March.
    existing = Busy(start=utc(2026, 3, 1, 23, 30), blocked_start=utc(2026, 3, 1, 23, 30),
                    blocked_end=utc(2026, 3, 2, 0, 0))

    slots = compute(zone=SEOUL, rules=every_day(9, 11), busy=[existing], session=session,
                    start=utc(2026, 3, 1, 15), end=utc(2026, 3, 3, 15))

    assert slots == [utc(2026, 3, 3, 0), utc(2026, 3, 3, 1)]


def test_slots_without_daily_limit_offer_the_whole_day():
    slots = compute(zone=SEOUL, rules=every_day(9, 11), start=utc(2026, 3, 2, 0), end=utc(2026, 3, 2, 15))

    assert slots == [utc(2026, 3, 2, 0), utc(2026, 3, 2, 1)]


def test_nearest_returns_closest_free_times_in_order():
    slots = [utc(2026, 3, 2, h) for h in (8, 9, 11, 14, 15)]

    assert nearest(slots, utc(2026, 3, 2, 10)) == [utc(2026, 3, 2, 8), utc(2026, 3, 2, 9), utc(2026, 3, 2, 11)]
