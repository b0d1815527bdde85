"""Eligibility up front, in Chromium (issue 12): a Colombian city official picks the regulatory sandbox, is told
why not and offered the tracks they may use, starts an eligible draft and learns which proposal already holds
Bogotá this cycle; reads the help pages; downloads a submitted proposal as a PDF. New and changed pages are
checked with axe-core in English and Korean at 1280 and 320 px."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from accounts.models import Membership, Organisation, OrganisationKind, Role, User
from proposals import demo, services
from proposals.models import Proposal, Track
from proposals.workflow import Status
from tests.factories import StaffFactory
from tests.factories.proposals import pdf_upload
from tests.pdf_text import pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


@pytest.fixture
def browser_timezone():
    return "America/Bogota"


def _person(email, name, organisation, **extra):
    user = User.objects.create_user(email=email, password="Bogota-smart-2026", full_name=name,
                                    role=Role.APPLICANT, time_zone="America/Bogota", **extra)
    Membership.objects.create(user=user, organisation=organisation, level=Membership.Level.ADMIN)
    return user


def _submitted(owner, track, *, title, place, level="city", attach=True):
    proposal = services.proposal_create(by=owner, track=track, title=title)
    services.proposal_update(proposal=proposal, by=owner, expected_version=proposal.version, data={
        "region_city": place, "jurisdiction_level": level, "population": 7_900_000,
        "city_context": "Colombia's capital on the Andean plateau, 2,600 m above sea level.",
        "problem_statement": "Two-hour commutes for the southern districts.", "solution_categories": ["mobility"],
        "proposed_solutions": "A mobility data platform and adaptive signals on the TransMilenio corridors.",
        "objectives": "Cut the southern commute by a quarter.", "expected_outcomes": "A master plan.",
        "duration_months": 12, "requested_support_krw": 450_000_000, "consent": True,
        "national_plan_fit": "Plan de Desarrollo Distrital 2024-2027.",
    })
    services.proposal_contacts_set(proposal=proposal, by=owner, contacts=[
        {"name": owner.full_name, "position": "Director of Planning", "email": owner.email, "phone": ""}])
    if attach:
        for kind in track.required_attachment_kinds:
            services.attachment_add(proposal=proposal, by=owner, kind=kind, upload=pdf_upload(f"{kind}.pdf"))
    services.proposal_submit(proposal=proposal, by=owner)
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def bogota():
    """The demo's programmes, tracks (with their rules), centres and service levels; the help pages; a Bogotá city
    official; a proposal of Bogotá's transport agency that already holds the city this cycle; and one of the
    official's own, submitted earlier for Usme, then asked about by the secretariat."""
    cache.clear()
    demo._programmes()
    demo._centres()
    demo._service_levels_and_holidays()
    importlib.import_module("proposals.migrations.0009_eligibility_and_help_seed").forwards(apps, None)
    city = Organisation.objects.create(name="Alcaldía Mayor de Bogotá", country="CO", kind=OrganisationKind.CITY,
                                       region_city="Bogotá")
    agency = Organisation.objects.create(name="Secretaría Distrital de Movilidad", country="CO",
                                         kind=OrganisationKind.CITY, region_city="Bogotá")
    official = _person("camila.rojas@bogota.gov.co", "Camila Rojas", city)
    urban = Track.objects.get(slug="smart-urban-planning")
    holder = _submitted(_person("andres.gomez@movilidad.gov.co", "Andrés Gómez", agency), urban,
                        title="Movilidad inteligente para los corredores troncales", place="Bogotá")
    usme = _submitted(official, Track.objects.get(slug="smart-solution-planning"),
                      title="Usme flood early-warning plan", place="Usme")
    staff = StaffFactory(full_name="Kim Ji-won")
    services.proposal_transition(proposal=usme, to=Status.SCREENING, by=staff)
    services.proposal_request_info(proposal=usme, by=staff, message="Please attach the budget sheet.")
    return {"official": official, "holder": holder, "usme": Proposal.objects.get(pk=usme.pk)}


