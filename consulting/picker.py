"""The slot picker's week: free times (computed for the whole booking window) shown one week at a time.

The week is a Monday in the viewer's zone (`?week=2026-12-07`); without one, the week of the first free time.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from consulting.slots import group_by_day


@dataclass
class Beside:
    """Another party's local time shown next to each slot (`key` names its CSS class: slot-<key>-time)."""

    key: str
    label: str
    zone: datetime.tzinfo


@dataclass
class Week:
    monday: datetime.date
    days: list = field(default_factory=list)
    previous_url: str = ""
    next_url: str = ""
    any_free: bool = False

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _wanted(value: str) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def week_of(*, slots, zone, wanted: str, query: dict, anchor: str = "slot-picker") -> Week:
    """The chosen week's days (viewer's dates, each with its slots as aware times in `zone`) and links to the weeks
    before and after it when they hold free times."""
    days = group_by_day(slots, zone)
    chosen = _wanted(wanted)
    if chosen is not None:
        monday = _monday(chosen)
    elif days:
        monday = _monday(days[0][0])
    else:
        monday = _monday(datetime.datetime.now(zone).date())
    after = monday + datetime.timedelta(days=7)
    week = Week(monday=monday, any_free=bool(days))
    week.days = [(day, times) for day, times in days if monday <= day < after]
    earlier = [day for day, _times in days if day < monday]
    later = [day for day, _times in days if day >= after]

    def link(day):
        return "?" + urlencode({**{k: v for k, v in query.items() if v not in (None, "")},
                                "week": _monday(day).isoformat()}) + f"#{anchor}"

    if earlier:
        week.previous_url = link(earlier[-1])
    if later:
        week.next_url = link(later[0])
    return week
