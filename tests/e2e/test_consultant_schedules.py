"""Consultants book sessions too, in Chromium: a consultant in Seoul takes a Bogotá proposal from the pre-consulting
queue, schedules a session at one of their free times with the meeting link, and the applicant's team (a browser
in Bogotá) gets the invitation with its calendar file and accepts it. In the variant the secretariat schedules from
the proposal's page with another consultant, and the applicant picks another free time instead.
axe-core finds nothing serious on the queue and schedule pages, in English and Korean, at 1280 and 320 px; on a
phone the applicant's proposal list shows status, next step and actions as cards.

Every time is relative to timezone.now(), so the journeys work on any day of the week.
"""

import datetime
import re
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from accounts.models import Role
from consulting.models import AvailabilityRule, Booking, BookingStatus, Consultant, SessionType
from notifications.models import Notice, OutboxEmail
from notifications.services import outbox_send
from proposals.workflow import Status
from tests.e2e.test_accessibility import _serious_findings
from tests.e2e.test_consulting_journey import show_week_of
from tests.factories import CooperationCentreFactory, ProposalFactory, StaffFactory, UserFactory, applicant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
BOGOTA = zoneinfo.ZoneInfo("America/Bogota")
LINK = "https://meet.kcity-network.example/bogota-mobility"
TITLE = "Bogotá bus rapid transit data platform"


@pytest.fixture
def browser_timezone():
    return "America/Bogota"


def _consultant(name, email, zone="Asia/Seoul", language="en"):
    user = UserFactory(full_name=name, email=email, role=Role.CONSULTANT, time_zone=zone, language=language)
    consultant = Consultant.objects.create(user=user, time_zone=zone, expertise=["mobility"], languages=["en", "es"])
    for weekday in range(7):  # every day, so this week always has free times
        AvailabilityRule.objects.create(consultant=consultant, weekday=weekday, start_time=datetime.time(8),
                                        end_time=datetime.time(18))
    return consultant


@pytest.fixture
def people():
    cache.clear()
    centre = CooperationCentreFactory(name="KOTRA Bogotá", city="Bogotá", country="CO", covered_countries=["CO"])
    consultant = _consultant("Park Ji-yeon", "park@kcity-network.example")
    other = _consultant("Carlos Ortega", "carlos@kcity-network.example", zone="America/Bogota")
    session_type = SessionType.objects.create(
        title="Proposal review", length_minutes=60, slot_interval_minutes=60, minimum_notice_hours=24,
        booking_window_days=21, cancellation_notice_hours=12, location_details="",
    )
    owner = applicant(full_name="Laura Gómez", email="laura.gomez@bogota.gov.co", time_zone="America/Bogota",
                      language="en")  # she reads English here: the journey checks zones, not words
    owner.organisation.country = "CO"
    owner.organisation.save(update_fields=["country"])
    now = timezone.now()
    proposals = []
    for n, title in enumerate([TITLE, "Kenya smart water metering"]):
        proposal = ProposalFactory(owner=owner if n == 0 else applicant(), title=title, status=Status.PRE_CONSULTING,
                                   cooperation_centre=centre if n == 0 else None)
        proposal.country = "CO" if n == 0 else "KE"
        proposal.reference = f"KCN-2026-{40 + n:04d}"
        proposal.status_changed_at = now - datetime.timedelta(days=12 - n)
        proposal.submitted_at = now - datetime.timedelta(days=20)
        proposal.save(update_fields=["country", "reference", "status_changed_at", "submitted_at"])
        proposals.append(proposal)
    return {"consultant": consultant, "other": other, "session_type": session_type, "owner": owner,
            "proposal": proposals[0], "kenya": proposals[1], "centre": centre}


def _signed_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def _context(browser, live_server, *, zone, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US", timezone_id=zone,
                                  base_url=live_server.url)
    context.set_default_timeout(15_000)
    return context


