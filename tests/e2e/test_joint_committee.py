"""A joint committee in the browser: MOLIT staff schedule it (in the venue's local time), record the partner's
delegation and an agenda item, mark it held and record an action item for the partner side; the partner official
marks it done with a note; the minutes are drafted, put to both sides and acknowledged by each, then final (PDF).
The meeting pages are checked with axe-core in English and Korean at 1280 and 320 px, and photographed."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from cooperation import services
from cooperation.models import ActionItem, ActionStatus, CooperationMeeting, MeetingKind, MinutesStatus, Side
from tests.e2e.test_accessibility import _serious_findings
from tests.factories.cooperation_meetings import action_for, meeting_held, meeting_scheduled, minutes_for, project_cast

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _signed_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def _person_page(browser, live_server, user, *, width=1280, language="en"):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US", base_url=live_server.url,
                                  timezone_id=str(user.time_zone), extra_http_headers={"Accept-Language": language})
    context.set_default_timeout(15_000)
    _signed_in(context, live_server, user)
    return context, context.new_page()


def test_a_joint_committee_from_scheduling_to_final_minutes(browser, live_server, shoot):
    cast = project_cast()
    project = cast.project
    staff_context, page = _person_page(browser, live_server, cast.staff)
    start = (timezone.now() + datetime.timedelta(days=1)).astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    day = start.date().isoformat()

    # Staff schedule the joint committee, in Jakarta time.
    page.goto(f"/cooperation/projects/{project.pk}/meetings/")
    shoot(page, "meetings-empty")
    page.click("#schedule-meeting")
    page.select_option("#id_kind", MeetingKind.JOINT_COMMITTEE)
    page.select_option("#id_time_zone", "Asia/Jakarta")
    page.fill("#id_starts_at", f"{day}T10:00")
    page.fill("#id_ends_at", f"{day}T09:00")  # a slip: the end before the start
    page.fill("#id_place", "Balai Kota, Jakarta")
    page.fill("#id_online_link", "https://meet.example.org/jc-1")
    page.select_option("#id_facilitating_centre", str(cast.centre.pk))
    page.click("#meeting-form button[type=submit]")
    assert page.locator("#meeting-form").get_by_text("The meeting must end after it starts.").is_visible()
    assert page.locator("#error-summary a[href='#id_ends_at']").is_visible()
    assert page.input_value("#id_place") == "Balai Kota, Jakarta"  # nothing typed is lost
    shoot(page, "schedule-refused")
    page.fill("#id_ends_at", f"{day}T13:00")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_selector("#meeting-title")
    meeting = CooperationMeeting.objects.get(project=project)
    assert meeting.starts_at == datetime.datetime.fromisoformat(f"{day}T10:00+07:00")
    assert "session 1" in page.inner_text("#meeting-title")
    details = page.inner_text("#meeting-details")
    assert "Asia/Seoul" in details and "Asia/Jakarta" in details  # the staff member's time and the venue's
    assert "12:00" in details and "10:00" in details

    # The partner's delegation, an agenda item, held.
    page.click("text=Add a delegate")
    page.select_option("#id_delegate-side", Side.PARTNER)
    page.fill("#id_delegate-name", cast.partner.full_name)
    page.fill("#id_delegate-position", "Head of planning")
    page.check("#id_delegate-is_head")
    page.select_option("#id_delegate-user", str(cast.partner.pk))
    page.click("#delegate-form button[type=submit]")
    page.fill("#id_agenda-title", "Sharing of traffic data")
    page.click("#agenda-form button[type=submit]")
    page.click("#mark-held")
    assert page.inner_text("#meeting-status") == "Held"

    # An action item for the partner side.
    item = meeting.agenda_items.get()
    page.click(f'li[data-item="{item.pk}"] summary:has-text("Add an action item")')
    prefix = f"#id_action-{item.pk}"
    page.fill(f"{prefix}-title", "Share the traffic counts with the contractor")
    page.select_option(f"{prefix}-owner_side", Side.PARTNER)
    page.select_option(f"{prefix}-owner", str(cast.partner.pk))
    page.fill(f"{prefix}-due_date", (timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    page.click(f'li[data-item="{item.pk}"] .action-form button[type=submit]')
    assert page.locator(".action-list").inner_text().count("Share the traffic counts") == 1
    shoot(page, "meeting-held-with-action")

    # Minutes: drafted, put to both sides, acknowledged for MOLIT.
    page.click("#minutes-link")
    page.fill("#id_body", "1. Opening.\n2. The partner shares the traffic counts (action item).\n3. 다음 회의는 3월.")
    page.click("#save-minutes")
    page.click("#put-to-sides")
    page.click("#acknowledge")
    assert "acknowledged by" in page.inner_text("#acknowledgments")
    shoot(page, "minutes-molit-acknowledged")
    staff_context.close()

    # The partner official marks the action item done and acknowledges the minutes.
    partner_context, page = _person_page(browser, live_server, cast.partner)
    page.goto(f"/cooperation/projects/{project.pk}/action-items/")
    assert page.locator("#action-list .badge", has_text="your side").count() == 1
    shoot(page, "partner-action-items")
    page.click("#action-list a:has-text('Share the traffic counts')")
    page.click("#mark-done")  # without a note
    assert page.locator("#action-close .invalid-feedback, #action-close .errorlist").count() >= 1
    page.fill("#id_note", "Shared the counts for 2025 and 2026 on the project's documents tab.")
    page.click("#mark-done")
    assert page.inner_text("#action-status") == "Done"
    shoot(page, "partner-action-done")
    action = ActionItem.objects.get(project=project)
    assert (action.status, action.closed_by) == (ActionStatus.DONE, cast.partner)

    page.goto(f"/cooperation/projects/{project.pk}/meetings/{meeting.pk}/minutes/")
    page.click("#acknowledge")
    assert page.inner_text("#minutes-status") == "Final"
    shoot(page, "partner-minutes-final")
    pdf = page.request.get(f"/cooperation/projects/{project.pk}/meetings/{meeting.pk}/minutes.pdf")
    assert (pdf.status, pdf.headers["content-type"], pdf.body()[:5]) == (200, "application/pdf", b"%PDF-")
    meeting.refresh_from_db()
    assert meeting.minutes.status == MinutesStatus.FINAL
    partner_context.close()


@pytest.fixture
def committee_world():
    """A project with a held session (final minutes, an open action item for the partner) and session 2 planned."""
    cast = project_cast()
    first = meeting_held(cast, days=-30, facilitating_centre=cast.centre)
    services.delegate_add(meeting=first, side=Side.PARTNER, name=cast.partner.full_name, is_head=True,
                          user=cast.partner, by=cast.staff)
    services.delegate_add(meeting=first, side=Side.MOLIT, name=cast.staff.full_name, is_head=True, by=cast.staff)
    action = action_for(cast, first, side=Side.PARTNER, due_in=5, title="Share the traffic counts")
    minutes_for(cast, first, state="final")
    second = meeting_scheduled(cast, days=20)
    return cast, first, second, action


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_meeting_pages_have_no_serious_axe_findings(browser, live_server, shoot, committee_world, language, width):
    cast, first, second, action = committee_world
    p = cast.project.pk
    findings = {}
    for who, user in (("staff", cast.staff), ("partner", cast.partner)):
        user.language = language
        user.save(update_fields=["language"])
        context, page = _person_page(browser, live_server, user, width=width, language=language)
        pages = {
            "meetings": f"/cooperation/projects/{p}/meetings/",
            "session-1": f"/cooperation/projects/{p}/meetings/{first.pk}/",
            "session-2": f"/cooperation/projects/{p}/meetings/{second.pk}/",
            "minutes": f"/cooperation/projects/{p}/meetings/{first.pk}/minutes/",
            "action-items": f"/cooperation/projects/{p}/action-items/",
            "action-item": f"/cooperation/projects/{p}/action-items/{action.pk}/",
        }
        if who == "staff":
            pages["schedule"] = f"/cooperation/projects/{p}/meetings/new/"
        for name, url in pages.items():
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            if name == "session-2":  # the open item of session 1 is on session 2's agenda
                assert page.locator("#carried-over li").count() == 1
            for summary in page.locator("details summary").all():  # the forms folded away are checked too
                summary.click()
            findings[f"{who} {name}"] = _serious_findings(page)
            shoot(page, f"{who}-{name}-{language}-{width}")
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= width, f"{who} {name}: {wide}px wide at {width}px"
        context.close()

    assert {name: found for name, found in findings.items() if found} == {}
