"""The applicant's pages: workspace, multi-step form, autosave, documents, submission, proposal page, team."""

import re
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat

from accounts.models import Role
from proposals import services
from proposals.models import Attachment, ContactPerson, Invitation, Message, Proposal, StatusChange
from proposals.workflow import Status
from tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    ProposalFactory,
    StaffFactory,
    TrackFactory,
    UserFactory,
    applicant,
    complete_proposal,
    pdf_upload,
    service_levels,
)
from tests.sql import sent

pytestmark = pytest.mark.django_db

STEP_NAMES = ["basics", "context", "solutions", "budget", "documents", "review"]


def edit_url(proposal, step):
    return reverse("proposals:edit", args=[proposal.pk, step])


def step_post(proposal, **values):
    """The POST body of a step form: the version the person started from plus their values."""
    return {"version": proposal.version, **values}


def basics_post(proposal, **overrides):
    data = {
        "version": proposal.version,
        "title": proposal.title,
        "track": proposal.track_id,
        "country": str(proposal.country),
        "region_city": proposal.region_city,
        "jurisdiction_level": proposal.jurisdiction_level,
        "lead_organisation": proposal.lead_organisation,
        "partner_organisations": proposal.partner_organisations,
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "10",
        "contacts-0-name": "",
        "contacts-0-position": "",
        "contacts-0-email": "",
        "contacts-0-phone": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def owner_client(client):
    def _login(proposal):
        client.force_login(proposal.owner)
        return client

    return _login


# --- workspace ---------------------------------------------------------------------------------------------


def test_workspace_lists_organisation_proposals_with_status_next_step_and_due_date(client):
    service_levels()
    proposal = complete_proposal()
    services.proposal_submit(proposal=proposal, by=proposal.owner)
    colleague = applicant(organisation=proposal.organisation)
    other = ProposalFactory(title="Someone else's plan")
    client.force_login(colleague)

    response = client.get(reverse("proposals:workspace"))

    assert response.status_code == 200
    body = response.content.decode()
    assert proposal.title in body
    assert proposal.reference in body
    assert "after submitted" in body  # the ServiceLevel's next_step text
    assert 'data-status="submitted"' in body
    assert other.title not in body


def test_workspace_redirects_applicant_without_organisation_to_organisation_form(client):
    client.force_login(UserFactory())

    response = client.get(reverse("proposals:workspace"))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/organisation/new/?next=%2Fproposals%2F"


def test_workspace_makes_the_same_number_of_queries_for_1_and_20_proposals(client):
    service_levels()
    first = ProposalFactory()
    client.force_login(first.owner)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("proposals:workspace")).status_code == 200
    for _ in range(19):
        ProposalFactory(owner=first.owner, organisation=first.organisation, track=first.track)

    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("proposals:workspace"))

    assert len(response.context["proposals"]) == 20
    assert len(twenty) == len(one)


def test_workspace_shows_staff_every_proposal_without_start_button(client):
    proposal = ProposalFactory(status=Status.SUBMITTED, reference="KCN-2026-0001")
    draft = ProposalFactory(title="Still a draft")  # the applicant's own until submitted (issue 8)
    client.force_login(StaffFactory())

    response = client.get(reverse("proposals:workspace"))

    assert proposal.title in response.content.decode()
    assert draft.title not in response.content.decode()
    assert response.context["can_start"] is False


# --- starting a proposal ----------------------------------------------------------------------------------


def test_proposal_start_creates_draft_and_opens_the_first_step(client):
    user = applicant()
    track = TrackFactory(description="A city-wide plan.")
    client.force_login(user)

    page = client.get(reverse("proposals:start"))
    response = client.post(reverse("proposals:start"), {"track": track.pk, "title": "  Smart Surabaya  "})

    assert "A city-wide plan." in page.content.decode()
    assert "700,000,000" in page.content.decode()
    proposal = Proposal.objects.get(owner=user)
    assert proposal.title == "Smart Surabaya"
    assert proposal.status == Status.DRAFT
    assert response["Location"] == edit_url(proposal, "basics")


def test_proposal_start_without_organisation_redirects_with_next(client):
    client.force_login(UserFactory())

    response = client.get(reverse("proposals:start"))

    assert response["Location"] == "/accounts/organisation/new/?next=%2Fproposals%2Fnew%2F"


