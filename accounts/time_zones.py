"""The time-zone choice people make on sign-up, in their settings and in a consultant's profile: zones grouped
by country (the country's name in the reader's language, from django-countries), each shown as its city (in the
reader's language too, from CLDR through Babel) with
the zone's UTC offset now ("Buenos Aires (UTC−03:00)"), instead of some 600 raw IANA names. The IANA name is
what is stored.

The country of each zone comes from the tz database's own zone.tab, shipped by the pinned tzdata package; its
tzdata.zi names the old aliases ("Asia/Calcutta" for "Asia/Kolkata") that some browsers still report, so the
sign-up page's detected zone finds its entry (static/js/signup-time-zone.js)."""

import datetime
import functools
import zoneinfo
from importlib import resources

from babel import UnknownLocaleError
from babel.dates import get_timezone_location
from django import forms
from django.utils.translation import get_language, gettext, gettext_lazy, to_locale
from django_countries import countries

UTC = "UTC"


def _tz_file(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


@functools.cache
def zone_countries() -> dict[str, str]:
    """IANA zone -> ISO country code, for every zone the tz database places in a country (zone.tab)."""
    zones = {}
    for line in _tz_file("zone.tab").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, zone, *_comment = line.split("\t")
        zones[zone] = code
    return zones


@functools.cache
def zone_aliases() -> dict[str, str]:
    """Old or alternative names ("Asia/Calcutta", "US/Eastern") -> the zone listed for them."""
    listed = zone_countries()
    aliases = {}
    for line in _tz_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _l, target, alias = line.split()
            if target in listed:
                aliases[alias] = target
    return aliases


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def city_name(zone: str) -> str:
    """The zone's city in the reader's language, from the Unicode CLDR's exemplar cities (Babel): "Buenos Aires",
    "부에노스 아이레스", "بوينوس أيرس"; where CLDR has none, the tz name humanised ("America/Argentina/Buenos_Aires"
    -> "Buenos Aires")."""
    return _city_name(zone, get_language() or "en")


@functools.lru_cache(maxsize=8192)
def _city_name(zone: str, language: str) -> str:
    try:
        return get_timezone_location(zone, locale=to_locale(language), return_city=True)
    except (LookupError, ValueError, UnknownLocaleError):
        return zone.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset(zone: str, *, at: datetime.datetime | None = None) -> str:
    """The zone's offset from UTC at `at` (now by default): "UTC+09:00", "UTC−03:30" (a true minus sign)."""
    offset = (at or datetime.datetime.now(datetime.UTC)).astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def zone_label(zone: str, *, at: datetime.datetime | None = None) -> str:
    if zone == UTC:
        return gettext("Coordinated Universal Time (UTC)")
    return gettext("%(city)s (%(offset)s)") % {"city": city_name(zone), "offset": utc_offset(zone, at=at)}


def time_zone_choices(*, at: datetime.datetime | None = None, extra: str | None = None) -> list:
    """Grouped choices in the active language: [(country name, [(zone, "City (UTC+hh:mm)"), ...]), ...], the
    countries in alphabetical order of their names, the cities of one country by offset then name, UTC last.
    `extra`: a stored zone the list would not show (an old alias) kept as a choice under "Other"."""
    by_country: dict[str, list[str]] = {}
    for zone, code in zone_countries().items():
        if zone in _known_zones():
            by_country.setdefault(code, []).append(zone)
    moment = at or datetime.datetime.now(datetime.UTC)
    groups = []
    for code, zones in by_country.items():
        name = str(countries.name(code)) or code
        cities = sorted(zones, key=lambda z: (moment.astimezone(zoneinfo.ZoneInfo(z)).utcoffset(), city_name(z)))
        groups.append((name, [(zone, zone_label(zone, at=moment)) for zone in cities]))
    groups.sort(key=lambda group: group[0].casefold())
    other = [(UTC, zone_label(UTC))]
    if extra and extra != UTC and extra not in zone_countries():
        other.append((extra, f"{extra.replace('_', ' ')} ({utc_offset(extra, at=moment)})"))
    groups.append((gettext("Other"), other))
    return groups


def canonical_zone(name: str) -> str:
    """The listed zone for `name` (itself, or what an alias stands for)."""
    return zone_aliases().get(name, name)


class TimeZoneChoiceField(forms.ChoiceField):
    """A grouped, readable zone list (built in the reader's language when the form is made). Any IANA name is
    accepted (an alias the list does not show included) and stored as the listed zone it stands for."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Time zone"))
        super().__init__(choices=time_zone_choices, **kwargs)

    def keep(self, zone: str | None) -> None:
        """Offer `zone` too (a person's stored zone that the list would not show), so the form shows it chosen."""
        if zone:
            self.choices = time_zone_choices(extra=str(zone))

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_zone(value) if value in zone_aliases() else value

    def valid_value(self, value):
        return value in zone_countries() or value == UTC or value in _known_zones()

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["data-time-zone-select"] = ""
        return attrs
