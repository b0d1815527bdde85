"""The project workspace in Chromium: staff release an approval and the project opens; staff add the implementing
firm and invite its engineer; the engineer sets a password from the e-mail, signs in and sees the project. Then
the project list, page, documents, messages and timeline checked with axe-core in English and Korean, at 1280
and 320 px (no serious or critical finding), each screenshotted."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from committee.models import Outcome
from committee.services import decision_record
from cooperation.models import Project
from cooperation.services import document_add, message_post, participant_add
from notifications.models import OutboxEmail
from tests.committee.helpers import decided_setup
from tests.e2e.test_accessibility import _serious_findings, _signed_in
from tests.factories import PDF_BYTES
from tests.factories.cooperation import ProjectFactory, contractor_user, partner_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENGINEER = "engineer@dohwa.example"


def test_staff_release_open_invite_and_the_contractor_sees_the_project(page, browser, live_server, shoot):
    cache.clear()
    staff, proposal, _members, meeting = decided_setup(size=5)
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=5,
                               votes_against=0, support_amount_krw=450_000_000, conditions="Train ten officials.")
    _signed_in(page, live_server, staff)

    # Staff release the approval: the letter goes out and the project opens.
    page.goto(f"/committee/letters/{decision.letter.pk}/")
    page.locator("#approve-letter").click()
    page.wait_for_load_state()
    project = Project.objects.get(proposal=proposal)
    page.goto("/cooperation/")
    shoot(page, "staff-project-list")
    page.get_by_role("link", name=proposal.title).click()
    expect(page.locator("#project-header h1")).to_have_text(proposal.title)
    expect(page.locator("#conditions")).to_contain_text("Train ten officials.")
    expect(page.locator('[data-activity-status="1"]').first).to_be_visible()

    # The implementing firm, then its engineer.
    page.locator("#add-participant summary").click()
    page.locator("#id_name").fill("Dohwa Engineering")
    page.locator("#id_share_krw").fill("300000000")
    page.get_by_role("button", name="Add the organisation").click()
    expect(page.locator("#participants")).to_contain_text("Dohwa Engineering")
    page.locator("#invite-contractor summary").click()
    page.locator("#id_email").fill(ENGINEER)
    page.locator("#id_full_name").fill("Lee Min-ho")
    shoot(page, "staff-invites")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".alert-success")).to_contain_text(ENGINEER)
    expect(page.locator("#contractor-staff")).to_contain_text("Lee Min-ho")
    page.get_by_role("button", name="Start implementation").click()
    expect(page.locator('[data-activity-status="2"]').first).to_be_visible()
    shoot(page, "staff-project-page")

    # The engineer follows the e-mail's link, chooses a password and signs in.
    body = OutboxEmail.objects.get(to_email=ENGINEER).body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", body).group(1)
    contractor_context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    engineer = contractor_context.new_page()
    engineer.goto(link)
    engineer.locator("#id_password1").fill("Dohwa-engineer-pass-42")
    engineer.locator("#id_password2").fill("Dohwa-engineer-pass-42")
    shoot(engineer, "contractor-sets-password")
    engineer.get_by_role("button", name="Save the new password").click()
    engineer.goto("/accounts/login/")
    engineer.get_by_label("Email").fill(ENGINEER)
    engineer.get_by_label("Password").fill("Dohwa-engineer-pass-42")
    engineer.get_by_role("button", name="Sign in").click()
    expect(engineer).to_have_url(re.compile(r"/cooperation/$"))
    expect(engineer.locator("#project-list tbody tr")).to_have_count(1)
    engineer.get_by_role("link", name=proposal.title).click()
    expect(engineer.locator("#project-header h1")).to_have_text(proposal.title)
    expect(engineer.locator('[data-activity-status="2"]').first).to_be_visible()
    expect(engineer.locator("#status-moves")).to_have_count(0)  # staff's moves are not offered
    shoot(engineer, "contractor-project-page")
    engineer.goto(f"/cooperation/projects/{project.pk}/messages/")
    engineer.get_by_label("Message").fill("Inception mission planned for next month.")
    engineer.get_by_role("button", name="Send").click()
    expect(engineer.locator("#thread")).to_contain_text("Inception mission planned")
    shoot(engineer, "contractor-messages")
    contractor_context.close()


@pytest.fixture
def busy_project():
    project = ProjectFactory(country="KE", translations={"ko": {"title": "나쿠루 스마트 수도 계획"}},
                             conditions="The county shares its network data.\nTwo officials join every mission.")
    firm = participant_add(project=project, by=project.opened_by, name="Dohwa Engineering", share_krw=200_000_000)
    contractor = contractor_user(project=project, participant=firm, full_name="Choi Hyun-woo")
    partner = partner_user(project, full_name="Grace Wanjiru")
    document_add(project=project, by=contractor, title="Inception report with a long title that has to wrap "
                 "on a phone screen", upload=SimpleUploadedFile("inception.pdf", PDF_BYTES,
                                                                 content_type="application/pdf"))
    message_post(project=project, by=contractor, body="The inception report is on the documents tab.")
    message_post(project=project, by=partner, body="Thank you; comments follow this week.")
    return project, partner


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_project_pages_have_no_serious_axe_findings(page, live_server, shoot, busy_project, language, width):
    project, partner = busy_project
    partner.language = language
    partner.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 900})
    page.set_extra_http_headers({"Accept-Language": language})
    _signed_in(page, live_server, partner)
    pages = {"list": "/cooperation/", "overview": f"/cooperation/projects/{project.pk}/",
             "documents": f"/cooperation/projects/{project.pk}/documents/",
             "messages": f"/cooperation/projects/{project.pk}/messages/",
             "timeline": f"/cooperation/projects/{project.pk}/timeline/"}
    findings, too_wide = {}, {}

    for name, url in pages.items():
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        findings[name] = _serious_findings(page)
        too_wide[name] = page.evaluate("() => document.documentElement.scrollWidth") > width
        shoot(page, f"{name}-{language}-{width}")

    assert findings == {name: [] for name in pages}
    assert too_wide == {name: False for name in pages}
    if language == "ko":
        page.goto(pages["overview"])
        expect(page.locator("#project-header h1")).to_have_text("나쿠루 스마트 수도 계획")