def test_proposal_start_refuses_inactive_track(client):
    user = applicant()
    track = TrackFactory(is_active=False)
    client.force_login(user)

    response = client.post(reverse("proposals:start"), {"track": track.pk, "title": "Plan"})

    assert response.status_code == 400  # the form is shown again with the reason
    assert "track" in response.context["form"].errors
    assert not Proposal.objects.exists()


# --- another organisation sees nothing --------------------------------------------------------------------


@pytest.mark.parametrize("step", STEP_NAMES)
def test_edit_step_of_another_organisation_is_404(client, step):
    proposal = ProposalFactory()
    client.force_login(applicant())

    assert client.get(edit_url(proposal, step)).status_code == 404
    assert client.post(edit_url(proposal, step), step_post(proposal, title="Hijack")).status_code == 404
    proposal.refresh_from_db()
    assert proposal.title != "Hijack"


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("proposals:detail", "get"),
        ("proposals:receipt", "get"),
        ("proposals:submit", "post"),
        ("proposals:withdraw", "post"),
        ("proposals:resubmit", "post"),
        ("proposals:message-create", "post"),
        ("proposals:invite", "post"),
    ],
)
def test_proposal_pages_of_another_organisation_are_404(client, name, method):
    proposal = complete_proposal()
    services.proposal_submit(proposal=proposal, by=proposal.owner)
    client.force_login(applicant())

    response = getattr(client, method)(reverse(name, args=[proposal.pk]), {"reason": "x", "body": "x"})

    assert response.status_code == 404


def test_autosave_and_attachments_of_another_organisation_are_404(client):
    proposal = complete_proposal()
    attachment = proposal.attachments.get()
    client.force_login(applicant())

    autosave = client.post(reverse("proposals:autosave", args=[proposal.pk, "context"]),
                           step_post(proposal, population="1"))
    download = client.get(reverse("proposals:attachment-download", args=[proposal.pk, attachment.pk]))
    delete = client.post(reverse("proposals:attachment-delete", args=[proposal.pk, attachment.pk]))

    assert (autosave.status_code, download.status_code, delete.status_code) == (404, 404, 404)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_unknown_step_is_404(owner_client):
    proposal = ProposalFactory()

    assert owner_client(proposal).get(f"/proposals/{proposal.pk}/edit/nonsense/").status_code == 404


# --- the steps --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("step", STEP_NAMES)
def test_every_step_renders_for_the_owner_with_step_navigation(owner_client, step):
    proposal = ProposalFactory()

    response = owner_client(proposal).get(edit_url(proposal, step))

    assert response.status_code == 200
    body = response.content.decode()
    for name in STEP_NAMES:
        assert f'id="step-link-{name}"' in body
    if step != "documents":
        assert f'name="version" value="{proposal.version}"' in body


def test_context_step_saves_through_the_service_and_continues(owner_client):
    proposal = ProposalFactory(population=None, city_context="")
    client = owner_client(proposal)

    response = client.post(
        edit_url(proposal, "context"),
        step_post(proposal, population="2,450,000", area_km2="326.81", city_context="Port city.", **{"continue": "1"}),
    )

    assert response["Location"] == edit_url(proposal, "solutions")
    proposal.refresh_from_db()
    assert (proposal.population, str(proposal.area_km2), proposal.city_context) == (2_450_000, "326.81", "Port city.")
    assert proposal.version == 2


def test_basics_step_saves_fields_and_contact_persons(owner_client):
    proposal = ProposalFactory()
    client = owner_client(proposal)

    response = client.post(edit_url(proposal, "basics"), basics_post(
        proposal, title="Smart Jakarta", **{"contacts-0-name": "Budi Santoso", "contacts-0-email": "budi@example.org",
                                            "contacts-0-position": "Head of planning"},
    ))

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Smart Jakarta"
    assert list(proposal.contacts.values_list("name", "email", "position")) == [
        ("Budi Santoso", "budi@example.org", "Head of planning")
    ]


