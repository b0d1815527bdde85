"""Staff triage in Chromium: a secretariat officer in Seoul finds the overdue proposal in the admin, screens it and
asks the applicant for more; the applicant in Jakarta edits and resubmits; the officer reads the answer, replies,
leaves an internal note and sends the proposal on to committee review. The applicant sees the reply, not the note.
"""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from proposals import demo, services
from proposals.models import Message, Proposal, StatusChange
from proposals.workflow import Status
from tests.factories import (
    PASSWORD,
    CooperationCentreFactory,
    OrganisationFactory,
    StaffFactory,
    TrackFactory,
    applicant,
    complete_proposal,
    service_levels,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STAFF_EMAIL = "kim.minjun@molit.example"
APPLICANT_EMAIL = "ayu.pratama@semarang.go.id"
OVERDUE_TITLE = "Flood-resilient drainage for Semarang"
ON_TIME_TITLE = "Smart water metering for Nakuru"
SCREENING_TITLE = "Bus priority corridors for Da Nang"
REQUEST = "Please give the population from the 2020 census; the figure in the proposal is from 2010."
ANSWER = "Updated the population to the 2020 census figure (1,653,524)."
REPLY = "Thank you, the census figure is what the committee needs. We are sending the proposal on."
NOTE = "Checked against BPS Jawa Tengah: the figure matches. Budget looks high for drainage works."


@pytest.fixture
def browser_timezone():
    return "Asia/Jakarta"  # the `page` fixture is the applicant's browser; staff get their own, in Seoul


@pytest.fixture
def triage():
    """Three proposals waiting for the secretariat: one overdue, one on time, one already in screening."""
    cache.clear()  # sign-in rate limits live in the cache
    service_levels()
    track = TrackFactory(name="Smart Urban planning", pre_consulting_required=False)
    CooperationCentreFactory(name="KOTRA Jakarta", country="ID", covered_countries=["ID"])

    staff = StaffFactory(email=STAFF_EMAIL, full_name="Kim Min-jun", language="en", time_zone="Asia/Seoul")
    EmailAddress.objects.create(user=staff, email=STAFF_EMAIL, verified=True, primary=True)
    staff.groups.add(demo._secretariat_group())  # model permissions of the back office, as seed_demo grants them
    owner = applicant(email=APPLICANT_EMAIL, full_name="Ayu Pratama", time_zone="Asia/Jakarta", language="en",
                      organisation=OrganisationFactory(name="Semarang City Government", region_city="Semarang"))
    EmailAddress.objects.create(user=owner, email=APPLICANT_EMAIL, verified=True, primary=True)

    overdue = complete_proposal(owner=owner, organisation=owner.organisation, track=track, title=OVERDUE_TITLE,
                                population=1_555_984)
    nairobi = applicant(organisation=OrganisationFactory(name="Nakuru County", country="KE", region_city="Nakuru"),
                        time_zone="Africa/Nairobi")
    on_time = complete_proposal(owner=nairobi, organisation=nairobi.organisation, track=track, title=ON_TIME_TITLE)
    hanoi = applicant(organisation=OrganisationFactory(name="Da Nang People's Committee", country="VN",
                                                       region_city="Da Nang"), time_zone="Asia/Ho_Chi_Minh")
    screening = complete_proposal(owner=hanoi, organisation=hanoi.organisation, track=track, title=SCREENING_TITLE)
    for proposal in (overdue, on_time, screening):
        services.proposal_submit(proposal=proposal, by=proposal.owner)
    services.proposal_transition(proposal=screening, to=Status.SCREENING, by=staff)

    # The overdue proposal was started a month ago, submitted three weeks ago, and its ten working days ran out
    # two days ago. The test cannot wait that long, so it moves those dates back in the database (no user does).
    now = timezone.now()
    Proposal.objects.filter(pk=overdue.pk).update(
        created_at=now - datetime.timedelta(days=30),
        submitted_at=now - datetime.timedelta(days=21), status_changed_at=now - datetime.timedelta(days=21),
        due_at=now - datetime.timedelta(days=2),
    )
    StatusChange.objects.filter(proposal=overdue).update(at=now - datetime.timedelta(days=21))
    for proposal in (overdue, on_time, screening):
        proposal.refresh_from_db()
    assert on_time.due_at > now and screening.due_at > now
    return {"staff": staff, "owner": owner, "overdue": overdue, "on_time": on_time, "screening": screening}


def _staff_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id="Asia/Seoul",
                                  base_url=live_server.url)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _row(page, proposal):
    return page.locator(f"#result_list tbody tr:has(input[name=_selected_action][value='{proposal.pk}'])")


def _run_action(page, proposal, action):
    _row(page, proposal).locator("input[name=_selected_action]").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("#changelist-form button[name=index]").click()


def _success(page):
    return page.locator("ul.messagelist li.success")


