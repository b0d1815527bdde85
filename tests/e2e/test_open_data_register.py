"""A visitor reads the public project register: filters it, opens a project's public page and downloads its
public document, and reads the open-data page; in English and Korean, at desktop width and at 320 px, with no
serious or critical axe-core finding and no sideways scrolling."""

import datetime

import pytest
from django.conf import settings

from cooperation.models import ActivityStatus
from tests.e2e.test_accessibility import _serious_findings
from tests.factories import StaffFactory
from tests.factories.cooperation import ParticipantFactory
from tests.opendata.register_helpers import document, milestones, released_project, unreleased_project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]





@pytest.fixture
def register():
    staff = StaffFactory()
    nakuru = released_project(
        by=staff, year=2025, country="KE", support_amount_krw=480_000_000, activity_status=ActivityStatus.IMPLEMENTATION
    )
    nakuru.title = "Nakuru County smart water metering and leak detection plan"
    nakuru.recipient_city = "Nakuru County"
    nakuru.description = (
        "Halve non-revenue water with smart meters and acoustic leak detection, with the county "
        "water company and a Korean engineering firm."
    )
    nakuru.translations = {
        "ko": {
            "title": "나쿠루 카운티 스마트 수도계량 및 누수탐지 계획",
            "description": "스마트 계량기와 음향 누수탐지로 무수율을 절반으로 줄입니다.",
        }
    }
    nakuru.actual_start = datetime.date(2026, 6, 1)
    nakuru.save(update_fields=["title", "recipient_city", "description", "translations", "actual_start"])
    ParticipantFactory(project=nakuru, name="Dohwa Engineering")
    milestones(nakuru, done=1, pending=2)
    document(nakuru, title="Inception report (public summary)", public=True)
    document(nakuru, title="Internal budget sheet", public=False)
    surabaya = released_project(by=staff, year=2026, country="ID", support_amount_krw=550_000_000)
    surabaya.title = "Surabaya integrated city operations centre plan"
    surabaya.translations = {"ko": {"title": "수라바야 통합 도시운영센터 계획"}}
    surabaya.save(update_fields=["title", "translations"])
    hidden = unreleased_project(by=staff)
    return {"nakuru": nakuru, "surabaya": surabaya, "hidden": hidden}


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_the_register_project_page_and_open_data_page(page, live_server, shoot, register, language, width):
    nakuru = register["nakuru"]
    page.set_viewport_size({"width": width, "height": 900})
    # The visitor chose the language with the switcher (its cookie); the browser's own is en-US.
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    findings = {}
    scroll = {}

    def check(name):
        findings[name] = _serious_findings(page)
        scroll[name] = page.evaluate("() => document.documentElement.scrollWidth") <= width
        shoot(page, f"{name}-{language}-{width}")

    page.goto("/")
    assert page.locator('#nav a[href="/projects/"]').count() == 1  # the navigation's "Project register"
    assert page.locator('#footer-links a[href="/open-data/"]').count() == 1
    page.goto("/projects/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("[data-project]").count() == 2
    assert register["hidden"].title not in page.content()
    title = nakuru.translations["ko"]["title"] if language == "ko" else nakuru.title
    assert page.get_by_role("link", name=title).is_visible()
    check("register")

    page.locator("#id_country").select_option("KE")
    page.locator("#register-filters button[type=submit]").click()
    page.wait_for_url("**/projects/?*country=KE*")
    assert page.locator("[data-project]").count() == 1

    page.goto("/projects/?year=abc")
    assert page.locator("#filter-errors").is_visible()
    check("register-bad-filter")

    page.goto(f"/projects/{nakuru.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert "Internal budget sheet" not in page.content()
    check("project")
    with page.expect_download() as download:
        page.get_by_role("link", name="Inception report (public summary)").click()
    assert download.value.suggested_filename == "file.pdf"

    page.goto("/open-data/")
    check("open-data")

    assert findings == {name: [] for name in ("register", "register-bad-filter", "project", "open-data")}
    assert scroll == {name: True for name in findings}
