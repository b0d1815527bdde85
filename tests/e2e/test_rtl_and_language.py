"""Arabic right to left, the language chooser, and scripts' dates and numbers, in Chromium.

In Arabic every main page (home, sign-in, the proposal workspace, a proposal step, statistics, the staff inbox)
is `<html lang="ar" dir="rtl">` with Bootstrap's RTL stylesheet, the navigation mirrored (the brand at the
right), back arrows pointing right, and no serious axe-core finding (colour contrast aside: the theme's);
screenshots go to /work/wt/shots/reach-i18n (and tests/e2e/screenshots). The language chooser names each
language in itself with its lang attribute, and moving through it changes nothing until Go is pressed
(WCAG 3.2.2). Scripts write dates and numbers with Django's formats for the language (static/js/formats.js),
not the browser's locale.
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from core.amounts import grouped
from core.dates import date_in
from proposals import demo
from proposals.services import proposal_submit
from tests.e2e.test_accessibility import _serious_findings, _signed_in
from tests.factories import StaffFactory, TrackFactory, applicant, complete_proposal, service_levels

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/wt/shots/reach-i18n")


@pytest.fixture
def people():
    cache.clear()
    service_levels()
    track = TrackFactory(name="Smart Urban planning")
    owner = applicant(full_name="Layla Haddad", language="ar", time_zone="Asia/Amman")
    submitted = complete_proposal(
        owner=owner, organisation=owner.organisation, track=track, title="Smart water metering for Amman"
    )
    proposal_submit(proposal=submitted, by=owner)
    draft = complete_proposal(
        owner=owner, organisation=owner.organisation, track=track, title="Traffic signal plan for Aqaba"
    )
    staff = StaffFactory(full_name="Lee Seo-yeon", language="ar")
    staff.groups.add(demo._secretariat_group())
    return {"owner": owner, "staff": staff, "draft": draft}


def _direction_findings(page) -> list[str]:
    # Colour contrast does not change with the direction and is the theme's to check (its own browser tests);
    # every other serious finding here would be one the right-to-left layout brought.
    return [finding for finding in _serious_findings(page) if not finding.startswith("color-contrast:")]


def _shot(page, shoot, name: str) -> None:
    shoot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _assert_right_to_left(page, where: str) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar", where
    assert html.get_attribute("dir") == "rtl", where
    assert page.locator("#bootstrap-css").get_attribute("href").endswith("/bootstrap.rtl.min.css"), where
    # The stylesheet is applied, not only linked: the page's direction is right to left.
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl", where
    # Mirrored navigation: the brand sits at the right of the bar (at 1280 px the links are beside it).
    brand = page.locator(".navbar-brand").bounding_box()
    bar = page.locator("nav.navbar .container").bounding_box()
    assert brand["x"] + brand["width"] > bar["x"] + bar["width"] - 40, where
    assert brand["x"] > bar["x"] + bar["width"] / 2, where


def test_main_pages_in_arabic_are_right_to_left(page, live_server, shoot, people):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    findings = {}
    for name, url in [("home", reverse("home")), ("sign-in", reverse("account_login")), ("stats", reverse("stats"))]:
        page.goto(url)
        _assert_right_to_left(page, name)
        findings[name] = _direction_findings(page)
        _shot(page, shoot, f"ar-{name}")

    _signed_in(page, live_server, people["owner"])
    page.goto(reverse("proposals:workspace"))
    _assert_right_to_left(page, "workspace")
    findings["workspace"] = _direction_findings(page)
    _shot(page, shoot, "ar-workspace")

    page.goto(reverse("proposals:edit", args=[people["draft"].pk, "solutions"]))
    _assert_right_to_left(page, "proposal step")
    # "Back" points right in a right-to-left page: the arrow icon is turned round.
    back_arrow = page.locator(".bi-arrow-left").first
    assert back_arrow.evaluate("e => getComputedStyle(e).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    back, forward = page.locator(".bi-arrow-left").first.bounding_box(), page.locator(".bi-arrow-right").first
    assert forward.evaluate("e => getComputedStyle(e).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    assert back["x"] > forward.bounding_box()["x"]  # "Back" is on the right, "Save and continue" on the left
    findings["proposal step"] = _direction_findings(page)
    _shot(page, shoot, "ar-proposal-step")

    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    _signed_in(page, live_server, people["staff"])
    page.goto(reverse("proposals_staff:inbox"))
    _assert_right_to_left(page, "staff inbox")
    expect(page.locator("body")).to_contain_text("Smart water metering for Amman")
    findings["staff inbox"] = _direction_findings(page)
    _shot(page, shoot, "ar-staff-inbox")

    assert findings == {name: [] for name in findings}


def test_english_pages_stay_left_to_right_with_the_plain_stylesheet(page):
    page.goto(reverse("home"))

    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("#bootstrap-css").get_attribute("href").endswith("/bootstrap.min.css")
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] < 640


def test_language_chooser_names_languages_in_themselves_and_waits_for_go(page, shoot):
    page.goto(reverse("home"))
    options = page.locator("#language-select option")

    assert options.evaluate_all("os => os.map(o => [o.value, o.lang, o.textContent])") == [
        ["en", "en", "English"],
        ["ko", "ko", "한국어"],
        ["es", "es", "Español"],
        ["fr", "fr", "Français"],
        ["ar", "ar", "العربية"],
        ["id", "id", "Bahasa Indonesia"],
    ]
    chooser = page.locator("#language-select")
    chooser.focus()
    page.keyboard.press("ArrowDown")  # moves to 한국어: nothing must happen yet
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(700)
    assert chooser.input_value() == "es"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert page.url.endswith("/")
    shoot(page, "chooser-moved-not-sent")

    chooser.select_option("ko")
    page.wait_for_timeout(300)
    assert page.locator("html").get_attribute("lang") == "en"  # a change event does not send the form either
    page.locator("#language-go").click()

    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("#language-select")).to_have_value("ko")
    shoot(page, "chooser-after-go")


@pytest.mark.parametrize(
    ("code", "when"),
    [
        ("en", "4 December 2026 14:30"),
        ("ko", "2026년 12월 4일 14:30"),
        ("es", "4 de diciembre de 2026 14:30"),
        ("id", "4 Desember 2026 14.30"),
        ("ar", "4 ديسمبر 2026 14:30"),
    ],
)
def test_scripts_write_dates_and_numbers_with_django_s_formats(page, live_server, people, code, when):
    owner = people["owner"]
    owner.language = code
    owner.save(update_fields=["language"])
    _signed_in(page, live_server, owner)

    page.goto(reverse("proposals:edit", args=[people["draft"].pk, "solutions"]))  # loads the JS catalogue
    shown = page.evaluate("""() => ["DATETIME_FORMAT", "DATE_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT"]
        .map(name => kcityFormats.date(new Date(2026, 11, 4, 14, 30), name))""")

    assert shown[0] == when
    moment = datetime.datetime(2026, 12, 4, 14, 30)
    with translation.override(code):  # the same text as the pages' own `date` filter
        assert shown == [
            date_in(moment, name)
            for name in ("DATETIME_FORMAT", "DATE_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT")
        ]
    box = page.locator("textarea[maxlength]").first
    limit = int(box.get_attribute("maxlength"))
    box.fill("")
    with translation.override(code):
        expected = f"0 / {grouped(limit)}"  # 4,000 · 4 000 · 4.000, as Django writes it
    assert page.locator(".char-count").first.text_content().startswith(expected)