def test_basics_step_removes_a_contact_marked_for_deletion(owner_client):
    proposal = ProposalFactory()
    ContactPerson.objects.create(proposal=proposal, name="Old Contact", email="old@example.org")
    client = owner_client(proposal)

    client.post(edit_url(proposal, "basics"), basics_post(proposal, **{
        "contacts-TOTAL_FORMS": "2", "contacts-INITIAL_FORMS": "1",
        "contacts-0-name": "Old Contact", "contacts-0-email": "old@example.org", "contacts-0-DELETE": "on",
    }))

    assert not proposal.contacts.exists()


def test_solutions_step_stores_ticked_categories(owner_client):
    proposal = ProposalFactory(solution_categories=[])
    client = owner_client(proposal)

    client.post(edit_url(proposal, "solutions"), step_post(
        proposal, problem_statement="Floods", solution_categories=["water", "safety"], proposed_solutions="Sensors",
        objectives="Fewer floods", expected_outcomes="A plan",
    ))

    proposal.refresh_from_db()
    assert proposal.solution_categories == ["water", "safety"]


def test_bad_values_show_per_field_messages_and_lose_nothing(owner_client):
    proposal = ProposalFactory(population=1_200_000, city_context="A fast-growing coastal city.")
    client = owner_client(proposal)

    response = client.post(edit_url(proposal, "context"), step_post(
        proposal, population="-5", area_km2="lots", city_context="My long new description of the city.",
    ))

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["population"] == ["The population cannot be negative."]
    assert form.errors["area_km2"] == ["Enter a number."]
    body = response.content.decode()
    assert "My long new description of the city." in body  # the typed text is still in the form
    assert 'value="-5"' in body
    proposal.refresh_from_db()
    assert (proposal.population, proposal.city_context, proposal.version) == (
        1_200_000, "A fast-growing coastal city.", 1
    )


def test_budget_duration_outside_1_to_60_is_refused_per_field(owner_client):
    proposal = ProposalFactory(duration_months=12)
    client = owner_client(proposal)

    response = client.post(edit_url(proposal, "budget"), step_post(proposal, duration_months="61"))
    not_a_number = client.post(edit_url(proposal, "budget"), step_post(proposal, duration_months="twelve"))

    assert response.context["form"].errors["duration_months"] == ["The duration must be between 1 and 60 months."]
    assert not_a_number.context["form"].errors["duration_months"] == ["Enter a whole number."]
    proposal.refresh_from_db()
    assert proposal.duration_months == 12


def test_budget_above_cap_saves_the_draft_with_a_warning(owner_client):
    proposal = ProposalFactory(track=TrackFactory(support_cap_krw=500_000_000))
    client = owner_client(proposal)

    client.post(edit_url(proposal, "budget"), step_post(proposal, requested_support_krw="800,000,000"))
    response = client.get(edit_url(proposal, "budget"))

    proposal.refresh_from_db()
    assert proposal.requested_support_krw == 800_000_000
    assert "KRW 800,000,000 is above the track&#x27;s cap of KRW 500,000,000" in response.content.decode()


def test_stale_version_shows_conflict_keeps_typed_text_and_second_save_goes_through(client):
    proposal = ProposalFactory(city_context="Original context.")
    colleague = UserFactory()
    proposal.collaborators.add(colleague)
    stale_version = proposal.version
    services.proposal_update(
        proposal=proposal, by=colleague, data={"city_context": "Colleague's context."}, expected_version=stale_version
    )
    client.force_login(proposal.owner)

    response = client.post(edit_url(proposal, "context"), {
        "version": stale_version, "population": "1200000", "area_km2": "300.50", "city_context": "My own context.",
    })

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this proposal while you were editing it." in body
    assert "My own context." in body
    assert "Colleague&#x27;s context." in body  # the latest saved value, side by side
    assert [row["name"] for row in response.context["conflict"]["rows"]] == ["city_context"]
    assert f'name="version" value="{stale_version + 1}"' in body
    proposal.refresh_from_db()
    assert proposal.city_context == "Colleague's context."

    again = client.post(edit_url(proposal, "context"), {
        "version": stale_version + 1, "population": "1200000", "area_km2": "300.50", "city_context": "My own context.",
    })

    assert again.status_code == 302
    proposal.refresh_from_db()
    assert proposal.city_context == "My own context."


