"""Pages of other apps under the Content-Security-Policy in Chromium: the API docs (Swagger UI), the back office and
its export page, and the character counter; and proof that the watcher in conftest.py does catch a violation."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from proposals.workflow import Status
from tests.factories import ProposalFactory, StaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return page


def test_the_watcher_catches_an_inline_script(page, csp_violations):
    page.goto("/")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                  " document.body.appendChild(s); }")
    page.wait_for_timeout(300)

    assert page.evaluate("() => window.ran") is None  # refused by the policy ...
    assert any("script-src" in line for line in csp_violations)  # ... and reported
    csp_violations.clear()  # this test wanted it; any other would fail


def test_api_docs_render_under_the_policy(page, shoot):
    page.goto("/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("K-City Network Proposal Portal API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    shoot(page, "api-docs")


def test_back_office_and_its_export_page_work_under_the_policy(page, live_server, shoot):
    _signed_in(page, live_server, StaffFactory())
    ProposalFactory(status=Status.SCREENING, reference="KCN-2026-0001")  # staff lists show no drafts

    page.goto("/admin/proposals/proposal/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto("/admin/proposals/proposal/export/")
    toggle = page.locator("input.select-toggle")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    expect(fields.first).to_be_checked()
    toggle.uncheck()  # import-export's inline handler is refused; ours, from a file, does the same

    expect(fields.first).not_to_be_checked()
    shoot(page, "export")


def test_text_box_counts_characters_as_the_person_types(page, live_server, shoot):
    proposal = ProposalFactory(city_context="")
    _signed_in(page, live_server, proposal.owner)

    page.goto(f"/proposals/{proposal.pk}/edit/context/")
    box = page.locator("#id_city_context")
    box.fill("")
    box.press_sequentially("Port city")

    counter = page.locator("#id_city_context-char-count")
    expect(counter).to_have_text("9 / 6,000 characters")
    assert box.get_attribute("aria-describedby").split()[-1] == "id_city_context-char-count"
    expect(page.locator("#id_city_context ~ [aria-live=polite]")).to_have_text("9 / 6,000 characters")
    shoot(page, "counter")


def test_back_office_text_box_counts_characters_too(page, live_server, shoot):
    from tests.factories import UserFactory

    _signed_in(page, live_server, UserFactory(is_staff=True, is_superuser=True))

    page.goto("/admin/proposals/programme/add/")
    # The English box, on the first of the description's language tabs (proposals.translation).
    page.locator("#id_description_en").press_sequentially("Smart cities")

    expect(page.locator("#id_description_en-char-count")).to_have_text("12 / 4,000 characters")
    expect(page.locator("#id_description_en ~ [aria-live=polite]")).to_have_text("12 / 4,000 characters")
    shoot(page, "admin-counter")