def _deliver_outbox() -> None:
    for outbox_id in OutboxEmail.objects.filter(state=OutboxEmail.State.PENDING).order_by("pk").values_list(
        "pk", flat=True
    ):
        assert outbox_send(outbox_id=outbox_id) is True


def _mail_to(address, event_subject):
    found = [m for m in mail.outbox if m.to == [address] and event_subject in m.subject]
    assert len(found) == 1, [(m.to, m.subject) for m in mail.outbox]
    return found[0]


def _event(message):
    files = [a for a in message.attachments if a[2] == "text/calendar"]
    assert [f[0] for f in files] == ["invite.ics"]
    return Calendar.from_ical(files[0][1]).walk("VEVENT")[0]


def test_consultant_takes_from_queue_schedules_and_applicant_accepts(browser, live_server, page, shoot, people):
    consultant, proposal, owner = people["consultant"], people["proposal"], people["owner"]

    # 1. The consultant (a browser in Seoul) opens the queue from their consulting pages: no "Find a consultant".
    desk_context = _context(browser, live_server, zone="Asia/Seoul")
    try:
        desk = desk_context.new_page()
        _signed_in(desk_context, live_server, consultant.user)
        desk.goto("/consulting/consultant/")
        expect(desk.locator("#nav-find-consultant")).to_have_count(0)
        desk.locator("#nav-queue").click()
        rows = desk.locator("#queue-list tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text(TITLE)  # the longest waiting first
        expect(rows.first).to_contain_text("12 days")
        shoot(desk, "queue")
        desk.locator("#queue-filter select[name=country]").select_option("CO")
        desk.locator("#filter-queue").click()
        expect(rows).to_have_count(1)
        shoot(desk, "queue-filtered")
        rows.first.get_by_role("button", name=re.compile("^Take")).click()

        # 2. The schedule page: own free times, the consultant's and the applicant's local times beside each.
        expect(desk.locator(".alert-success").first).to_contain_text("You took")
        expect(desk.locator("#schedule-proposal")).to_contain_text(TITLE)
        expect(desk.locator("#schedule-consultant")).to_have_value(str(consultant.pk))
        expect(desk.locator("#zone-note")).to_contain_text("America/Bogota")
        first = desk.locator("#slot-picker .slot-button").first
        start = datetime.datetime.fromisoformat(first.get_attribute("data-start"))
        in_seoul, in_bogota = start.astimezone(SEOUL), start.astimezone(BOGOTA)
        # The consultant's own zone is the viewer's: the slot's time says it; the applicant's is beside it.
        expect(first.locator(".slot-consultant-time")).to_have_count(0)
        expect(first.locator(".slot-applicant-time")).to_have_text(f" · {in_bogota:%a %H:%M} applicant")
        expect(first).to_have_accessible_name(f"{in_seoul:%A} {in_seoul.day} {in_seoul:%B %Y}, {in_seoul:%H:%M}"
                                              f" your time, {in_bogota:%A %H:%M} applicant's time")
        desk.locator("#id_meeting_url").fill(LINK)
        desk.locator("#id_note").fill("We will look at the data-sharing agreement first.")
        shoot(desk, "schedule")
        first.focus()
        desk.keyboard.press("Enter")  # keyboard friendly: a slot is a button

        expect(desk.locator("#booking-status [data-booking-status]")).to_have_attribute("data-booking-status",
                                                                                      "invited")
        expect(desk.locator("#meeting-link")).to_have_text(LINK)
        expect(desk.locator("#booking-when-applicant")).to_contain_text(f"{in_bogota:%H:%M} (America/Bogota)")
        shoot(desk, "scheduled")
    finally:
        desk_context.close()
    booking = Booking.objects.get()
    assert (booking.start, booking.status, booking.proposal, booking.booked_by) == (
        start, BookingStatus.INVITED, proposal, consultant.user)

    # 3. The team's e-mail carries the invitation (calendar file with the link); the consultant is told too.
    _deliver_outbox()
    invitation = _mail_to(owner.email, "Invitation")
    event = _event(invitation)
    assert event.decoded("DTSTART") == start
    assert str(event["URL"]) == LINK
    assert f"mailto:{owner.email}" in [str(a) for a in [event["ATTENDEE"]]]
    assert LINK in invitation.body
    assert f"{in_bogota:%H:%M}" in invitation.body
    assert booking.get_manage_url() in invitation.body
    _mail_to(consultant.user.email, "Invitation")

    # 4. The applicant (a browser in Bogotá) opens the link and accepts.
    _signed_in(page.context, live_server, owner)
    page.goto(booking.get_manage_url())
    expect(page.locator("#invitation")).to_be_visible()
    expect(page.locator("#booking-when")).to_contain_text(f"{in_bogota:%H:%M}")
    expect(page.locator("#booking-when")).to_contain_text("(America/Bogota)")
    expect(page.locator("#meeting-link")).to_have_text(LINK)
    shoot(page, "invitation")
    page.locator("#accept-invitation").click()
    expect(page.locator(".alert-success").first).to_contain_text("You accepted the time")
    expect(page.locator("#booking-status [data-booking-status]")).to_have_attribute("data-booking-status",
                                                                                   "confirmed")
    expect(page.locator("#invitation")).to_have_count(0)
    shoot(page, "accepted")
    booking.refresh_from_db()
    assert (booking.status, booking.accepted_by) == (BookingStatus.CONFIRMED, owner)
    assert Notice.objects.filter(event="booking_accepted", user=consultant.user).count() == 1

    # The proposal page lists the session; its booking button is gone for the consultant's queue (taken).
    page.goto(proposal.get_absolute_url())
    expect(page.locator("#pre-consulting")).to_contain_text("Park Ji-yeon")
    expect(page.locator("#book-session-link")).to_have_attribute("href", f"/consulting/?proposal={proposal.pk}")
    shoot(page, "proposal-page")


def test_staff_schedule_from_proposal_page_and_applicant_picks_another_time(browser, live_server, page, shoot,
                                                                          people):
    other, proposal, owner = people["other"], people["proposal"], people["owner"]
    staff = StaffFactory(full_name="Secretariat Officer", time_zone="Asia/Seoul")

    desk_context = _context(browser, live_server, zone="Asia/Seoul")
    try:
        desk = desk_context.new_page()
        _signed_in(desk_context, live_server, staff)
        desk.goto(proposal.get_absolute_url())
        expect(desk.locator("#book-session-link")).to_have_count(0)
        desk.locator("#schedule-session-link").click()
        desk.locator("#schedule-consultant").select_option(str(other.pk))  # another consultant's free times
        desk.locator("#schedule-choose-go").click()
        expect(desk).to_have_url(re.compile(rf"consultant={other.pk}"))
        first = desk.locator("#slot-picker .slot-button").first
        start = datetime.datetime.fromisoformat(first.get_attribute("data-start"))
        in_bogota, in_seoul = start.astimezone(BOGOTA), start.astimezone(SEOUL)
        # Staff in Seoul: both parties' local times beside their own (Carlos and the team are both in Bogotá).
        expect(first.locator(".slot-local")).to_have_text(f"{in_seoul:%H:%M}")
        expect(first.locator(".slot-consultant-time")).to_have_text(f" · {in_bogota:%a %H:%M} consultant")
        expect(first.locator(".slot-applicant-time")).to_have_text(f" · {in_bogota:%a %H:%M} applicant")
        shoot(desk, "schedule-other-consultant")
        first.click()
        expect(desk.locator("#booking-status [data-booking-status]")).to_have_attribute("data-booking-status",
                                                                                      "invited")
        expect(desk.locator("#booking-booked-by")).to_have_text("Secretariat Officer")
    finally:
        desk_context.close()
    booking = Booking.objects.get()
    assert (booking.consultant, booking.start) == (other, start)

    # The applicant picks another free time (a later day): that answers the invitation.
    _signed_in(page.context, live_server, owner)
    page.goto("/consulting/sessions/")
    page.locator(f"#upcoming-sessions tr[data-booking='{booking.pk}'] a").first.click()
    page.locator("#pick-another-time").click()
    expect(page.locator("#zone-note")).to_contain_text("America/Bogota")
    later = page.locator("#slot-picker .slot-day").nth(1).locator(".slot-button").first
    if not later.count():
        page.locator("#week-next").click()
        later = page.locator("#slot-picker .slot-button").first
    new_start = datetime.datetime.fromisoformat(later.get_attribute("data-start"))
    show_week_of(page, later)
    shoot(page, "pick-another-time")
    later.click()
    expect(page.locator(".alert-success").first).to_contain_text("The session is moved")
    expect(page.locator("#booking-status [data-booking-status]")).to_have_attribute("data-booking-status",
                                                                                   "confirmed")
    shoot(page, "moved-and-confirmed")
    booking.refresh_from_db()
    assert (booking.start, booking.status, booking.accepted_by) == (new_start, BookingStatus.CONFIRMED, owner)
    _deliver_outbox()
    moved = _mail_to(other.user.email, "moved")
    assert int(_event(moved)["SEQUENCE"]) == 1


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_queue_and_schedule_pages_have_no_serious_axe_findings(browser, live_server, page, shoot, people, language,
                                                               width):
    consultant = people["consultant"]
    consultant.user.language = language
    consultant.user.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 900})
    page.set_extra_http_headers({"Accept-Language": language})
    _signed_in(page.context, live_server, consultant.user)
    findings = {}

    page.goto("/consulting/queue/")
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("#queue-list tbody tr")).to_have_count(2)
    findings["queue"] = _serious_findings(page)
    shoot(page, f"queue-{language}-{width}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    if width == 320:  # a card per proposal: the Take button is on the screen, not clipped
        box = page.locator("#queue-list tbody tr").first.locator(".take-button").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width

    page.locator("#queue-list .take-button").first.click()
    expect(page.locator("#slot-picker .slot-button").first).to_be_visible()
    findings["schedule"] = _serious_findings(page)
    shoot(page, f"schedule-{language}-{width}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.locator("#slot-picker .slot-button").first.click()
    expect(page.locator("#booking-status [data-booking-status]")).to_have_attribute("data-booking-status", "invited")

    # The applicant's side of the invitation and the compact picker when they pick another time.
    owner = people["owner"]
    owner.language = language
    owner.save(update_fields=["language"])
    _signed_in(page.context, live_server, owner)
    page.goto(Booking.objects.get().get_absolute_url())
    findings["invitation"] = _serious_findings(page)
    shoot(page, f"invitation-{language}-{width}")
    page.locator("#pick-another-time").click()
    findings["pick another time"] = _serious_findings(page)
    shoot(page, f"pick-another-{language}-{width}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width

    assert findings == {"queue": [], "schedule": [], "invitation": [], "pick another time": []}


def test_phone_proposal_list_shows_status_next_step_and_actions_as_cards(page, live_server, shoot, people):
    owner = people["owner"]
    ProposalFactory(owner=owner, organisation=owner.organisation, title="Draft: cycling network plan")
    page.set_viewport_size({"width": 320, "height": 800})
    _signed_in(page.context, live_server, owner)

    page.goto("/proposals/")
    shoot(page, "workspace-320")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    draft = page.locator("#proposal-list tbody tr", has_text="cycling network")
    for cell in (draft.locator("[data-label='Status']"), draft.locator("[data-label='Next step']"),
                 draft.get_by_role("link", name="Edit")):
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    expect(draft.locator("[data-label='Status']")).to_contain_text("Draft")