def test_editing_a_submitted_proposal_redirects_to_its_page_with_a_message(owner_client):
    proposal = complete_proposal()
    services.proposal_submit(proposal=proposal, by=proposal.owner)
    client = owner_client(proposal)

    response = client.get(edit_url(proposal, "basics"), follow=True)

    assert response.redirect_chain == [(proposal.get_absolute_url(), 302)]
    assert "This proposal is submitted and can no longer be edited." in response.content.decode()


def test_organisation_colleague_who_is_not_a_collaborator_gets_403_with_reason(client):
    proposal = ProposalFactory()
    colleague = applicant(organisation=proposal.organisation)
    client.force_login(colleague)

    view = client.get(proposal.get_absolute_url())
    response = client.get(edit_url(proposal, "context"))

    assert view.status_code == 200
    assert response.status_code == 403
    assert "Only the proposal&#x27;s owner and the colleagues they invited can edit it." in response.content.decode()


# --- documents --------------------------------------------------------------------------------------------


def upload(client, proposal, file, kind="official_letter"):
    return client.post(edit_url(proposal, "documents"), {"kind": kind, "file": file})


def test_documents_step_attaches_a_pdf_and_lists_required_kinds(owner_client):
    proposal = ProposalFactory()
    client = owner_client(proposal)

    response = upload(client, proposal, pdf_upload("request-letter.pdf"))
    page = client.get(edit_url(proposal, "documents"))

    assert response.status_code == 302
    attachment = proposal.attachments.get()
    assert (attachment.original_name, attachment.kind, attachment.content_type) == (
        "request-letter.pdf", "official_letter", "application/pdf"
    )
    body = page.content.decode()
    assert "request-letter.pdf" in body
    assert 'data-kind="official_letter"' in body


def test_documents_step_refuses_text_named_pdf_and_says_why(owner_client):
    proposal = ProposalFactory()

    response = upload(owner_client(proposal), proposal, SimpleUploadedFile("plan.pdf", b"just some plain text\n"))

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "“plan.pdf” is not a PDF, DOCX, XLSX, PNG, JPEG file (its content is not what its name says). "
        "Accepted: PDF, DOCX, XLSX, PNG, JPEG."
    ]
    assert "is not a PDF, DOCX, XLSX, PNG, JPEG file" in response.content.decode()
    assert not proposal.attachments.exists()


def test_documents_step_refuses_disguised_executable(owner_client):
    proposal = ProposalFactory()
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"

    response = upload(owner_client(proposal), proposal, SimpleUploadedFile("budget.pdf", exe))

    assert "“budget.pdf” is not a PDF" in response.context["form"].errors["file"][0]
    assert not proposal.attachments.exists()


