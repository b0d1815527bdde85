"""The secretariat's inbox in Chromium (issue 12): an applicant in Bogotá submits; a staff officer in Seoul signs
in, lands on the inbox with the new submission counted in the navigation, opens it, screens it and asks for more
with a template edited before sending (the proposal page's own buttons); the applicant resubmits; it shows as
answered; the officer moves it through pre-consulting to committee review. axe-core finds nothing serious on the
inbox in English and Korean, at 1280 and 320 px."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from notifications.models import Notice, OutboxEmail
from proposals import demo, services
from proposals.models import InfoRequestTemplate, Proposal
from proposals.workflow import Status
from tests.e2e.test_accessibility import _serious_findings
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    StaffFactory,
    TrackFactory,
    applicant,
    complete_proposal,
    service_levels,
)
from tests.factories.consulting import filed_report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STAFF_EMAIL = "lee.seoyeon@molit.example"
TITLE = "Movilidad inteligente para Bogotá"
TEMPLATE_TEXT = "Please attach the official request letter signed by the mayor."
ADDED = " A scan of the signed letter is enough."
ANSWER = "The signed letter is attached now."


@pytest.fixture
def browser_timezone():
    return "America/Bogota"  # the `page` fixture is the applicant's browser; staff get their own, in Seoul


@pytest.fixture
def journey():
    cache.clear()  # sign-in rate limits live in the cache
    service_levels()
    track = TrackFactory(name="Smart Urban planning", pre_consulting_required=True)
    staff = StaffFactory(email=STAFF_EMAIL, full_name="Lee Seo-yeon", language="en", time_zone="Asia/Seoul")
    EmailAddress.objects.create(user=staff, email=STAFF_EMAIL, verified=True, primary=True)
    staff.groups.add(demo._secretariat_group())
    owner = applicant(email="ana.gomez@bogota.gov.co", full_name="Ana Gómez", time_zone="America/Bogota",
                      organisation=OrganisationFactory(name="Alcaldía Mayor de Bogotá", country="CO",
                                                       region_city="Bogotá"))
    proposal = complete_proposal(owner=owner, organisation=owner.organisation, track=track, title=TITLE,
                                 country="CO", region_city="Bogotá")
    InfoRequestTemplate.objects.create(name="Official letter missing", body=TEMPLATE_TEXT)
    return {"staff": staff, "owner": owner, "proposal": proposal}


def _signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def _staff_browser(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id="Asia/Seoul",
                                  base_url=live_server.url)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _inbox_row(desk, proposal):
    return desk.locator(f"#inbox-list tr[data-proposal='{proposal.pk}']")


def _move(desk, name, target):
    return desk.locator(f"#move-{name}-{target}")


def test_inbox_journey_from_submission_to_committee_review(browser, live_server, page, shoot, journey):
    proposal, staff = journey["proposal"], journey["staff"]

    # 1. The applicant submits from the review step.
    _signed_in(page, live_server, journey["owner"])
    page.goto(f"/proposals/{proposal.pk}/edit/review/")
    page.locator("#submit-button").click()
    expect(page.locator("#receipt-reference")).to_have_text(re.compile(r"^KCN-\d{4}-\d{4}$"))
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    # The secretariat is told: nobody is assigned, so every staff member (here one), in-app and by e-mail.
    assert Notice.objects.filter(user=staff, event="proposal_submitted_staff").count() == 1
    assert OutboxEmail.objects.filter(to_email=STAFF_EMAIL, event="proposal_submitted_staff").count() == 1

    context, desk = _staff_browser(browser, live_server)
    try:
        # 2. Staff sign in and land on the inbox; the new submission is counted in the navigation.
        desk.goto("/accounts/login/")
        desk.locator("input[name=login]").fill(STAFF_EMAIL)
        desk.locator("input[name=password]").fill(PASSWORD)
        desk.locator("form button[type=submit]").last.click()
        expect(desk).to_have_url(re.compile(r"/proposals/staff/inbox/$"))
        expect(desk.locator("#nav-inbox-count")).to_contain_text("1")
        expect(desk.locator("#inbox-tab-new")).to_have_attribute("aria-current", "page")
        row = _inbox_row(desk, proposal)
        expect(row).to_contain_text(proposal.reference)
        expect(row).to_contain_text("Nobody yet")
        expect(desk.get_by_role("link", name="Find a consultant")).to_have_count(0)
        shoot(desk, "inbox-new")

        # 3. Open it: the proposal's own page offers the one move the table allows now.
        row.get_by_role("link", name=TITLE).click()
        expect(desk).to_have_url(re.compile(rf"/admin/proposals/proposal/{proposal.pk}/change/$"))
        expect(desk.locator("#workflow-moves form.workflow-move")).to_have_count(1)
        shoot(desk, "proposal-submitted-buttons")
        _move(desk, "start_screening", "screening").get_by_role("button", name="Start screening").click()
        expect(desk.locator("ul.messagelist li.success")).to_have_text("Moved to Screening.")

        # 4. Request information: pick the template, edit its text, send.
        form = _move(desk, "request_information", "info_requested")
        # Information or pre-consulting; committee review waits for the report this track requires.
        expect(desk.locator("#workflow-moves form.workflow-move")).to_have_count(2)
        form.locator("select[name=rfi_template]").select_option(label="Official letter missing")
        note = form.locator("textarea[name=note]")
        expect(note).to_have_value(TEMPLATE_TEXT)
        note.press("End")
        note.type(ADDED)
        shoot(desk, "request-information-template")
        form.get_by_role("button", name="Request information").click()
        expect(desk.locator("ul.messagelist li.success")).to_have_text("Moved to Information requested.")
        expect(desk.locator("#no-moves")).to_be_visible()
        proposal.refresh_from_db()
        assert proposal.status == Status.INFO_REQUESTED
        assert proposal.messages.get().body == TEMPLATE_TEXT + ADDED

        # 5. The applicant reads the request and resubmits.
        page.goto(proposal.get_absolute_url())
        expect(page.locator("body")).to_contain_text(TEMPLATE_TEXT + ADDED)
        page.locator("#resubmit-form textarea[name=note]").fill(ANSWER)
        page.locator("#resubmit-button").click()
        # The confirm step shows the answer before it goes (a resubmission needs one).
        expect(page.locator("#resubmit-answer")).to_contain_text(ANSWER)
        page.locator("#resubmit-confirm").click()
        expect(page.locator(".alert-success").first).to_contain_text("The secretariat has been told")
        assert Notice.objects.filter(user=staff, event="proposal_resubmitted_staff").count() == 1

        # 6. Back in the inbox it is answered (and counted in the navigation).
        desk.goto("/proposals/staff/inbox/")
        expect(desk.locator("#nav-inbox-count")).to_contain_text("1")
        expect(desk.locator("#inbox-empty")).to_be_visible()  # no longer new
        desk.locator("#inbox-tab-answered").click()
        expect(desk.locator("#inbox-tab-answered")).to_have_attribute("aria-current", "page")
        expect(desk.locator("[data-count=answered]")).to_have_text("1")
        expect(_inbox_row(desk, proposal)).to_contain_text("Screening")
        shoot(desk, "inbox-answered")

        # 7. On through pre-consulting to committee review with the page's buttons.
        _inbox_row(desk, proposal).get_by_role("link", name=TITLE).click()
        _move(desk, "send_to_pre_consulting", "pre_consulting").get_by_role(
            "button", name="Send to pre-consulting").click()
        expect(desk.locator("ul.messagelist li.success")).to_have_text("Moved to Pre-consulting.")
        # This track needs a filed pre-consulting report first: the button is not offered yet.
        expect(_move(desk, "send_to_committee_review", "committee_review")).to_have_count(0)
        filed_report(proposal)  # the consultant's session and report (consulting's own journey tests the forms)
        desk.reload()
        _move(desk, "send_to_committee_review", "committee_review").get_by_role(
            "button", name="Send to committee review").click()
        expect(desk.locator("ul.messagelist li.success")).to_have_text("Moved to Committee review.")
        shoot(desk, "proposal-committee-review")
        assert Proposal.objects.get(pk=proposal.pk).status == Status.COMMITTEE_REVIEW

        # 8. The inbox has nothing waiting now.
        desk.goto("/proposals/staff/inbox/?section=waiting")
        expect(desk.locator("#inbox-empty")).to_be_visible()
        expect(desk.locator("#nav-inbox-count")).to_have_count(0)
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_inbox_has_no_serious_axe_findings(page, live_server, shoot, journey, language, width):
    staff = journey["staff"]
    staff.language = language
    staff.save(update_fields=["language"])
    proposal = journey["proposal"]
    services.proposal_submit(proposal=proposal, by=proposal.owner)
    page.set_viewport_size({"width": width, "height": 900})
    _signed_in(page, live_server, staff)

    page.goto("/proposals/staff/inbox/")
    assert page.locator("html").get_attribute("lang") == language
    expect(_inbox_row(page, proposal)).to_be_visible()
    findings = _serious_findings(page)
    shoot(page, f"inbox-{language}-{width}")

    assert findings == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
