"""The forms' one error pattern in Chromium: after a failed submit focus lands on the error summary, a link in it
focuses its field, the error states have no serious or critical axe-core finding (English and Korean); and the
proposal autosave, when the session has ended, says "not saved", keeps the text on this device and offers it
back after signing in again."""

import re
import shutil
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from committee.services import assignment_create, conflict_declare
from proposals.models import Proposal
from tests.committee.helpers import member, proposal_in_review, rubric
from tests.consulting.conftest import make_consultant
from tests.e2e.test_accessibility import _serious_findings
from tests.factories import PASSWORD, ProposalFactory, StaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/wt/shots/reach-forms")


def _signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": live_server.url,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )




def _keep(shot: Path) -> None:
    """A copy of a screenshot where the people reviewing this work look at them."""
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(shot, SHOTS / shot.name)


def _focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def test_focus_moves_to_the_summary_and_its_links_focus_the_fields(page, shoot):
    page.goto("/accounts/signup/")
    page.locator("#signup-form button[type=submit]").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'error-summary'")
    _keep(shoot(page, "error-summary-sign-up"))

    link = summary.locator('a[href="#id_full_name"]')
    link.click()
    assert _focused_id(page) == "id_full_name"
    field = page.locator("#id_full_name")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby").split()
    assert "id_full_name_error" in described
    expect(page.locator("#id_full_name_error")).to_be_visible()

    # By keyboard too: Tab from the summary reaches its first link, Enter focuses that field.
    summary.focus()
    page.keyboard.press("Tab")
    first = summary.locator("a").first
    assert first.evaluate("a => a === document.activeElement")
    target = first.get_attribute("href").lstrip("#")
    page.keyboard.press("Enter")
    assert _focused_id(page) == target


def test_a_scoring_error_links_to_the_first_radio_and_hangs_on_its_group(page, live_server, shoot):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    criteria = list(rubric(proposal.track.programme).criteria.all())
    reviewer = member()
    assignment_create(proposal=proposal, member=reviewer, by=staff)
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)
    _signed_in(page, live_server, reviewer.user)

    page.goto(reverse("committee:review", args=[proposal.pk]))
    for criterion in criteria[1:]:
        page.locator(f"#id_criterion_{criterion.pk}_3").check()
    page.locator("#review-form button[type=submit]").click()

    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'error-summary'")
    first_radio = f"id_criterion_{criteria[0].pk}_0"
    page.locator(f'#error-summary a[href="#{first_radio}"]').click()
    assert _focused_id(page) == first_radio
    group = page.locator(f"fieldset:has(#{first_radio})")
    assert f"id_criterion_{criteria[0].pk}_error" in group.get_attribute("aria-describedby").split()
    assert _serious_findings(page) == []
    _keep(shoot(page, "error-summary-scoring"))


@pytest.mark.parametrize("language", ["en", "ko"])
def test_error_states_have_no_serious_axe_findings(page, live_server, shoot, language):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    findings = {}

    page.goto("/accounts/signup/")
    page.locator("#id_email").fill("not-an-address")
    page.locator("#signup-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == language
    findings["sign-up"] = _serious_findings(page)
    shoot(page, f"sign-up-{language}")

    page.goto("/accounts/login/")
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    findings["sign-in"] = _serious_findings(page)

    proposal = ProposalFactory()
    owner = proposal.owner
    owner.language = language
    owner.save(update_fields=["language"])
    _signed_in(page, live_server, owner)
    page.goto(reverse("proposals:edit", args=[proposal.pk, "context"]))
    page.locator("#id_population").fill("-5")
    page.locator("#save-button").click()
    expect(page.locator("#error-summary")).to_be_visible()
    findings["proposal step"] = _serious_findings(page)
    _keep(shoot(page, f"proposal-step-error-{language}"))

    page.goto(reverse("proposals:edit", args=[proposal.pk, "review"]))
    page.locator("#submit-button").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert page.locator(".alert-dismissible").count() == 0  # one summary, not an alert per missing item
    findings["refused submit"] = _serious_findings(page)
    _keep(shoot(page, f"refused-submit-{language}"))

    consultant = make_consultant()
    consultant.user.language = language
    consultant.user.save(update_fields=["language"])
    _signed_in(page, live_server, consultant.user)
    page.goto(reverse("consulting:availability"))
    page.locator("#id_day2-0-start_time").fill("15:00")
    page.locator("#id_day2-0-end_time").fill("14:00")
    page.locator("#save-weekly").click()
    expect(page.locator("#error-summary")).to_be_visible()
    findings["availability"] = _serious_findings(page)
    _keep(shoot(page, f"availability-error-{language}"))

    assert findings == {"sign-up": [], "sign-in": [], "proposal step": [], "refused submit": [], "availability": []}


def test_autosave_after_the_session_ended_keeps_the_text_and_offers_it_back(page, live_server, shoot):
    proposal = ProposalFactory(city_context="What was saved before.")
    owner = proposal.owner
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    step = reverse("proposals:edit", args=[proposal.pk, "context"])

    page.goto(f"/accounts/login/?next={step}")
    page.locator("#id_login").fill(owner.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_url(f"**{step}")

    typed = "A coastal city of 1.2 million people, typed while the session ran out."
    page.locator("#id_city_context").fill(typed)
    # The session ends (signed out elsewhere, or expired): its cookie is gone, the CSRF cookie stays.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)

    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Not saved", timeout=20_000)
    expect(status).not_to_contain_text("undefined")
    expect(status).not_to_contain_text("Saved ")
    assert status.get_attribute("aria-live") == "polite"
    kept = page.evaluate(
        "(prefix) => Object.keys(localStorage).filter(k => k.startsWith(prefix))",
        f"kcity:proposal:{proposal.pk}:context",
    )
    assert kept, "the text must stay on this device"
    assert Proposal.objects.get(pk=proposal.pk).city_context == "What was saved before."
    _keep(shoot(page, "autosave-not-saved"))

    # Signing in again: the step offers the text back.
    page.goto(step)
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("#id_login").fill(owner.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_url(f"**{step}")
    offer = page.locator("#autosave-restore")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("You have unsaved text from")
    expect(offer).to_contain_text("on this device")
    expect(page.locator("#id_city_context")).to_have_value("What was saved before.")
    assert _serious_findings(page) == []
    _keep(shoot(page, "autosave-offer"))

    offer.get_by_role("button", name="Restore").click()
    expect(page.locator("#id_city_context")).to_have_value(typed)
    page.locator("#save-button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Proposal.objects.get(pk=proposal.pk).city_context == typed
    # Saved: nothing is offered any more.
    page.reload()
    expect(page.locator("#autosave-restore")).to_be_hidden()


def test_autosave_server_errors_are_tied_to_their_field(page, live_server):
    proposal = ProposalFactory()
    _signed_in(page, live_server, proposal.owner)
    page.goto(reverse("proposals:edit", args=[proposal.pk, "context"]))

    page.locator("#id_population").fill("-5")

    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Not saved yet", timeout=20_000)
    field = page.locator("#id_population")
    expect(field).to_have_attribute("aria-invalid", "true")
    message_id = next(i for i in field.get_attribute("aria-describedby").split() if i.endswith("_autosave_error"))
    expect(page.locator(f"#{message_id}")).to_contain_text("negative")

    field.fill("5000")
    expect(status).to_contain_text("Saved", timeout=20_000)
    assert field.get_attribute("aria-invalid") is None
    assert "_autosave_error" not in (field.get_attribute("aria-describedby") or "")
