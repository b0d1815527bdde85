"""A new official of an Indonesian city takes the whole applicant journey in Chromium, as a person would."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.models import User
from proposals import demo
from proposals.models import Proposal
from proposals.workflow import Status
from tests.factories import PDF_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "dewi.lestari@surabaya.go.id"
PASSWORD = "Surabaya-smart-city-2026"
TITLE = "Smart mobility master plan for Surabaya"


@pytest.fixture
def browser_timezone():
    return "Asia/Jakarta"


@pytest.fixture
def programme():
    """What seed_demo sets up for the programme: the tracks, the cycles, the centres and the service levels."""
    cache.clear()  # allauth's rate limits live in the cache
    programmes = demo._programmes()
    demo._centres()
    demo._service_levels_and_holidays()
    return programmes["kcity"]


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def _confirmation_path() -> str:
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)


def test_applicant_journey_from_sign_up_to_submitted_proposal(page, shoot, programme):
    # The home page explains the programme and leads to sign-up.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("K-City Network")
    expect(page.locator(".cycle-rule").first).to_contain_text("cycle; later ones join the")
    expect(page.get_by_text("KOTRA Jakarta Trade Center")).to_be_visible()
    shoot(page, "home")
    page.locator("#start-proposal").click()

    # Sign up; the browser's time zone is offered first.
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Jakarta")
    page.get_by_label("Email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Full name").fill("Dewi Lestari")
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_label("Time zone").select_option("Asia/Jakarta")
    shoot(page, "sign-up")
    page.get_by_role("button", name="Create account").click()

    # Verify the address from the e-mail, in the same browser.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirm your e-mail address")
    expect(page.get_by_text("We have sent you an e-mail with a link")).to_be_visible()
    shoot(page, "verification-sent")
    page.goto(_confirmation_path())
    expect(page.get_by_text(f"Please confirm that {EMAIL} is your e-mail address.")).to_be_visible()
    shoot(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()

    # Signed in, and sent to register the organisation first.
    expect(page).to_have_url(re.compile(r"/accounts/organisation/new/"))
    user = User.objects.get(email=EMAIL)
    assert (user.full_name, str(user.time_zone)) == ("Dewi Lestari", "Asia/Jakarta")
    expect(page.locator("footer")).to_contain_text("Asia/Jakarta")
    page.locator("#id_name").fill("Surabaya City Government")
    page.locator("#id_country").select_option("ID")
    page.locator("#id_kind").select_option("city")
    page.locator("#id_region_city").fill("Surabaya")
    page.locator("#id_website").fill("https://surabaya.go.id")
    shoot(page, "organisation")
    page.get_by_role("button", name="Register organisation").click()
    expect(page.locator(".alert-success").first).to_contain_text("Your organisation is registered")
    shoot(page, "workspace-empty")

    # Start a proposal in the Smart Urban planning track.
    page.goto("/proposals/new/")
    page.get_by_text("Smart Urban planning", exact=True).click()
    page.locator("#id_title").fill(TITLE)
    shoot(page, "start")
    page.get_by_role("button", name="Create draft").click()

    # Step 1: basics and a contact person.
    expect(page.locator("#step-link-basics")).to_have_attribute("aria-current", "step")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    page.locator("#id_country").select_option("ID")
    page.locator("#id_region_city").fill("Surabaya")
    page.locator("#id_jurisdiction_level").select_option("city")
    page.locator("#id_lead_organisation").fill("Surabaya City Development Planning Agency (Bappeda)")
    page.locator("#id_partner_organisations").fill("Institut Teknologi Sepuluh Nopember\nPT KAI Commuter")
    page.locator("#id_contacts-0-name").fill("Dewi Lestari")
    page.locator("#id_contacts-0-position").fill("Head of Development Planning")
    page.locator("#id_contacts-0-email").fill(EMAIL)
    page.locator("#id_contacts-0-phone").fill("+62 31 531 2144")
    shoot(page, "step-basics")
    page.locator("#save-continue-button").click()

    # Step 2: a negative population is refused with a message, and the typed text stays.
    expect(page.locator("#step-link-context")).to_have_attribute("aria-current", "step")
    page.locator("#id_population").fill("-5")
    page.locator("#id_area_km2").fill("350.54")
    context_text = "Indonesia's second city: a port and trading hub on the north coast of East Java."
    page.locator("#id_city_context").fill(context_text)
    page.locator("#save-continue-button").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#id_population_error")).to_have_text("The population cannot be negative.")
    # The error summary names the field and links to it; focus starts there.
    expect(page.locator("#error-summary a[href='#id_population']")).to_have_text(
        "Population: The population cannot be negative."
    )
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#id_city_context")).to_have_value(context_text)
    shoot(page, "step-context-error")
    page.locator("#id_population").fill("2,880,000")
    page.locator("#save-continue-button").click()

    # Step 3: problem and solutions.
    expect(page.locator("#step-link-solutions")).to_have_attribute("aria-current", "step")
    page.locator("#id_problem_statement").fill("Congested roads and flooding in the rainy season.")
    page.get_by_label("Mobility and transport").check()
    page.get_by_label("Water").check()
    page.locator("#id_proposed_solutions").fill("Adaptive traffic signals, a flood early-warning sensor network.")
    page.locator("#id_objectives").fill("Cut average commute times by 20 percent.")
    page.locator("#id_expected_outcomes").fill("A smart-city master plan adopted by the city council.")
    shoot(page, "step-solutions")
    page.locator("#save-continue-button").click()

    # Step 4: plan and budget, within the track's cap.
    expect(page.locator("#step-link-budget")).to_have_attribute("aria-current", "step")
    page.locator("#id_duration_months").fill("18")
    page.locator("#id_requested_support_krw").fill("500,000,000")
    page.locator("#id_co_financing_krw").fill("120,000,000")
    page.locator("#id_co_financing_description").fill("City budget: staff time and data.")
    page.locator("#id_national_plan_fit").fill("Part of Indonesia's 100 Smart Cities Movement.")
    page.locator("#id_priority_rank").fill("1")
    page.locator("#id_earlier_projects").fill("None so far.")
    shoot(page, "step-budget")
    page.locator("#save-continue-button").click()

    # Step 5: documents, recognised by content.
    expect(page.locator("#step-link-documents")).to_have_attribute("aria-current", "step")
    for kind, name in [("official_letter", "request-letter.pdf"), ("concept_note", "concept-note.pdf")]:
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_file").set_input_files(_pdf(name))
        page.locator("#upload-button").click()
        expect(page.locator("#attachment-list")).to_contain_text(name)
    shoot(page, "step-documents")

    # Leave: the browser tab is closed. Come back in a new one and find the draft as it was left.
    draft = Proposal.objects.get(title=TITLE)
    assert (draft.status, draft.population, draft.requested_support_krw) == (Status.DRAFT, 2_880_000, 500_000_000)
    page.goto("/stats/")
    shoot(page, "stats")
    tab = page.context.new_page()
    page.close()
    page = tab
    page.goto("/proposals/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    shoot(page, "workspace-draft")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("#proposal-reference")).to_contain_text("Not submitted yet")
    shoot(page, "proposal-draft")
    page.locator("#edit-link").click()
    page.locator("#step-link-context").click()
    expect(page.locator("#id_city_context")).to_have_value(context_text)
    page.locator("#step-link-review").click()

    # Step 6: review. The checklist asks only for the declaration, which is ticked on this step.
    expect(page.locator("#checklist-problems li")).to_have_count(1)
    expect(page.locator("#checklist-problems")).to_contain_text("Confirm the declaration and consent")
    page.locator("#id_consent").check()
    shoot(page, "step-review")
    page.locator("#submit-button").click()

    # The receipt gives the reference; the proposal page shows the timeline.
    reference = page.locator("#receipt-reference")
    expect(reference).to_have_text(re.compile(r"^KCN-\d{4}-\d{4}$"))
    submitted = Proposal.objects.get(pk=draft.pk)
    assert submitted.status == Status.SUBMITTED
    assert reference.inner_text() == submitted.reference
    expect(page.locator("#receipt-cycle")).to_contain_text(f"{submitted.cycle.year} cycle")
    shoot(page, "receipt")
    page.locator("#receipt-proposal-link").click()
    expect(page.locator("#proposal-reference")).to_have_text(submitted.reference)
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Submitted")
    shoot(page, "proposal-submitted")