def test_documents_step_refuses_file_over_the_size_limit(owner_client, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    proposal = ProposalFactory()

    response = upload(owner_client(proposal), proposal, pdf_upload("big.pdf", PDF_BYTES + b"%" * 200))

    assert response.context["form"].errors["file"] == ["“big.pdf” is 325\xa0bytes; the limit is 100\xa0bytes."]
    assert not proposal.attachments.exists()


def test_documents_step_accepts_png_and_removes_it_again(owner_client):
    proposal = ProposalFactory()
    client = owner_client(proposal)
    upload(client, proposal, SimpleUploadedFile("site.png", PNG_BYTES), kind="site_information")
    attachment = proposal.attachments.get()

    response = client.post(reverse("proposals:attachment-delete", args=[proposal.pk, attachment.pk]))

    assert response["Location"] == edit_url(proposal, "documents")
    assert not proposal.attachments.exists()


def test_attachment_download_serves_the_file_to_the_team(owner_client):
    proposal = complete_proposal()
    attachment = proposal.attachments.get()

    response = owner_client(proposal).get(reverse("proposals:attachment-download", args=[proposal.pk, attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


# --- review and submission --------------------------------------------------------------------------------


def test_review_step_lists_checklist_problems_linked_to_their_steps(owner_client):
    proposal = ProposalFactory(population=None, consent=False)

    response = owner_client(proposal).get(edit_url(proposal, "review"))

    body = response.content.decode()
    assert "population is missing." in body.lower()
    assert f'href="{edit_url(proposal, "context")}"' in body
    assert "Attach the required document: Official request letter." in body
    assert f'href="{edit_url(proposal, "documents")}"' in body
    assert "Add at least one contact person." in body
    assert "Submit proposal" in body


def test_review_step_consent_problem_points_to_the_box_on_the_same_page(owner_client):
    proposal = ProposalFactory(consent=False)

    body = owner_client(proposal).get(edit_url(proposal, "review")).content.decode()

    assert '<li class="mb-2" id="consent-problem">' in body
    assert '<a href="#id_consent" class="text-nowrap">Tick the declaration below.</a>' in body
    assert "Go to Review and submit" not in body


def test_submit_from_review_step_leads_to_receipt_with_reference(owner_client):
    service_levels()
    proposal = complete_proposal(consent=False)
    client = owner_client(proposal)

    response = client.post(reverse("proposals:submit", args=[proposal.pk]),
                           {"version": proposal.version, "consent": "on"}, follow=True)

    proposal.refresh_from_db()
    assert response.redirect_chain == [(reverse("proposals:receipt", args=[proposal.pk]), 302)]
    assert proposal.status == Status.SUBMITTED
    assert proposal.consent is True
    assert re.fullmatch(r"KCN-\d{4}-\d{4}", proposal.reference)
    body = response.content.decode()
    assert proposal.reference in body
    assert f"{proposal.cycle.year} cycle" in body
    assert "after submitted" in body


def test_submit_with_missing_items_returns_to_review_with_reasons(owner_client):
    proposal = ProposalFactory(consent=True)
    client = owner_client(proposal)

    response = client.post(reverse("proposals:submit", args=[proposal.pk]),
                           {"version": proposal.version, "consent": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == edit_url(proposal, "review")
    # One error summary with a link to the step that puts each reason right, not one alert per reason.
    assert [str(m) for m in response.context["messages"]] == []
    summary = response.content.decode().split('id="error-summary"')[1].split("</div>")[0]
    documents = edit_url(proposal, "documents")
    link = f'<a class="alert-link" href="{documents}">Attach the required document: Official request letter.</a>'
    assert link in summary
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_submit_with_stale_review_page_is_refused(owner_client):
    proposal = complete_proposal()
    client = owner_client(proposal)
    services.proposal_update(proposal=proposal, by=proposal.owner, data={"title": "Changed"},
                             expected_version=proposal.version)

    response = client.post(reverse("proposals:submit", args=[proposal.pk]), {"version": 1, "consent": "on"})

    assert response["Location"] == edit_url(proposal, "review")
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_receipt_of_a_draft_redirects_to_the_proposal(owner_client):
    proposal = ProposalFactory()

    response = owner_client(proposal).get(reverse("proposals:receipt", args=[proposal.pk]))

    assert response["Location"] == proposal.get_absolute_url()


# --- autosave ---------------------------------------------------------------------------------------------


def test_autosave_saves_and_returns_new_version(owner_client):
    proposal = ProposalFactory()

    response = owner_client(proposal).post(
        reverse("proposals:autosave", args=[proposal.pk, "solutions"]),
        step_post(proposal, problem_statement="Typed so far", solution_categories=["energy"]),
    )

    assert response.status_code == 200
    assert response.json()["version"] == 2
    proposal.refresh_from_db()
    assert (proposal.problem_statement, proposal.solution_categories) == ("Typed so far", ["energy"])


def test_autosave_with_stale_version_returns_409_and_saves_nothing(owner_client):
    proposal = ProposalFactory(objectives="Theirs")
    services.proposal_update(proposal=proposal, by=proposal.owner, data={"objectives": "Newer"}, expected_version=1)

    response = owner_client(proposal).post(
        reverse("proposals:autosave", args=[proposal.pk, "solutions"]), {"version": 1, "objectives": "Mine"}
    )

    assert response.status_code == 409
    assert response.json()["version"] == 2
    assert "Someone else saved this proposal" in response.json()["error"]
    proposal.refresh_from_db()
    assert proposal.objectives == "Newer"


def test_autosave_with_bad_value_returns_400_with_field_errors(owner_client):
    proposal = ProposalFactory()

    response = owner_client(proposal).post(
        reverse("proposals:autosave", args=[proposal.pk, "budget"]), step_post(proposal, duration_months="0")
    )

    assert response.status_code == 400
    assert response.json() == {"errors": {"duration_months": ["The duration must be between 1 and 60 months."]}}


def test_autosave_of_basics_saves_contacts_and_reports_bad_contact_email(owner_client):
    proposal = ProposalFactory()
    client = owner_client(proposal)
    url = reverse("proposals:autosave", args=[proposal.pk, "basics"])

    bad = client.post(url, basics_post(proposal, **{"contacts-0-name": "Ana", "contacts-0-email": "ana@"}))
    good = client.post(url, basics_post(proposal, **{"contacts-0-name": "Ana", "contacts-0-email": "ana@example.org"}))

    assert bad.status_code == 400
    assert bad.json() == {"errors": {"contacts-0-email": ["Enter a valid email address."]}}
    assert good.status_code == 200
    proposal.refresh_from_db()
    assert good.json()["version"] == proposal.version
    assert list(proposal.contacts.values_list("name", "email")) == [("Ana", "ana@example.org")]


def test_autosave_on_submitted_proposal_returns_403(owner_client):
    proposal = complete_proposal()
    services.proposal_submit(proposal=proposal, by=proposal.owner)

    response = owner_client(proposal).post(
        reverse("proposals:autosave", args=[proposal.pk, "context"]), step_post(proposal, population="5")
    )

    assert response.status_code == 403
    assert response.json() == {"error": "This proposal is submitted and can no longer be edited."}


def test_step_page_loads_autosave_script_and_javascript_catalog(owner_client):
    proposal = ProposalFactory()

    body = owner_client(proposal).get(edit_url(proposal, "context")).content.decode()

    assert 'src="/jsi18n/"' in body
    assert "js/autosave.js" in body
    assert f'data-autosave-url="/proposals/{proposal.pk}/autosave/context/"' in body
    assert f'data-storage-key="kcity:proposal:{proposal.pk}:context"' in body


# --- the proposal page ------------------------------------------------------------------------------------


def test_detail_shows_timeline_next_step_and_hides_internal_notes_from_applicants(owner_client):
    service_levels()
    proposal = complete_proposal()
    services.proposal_submit(proposal=proposal, by=proposal.owner)
    staff = StaffFactory(full_name="Kim Minji")
    services.proposal_transition(proposal=proposal, to=Status.SCREENING, by=staff, note="Checked eligibility")
    services.message_post(proposal=proposal, by=staff, body="Welcome aboard")
    services.message_post(proposal=proposal, by=staff, body="Secret staff note", internal=True)

    body = owner_client(proposal).get(proposal.get_absolute_url()).content.decode()

    proposal.refresh_from_db()
    due_in_jakarta = proposal.due_at.astimezone(zoneinfo.ZoneInfo("Asia/Jakarta"))
    assert due_in_jakarta.strftime("%H:%M") == "21:59"  # 23:59:59 in Seoul, the owner sees Jakarta time
    # A deadline is a date, the Seoul office's day, whatever the reader's zone.
    shown = dateformat.format(proposal.due_at.astimezone(zoneinfo.ZoneInfo("Asia/Seoul")), "j F Y")
    assert f'id="due-at" datetime="{due_in_jakarta.isoformat()}">By {shown} (Seoul office day)</time>' in body
    assert "Kim Minji" in body
    assert "Checked eligibility" in body
    assert 'data-status="screening"' in body
    assert "after screening" in body
    assert "Welcome aboard" in body
    assert "Secret staff note" not in body


def test_message_form_posts_through_the_service(owner_client):
    proposal = ProposalFactory()
    client = owner_client(proposal)

    response = client.post(reverse("proposals:message-create", args=[proposal.pk]), {"body": "When is the call?"})
    empty = client.post(reverse("proposals:message-create", args=[proposal.pk]), {"body": "   "})

    assert response.status_code == 302
    assert list(Message.objects.values_list("body", "internal")) == [("When is the call?", False)]
    assert empty.status_code == 400
    assert "message_form" in empty.context


def test_withdraw_needs_a_reason_and_records_it(owner_client):
    proposal = complete_proposal()
    services.proposal_submit(proposal=proposal, by=proposal.owner)
    client = owner_client(proposal)

    refused = client.post(reverse("proposals:withdraw", args=[proposal.pk]), {"reason": "", "confirm": "on"})
    response = client.post(reverse("proposals:withdraw", args=[proposal.pk]),
                           {"reason": "Merged with another project", "confirm": "on"})

    assert refused.status_code == 400
    assert refused.context["withdraw_form"].errors["reason"] == ["Please give a reason."]
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert StatusChange.objects.filter(proposal=proposal, to_status=Status.WITHDRAWN).get().note == (
        "Merged with another project"
    )


def test_withdrawing_a_withdrawn_proposal_is_a_message_not_an_error(owner_client):
    proposal = ProposalFactory()
    services.proposal_withdraw(proposal=proposal, by=proposal.owner, reason="No longer needed")

    response = owner_client(proposal).post(reverse("proposals:withdraw", args=[proposal.pk]),
                                           {"reason": "Again", "confirm": "on"}, follow=True)

    assert response.status_code == 200
    assert "A proposal that is withdrawn cannot be moved to withdrawn." in [
        str(m) for m in response.context["messages"]
    ]


def test_information_request_shows_banner_and_resubmit_returns_to_screening(owner_client):
    service_levels()
    proposal = complete_proposal()
    services.proposal_submit(proposal=proposal, by=proposal.owner)
    staff = StaffFactory()
    services.proposal_transition(proposal=proposal, to=Status.SCREENING, by=staff)
    services.proposal_request_info(proposal=proposal, by=staff, message="Please add the site map.")
    client = owner_client(proposal)

    page = client.get(proposal.get_absolute_url())
    edit_page = client.get(edit_url(proposal, "context"))
    confirm = client.post(reverse("proposals:resubmit", args=[proposal.pk]), {"note": "Site map attached."})
    assert (confirm.status_code, proposal.status) == (200, Status.INFO_REQUESTED)  # the confirm step, nothing sent
    assert 'id="resubmit-confirm"' in confirm.content.decode()
    response = client.post(reverse("proposals:resubmit", args=[proposal.pk]),
                           {"note": "Site map attached.", "confirm": "yes"})

    body = page.content.decode()
    assert 'id="info-request"' in body
    assert "Please add the site map." in body
    assert "Edit and resubmit" in body
    assert edit_page.status_code == 200
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.SCREENING
    assert Message.objects.filter(proposal=proposal, body="Site map attached.").exists()


# --- collaborators ----------------------------------------------------------------------------------------


def test_collaborator_invite_accept_and_edit_but_not_submit_or_withdraw(client, mailoutbox):
    proposal = complete_proposal()
    colleague = applicant(email="colleague@example.org", full_name="Dewi Lestari")
    client.force_login(proposal.owner)

    invite = client.post(reverse("proposals:invite", args=[proposal.pk]), {"email": "Colleague@Example.org"})
    owner_page = client.get(proposal.get_absolute_url()).content.decode()
    invitation = Invitation.objects.get(proposal=proposal)
    client.force_login(colleague)
    landing = client.get(reverse("proposals:invitation-accept", args=[invitation.token]))
    accept = client.post(reverse("proposals:invitation-accept", args=[invitation.token]))
    edit = client.post(edit_url(proposal, "context"), step_post(
        proposal, population="999", area_km2="1", city_context="Edited by a colleague",
    ))
    submit = client.post(reverse("proposals:submit", args=[proposal.pk]), {"version": 2, "consent": "on"})
    withdraw = client.post(reverse("proposals:withdraw", args=[proposal.pk]), {"reason": "x", "confirm": "on"})
    review = client.get(edit_url(proposal, "review")).content.decode()

    assert invite.status_code == 302
    assert "colleague@example.org" in owner_page
    assert landing.status_code == 200
    assert accept["Location"] == proposal.get_absolute_url()
    assert edit.status_code == 302
    proposal.refresh_from_db()
    assert proposal.city_context == "Edited by a colleague"
    assert (submit.status_code, withdraw.status_code) == (403, 403)
    assert "Only the proposal&#x27;s owner" in submit.content.decode()
    assert proposal.status == Status.DRAFT
    assert "Submit proposal" not in review
    assert 'id="owner-only-note"' in review


def test_invitation_for_another_address_is_refused_with_reason(client):
    proposal = ProposalFactory()
    invitation = services.invitation_create(proposal=proposal, by=proposal.owner, email="right@example.org")
    client.force_login(applicant(email="wrong@example.org"))

    response = client.post(reverse("proposals:invitation-accept", args=[invitation.token]))

    assert response.status_code == 403
    assert "This invitation was sent to right@example.org." in response.content.decode()
    assert not proposal.collaborators.exists()


def test_invitation_with_unknown_token_is_404(client):
    client.force_login(applicant())

    assert client.get(reverse("proposals:invitation-accept", args=["no-such-token"])).status_code == 404


def test_only_the_owner_can_invite(client):
    proposal = ProposalFactory()
    colleague = UserFactory(role=Role.APPLICANT)
    proposal.collaborators.add(colleague)
    client.force_login(colleague)

    response = client.post(reverse("proposals:invite", args=[proposal.pk]), {"email": "x@example.org"})

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_proposal_page_costs_the_same_queries_for_one_and_many_messages_history_rows_and_documents(client):
    service_levels()
    proposal = ProposalFactory()
    colleague = UserFactory()
    proposal.collaborators.add(colleague)
    client.force_login(proposal.owner)
    Message.objects.create(proposal=proposal, author=proposal.owner, body="First")
    with CaptureQueriesContext(connection) as one:
        assert client.get(proposal.get_absolute_url()).status_code == 200
    staff = StaffFactory()
    for n in range(20):
        Message.objects.create(proposal=proposal, author=staff if n % 2 else colleague, body=f"Reply {n}")
        StatusChange.objects.create(proposal=proposal, to_status=Status.DRAFT, by=staff, note=f"Note {n}")
        ContactPerson.objects.create(proposal=proposal, name=f"Contact {n}", email=f"c{n}@example.org")

    with CaptureQueriesContext(connection) as many:
        response = client.get(proposal.get_absolute_url())

    assert len(response.context["thread"]) == 21 and len(response.context["timeline"]) == 20
    # The session and its user, the proposal (with what other apps ask of it: no letter, report or session here,
    # so no query of theirs), its history, thread, contacts, documents and team, the notices badge; its row says
    # it has no invitation pending, so none is asked for.
    assert len(many) == len(one) == 9
    Invitation.objects.create(proposal=proposal, email="new@example.org", invited_by=proposal.owner)
    with CaptureQueriesContext(connection) as invited:
        response = client.get(proposal.get_absolute_url())
    assert len(invited) == 10 and [i.email for i in response.context["pending_invitations"]] == ["new@example.org"]
    proposal.collaborators.clear()
    Invitation.objects.all().delete()
    with CaptureQueriesContext(connection) as alone:
        response = client.get(proposal.get_absolute_url())
    assert len(alone) == 8 and response.context["collaborators"] == []
    # The page reads its proposal with the shown columns only: no row is fetched again for a deferred field.
    refetch = 'FROM "proposals_proposal" WHERE "proposals_proposal"."id" ='
    assert not [sql for sql in sent(many) if refetch in sql]


def test_proposal_page_of_its_owner_skips_the_visibility_rule_and_others_still_pass_through_it(client):
    service_levels()
    proposal = ProposalFactory()
    colleague = UserFactory(role=Role.APPLICANT)
    proposal.collaborators.add(colleague)
    stranger = UserFactory(role=Role.APPLICANT)
    client.force_login(proposal.owner)

    with CaptureQueriesContext(connection) as owner_queries:
        owner_page = client.get(proposal.get_absolute_url())

    assert owner_page.status_code == 200
    assert not [sql for sql in sent(owner_queries) if "UNION" in sql]
    client.force_login(colleague)
    assert client.get(proposal.get_absolute_url()).status_code == 200
    client.force_login(stranger)
    assert client.get(proposal.get_absolute_url()).status_code == 404


def test_a_drafts_page_asks_for_no_service_level_and_a_submitted_ones_shows_its_own(client):
    service_levels()
    draft = ProposalFactory()
    client.force_login(draft.owner)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(draft.get_absolute_url())

    assert response.context["next_step"] == "Complete the form and submit it"
    assert not [sql for sql in sent(queries) if sql.startswith('SELECT "proposals_servicelevel"')]
    Proposal.objects.filter(pk=draft.pk).update(status=Status.SCREENING)
    assert client.get(draft.get_absolute_url()).context["next_step"] == "after screening"