def test_staff_triage_journey_overdue_request_resubmit_and_move_on(browser, live_server, page, shoot, triage):
    overdue, on_time, screening = triage["overdue"], triage["on_time"], triage["screening"]
    context, desk = _staff_page(browser, live_server)
    try:
        # 1. Staff sign in to the back office and open the proposal list: the overdue one comes first.
        desk.goto("/admin/")
        expect(desk).to_have_url(re.compile(r"/admin/login/"))
        desk.locator("#id_username").fill(STAFF_EMAIL)
        desk.locator("#id_password").fill(PASSWORD)
        shoot(desk, "staff-admin-login")
        desk.locator("#login-form input[type=submit]").click()
        expect(desk.locator("#content-main")).to_be_visible()
        shoot(desk, "staff-admin-index")
        desk.locator("#content-main tr.model-proposal th a").click()

        expect(desk).to_have_url(re.compile(r"/admin/proposals/proposal/$"))
        expect(desk.locator("#result_list tbody tr")).to_have_count(3)
        first = desk.locator("#result_list tbody tr").first
        expect(first).to_contain_text(overdue.reference)
        expect(first.locator("td.field-overdue img")).to_have_attribute("alt", "True")
        expect(first.locator("td.field-days_in_status")).to_have_text("21")
        expect(first.locator("td.field-country_flag")).to_contain_text("Indonesia")
        expect(first.locator("td.field-overdue img")).to_be_visible()  # the warning sign (static/proposals/admin.css)
        expect(_row(desk, on_time).locator("td.field-overdue img")).to_have_attribute("alt", "False")
        expect(_row(desk, on_time).locator("td.field-overdue img")).to_be_hidden()  # on time: no mark
        expect(_row(desk, screening).locator("td.field-status")).to_have_text("Screening")
        expect(first.locator("td.field-cooperation_centre")).to_have_text("KOTRA Jakarta (Jakarta)")
        shoot(desk, "staff-changelist")
        # Every column fits at 1280 px: the list does not scroll sideways.
        widths = desk.evaluate("() => { const r = document.querySelector('#changelist .results');"
                               " return [r.scrollWidth, r.clientWidth]; }")
        assert widths[0] <= widths[1], widths

        # Filter: overdue only.
        desk.locator("#changelist-filter details[data-filter-title='overdue']").get_by_role(
            "link", name="Overdue", exact=True
        ).click()
        expect(desk).to_have_url(re.compile(r"[?&]overdue=yes"))
        rows = desk.locator("#result_list tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(overdue.reference)
        expect(rows.first).to_contain_text(OVERDUE_TITLE)
        shoot(desk, "staff-changelist-overdue")

        # Start screening; the new state has its own target, so the proposal is no longer overdue.
        _run_action(desk, overdue, "start_screening")
        expect(_success(desk)).to_have_text("1 proposal moved to Screening.")
        expect(desk.locator("#result_list tbody tr")).to_have_count(0)
        shoot(desk, "staff-screening-started")
        desk.locator("#changelist-filter details[data-filter-title='overdue']").get_by_role(
            "link", name="All", exact=True
        ).click()
        expect(_row(desk, overdue).locator("td.field-status")).to_have_text("Screening")
        expect(_row(desk, overdue).locator("td.field-overdue img")).to_have_attribute("alt", "False")

        # Request information: an intermediate page asks for the message to the applicant.
        _run_action(desk, overdue, "request_information")
        expect(desk.locator("#request-information-proposals")).to_contain_text(overdue.reference)
        desk.locator("#id_message").fill(REQUEST)
        shoot(desk, "staff-request-information")
        desk.locator("input[name=apply]").click()
        expect(_success(desk)).to_have_text("1 proposal moved to Information requested.")
        expect(_row(desk, overdue).locator("td.field-status")).to_have_text("Information requested")
        shoot(desk, "staff-information-requested")
        overdue.refresh_from_db()
        assert overdue.status == Status.INFO_REQUESTED

        # 2. The applicant signs in and finds the request on the proposal page.
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(APPLICANT_EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("footer")).to_contain_text("Asia/Jakarta")
        page.get_by_role("link", name=OVERDUE_TITLE).click()
        expect(page.locator("#proposal-reference")).to_have_text(overdue.reference)
        banner = page.locator("#info-request")
        expect(banner).to_contain_text("The secretariat asks for more information")
        expect(banner).to_contain_text(REQUEST)
        expect(page.locator("#proposal-status")).to_contain_text("Information requested")
        shoot(page, "applicant-info-request")

        # Edit the city context step: the census population.
        page.locator("#edit-link").click()
        page.locator("#step-link-context").click()
        expect(page.locator("#step-link-context")).to_have_attribute("aria-current", "step")
        expect(page.locator("#id_population")).to_have_value(re.compile(r"^1,?555,?984$"))
        page.locator("#id_population").fill("1,653,524")
        shoot(page, "applicant-edit-context")
        page.locator("#save-button").click()
        expect(page.locator(".alert-success").first).to_contain_text("Saved at")
        overdue.refresh_from_db()
        assert (overdue.population, overdue.status) == (1_653_524, Status.INFO_REQUESTED)

        # Back on the proposal page: answer and resubmit.
        page.get_by_role("link", name="Read the request").click()
        page.locator("#resubmit-form textarea[name=note]").fill(ANSWER)
        shoot(page, "applicant-resubmit")
        page.locator("#resubmit-button").click()
        # The confirm step shows the answer and what changed since the request (the population).
        expect(page.locator("#resubmit-answer")).to_contain_text(ANSWER)
        expect(page.locator("#resubmit-changes")).to_contain_text("Population")
        page.locator("#resubmit-confirm").click()
        expect(page.locator(".alert-success").first).to_contain_text("The proposal is resubmitted")
        expect(page.locator("#info-request")).to_have_count(0)
        expect(page.locator("#proposal-status")).to_contain_text("Screening")
        last = page.locator("#timeline li[data-status]").last
        expect(last).to_have_attribute("data-status", "screening")
        expect(last).to_contain_text("Ayu Pratama")
        expect(last).to_contain_text(ANSWER)
        expect(page.locator("#timeline li[data-status='info_requested']")).to_contain_text(REQUEST)
        expect(page.locator("#message-thread")).to_contain_text(ANSWER)
        shoot(page, "applicant-resubmitted")

        # 3. Staff open the proposal page in the admin: the answer is in the history and the thread.
        desk.reload()
        expect(_row(desk, overdue).locator("td.field-status")).to_have_text("Screening")
        _row(desk, overdue).get_by_role("link", name=overdue.reference).click()
        expect(desk).to_have_url(re.compile(rf"/admin/proposals/proposal/{overdue.pk}/change/$"))
        history = desk.locator("#status_changes-group tbody tr.has_original")
        expect(history).to_have_count(4)
        expect(history.nth(2).locator("td.field-to_status")).to_have_text("Information requested")
        expect(history.nth(3).locator("td.field-from_status")).to_have_text("Information requested")
        expect(history.nth(3).locator("td.field-to_status")).to_have_text("Screening")
        expect(history.nth(3).locator("td.field-note")).to_contain_text(ANSWER)
        expect(desk.locator("#messages-group")).to_contain_text(ANSWER)
        expect(desk.locator(".field-population .readonly")).to_contain_text(re.compile(r"1,?653,?524"))
        desk.locator("#id_reply").fill(REPLY)
        desk.locator("#id_internal_note").fill(NOTE)
        shoot(desk, "staff-proposal-page")
        desk.locator("input[name=_save]").click()
        expect(_success(desk)).to_contain_text("was changed successfully")
        assert list(Message.objects.filter(proposal=overdue, body__in=[REPLY, NOTE]).order_by("pk").values_list(
            "body", "internal")) == [(REPLY, False), (NOTE, True)]

        # The reply and the note show in the admin thread, the note marked internal.
        _row(desk, overdue).get_by_role("link", name=overdue.reference).click()
        thread = desk.locator("#messages-group")
        expect(thread).to_contain_text(REPLY)
        expect(thread.locator("tr.has_original", has_text=NOTE).locator(".internal-note")).to_have_text(
            "Internal note"
        )
        shoot(desk, "staff-proposal-thread")
        desk.locator(".breadcrumbs a[href$='/admin/proposals/proposal/']").click()

        # Move it on to committee review from the list.
        _run_action(desk, overdue, "send_to_committee_review")
        expect(_success(desk)).to_have_text("1 proposal moved to Committee review.")
        expect(_row(desk, overdue).locator("td.field-status")).to_have_text("Committee review")
        shoot(desk, "staff-committee-review")
        overdue.refresh_from_db()
        assert overdue.status == Status.COMMITTEE_REVIEW

        # The staff dashboard, linked from the list.
        desk.locator("#staff-dashboard-link").click()
        expect(desk).to_have_url(re.compile(r"/proposals/staff/dashboard/$"))
        expect(desk.locator("#total-submitted")).to_have_text("3")
        expect(desk.locator("#total-overdue")).to_have_text("0")
        expect(desk.locator("#by-status tr", has_text="Committee review").locator("td").last).to_have_text("1")
        shoot(desk, "staff-dashboard")
    finally:
        context.close()

    # 4. The applicant sees the reply and the new status, never the internal note.
    page.reload()
    expect(page.locator("#proposal-status")).to_contain_text("Committee review")
    expect(page.locator("#message-thread")).to_contain_text(REPLY)
    expect(page.locator("#message-thread")).not_to_contain_text(NOTE)
    expect(page.locator("body")).not_to_contain_text("internal note")
    expect(page.locator("#timeline li[data-status]").last).to_have_attribute("data-status", "committee_review")
    shoot(page, "applicant-reply")