def _signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def _serious_findings(page) -> list[str]:
    page.evaluate(AXE + "\n;0")
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]});
        return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
    }""")


def test_colombian_official_is_told_why_not_and_starts_an_eligible_draft(page, live_server, shoot, bogota):
    sandbox = Track.objects.get(slug="sandbox-demonstration")
    _signed_in(page, live_server, bogota["official"])

    # Choosing a track: the sandbox card already says why not, before anything is sent.
    page.goto("/proposals/new/")
    expect(page.locator(f"#track-refusal-{sandbox.pk}")).to_contain_text(
        "is for organisations registered in Korea; Alcaldía Mayor de Bogotá is registered in Colombia.")
    shoot(page, "start-tracks")

    # Picked anyway: refused with the reason, and the tracks this city may use are offered.
    page.locator(f"#id_track_{sandbox.pk}").check()
    page.locator("#id_title").fill("Autonomous shuttle for the Candelaria district")
    page.get_by_role("button", name="Create draft").click()
    refusal = page.locator("#eligibility-refusal")
    expect(refusal).to_contain_text("Your organisation cannot apply to the Regulatory sandbox demonstration track")
    expect(refusal).to_contain_text("registered in Colombia")
    offered = page.locator("#eligible-alternatives a")
    expect(offered).to_have_text(["Smart Urban planning", "Smart Solution planning"])
    assert not Proposal.objects.filter(title__startswith="Autonomous").exists()
    shoot(page, "start-refused")

    # The first offered track, preselected; the draft starts and says who holds Bogotá this cycle.
    offered.first.click()
    expect(page.locator("#id_track_" + str(Track.objects.get(slug="smart-urban-planning").pk))).to_be_checked()
    page.locator("#id_title").fill("Bogotá smart mobility master plan")
    page.get_by_role("button", name="Create draft").click()
    expect(page.locator("#step-link-basics")).to_have_attribute("aria-current", "step")
    holder = bogota["holder"]
    banner = page.locator("#jurisdiction-holder")
    expect(banner).to_contain_text(f"Bogotá already has a proposal in the {holder.cycle.year} cycle "
                                   f"({holder.reference})")
    expect(banner).not_to_contain_text(holder.title)  # another organisation's: its reference only
    expect(page.locator("#eligibility-problems")).to_have_count(0)
    shoot(page, "draft-jurisdiction")
    draft = Proposal.objects.get(title="Bogotá smart mobility master plan")
    assert (draft.status, draft.track.slug, draft.country.code) == (Status.DRAFT, "smart-urban-planning", "CO")


def test_help_pages_from_the_navigation_and_footer(page, live_server, shoot, bogota):
    page.goto("/")
    page.locator("#nav").get_by_role("link", name="Help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help for applicants")
    shoot(page, "help-index")

    page.locator("#help-topics").get_by_role("link", name="Who may apply").click()
    expect(page.locator("#help-page")).to_contain_text("Regulatory sandbox demonstration")
    expect(page.locator("#help-page")).to_contain_text("The applicant organisation is registered in Korea.")
    shoot(page, "help-eligibility")

    page.locator("#footer-links").get_by_role("link", name="Contacts").click()
    expect(page.locator("#help-page")).to_contain_text("KOTRA Bogotá Trade Center (Bogotá)")
    expect(page.locator("#help-page")).to_contain_text("kotra-bogota@example.org")
    shoot(page, "help-contacts")

    page.locator("#footer-links").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")


def test_applicant_downloads_the_submitted_proposal_as_pdf(page, live_server, shoot, bogota):
    usme = bogota["usme"]
    _signed_in(page, live_server, bogota["official"])
    page.goto(usme.get_absolute_url())
    shoot(page, "proposal-page")

    with page.expect_download() as download_info:
        page.locator("#download-proposal-pdf").click()
    download = download_info.value

    assert download.suggested_filename == f"{usme.reference}.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    lines = pdf_text(content).split("\n")
    assert lines[lines.index("Reference") + 1] == usme.reference
    for attachment in usme.attachments.all():
        assert f"SHA-256 {attachment.sha256}" in lines


def test_resubmission_needs_an_answer_and_shows_what_changed(page, live_server, shoot, bogota):
    usme = bogota["usme"]
    _signed_in(page, live_server, bogota["official"])
    page.goto(usme.get_absolute_url())

    page.locator("#resubmit-button").click()  # nothing written, nothing changed
    expect(page.locator("#resubmit-form")).to_contain_text("Answer the information request before resubmitting")
    shoot(page, "resubmit-empty")

    services.attachment_add(proposal=usme, by=bogota["official"], kind="budget", upload=pdf_upload("budget.pdf"))
    page.locator("#resubmit-form textarea[name=note]").fill("The budget sheet is attached.")
    page.locator("#resubmit-button").click()
    expect(page.locator("#resubmit-changes")).to_contain_text("Document added: Budget sheet")
    shoot(page, "resubmit-confirm")
    page.locator("#resubmit-confirm").click()
    expect(page.locator(".alert-success").first).to_contain_text("The proposal is resubmitted")
    usme.refresh_from_db()
    assert usme.status == Status.SCREENING


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_new_and_changed_pages_have_no_serious_axe_findings(page, live_server, shoot, bogota, language, width):
    official = bogota["official"]
    official.language = language
    official.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 900})
    page.set_extra_http_headers({"Accept-Language": language})
    _signed_in(page, live_server, official)
    usme = bogota["usme"]
    services.proposal_update(proposal=usme, by=official, data={"objectives": "Warn residents six hours ahead."},
                             expected_version=usme.version)
    sandbox = Track.objects.get(slug="sandbox-demonstration")
    findings = {}

    def check(name):
        assert page.locator("html").get_attribute("lang") == language
        findings[name] = _serious_findings(page)
        shoot(page, f"{name}-{language}-{width}")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, name

    page.goto("/proposals/new/")
    page.locator(f"#id_track_{sandbox.pk}").check()
    page.locator("#id_title").fill("Shuttle")
    page.locator("#start-form button[type=submit]").click()
    page.locator("#eligibility-refusal").wait_for()
    check("start-refused")
    page.goto(f"/proposals/{usme.pk}/edit/basics/")
    check("step-basics")
    page.goto(usme.get_absolute_url())
    check("proposal")
    page.locator("#resubmit-form textarea[name=note]").fill("Objectives updated.")
    page.locator("#resubmit-button").click()
    page.locator("#resubmit-confirm").wait_for()
    check("resubmit-confirm")
    page.goto(f"/proposals/{usme.pk}/receipt/")
    check("receipt")
    page.goto("/help/")
    check("help-index")
    for topic in ("eligibility", "evaluation", "contacts", "privacy"):
        page.goto(f"/help/{topic}/")
        check(f"help-{topic}")

    assert findings == {name: [] for name in findings}
