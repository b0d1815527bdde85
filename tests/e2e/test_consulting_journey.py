"""Pre-consulting in Chromium: an applicant in Jakarta books a consultant in Seoul, gets the invitation, moves it;
the consultant holds the session and files the report; the applicant reads the recommendation.

Every time is relative to timezone.now(), so the journey works on any day of the week.
"""

import datetime
import re
import zoneinfo

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from accounts.models import Role
from consulting import selectors
from consulting.models import AvailabilityRule, Booking, BookingStatus, Consultant, Recommendation, SessionType
from consulting.slots import blocked_interval
from notifications.models import OutboxEmail
from notifications.services import outbox_send
from proposals.workflow import Status
from tests.factories import PASSWORD, ProposalFactory, TrackFactory, UserFactory, applicant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
APPLICANT_EMAIL = "rina.wulandari@bandung.go.id"
CONSULTANT_EMAIL = "park.jiyeon@kcity-network.example"
TITLE = "Integrated flood early-warning for Bandung"
QUESTIONS = "Is the sensor budget realistic for a city of 2.5 million?"
CHANGES = "Split the sensor network into two phases and add a data-sharing agreement with BMKG."


@pytest.fixture
def browser_timezone():
    return "Asia/Jakarta"


@pytest.fixture
def people():
    """A consultant in Seoul with weekday hours, another who does not match the filter, an applicant with a draft."""
    cache.clear()  # allauth's rate limits live in the cache
    consultant_user = UserFactory(email=CONSULTANT_EMAIL, full_name="Park Ji-yeon", role=Role.CONSULTANT,
                                  time_zone="Asia/Seoul", language="en")
    EmailAddress.objects.create(user=consultant_user, email=CONSULTANT_EMAIL, verified=True, primary=True)
    consultant = Consultant.objects.create(user=consultant_user, time_zone="Asia/Seoul",
                                           expertise=["water", "mobility"], languages=["en", "ko", "id"],
                                           bio="Flood resilience and urban water systems.")
    for weekday in range(5):
        for start, end in ((9, 12), (13, 17)):
            AvailabilityRule.objects.create(consultant=consultant, weekday=weekday,
                                            start_time=datetime.time(start), end_time=datetime.time(end))
    other = Consultant.objects.create(
        user=UserFactory(full_name="Carlos Ortega", role=Role.CONSULTANT, time_zone="America/Bogota"),
        time_zone="America/Bogota", expertise=["energy"], languages=["es", "en"],
    )
    # The longest type is offered first; the applicant picks the one-hour review.
    SessionType.objects.create(title="Extended workshop", length_minutes=90, slot_interval_minutes=90,
                               location_details="https://meet.kcity-network.example/workshop")
    session_type = SessionType.objects.create(
        title="Proposal review", length_minutes=60, slot_interval_minutes=60, buffer_after_minutes=15,
        minimum_notice_hours=24, booking_window_days=21, cancellation_notice_hours=12,
        location_details="https://meet.kcity-network.example/review",
    )
    user = applicant(email=APPLICANT_EMAIL, full_name="Rina Wulandari", time_zone="Asia/Jakarta", language="en")
    EmailAddress.objects.create(user=user, email=APPLICANT_EMAIL, verified=True, primary=True)
    proposal = ProposalFactory(owner=user, organisation=user.organisation, title=TITLE, track=TrackFactory(),
                               status=Status.DRAFT)
    return {"consultant": consultant, "other": other, "session_type": session_type, "applicant": user,
            "proposal": proposal}


