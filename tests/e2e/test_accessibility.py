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
