"""A meeting that decides by an in-room count, in Chromium: staff open the meeting on its date, record attendance,
record a count that does not meet the rule (and see the refusal with its numbers), then one that does; a member
reads their meeting page (invitation, agenda, papers, reviews due, ranking), checked with axe-core in English and
Korean at 1280 and 320 px. Screenshots land in tests/e2e/screenshots/<test name>/."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import Decision, MeetingStatus, MemberKind, Review
from committee.services import agenda_item_add, assignment_create, conflict_declare, meeting_create
from tests.committee.helpers import member, proposal_in_review, rubric
from tests.factories import StaffFactory
from tests.factories.proposals import AttachmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def _page_as(browser, live_server, user, *, width=1280):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US",
                                  timezone_id="Asia/Seoul", base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return context.new_page()


def _serious_findings(page) -> list[str]:
    page.evaluate(AXE + "\n;0")
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]});
        return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
    }""")


def test_staff_decide_by_in_room_count_and_member_reads_the_meeting(browser, live_server, shoot):
    staff = StaffFactory(language="en")
    first = proposal_in_review(staff=staff, title="Surabaya flood resilience master plan")
    second = proposal_in_review(staff=staff, track=first.track, title="Nakuru smart water metering plan")
    criteria = list(rubric(first.track.programme).criteria.all())
    chair = member(co_chair=True, kind=MemberKind.GOVERNMENT, full_name="Park Sang-woo")
    lee = member(full_name="Lee Soo-jin")
    others = [member(full_name=f"Member {n}") for n in range(3)]
    meeting = meeting_create(programme=first.track.programme, cycle=first.cycle, title="Selection meeting",
                             starts_at=timezone.now() - datetime.timedelta(minutes=30), place="Sejong", by=staff)
    for proposal in (first, second):
        agenda_item_add(meeting=meeting, proposal=proposal, by=staff)
        AttachmentFactory(proposal=proposal, kind="budget", original_name=f"budget-{proposal.pk}.pdf")
        conflict_declare(member=lee, proposal=proposal, has_conflict=False)
    assignment_create(proposal=second, member=lee, by=staff)  # her review of it is still to do
    for proposal, total in ((first, "3.40"), (second, "4.10")):
        review = Review.objects.create(member=others[0], proposal=proposal, submitted_at=timezone.now(),
                                       weighted_total=Decimal(total))
        for criterion in criteria:
            review.scores.create(criterion=criterion, value=4 if proposal == second else 3)

    # Staff open the meeting on its date: attendance and the count form appear only now.
    desk = _page_as(browser, live_server, staff)
    desk.goto(f"/committee/meetings/{meeting.pk}/")
    expect(desk.locator("#decision-rule")).to_contain_text("a majority of the eligible members present")
    expect(desk.locator("#attendance-form")).to_have_count(0)
    shoot(desk, "staff-scheduled")
    desk.locator("#open-meeting").click()
    expect(desk.locator("#meeting-status")).to_have_text("Open")

    for seat in (chair, lee, *others):
        desk.locator(f"#attendance-form input[value='{seat.pk}']").check()
    desk.locator("#attendance-form button[type=submit]").click()
    expect(desk.get_by_text("Attendance recorded.")).to_be_visible()
    expect(desk.locator("#quorum-summary")).to_contain_text("5 of 5 serving members recorded present")

    # A count that does not meet the rule: refused with the numbers, what was typed kept.
    item = meeting.agenda_items.get(proposal=first)
    row = desk.locator(f"form.decision-form[data-item='{item.pk}']")
    desk.locator(f"form.decision-form[data-item='{item.pk}']").locator("xpath=ancestor::details").locator(
        "summary").click()
    row.get_by_label("Approve").check()
    row.locator("input[name=support_amount_krw]").fill("600000000")
    row.locator("textarea[name=conditions]").fill("Train 20 city officials.")
    row.locator("input[name=votes_for]").fill("2")
    row.locator("input[name=votes_against]").fill("1")
    row.locator("input[name=votes_abstain]").fill("2")
    row.get_by_role("button", name="Record decision").click()
    rule = "The decision does not meet the rule: 2 for of 5 present; needs 3."
    refusal = desk.locator("#agenda").get_by_text(rule)
    expect(refusal).to_be_visible()
    expect(desk.locator("#error-summary")).to_contain_text(rule)  # the page's error summary lists it too
    refusal.scroll_into_view_if_needed()
    shoot(desk, "staff-count-refused")
    assert not Decision.objects.exists()

    row = desk.locator(f"form.decision-form[data-item='{item.pk}']")
    expect(row.locator("input[name=votes_for]")).to_have_value("2")
    row.locator("input[name=votes_for]").fill("4")
    row.locator("input[name=votes_abstain]").fill("0")
    row.get_by_role("button", name="Record decision").click()
    expect(desk.get_by_text("Decision recorded; the decision letter waits for review.")).to_be_visible()
    shoot(desk, "staff-decided")
    decision = Decision.objects.get(proposal=first)
    assert (decision.votes_for, decision.votes_needed, decision.members_present, decision.voting_mode) == (
        4, 3, 5, "in_room")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.OPEN and meeting.opened_at.date() == timezone.now().date()

    # The member's own meeting page, in both languages, at desktop and phone width.
    findings = {}
    for language in ("en", "ko"):
        lee.user.language = language
        lee.user.save(update_fields=["language"])
        for width in (1280, 320):
            tab = _page_as(browser, live_server, lee.user, width=width)
            tab.goto(f"/committee/meetings/{meeting.pk}/")
            assert tab.locator("html").get_attribute("lang") == language
            expect(tab.locator("#ics-link")).to_be_visible()
            expect(tab.locator("#ranking-table tbody tr").first).to_contain_text(second.reference)
            expect(tab.locator("#reviews-due")).to_contain_text(second.reference)
            expect(tab.locator("#member-agenda")).to_contain_text(f"budget-{first.pk}.pdf")
            findings[(language, width)] = _serious_findings(tab)
            assert tab.evaluate("() => document.documentElement.scrollWidth") <= width
            shoot(tab, f"member-meeting-{language}-{width}")
            tab.context.close()

    assert findings == {key: [] for key in findings}
    ranks = [cell.strip() for cell in desk.locator("#ranking-table tbody tr td:first-child").all_inner_texts()]
    assert ranks == ["1", "2"]
    desk.context.close()
