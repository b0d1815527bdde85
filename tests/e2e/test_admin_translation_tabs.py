"""The back office's language tabs for translated content (modeltranslation's tabbed admin, jQuery UI served from
our own static files under the Content-Security-Policy): staff add a track's Korean name and it is saved."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import StaffFactory, TrackFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/wt/shots/reach-content")  # the review copy, where that folder exists (not in CI)


def test_staff_translate_a_track_name_on_its_korean_tab(page, live_server, shoot):
    track = TrackFactory(name="Smart water management")
    staff = StaffFactory(email="desk@molit.go.kr", is_superuser=True, language="en")
    client = Client()
    client.force_login(staff)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": live_server.url,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )

    page.goto(f"/admin/proposals/track/{track.pk}/change/")
    tabs = page.locator(".ui-tabs-nav").first
    expect(tabs).to_be_visible()
    page.get_by_role("tab", name="ko").first.click()
    page.locator("#id_name_ko").fill("스마트 물 관리")
    shot = shoot(page, "track-korean-tab")
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        (SHOTS / shot.name.replace("01-", "admin-")).write_bytes(shot.read_bytes())
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    track.refresh_from_db()
    assert (track.name_en, track.name_ko) == ("Smart water management", "스마트 물 관리")
