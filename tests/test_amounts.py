"""Amounts through one function (core.amounts.krw, the `krw` filter): pages, e-mails, PDFs and the timeline agree."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core import amounts

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "KRW 650,000,000"),
        ("ko", "6억 5천만 원"),
        ("es", "KRW 650\xa0000\xa0000"),
        ("fr", "KRW 650\xa0000\xa0000"),
        ("ar", "KRW 650,000,000"),
        ("id", "KRW 650.000.000"),
    ],
)
def test_krw_writes_the_exact_amount_in_each_language(code, expected):
    with translation.override(code):
        assert amounts.krw(650_000_000) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (650_000_000, "6억 5천만 원"),
        (700_000_000, "7억 원"),
        (16_300_000_000, "163억 원"),
        (20_000_000, "2천만 원"),
        (123_456_789, "1억 2,345만 6,789원"),
        (35_000, "3만 5천 원"),
        (4_500, "4,500원"),
        (0, "0원"),
        (1_200_000_000_000, "1조 2천억 원"),
    ],
)
def test_krw_counts_in_man_eok_and_jo_in_korean(amount, expected):
    with translation.override("ko"):
        assert amounts.krw(amount) == expected


def test_krw_of_no_amount_is_empty_and_a_template_can_fall_back():
    template = Template('{% load portal_i18n %}{{ none|krw|default:"—" }}|{{ some|krw }}')

    with translation.override("en"):
        assert template.render(Context({"none": None, "some": 450_000_000})) == "—|KRW 450,000,000"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", ["KRW 16.3 billion", "KRW 700 million", "KRW 35,000"]),
        ("ko", ["163억 원", "7억 원", "3.5만 원"]),
        ("es", ["KRW 16,3 mil millones", "KRW 700 millones", "KRW 35\xa0000"]),
    ],
)
def test_krw_words_rounds_for_a_figure_with_the_language_s_decimal_sign(code, expected):
    # The words "billion"/"million" come from the catalogue ("KRW %(amount)s billion"), the decimal sign and the
    # digit grouping from the language's formats.
    with translation.override(code):
        assert [amounts.krw_words(x) for x in (16_300_000_000, 700_000_000, 35_000)] == expected


@pytest.mark.parametrize(
    ("code", "label", "unit"), [("en", "4.8", "KRW billion"), ("ko", "48", "억 원"), ("fr", "4,8", "milliards de KRW")]
)
def test_chart_label_is_in_the_unit_krw_words_uses(code, label, unit):
    with translation.override(code):
        assert amounts.chart_label(4_800_000_000) == label
        assert amounts.chart_scale()[1] == unit
        words = amounts.krw_words(4_800_000_000)
    assert label in words


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "bar", "row"), [("en", ">4.8</text>", "KRW 4.8 billion"), ("ko", ">48</text>", "48억 원")]
)
def test_stats_chart_labels_and_table_agree(client, code, bar, row):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code

    html = client.get(reverse("stats")).content.decode()

    assert bar in html  # 2020's bar
    assert f'<td class="text-end text-nowrap">{row}' in html  # 2020's row


def test_no_template_writes_krw_before_a_number_itself():
    """`KRW {{ x|intcomma }}` reads wrong in Korean; every amount goes through the krw filter."""
    pattern = re.compile(r"KRW \{\{|_krw\|intcomma|_krw\|floatformat")
    offenders = []
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        for path in folder.rglob("*"):
            if path.suffix in (".html", ".txt") and pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))

    assert offenders == []