def _sign_in(page, shoot, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    shoot(page, "sign-in")
    page.get_by_role("button", name="Sign in").click()


def _deliver_outbox() -> None:
    """What the Celery worker does: send each pending outbox e-mail (the live server only queued them)."""
    for outbox_id in OutboxEmail.objects.filter(state=OutboxEmail.State.PENDING).order_by("pk").values_list(
        "pk", flat=True
    ):
        assert outbox_send(outbox_id=outbox_id) is True


def _only_mail(to: str, subject_contains: str):
    found = [m for m in mail.outbox if m.to == [to] and subject_contains in m.subject]
    assert len(found) == 1, [(m.to, m.subject) for m in mail.outbox]
    return found[0]


def _invitation(message):
    """The message's calendar file, parsed, and its single event."""
    files = [a for a in message.attachments if a[2] == "text/calendar"]
    assert [f[0] for f in files] == ["invite.ics"]
    calendar = Calendar.from_ical(files[0][1])
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def show_week_of(page, button, weeks: int = 4) -> None:
    """Go to later weeks of the slot picker until `button` (a slot) is on the page."""
    for _ in range(weeks):
        if button.count():
            return
        page.locator("#week-next").click()
        page.locator("#slot-picker").wait_for()
    expect(button).to_have_count(1)


def _slot_id(start: datetime.datetime) -> str:
    return f"#slot-{start.astimezone(datetime.UTC):%Y%m%dT%H%M}"


def test_consulting_journey_book_reschedule_report(browser, live_server, page, shoot, people):
    consultant, session_type, proposal = people["consultant"], people["session_type"], people["proposal"]
    now = timezone.now()
    free = selectors.consultant_free_slots(consultant=consultant, session_type=session_type, range_start=now,
                                          range_end=now + datetime.timedelta(days=21), now=now)
    assert len(free) >= 10  # three weeks of weekdays, seven hours each

    # 1. The applicant signs in and goes to Pre-consulting.
    _sign_in(page, shoot, APPLICANT_EMAIL)
    expect(page.locator("footer")).to_contain_text("Asia/Jakarta")
    page.locator("#nav").get_by_role("link", name="Pre-consulting").click()
    expect(page).to_have_url(re.compile(r"/consulting/$"))
    expect(page.locator("#consultant-list [data-consultant]")).to_have_count(2)
    shoot(page, "consultants")

    # Filtering by expertise and language leaves the water expert who speaks Indonesian.
    page.locator("#consultant-filter select[name=expertise]").select_option("water")
    page.locator("#consultant-filter select[name=language]").select_option("id")
    page.locator("#filter-consultants").click()
    cards = page.locator("#consultant-list [data-consultant]")
    expect(cards).to_have_count(1)
    expect(cards.first).to_have_attribute("data-consultant", str(consultant.pk))
    expect(cards.first).to_contain_text("Park Ji-yeon")
    shoot(page, "consultants-filtered")
    cards.first.get_by_role("link", name="Park Ji-yeon").click()

    # The consultant's page: choose the one-hour review; times are in Jakarta with Seoul beside.
    expect(page.locator("#consultant-name")).to_have_text("Park Ji-yeon")
    page.locator("#session-type-select").select_option(str(session_type.pk))
    page.locator("#session-type-go").click()  # choosing alone does not navigate (WCAG 3.2.2)
    expect(page).to_have_url(re.compile(rf"session_type={session_type.pk}"))
    expect(page.locator("#zone-note")).to_contain_text("Asia/Jakarta")
    expect(page.locator("#zone-note")).to_contain_text("Asia/Seoul")
    # The compact picker: one week at a time (the week of the first free time), its days as headings.
    buttons = page.locator("#slot-picker .slot-button")
    expect(buttons.first).to_be_visible()
    first = buttons.first
    shown_start = datetime.datetime.fromisoformat(first.get_attribute("data-start"))
    assert shown_start >= now + datetime.timedelta(hours=24)  # the minimum notice
    assert first.get_attribute("id") == _slot_id(shown_start)[1:]
    local, in_seoul = shown_start.astimezone(JAKARTA), shown_start.astimezone(SEOUL)
    expect(first.locator(".slot-local")).to_have_text(f"{local:%H:%M}")
    expect(first.locator(".slot-consultant-time")).to_have_text(f" · {in_seoul:%a %H:%M} consultant")
    day_card = page.locator(f".slot-day[data-day='{local:%Y-%m-%d}']")
    expect(day_card.locator(_slot_id(shown_start))).to_have_count(1)
    expect(day_card.locator(".slot-day-heading")).to_contain_text(f"{local:%A}")
    # Its name says the date and both times in words, so a screen reader hears more than "09:00".
    expect(first).to_have_accessible_name(re.compile(rf"^{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"
                                                     rf" your time, {in_seoul:%A %H:%M} consultant's time$"))
    shoot(page, "consultant-slots")
    first.click()

    # Confirm: the draft proposal is offered; questions for the consultant.
    expect(page.locator("#booking-form")).to_be_visible()
    local_end = local + datetime.timedelta(minutes=60)
    expect(page.locator("#booking-when")).to_contain_text(f"{local:%H:%M}–{local_end:%H:%M} (Asia/Jakarta)")
    expect(page.locator("#booking-when-consultant")).to_contain_text(f"{in_seoul:%H:%M} (Asia/Seoul)")
    page.locator("#id_proposal").select_option(str(proposal.pk))
    page.locator("#id_questions").fill(QUESTIONS)
    shoot(page, "confirm")
    page.locator("#confirm-booking").click()

    expect(page.locator("#booking-status [data-booking-status]")).to_have_attribute("data-booking-status",
                                                                                     "confirmed")
    expect(page.locator(".alert-success").first).to_contain_text("Your session is booked")
    booking = Booking.objects.get(booked_by=people["applicant"])
    assert (booking.start, booking.proposal_id, booking.questions) == (shown_start, proposal.pk, QUESTIONS)
    expect(page).to_have_url(re.compile(rf"/consulting/bookings/{booking.pk}/$"))
    expect(page.locator("#booking-when")).to_contain_text(f"{local:%H:%M}–{local_end:%H:%M} (Asia/Jakarta)")
    expect(page.locator("#booking-when time")).to_have_attribute("datetime", shown_start.isoformat())
    expect(page.locator("#booking-when-consultant")).to_contain_text(f"{in_seoul:%A}")
    expect(page.locator("#booking-when-consultant")).to_contain_text(f"{in_seoul:%H:%M} (Asia/Seoul)")
    expect(page.locator("#booking-proposal")).to_contain_text(TITLE)
    expect(page.locator("#booking-questions")).to_have_text(QUESTIONS)
    shoot(page, "booked")

    # 2. The confirmation e-mail carries the invitation, its time in Jakarta in the text.
    assert OutboxEmail.objects.filter(event="booking_confirmed", state=OutboxEmail.State.PENDING).count() == 2
    _deliver_outbox()
    confirmation = _only_mail(APPLICANT_EMAIL, "")
    calendar, event = _invitation(confirmation)
    assert str(calendar["METHOD"]) == "REQUEST"
    uid = str(event["UID"])
    assert uid == f"{booking.ics_uid}@kcity-network"
    assert event.decoded("DTSTART") == shown_start
    assert event.decoded("DTEND") == shown_start + datetime.timedelta(minutes=60)
    assert int(event["SEQUENCE"]) == 0
    assert f"{local:%A}" in confirmation.body
    assert f"{local:%H:%M}–{local_end:%H:%M} (Asia/Jakarta)" in confirmation.body
    assert f"{in_seoul:%H:%M} (Asia/Seoul)" in confirmation.body
    assert booking.get_manage_url() in confirmation.body
    _only_mail(CONSULTANT_EMAIL, "")  # the consultant is told too

    # 3. From the workspace: My sessions → the booking → reschedule to a time on another day.
    page.locator("#nav-my-sessions").click()
    upcoming = page.locator(f"#upcoming-sessions tr[data-booking='{booking.pk}']")
    expect(upcoming).to_contain_text("Park Ji-yeon")
    expect(upcoming).to_contain_text(f"{local:%H:%M}")
    shoot(page, "my-sessions")
    upcoming.get_by_role("link").first.click()
    page.locator("#reschedule-link").click()
    expect(page.locator("#reschedule-form")).to_be_visible()
    expect(page.locator("#current-time")).to_contain_text(f"{local:%A}")
    expect(page.locator("#current-time")).to_contain_text(f"{local:%H:%M} (Asia/Jakarta).")
    new_start = next(s for s in free if s.astimezone(JAKARTA).date() != local.date())
    new_local, new_seoul = new_start.astimezone(JAKARTA), new_start.astimezone(SEOUL)
    new_button = page.locator(f"#reschedule-form {_slot_id(new_start)}")
    show_week_of(page, new_button)
    expect(new_button.locator(".slot-local")).to_have_text(f"{new_local:%H:%M}")
    expect(new_button.locator(".slot-consultant-time")).to_have_text(f" · {new_seoul:%a %H:%M} consultant")
    shoot(page, "reschedule")
    new_button.click()

    expect(page.locator(".alert-success").first).to_contain_text("The session is moved")
    new_end = new_local + datetime.timedelta(minutes=60)
    expect(page.locator("#booking-when")).to_contain_text(f"{new_local:%A}")
    expect(page.locator("#booking-when")).to_contain_text(f"{new_local:%H:%M}–{new_end:%H:%M} (Asia/Jakarta)")
    shoot(page, "rescheduled")
    booking.refresh_from_db()
    assert (booking.start, booking.ics_sequence, booking.status) == (new_start, 1, BookingStatus.CONFIRMED)

    mail.outbox.clear()
    _deliver_outbox()
    moved = _only_mail(APPLICANT_EMAIL, "")
    calendar, event = _invitation(moved)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == new_start
    assert f"{new_local:%H:%M}–{new_end:%H:%M} (Asia/Jakarta)" in moved.body

    # 4. The session takes place. The service only lets a session be marked once it has started, and no free
    #    slot is in the past, so the test moves this booking two hours back in the database (not a user action).
    held_start = timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=2)
    blocked_start, blocked_end = blocked_interval(held_start, session_type)
    Booking.objects.filter(pk=booking.pk).update(start=held_start, end=held_start + datetime.timedelta(minutes=60),
                                                 blocked_start=blocked_start, blocked_end=blocked_end)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id="Asia/Seoul",
                                  base_url=live_server.url)
    context.set_default_timeout(15_000)
    try:
        desk = context.new_page()
        _sign_in(desk, shoot, CONSULTANT_EMAIL)
        expect(desk.locator("footer")).to_contain_text("Asia/Seoul")
        desk.locator("#nav").get_by_role("link", name="My consulting sessions").click()
        expect(desk.locator("#nav-consultant-home")).to_have_class(re.compile(r"\bactive\b"))
        past = desk.locator(f"#consultant-past tr[data-booking='{booking.pk}']")
        expect(past).to_contain_text("Rina Wulandari")
        expect(past).to_contain_text(f"{held_start.astimezone(SEOUL):%H:%M}")
        expect(desk.locator("#consultant-upcoming tr[data-booking]")).to_have_count(0)
        shoot(desk, "consultant-home")
        past.get_by_role("link").first.click()

        expect(desk.locator("#booking-questions")).to_have_text(QUESTIONS)
        expect(desk.locator("#booking-when")).to_contain_text(f"{held_start.astimezone(SEOUL):%H:%M}")
        expect(desk.locator("#booking-when")).to_contain_text("(Asia/Seoul)")
        expect(desk.locator("#booking-when-consultant")).to_have_count(0)  # the viewer's own zone already
        expect(desk.locator("#reschedule-link")).to_have_count(0)  # past the cancellation notice
        expect(desk.locator("#cancel-form")).to_have_count(0)
        expect(desk.locator("#mark-no-show")).to_be_visible()
        shoot(desk, "consultant-booking")
        desk.locator("#mark-held").click()
        expect(desk.locator("#booking-status [data-booking-status]")).to_have_attribute("data-booking-status", "held")
        expect(desk.locator("#reschedule-link")).to_have_count(0)
        desk.locator("#file-report-link").click()

        # An empty summary is refused with a message; what was typed stays.
        desk.get_by_label("Revise first").check()
        desk.locator("#id_suggested_changes").fill(CHANGES)
        desk.locator("#file-report").click()
        expect(desk.locator("#report-form")).to_contain_text("This field is required")
        expect(desk.locator("#id_suggested_changes")).to_have_value(CHANGES)
        expect(desk.get_by_label("Revise first")).to_be_checked()
        shoot(desk, "report-error")
        desk.locator("#id_summary").fill("A sound early-warning concept; the budget for sensors is too optimistic.")
        shoot(desk, "report")
        desk.locator("#file-report").click()

        expect(desk.locator(".alert-success").first).to_contain_text("Report filed")
        expect(desk.locator("#report-recommendation")).to_have_attribute("data-recommendation", "revise")
        expect(desk.locator("#report-summary")).to_contain_text("too optimistic")
        expect(desk.locator("#mark-form")).to_have_count(0)  # a filed report means the session was held
        shoot(desk, "consultant-report-filed")
    finally:
        context.close()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD
    assert (booking.report.recommendation, booking.report.suggested_changes) == (Recommendation.REVISE, CHANGES)
    assert booking.report.proposal_id == proposal.pk

    # 5. The applicant sees the recommendation and the changes, on the booking and on the proposal; not the summary.
    page.goto(booking.get_absolute_url())
    expect(page.locator("#booking-status [data-booking-status]")).to_have_attribute("data-booking-status", "held")
    expect(page.locator("#report-recommendation")).to_have_attribute("data-recommendation", "revise")
    expect(page.locator("#report-recommendation")).to_have_text("Revise first")
    expect(page.locator("#report-changes")).to_contain_text(CHANGES)
    expect(page.locator("#report-summary")).to_have_count(0)
    expect(page.locator("#reschedule-link")).to_have_count(0)
    shoot(page, "applicant-report")
    page.locator("#booking-proposal a").click()
    expect(page).to_have_url(re.compile(rf"/proposals/{proposal.pk}/$"))
    report = page.locator("#pre-consulting .pre-consulting-report")
    expect(report).to_have_attribute("data-recommendation", "revise")
    expect(report).to_contain_text("Revise first")
    expect(report).to_contain_text(CHANGES)
    expect(report).not_to_contain_text("too optimistic")
    shoot(page, "proposal-report")

    mail.outbox.clear()
    _deliver_outbox()
    told = _only_mail(APPLICANT_EMAIL, "")
    assert "Revise first" in told.body
