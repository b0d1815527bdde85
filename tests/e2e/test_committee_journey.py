"""The committee journey in Chromium: staff build the agenda and assign reviewers; one member declares no conflict
and scores; another declares a conflict and is kept out; the meeting decides; the applicant reads the decision.

Uses the browser fixtures of tests/e2e (screenshots land in tests/e2e/screenshots/<test name>/).
"""

import re
import zoneinfo
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import Decision, MemberKind
from cooperation.models import Project
from proposals.workflow import Status
from tests.committee.helpers import member, proposal_in_review, rubric
from tests.factories import StaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _page_as(browser, live_server, user):
    """A browser tab signed in as `user` (the session cookie of a real sign-in; sign-in pages have their own tests)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id="Asia/Seoul",
                                  base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME]
                          .value, "url": live_server.url}])
    return context.new_page()


def test_committee_journey_from_agenda_to_applicant_decision(browser, live_server, shoot):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    rubric(proposal.track.programme)
    chair = member(co_chair=True, kind=MemberKind.GOVERNMENT, full_name="Park Sang-woo")
    scorer = member(full_name="Lee Soo-jin")
    conflicted = member(full_name="Bae Jun-ho")
    others = [member(full_name=f"Member {n}") for n in range(2)]

    # Staff create the meeting (today, an hour ago, in their own time zone: it can be opened now), put the proposal
    # on its agenda and assign two reviewers.
    meeting_start = (timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(str(staff.time_zone)))
                     - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    desk = _page_as(browser, live_server, staff)
    desk.goto("/committee/")
    desk.get_by_role("link", name="New meeting").click()
    desk.locator("select[name=programme]").select_option(label="K-City Network")
    desk.locator("select[name=cycle]").select_option(label=str(proposal.cycle))
    desk.locator("input[name=title]").fill("First selection meeting")
    desk.locator("input[name=starts_at]").fill(meeting_start)
    desk.locator("input[name=place]").fill("Government Complex Sejong")
    desk.get_by_role("button", name="Create meeting").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("First selection meeting")
    desk.locator(f'#agenda-candidates li[data-proposal="{proposal.pk}"]').get_by_role("button", name="Add").click()
    expect(desk.locator(f'#agenda tr[data-proposal="{proposal.pk}"]')).to_contain_text(proposal.reference)
    shoot(desk, "staff-agenda")
    meeting_url = desk.url
    desk.locator(f'#agenda tr[data-proposal="{proposal.pk}"] td:nth-child(3) a').click()
    for reviewer in (scorer, conflicted):
        desk.locator("select[name=member]").select_option(value=str(reviewer.pk))
        desk.get_by_role("button", name="Assign", exact=True).click()
    expect(desk.locator("#assignments")).to_contain_text("Lee Soo-jin")
    expect(desk.locator("#assignments")).to_contain_text("Bae Jun-ho")
    shoot(desk, "staff-reviewers")

    # A member declares no conflict, reads the proposal and scores it; the anonymised spread appears.
    lee = _page_as(browser, live_server, scorer.user)
    lee.goto("/committee/")
    lee.locator(f'#member-proposals tr[data-proposal="{proposal.pk}"]').get_by_role("link", name="Declare").click()
    lee.get_by_label("No, I have no conflict of interest").check()
    lee.get_by_role("button", name="Submit declaration").click()
    expect(lee.locator("#proposal-content")).to_contain_text(proposal.problem_statement)
    expect(lee.locator("#spread-hidden")).to_be_visible()
    lee.locator("#score-link").click()
    for fieldset in lee.locator("#review-form fieldset").all():
        fieldset.get_by_label("4", exact=True).check()
    lee.get_by_role("button", name="Submit review").click()
    expect(lee.locator("#score-spread")).to_contain_text("4.00")
    shoot(lee, "member-scored")

    # Another declares a conflict and is kept out of the proposal.
    bae = _page_as(browser, live_server, conflicted.user)
    bae.goto(f"/committee/proposals/{proposal.pk}/declare/")
    bae.get_by_label("Yes, I have a conflict of interest").check()
    bae.get_by_label("If yes, what is it?").fill("I advised the city on its mobility plan in 2025.")
    bae.get_by_role("button", name="Submit declaration").click()
    expect(bae.locator(f'#member-proposals tr[data-proposal="{proposal.pk}"]')).to_contain_text("Conflict declared")
    response = bae.goto(f"/committee/proposals/{proposal.pk}/")
    assert response.status == 403
    expect(bae.locator("#conflicted")).to_be_visible()
    expect(bae.locator("body")).not_to_contain_text(proposal.problem_statement)
    shoot(bae, "member-conflicted")

    # The meeting, opened on its date: attendance, then the decision (the conflicted member is recused).
    desk.goto(meeting_url)
    desk.locator("#open-meeting").click()
    expect(desk.locator("#meeting-status")).to_have_text("Open")
    for person in (chair, scorer, conflicted, *others):
        desk.locator("#attendance-form").get_by_label(str(person), exact=True).check()
    desk.get_by_role("button", name="Record attendance").click()
    expect(desk.locator("#quorum-summary")).to_contain_text("Quorum met")
    desk.locator("#agenda summary").click()
    form = desk.locator(f'form.decision-form[data-item="{proposal.agenda_items.get().pk}"]')
    form.locator("input[name=outcome][value=approve]").check()
    form.locator("input[name=support_amount_krw]").fill("500000000")
    form.locator("textarea[name=conditions]").fill("Train 20 city officials in Korea.")
    form.locator("input[name=votes_for]").fill("4")
    form.get_by_role("button", name="Record decision").click()
    expect(desk.locator(f'#agenda tr[data-proposal="{proposal.pk}"]')).to_contain_text("Approve")
    shoot(desk, "staff-decided")
    decision = Decision.objects.get(proposal=proposal)
    assert (decision.members_present, list(decision.recused.all())) == (4, [conflicted])
    assert not Project.objects.filter(proposal=proposal).exists()  # it opens when the decision is released

    # Staff review the decision letter and send it.
    desk.goto("/committee/letters/")
    desk.get_by_role("link", name=proposal.reference).click()
    expect(desk.locator("#letter-conditions")).to_contain_text("Train 20 city officials in Korea.")
    expect(desk.locator("textarea[name=message]")).to_have_value("")  # the staff's own words, apart
    shoot(desk, "staff-letter")
    desk.locator("#approve-letter").click()
    expect(desk.locator("#letters")).to_contain_text("Approved and sent")
    assert Project.objects.get(proposal=proposal).support_amount_krw == 500_000_000

    # The applicant reads the decision.
    applicant = _page_as(browser, live_server, proposal.owner)
    applicant.goto(reverse("notifications:list"))
    expect(applicant.locator("body")).to_contain_text(f"Committee decision on {proposal.reference}: Approve")
    shoot(applicant, "applicant-notice")
    applicant.goto(f"/proposals/{proposal.pk}/")
    expect(applicant.locator("#proposal-status")).to_contain_text(re.compile("Approved"))
    expect(applicant.locator("body")).not_to_contain_text("Lee Soo-jin")
    shoot(applicant, "applicant-proposal")
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    for tab in (desk, lee, bae, applicant):
        tab.context.close()
