"""The cooperation platform's whole journey in Chromium, the way the issue tells it: staff release the committee's
approval and the project opens; staff add the implementing firm, invite its engineer, set the dates and the
quarterly schedule, add a milestone and an indicator with its target; the contractor files the quarterly report;
the partner government's official comments and acknowledges it; staff accept it; staff schedule a joint committee,
mark it held and record an action item for the partner side, which the partner official marks done. Every page of
the journey is checked with axe-core (no serious or critical finding) and photographed."""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from committee.models import Outcome
from committee.services import decision_record
from cooperation.models import (
    ActionItem,
    ActionStatus,
    CooperationMeeting,
    IndicatorPeriod,
    MeetingKind,
    MeetingStatus,
    Milestone,
    ProgressReport,
    Project,
    ReportingPeriod,
    ReportStatus,
    Side,
)
from tests.e2e.test_accessibility import _serious_findings
from tests.factories.committee import decided_setup
from tests.factories.cooperation import partner_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENGINEER = "engineer@hanul.example"


def _person(browser, live_server, user):
    """A browser context signed in as `user`, in their time zone."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", base_url=live_server.url,
                                  timezone_id=str(user.time_zone), extra_http_headers={"Accept-Language": "en"})
    context.set_default_timeout(15_000)
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return context, context.new_page()


def _tab(page, name):
    """Open a tab of the project (the tabs under the project's header)."""
    page.get_by_role("navigation", name="Project sections").get_by_role("link", name=name, exact=True).click()


def test_from_the_approval_to_the_partners_action_item_done(browser, live_server, shoot):
    cache.clear()
    staff, proposal, _members, committee_meeting = decided_setup(size=5)
    decision = decision_record(meeting=committee_meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff,
                               votes_for=5, votes_against=0, support_amount_krw=450_000_000,
                               conditions="Train twenty city officials.")
    findings: dict[str, list[str]] = {}

    def check(page, name):
        """axe on the page as it is now, and its screenshot."""
        findings[name] = _serious_findings(page)
        shoot(page, name)

    today = timezone.localdate()
    start = today - relativedelta(months=4)  # the first quarter is over and its report due
    end = start + relativedelta(years=1) - datetime.timedelta(days=1)

    # 1. Staff release the approval with its letter; the project opens.
    staff_context, page = _person(browser, live_server, staff)
    page.goto(f"/committee/letters/{decision.letter.pk}/")
    check(page, "staff-letter")
    page.locator("#approve-letter").click()
    page.wait_for_load_state()
    project = Project.objects.get(proposal=proposal)
    pk = project.pk
    base = f"/cooperation/projects/{pk}"
    page.goto("/cooperation/")
    check(page, "staff-project-list")
    page.get_by_role("link", name=proposal.title).click()
    expect(page.locator("#project-header h1")).to_have_text(proposal.title)
    expect(page.locator("#conditions")).to_contain_text("Train twenty city officials.")

    # 2. The implementing firm, its engineer invited, implementation started, the dates and the schedule set.
    page.locator("#add-participant summary").click()
    page.locator("#id_name").fill("Hanul Engineering")
    page.locator("#id_share_krw").fill("300000000")
    page.get_by_role("button", name="Add the organisation").click()
    expect(page.locator("#participants")).to_contain_text("Hanul Engineering")
    page.locator("#invite-contractor summary").click()
    page.locator("#id_email").fill(ENGINEER)
    page.locator("#id_full_name").fill("Kim Ji-won")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator("#contractor-staff")).to_contain_text("Kim Ji-won")
    page.get_by_role("button", name="Start implementation").click()
    expect(page.locator('#project-header [data-activity-status="2"]')).to_be_visible()
    check(page, "staff-project-opened")
    page.locator("#edit-project").click()
    page.locator("#id_planned_start").fill(start.isoformat())
    page.locator("#id_planned_end").fill(end.isoformat())
    check(page, "staff-edit-dates")
    page.get_by_role("button", name="Save", exact=True).click()
    page.goto(f"{base}/reports/")
    page.get_by_role("link", name="Set the reporting schedule").click()
    page.locator("#id_frequency").select_option("quarterly")
    check(page, "staff-reporting-schedule")
    page.get_by_role("button", name="Save and build the periods").click()
    expect(page.get_by_text("Schedule saved:")).to_be_visible()
    first = ReportingPeriod.objects.filter(project=project).order_by("period_start").first()
    assert (first.period_start, first.due_date < today) == (start, True)
    expect(page.locator("[data-overdue]")).to_have_count(1)  # the first quarter's report, due already
    expect(page.locator(f'[data-overdue="{first.pk}"]')).to_have_text("Overdue")
    check(page, "staff-reports-tab")

    # 3. Staff add a milestone (work plan) and an indicator with the first quarter's target (results).
    _tab(page, "Work plan")
    page.get_by_label("Title").fill("Household travel survey")
    page.get_by_label("Due date").fill((today + datetime.timedelta(days=45)).isoformat())
    page.get_by_label("Responsible side").select_option(Side.CONTRACTOR)
    page.get_by_role("button", name="Add the milestone").click()
    page.get_by_text("Milestone added.").wait_for()
    check(page, "staff-workplan")
    milestone = Milestone.objects.get(project=project)
    _tab(page, "Results")
    page.locator("form:has(input[value=objective])").get_by_label("Objective").fill("Officials able to plan transit")
    page.get_by_role("button", name="Add the objective").click()
    indicator_form = page.locator("form:has(input[value=indicator])")
    indicator_form.get_by_label("Indicator").fill("City officials trained")
    indicator_form.get_by_label("Unit").fill("people")
    indicator_form.get_by_label("Baseline value").fill("0")
    indicator_form.get_by_label("Baseline date").fill(start.isoformat())
    indicator_form.get_by_role("button", name="Add the indicator").click()
    page.get_by_role("link", name="City officials trained").click()
    period_form = page.locator("form:has(input[value=period])")
    period_form.get_by_label("Period start").fill(first.period_start.isoformat())
    period_form.get_by_label("Period end").fill(first.period_end.isoformat())
    period_form.get_by_label("Target").fill("10")
    period_form.get_by_role("button", name="Add the period").click()
    page.get_by_text("Saved.").wait_for()
    indicator_period = IndicatorPeriod.objects.get(indicator__objective__project=project)
    check(page, "staff-indicator")
    staff_context.close()

    # 4. The engineer (invited by staff) starts and files the first quarter's report.
    engineer = User.objects.get(email=ENGINEER)
    contractor_context, page = _person(browser, live_server, engineer)
    page.goto(f"{base}/")
    expect(page.locator("#project-header h1")).to_have_text(proposal.title)
    expect(page.locator('[data-health="reports"]')).to_have_text("1")
    check(page, "contractor-overview-report-overdue")
    page.get_by_role("link", name="Progress reports overdue").click()  # the health count leads to the Reports tab
    expect(page.locator("#project-header + nav [aria-current=page]")).to_have_text("Reports")
    check(page, "contractor-reports-tab")
    page.locator(f"form[action$='/periods/{first.pk}/start/'] button").click()
    page.get_by_label("Progress in the period").fill("Survey of 1,200 households done; two training workshops.")
    page.get_by_label("Progress towards objectives").select_option("5")
    page.get_by_label("Implementation progress").select_option("4")
    page.get_by_label("Overall risk").select_option("3")
    page.locator(f"#id_ms-{milestone.pk}-percent").fill("60")
    page.locator(f"#id_ip-{indicator_period.pk}-actual").fill("12")
    page.locator(f"#id_ip-{indicator_period.pk}-comment").fill("Two workshops of six")
    page.locator("#id_risk-0-description").fill("The city's traffic counts arrive late")
    page.locator("#id_risk-0-state").select_option("open")
    check(page, "contractor-report-draft")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("Draft saved.").wait_for()
    page.get_by_role("link", name="View the report").click()
    check(page, "contractor-report-before-submitting")
    page.get_by_role("button", name="Submit the report").click()
    page.get_by_text("Report submitted.").wait_for()
    expect(page.locator("#report-status")).to_have_text("Submitted")
    check(page, "contractor-report-submitted")
    contractor_context.close()
    report = ProgressReport.objects.get(period=first)

    # 5. The partner government's official comments and acknowledges.
    partner = partner_user(project, full_name="Siti Rahmawati", language="en", time_zone="Asia/Jakarta")
    partner_context, page = _person(browser, live_server, partner)
    page.goto(f"{base}/reports/")
    page.locator(f"a[href$='/reports/{report.pk}/']").click()
    page.get_by_label("Comments of the partner government").fill("The city confirms the survey findings.")
    check(page, "partner-report-comment")
    page.get_by_role("button", name="Acknowledge the report").click()
    page.get_by_text("Acknowledged.").wait_for()
    expect(page.locator("#partner-comment")).to_contain_text("The city confirms the survey findings.")
    check(page, "partner-report-acknowledged")

    # 6. Staff accept; the actual reaches the results framework.
    staff_context, page = _person(browser, live_server, staff)
    page.goto(f"{base}/reports/{report.pk}/")
    page.get_by_role("button", name="Accept the report").click()
    page.get_by_text("Report accepted").wait_for()
    expect(page.locator("#report-status")).to_have_text("Accepted")
    check(page, "staff-report-accepted")
    assert IndicatorPeriod.objects.get(pk=indicator_period.pk).actual_value == Decimal("12.00")
    _tab(page, "Results")
    expect(page.locator(f'tr[data-period="{indicator_period.pk}"] .actual')).to_have_text("12")
    check(page, "staff-results-with-actual")

    # 7. A joint committee: scheduled, the partner's delegation, an agenda item, held, an action item for the partner.
    _tab(page, "Meetings")
    page.click("#schedule-meeting")
    when = (timezone.now() + datetime.timedelta(days=1)).astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    page.select_option("#id_kind", MeetingKind.JOINT_COMMITTEE)
    page.select_option("#id_time_zone", "Asia/Jakarta")
    page.fill("#id_starts_at", f"{when.date().isoformat()}T10:00")
    page.fill("#id_ends_at", f"{when.date().isoformat()}T13:00")
    page.fill("#id_place", "Balai Kota, Jakarta")
    check(page, "staff-schedule-joint-committee")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_selector("#meeting-title")
    meeting = CooperationMeeting.objects.get(project=project)
    page.click("text=Add a delegate")
    page.select_option("#id_delegate-side", Side.PARTNER)
    page.fill("#id_delegate-name", partner.full_name)
    page.fill("#id_delegate-position", "Head of transport planning")
    page.check("#id_delegate-is_head")
    page.select_option("#id_delegate-user", str(partner.pk))
    page.click("#delegate-form button[type=submit]")
    page.fill("#id_agenda-title", "Traffic data for the survey")
    page.click("#agenda-form button[type=submit]")
    page.click("#mark-held")
    expect(page.locator("#meeting-status")).to_have_text("Held")
    item = meeting.agenda_items.get()
    page.click(f'li[data-item="{item.pk}"] summary:has-text("Add an action item")')
    prefix = f"#id_action-{item.pk}"
    page.fill(f"{prefix}-title", "Share the 2026 traffic counts with Hanul Engineering")
    page.select_option(f"{prefix}-owner_side", Side.PARTNER)
    page.select_option(f"{prefix}-owner", str(partner.pk))
    page.fill(f"{prefix}-due_date", (today + datetime.timedelta(days=20)).isoformat())
    page.click(f'li[data-item="{item.pk}"] .action-form button[type=submit]')
    expect(page.locator(".action-list")).to_contain_text("Share the 2026 traffic counts")
    check(page, "staff-joint-committee-held")
    assert CooperationMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
    staff_context.close()

    # 8. The partner official marks the action item done, with a note.
    page = partner_context.new_page()
    page.goto(f"{base}/")
    check(page, "partner-overview")
    _tab(page, "Meetings")
    page.goto(f"{base}/action-items/")
    expect(page.locator("#action-list .badge", has_text="your side")).to_have_count(1)
    check(page, "partner-action-items")
    page.click("#action-list a:has-text('Share the 2026 traffic counts')")
    page.fill("#id_note", "Shared on the documents tab: counts for January to October.")
    check(page, "partner-action-item")
    page.click("#mark-done")
    expect(page.locator("#action-status")).to_have_text("Done")
    check(page, "partner-action-done")
    action = ActionItem.objects.get(project=project)
    assert (action.status, action.closed_by, action.owner_side) == (ActionStatus.DONE, partner, Side.PARTNER)
    _tab(page, "Timeline")
    check(page, "partner-timeline")
    partner_context.close()

    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    assert {name: found for name, found in findings.items() if found} == {}
