"""The sign-up page starts the time-zone list at the browser's zone, in the list of countries and cities; Chromium
reports India's zone by its old name (Asia/Calcutta), which the list knows as Asia/Kolkata."""

from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/wt/shots/reach-content")  # the review copy, where that folder exists (not in CI)


def _keep(shot: Path) -> None:
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        (SHOTS / shot.name).write_bytes(shot.read_bytes())


@pytest.fixture
def browser_timezone():
    return "Asia/Kolkata"


def test_signup_selects_the_detected_zone_and_stores_its_iana_name(page, shoot):
    cache.clear()
    page.goto("/accounts/signup/")

    zone = page.locator("#id_time_zone")
    expect(zone).to_have_value("Asia/Kolkata")
    chosen = zone.locator("option:checked")
    assert chosen.inner_text().startswith("Kolkata (UTC+05:30)")
    assert chosen.evaluate("o => o.parentElement.label") == "India"
    _keep(shoot(page, "sign-up-time-zone"))

    page.locator("#id_email").fill("arjun.rao@pune.gov.in")
    page.locator("#id_full_name").fill("Arjun Rao")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirm your e-mail address")

    assert str(User.objects.get(email="arjun.rao@pune.gov.in").time_zone) == "Asia/Kolkata"


def test_signup_in_korean_names_the_countries_in_korean(browser, live_server, shoot):
    context = browser.new_context(
        locale="ko-KR", timezone_id="Asia/Seoul", base_url=live_server.url, extra_http_headers={"Accept-Language": "ko"}
    )
    page = context.new_page()
    try:
        page.goto("/accounts/signup/")
        zone = page.locator("#id_time_zone")
        expect(zone).to_have_value("Asia/Seoul")
        assert zone.locator("option:checked").evaluate("o => o.parentElement.label") == "대한민국"
        _keep(shoot(page, "sign-up-time-zone-ko"))
    finally:
        context.close()
