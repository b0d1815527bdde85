"""Dates go through named, locale-aware formats (kcity/formats/<lang>/formats.py), never a fixed format string.

A fixed string such as `|date:"j F Y"` or `date_format(x, "l j F")` reads well in English only: in Korean it
gave "1 12월 2026" and "금요일 4 12월". The scanner below fails on any such string in a template or Python
module; machine formats for attributes, URLs and files (ISO 8601) are allowed by name.
"""

import datetime
import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from core import dates

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "var", "node_modules", "static", "tests", "migrations", "locale", "bench", ".git"}
OFFERED = [code for code, _name in settings.LANGUAGES]

# Machine-readable forms (datetime attributes, ids, query strings, CSV, HTML date/time inputs): not for reading.
MACHINE_FORMATS = {"c", "U", "Y-m-d", "Ymd", r"Y-m-d\TH:i:s\Z", r"Ymd\THi", "Y-m-d H:i"}
MACHINE_STRFTIME = {"%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M"}
NAMED = re.compile(r"^[A-Z_]+_FORMAT$")

TEMPLATE_FORMAT = re.compile(
    r"""\|(?:date|time|date_in|time_in):(?P<q>["'])(?P<fmt>.*?)(?P=q)"""
    r"""|\{%\s*now\s+(?P<q2>["'])(?P<fmt2>.*?)(?P=q2)"""
)
PYTHON_FORMAT = re.compile(
    r"""(?:date_format|time_format|dateformat\.format|date_in|time_in)\([^,()]+(?:\([^()]*\))?[^,()]*,\s*(?P<q>["'])(?P<fmt>.*?)(?P=q)"""
)
STRFTIME = re.compile(r"""strftime\(\s*(?P<q>["'])(?P<fmt>.*?)(?P=q)""")
FSTRING_SPEC = re.compile(r"\{[^{}:]+:(%[^{}]*)\}")


def _files(*suffixes):
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts[:-1])
        if path.suffix in suffixes and not parts & SKIP_DIRS and not path.name.startswith("."):
            yield path


def _allowed(fmt: str) -> bool:
    return bool(NAMED.match(fmt)) or fmt in MACHINE_FORMATS


def fixed_formats_in_templates() -> list[str]:
    found = []
    for path in _files(".html", ".txt", ".xml"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in TEMPLATE_FORMAT.finditer(line):
                fmt = match.group("fmt") if match.group("fmt") is not None else match.group("fmt2")
                if not _allowed(fmt):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {fmt!r}")
    return found


def fixed_formats_in_python() -> list[str]:
    found = []
    for path in _files(".py"):
        if path.relative_to(ROOT).parts[:2] == ("kcity", "formats"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in PYTHON_FORMAT.finditer(line):
                if not _allowed(match.group("fmt")):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {match.group('fmt')!r}")
            for match in STRFTIME.finditer(line):
                if match.group("fmt") not in MACHINE_STRFTIME:
                    found.append(f"{path.relative_to(ROOT)}:{number}: strftime {match.group('fmt')!r}")
            for spec in FSTRING_SPEC.findall(line):
                if spec not in MACHINE_STRFTIME:
                    found.append(f"{path.relative_to(ROOT)}:{number}: f-string {spec!r}")
    return found


def test_no_template_uses_a_fixed_date_format():
    assert fixed_formats_in_templates() == [], (
        'Use a named format from kcity/formats (|date:"DATE_FORMAT", |date_in:"DAY_DATE_FORMAT", '
        '|time:"TIME_FORMAT"), not a fixed format string'
    )


def test_no_python_module_uses_a_fixed_date_format():
    assert fixed_formats_in_python() == [], (
        "Use core.dates.date_in(value, NAME) / time_in, or formats.date_format(value, 'DATE_FORMAT'), "
        "not a fixed format string"
    )


def test_scanner_finds_a_fixed_format(tmp_path):
    line = '{{ day|date:"l j F" }} {{ day|date:"DATE_FORMAT" }} {{ day|date:\'c\' }}'

    fmts = [m.group("fmt") for m in TEMPLATE_FORMAT.finditer(line)]

    assert fmts == ["l j F", "DATE_FORMAT", "c"]
    assert [f for f in fmts if not _allowed(f)] == ["l j F"]
    assert PYTHON_FORMAT.search('date_format(timezone.localtime(x), "j M Y")').group("fmt") == "j M Y"
    assert FSTRING_SPEC.findall('f"{start:%H:%M}"') == ["%H:%M"]


@pytest.mark.parametrize("code", OFFERED)
def test_every_offered_language_defines_every_named_format(code):
    module = importlib.import_module(f"kcity.formats.{code}.formats")
    names = [
        "DATE_FORMAT",
        "DATETIME_FORMAT",
        "SHORT_DATE_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "TIME_FORMAT",
        "MONTH_DAY_FORMAT",
        "YEAR_MONTH_FORMAT",
        *dates.CUSTOM_FORMATS,
    ]

    missing = [name for name in names if not getattr(module, name, None)]

    assert missing == [], f"kcity/formats/{code}/formats.py lacks {missing}"


def test_a_language_without_a_custom_name_falls_back_to_english():
    with translation.override("th"):  # Django knows Thai; the portal has no formats module for it yet
        assert dates.named_format("DAY_DATE_FORMAT") == "l j F Y"


def test_an_unknown_format_name_is_refused():
    with pytest.raises(ValueError, match="not a named date format"):
        dates.named_format("DAY_DATE_FORMATT")


FIRST_DECEMBER = datetime.date(2026, 12, 1)
FRIDAY = datetime.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("code", "date_text", "day_date_text"),
    [
        ("en", "1 December 2026", "Friday 4 December 2026"),
        ("ko", "2026년 12월 1일", "2026년 12월 4일 금요일"),
        ("es", "1 de diciembre de 2026", "viernes, 4 de diciembre de 2026"),
        ("fr", "1 décembre 2026", "vendredi 4 décembre 2026"),
        ("ar", "1 ديسمبر 2026", "الجمعة، 4 ديسمبر 2026"),
        ("id", "1 Desember 2026", "Jumat, 4 Desember 2026"),
    ],
)
def test_named_formats_render_each_language_its_own_way(code, date_text, day_date_text):
    template = Template('{% load portal_i18n %}{{ d|date:"DATE_FORMAT" }}|{{ f|date_in:"DAY_DATE_FORMAT" }}')

    with translation.override(code):
        rendered = template.render(Context({"d": FIRST_DECEMBER, "f": FRIDAY}))

    assert rendered == f"{date_text}|{day_date_text}"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "4 December 2026 14:30"),
        ("ko", "2026년 12월 4일 14:30"),
        ("es", "4 de diciembre de 2026 14:30"),
        ("id", "4 Desember 2026 14.30"),
    ],
)
def test_datetime_format_in_each_language(code, expected):
    moment = datetime.datetime(2026, 12, 4, 14, 30, tzinfo=datetime.UTC)

    with translation.override(code):
        assert dates.date_in(moment.replace(tzinfo=None), "DATETIME_FORMAT") == expected


def test_date_in_uses_the_current_time_zone_for_an_aware_datetime():
    moment = datetime.datetime(2026, 12, 4, 23, 30, tzinfo=datetime.UTC)  # 5 December 08:30 in Seoul

    with translation.override("ko"):
        shown = dates.date_in(moment, "DATETIME_ZONE_FORMAT")

    assert shown == "2026년 12월 5일 08:30 KST"
