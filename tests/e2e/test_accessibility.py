"""The pages this hardening added or changed (and the paged workspace, issue 10), checked with axe-core (vendored
from npm: tests/e2e/vendor) in English and Korean, at desktop width and at 320 px: no serious or critical finding,
and a screenshot of each."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from committee.models import Outcome
from committee.services import decision_record
from proposals.models import Cycle
from tests.committee.helpers import decided_setup
from tests.factories import TrackFactory, service_levels
from tests.proposals.bulk import bulk_organisations, bulk_proposals

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def _signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def _serious_findings(page) -> list[str]:
    # Evaluated through the DevTools protocol, not as a page script, so the Content-Security-Policy (no inline
    # scripts) does not stand in the way and the policy watcher sees no violation.
    page.evaluate(AXE + "\n;0")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]});
        return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
    }""")
    return result


@pytest.fixture
def undisclosed_decision():
    staff, proposal, _members, meeting = decided_setup(size=5)
    decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=5,
                    votes_against=0, support_amount_krw=300_000_000, conditions="Share the data.")
    return proposal


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_changed_pages_have_no_serious_axe_findings(page, live_server, shoot, undisclosed_decision, language, width):
    owner = undisclosed_decision.owner
    owner.language = language
    owner.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 900})
    page.set_extra_http_headers({"Accept-Language": language})
    findings = {}

    page.goto("/no-such-page/")
    findings["404"] = _serious_findings(page)
    shoot(page, f"404-{language}-{width}")
    _signed_in(page, live_server, owner)
    page.goto(undisclosed_decision.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == language
    findings["proposal, decision being prepared"] = _serious_findings(page)
    shoot(page, f"proposal-{language}-{width}")
    page.goto("/accounts/settings/")
    findings["account settings (API token)"] = _serious_findings(page)
    shoot(page, f"settings-{language}-{width}")

    assert findings == {"404": [], "proposal, decision being prepared": [], "account settings (API token)": []}
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # legible without side-scrolling


@pytest.fixture
def busy_applicant():
    """An applicant whose organisation has 30 proposals (a quarter of them drafts): two pages of the workspace."""
    service_levels()
    track = TrackFactory()
    cycle = Cycle.objects.create(programme=track.programme, year=2026, cutoff=datetime.date(2026, 4, 30))
    teams = bulk_organisations(1)
    bulk_proposals(30, track=track, cycle=cycle, teams=teams)
    return teams[0][1]


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_paged_workspace_has_no_serious_axe_findings_and_pages_by_keyboard(page, live_server, shoot, busy_applicant,
                                                                         language, width):
    busy_applicant.language = language
    busy_applicant.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 900})
    page.set_extra_http_headers({"Accept-Language": language})
    _signed_in(page, live_server, busy_applicant)
    findings = {}

    page.goto("/proposals/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#proposal-list tbody tr").count() == 25
    findings["workspace, page 1"] = _serious_findings(page)
    shoot(page, f"workspace-1-{language}-{width}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # legible without side-scrolling

    # By keyboard: Tab from the last row's link reaches "Next page", Enter opens page 2.
    page.locator("#proposal-list tbody tr:last-child a").first.focus()
    next_link = page.locator('nav a[rel="next"]')
    for _ in range(5):
        page.keyboard.press("Tab")
        if next_link.evaluate("link => link === document.activeElement"):
            break
    assert next_link.evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/proposals/?page=2")
    assert page.locator("#proposal-list tbody tr").count() == 5
    assert page.locator('nav a[rel="prev"]').count() == 1
    findings["workspace, page 2"] = _serious_findings(page)
    shoot(page, f"workspace-2-{language}-{width}")

    assert findings == {"workspace, page 1": [], "workspace, page 2": []}
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


# --- issue 10: lists a page at a time (the member workspace, the consultant's home) ---------------------------


def _tab_to(page, selector: str, *, presses: int = 300) -> None:
    """Press Tab until the element `selector` has the focus, as a keyboard user reaches it (fails if never)."""
    target = page.locator(selector)
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def _paged_list_checks(page, shoot, *, url: str, name: str, language: str, width: int, rows: str) -> list[str]:
    """Open page 1 of a paged list, check it (axe, language, width), go to page 2 by keyboard, check it again."""
    page.set_viewport_size({"width": width, "height": 900})
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == language
    findings = _serious_findings(page)
    shoot(page, f"{name}-{language}-{width}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # legible without side-scrolling
    assert page.locator(rows).count() > 0

    _tab_to(page, 'a[rel="next"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**page=2")
    findings += _serious_findings(page)
    shoot(page, f"{name}-page-2-{language}-{width}")
    assert page.locator('a[rel="prev"]').count() == 1 and page.locator('a[rel="next"]').count() == 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    return findings


@pytest.fixture
def busy_member():
    """A committee member with 30 proposals before them: assigned ones and ones on a planned meeting's agenda,
    some declared (a conflict, no conflict), so every kind of row and a second page show."""
    from committee.models import AgendaItem  # here, not at the top: the issue-10 cases merge as one block
    from tests.factories import ProposalFactory, StaffFactory
    from tests.factories.committee import (
        AssignmentFactory,
        ConflictDeclarationFactory,
        meeting_for,
        member,
        proposal_in_review,
    )

    staff = StaffFactory(language="en")
    reviewer = member(full_name="Lee Seo-yeon")
    first = proposal_in_review(staff=staff, title="Flood early warning for Semarang")
    meeting = meeting_for(first, staff=staff)
    for n in range(29):
        proposal = ProposalFactory(track=first.track, cycle=meeting.cycle, reference=f"KCN-2026-{n + 100:04d}",
                                   title=f"Smart mobility master plan for district {n + 1}")
        if n % 2:
            AgendaItem.objects.create(meeting=meeting, proposal=proposal, order=n + 1)
        else:
            AssignmentFactory(member=reviewer, proposal=proposal, assigned_by=staff)
        if n % 3 == 1:
            ConflictDeclarationFactory(member=reviewer, proposal=proposal, has_conflict=n % 2 == 0)
    return reviewer.user


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_member_workspace_pages_have_no_serious_axe_findings(page, live_server, shoot, busy_member, language, width):
    busy_member.language = language
    busy_member.save(update_fields=["language"])
    _signed_in(page, live_server, busy_member)

    findings = _paged_list_checks(page, shoot, url="/committee/", name="member-workspace", language=language,
                                  width=width, rows="#member-proposals tr[data-proposal]")

    assert findings == []


@pytest.fixture
def busy_consultant():
    """A consultant with 2 sessions ahead and 30 behind (held with a report, cancelled, no-show, confirmed but
    over), each booked by its own applicant for a proposal."""
    import datetime  # here, not at the top: the issue-10 cases merge as one block

    from django.utils import timezone

    from consulting.models import BookingStatus
    from tests.factories import ProposalFactory, applicant
    from tests.factories.consulting import (
        PreConsultingReportFactory,
        make_booking,
        make_consultant,
        make_session_type,
    )

    consultant, session_type = make_consultant(full_name="Park Ji-woo"), make_session_type()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    states = [BookingStatus.HELD, BookingStatus.CANCELLED, BookingStatus.NO_SHOW, BookingStatus.CONFIRMED]
    for n in range(32):
        person = applicant(full_name=f"Siti Rahma {n + 1}")
        ahead = n < 2
        start = now + datetime.timedelta(days=n + 1) if ahead else now - datetime.timedelta(days=n)
        status = BookingStatus.CONFIRMED if ahead else states[n % len(states)]
        booking = make_booking(consultant, session_type, booked_by=person, start=start, status=status,
                               proposal=ProposalFactory(owner=person, reference=f"KCN-2026-{n + 200:04d}"))
        if status == BookingStatus.HELD:
            PreConsultingReportFactory(booking=booking, proposal=booking.proposal, filed_by=consultant.user)
    return consultant.user


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_consultant_home_pages_have_no_serious_axe_findings(page, live_server, shoot, busy_consultant, language,
                                                            width):
    busy_consultant.language = language
    busy_consultant.save(update_fields=["language"])
    _signed_in(page, live_server, busy_consultant)

    findings = _paged_list_checks(page, shoot, url="/consulting/consultant/", name="consultant-home",
                                  language=language, width=width, rows="#consultant-past tr[data-booking]")

    assert page.locator("#consultant-upcoming tr[data-booking]").count() == 2  # on every page
    assert findings == []
