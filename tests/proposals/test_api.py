"""`/api/v1/proposals/`: the applicant's operations through the API, with token authentication."""

import datetime
import hashlib
import io
import zipfile
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from proposals import selectors
from proposals.models import Attachment, ContactPerson, Cycle, Message, Proposal, StatusChange
from proposals.services import proposal_request_info, proposal_transition
from proposals.workflow import Status
from tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    ProposalFactory,
    StaffFactory,
    TrackFactory,
    applicant,
    complete_proposal,
    pdf_upload,
    service_levels,
)

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def draft():
    """A complete draft (passes the checklist) with one contact and the track's required official letter."""
    return complete_proposal(title="Smart mobility master plan for Surabaya")


@pytest.fixture
def owner_api(draft):
    return api_for(draft.owner)


@pytest.fixture
def stranger_api():
    """An applicant of another organisation."""
    return api_for(applicant(email="kamau@example.org"))


def open_cycle_this_year(track):
    """A cycle whose cut-off is the year's last day, so a submission today joins this year's cycle."""
    year = timezone.now().astimezone(SEOUL).year
    Cycle.objects.create(programme=track.programme, year=year, cutoff=datetime.date(year, 12, 31))
    return year


# --- list -----------------------------------------------------------------------------------------------


def test_proposal_list_shows_only_own_organisation(owner_api, draft):
    ProposalFactory(title="Kenyan county water plan")

    response = owner_api.get("/api/v1/proposals/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == draft.pk
    assert row["title"] == "Smart mobility master plan for Surabaya"
    assert row["status"] == "draft"
    assert row["status_display"] == "Draft"
    assert row["track"] == draft.track_id
    assert row["track_name"] == draft.track.name
    assert row["organisation_name"] == draft.organisation.name
    assert row["reference"] is None
    assert row["cycle_year"] is None
    assert row["version"] == 1


def test_proposal_list_filters_by_status_track_and_cycle(owner_api, draft):
    other_track = TrackFactory()
    year = open_cycle_this_year(draft.track)
    submitted = ProposalFactory(
        owner=draft.owner, track=other_track, status=Status.SUBMITTED, reference="KCN-2026-0007",
        cycle=Cycle.objects.get(year=year),
    )

    by_status = owner_api.get("/api/v1/proposals/", {"status": "submitted"}).json()
    by_track = owner_api.get("/api/v1/proposals/", {"track": draft.track_id}).json()
    by_cycle_year = owner_api.get("/api/v1/proposals/", {"cycle_year": year}).json()
    by_cycle = owner_api.get("/api/v1/proposals/", {"cycle": submitted.cycle_id}).json()

    assert [p["id"] for p in by_status["results"]] == [submitted.pk]
    assert [p["id"] for p in by_track["results"]] == [draft.pk]
    assert [p["id"] for p in by_cycle_year["results"]] == [submitted.pk]
    assert [p["id"] for p in by_cycle["results"]] == [submitted.pk]


def test_proposal_list_bad_filter_is_400(owner_api):
    response = owner_api.get("/api/v1/proposals/", {"status": "dreaming", "track": "abc"})

    assert response.status_code == 400
    assert set(response.json()) == {"status", "track"}


def test_proposal_list_next_step_and_due_date(owner_api, draft):
    service_levels()
    ProposalFactory(owner=draft.owner, status=Status.SUBMITTED, reference="KCN-2026-0009",
                    due_at=datetime.datetime(2026, 12, 1, 23, 59, 59, tzinfo=SEOUL))

    rows = {p["status"]: p for p in owner_api.get("/api/v1/proposals/").json()["results"]}

    assert rows["submitted"]["next_step"] == "after submitted"
    # The applicant's time zone (Asia/Jakarta, two hours behind Seoul).
    assert rows["submitted"]["due_at"] == "2026-12-01T21:59:59+07:00"
    assert rows["draft"]["next_step"] == ""


def test_proposal_list_query_count_is_the_same_for_1_and_20_proposals(owner_api, draft):
    service_levels()
    with CaptureQueriesContext(connection) as one:
        first = owner_api.get("/api/v1/proposals/")
    for _ in range(19):
        ProposalFactory(owner=draft.owner, track=TrackFactory())
    with CaptureQueriesContext(connection) as twenty:
        second = owner_api.get("/api/v1/proposals/")

    assert first.json()["count"] == 1
    assert second.json()["count"] == 20
    assert len(twenty.captured_queries) == len(one.captured_queries)


def test_staff_proposal_list_query_count_is_the_same_for_1_and_20_proposals():
    service_levels()
    staff_api = api_for(StaffFactory())
    ProposalFactory(status=Status.SUBMITTED, reference="KCN-2026-0100")
    with CaptureQueriesContext(connection) as one:
        first = staff_api.get("/api/v1/proposals/")
    for n in range(19):
        ProposalFactory(status=Status.SCREENING, reference=f"KCN-2026-{n + 101:04d}", track=TrackFactory())
    with CaptureQueriesContext(connection) as twenty:
        second = staff_api.get("/api/v1/proposals/")

    assert first.json()["count"] == 1
    assert second.json()["count"] == 20
    assert len(twenty.captured_queries) == len(one.captured_queries)


def test_staff_proposal_list_kept_per_language_lists_what_is_there_now_in_the_readers_language():
    """The staff list's queryset is built once per language (selectors._STAFF_API_ROWS) and cloned per request:
    a proposal added after the first request is in the next one, and a Korean reader's rows are in Korean."""
    service_levels()
    selectors._STAFF_API_ROWS.clear()
    first = ProposalFactory(status=Status.SUBMITTED, reference="KCN-2026-0100")
    english, korean = api_for(StaffFactory(language="en")), api_for(StaffFactory(language="ko"))
    before = english.get("/api/v1/proposals/").json()
    second = ProposalFactory(status=Status.SCREENING, reference="KCN-2026-0101")
    after = english.get("/api/v1/proposals/").json()
    in_korean = korean.get("/api/v1/proposals/").json()

    assert [row["id"] for row in before["results"]] == [first.pk]
    assert [row["id"] for row in after["results"]] == [second.pk, first.pk]
    assert [row["id"] for row in in_korean["results"]] == [second.pk, first.pk]
    with translation.override("ko"):
        assert in_korean["results"][0]["status_display"] == str(Status.SCREENING.label)
    assert after["results"][0]["status_display"] == "Screening"
    assert set(selectors._STAFF_API_ROWS) == {"en", "ko"}


def test_proposal_list_names_the_track_in_the_readers_language_else_english(draft):
    Proposal.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED, reference="KCN-2026-0011")
    translated = TrackFactory(name_en="Smart Urban planning", name_ko="스마트 도시계획")
    ProposalFactory(track=translated, status=Status.SUBMITTED, reference="KCN-2026-0012")

    rows = api_for(StaffFactory(language="ko")).get("/api/v1/proposals/").json()["results"]

    names = {row["reference"]: row["track_name"] for row in rows}
    assert names == {"KCN-2026-0011": draft.track.name_en, "KCN-2026-0012": "스마트 도시계획"}


def test_proposal_list_needs_authentication():
    response = APIClient().get("/api/v1/proposals/")

    assert response.status_code == 401


# --- create and read ------------------------------------------------------------------------------------


def test_proposal_create_starts_a_draft_for_the_applicants_organisation():
    person = applicant(email="siti@example.org")
    track = TrackFactory()

    response = api_for(person).post(
        "/api/v1/proposals/", {"track": track.pk, "title": "  Flood early warning  "}, format="json"
    )

    assert response.status_code == 201
    proposal = Proposal.objects.get()
    assert response.json()["id"] == proposal.pk
    assert response.json()["status"] == "draft"
    assert response.json()["title"] == "Flood early warning"
    assert response.json()["organisation"]["id"] == person.organisation.pk
    assert response.json()["owner"] == person.full_name
    assert proposal.owner == person
    assert proposal.track == track


def test_proposal_create_closed_track_is_400():
    track = TrackFactory(is_active=False)

    response = api_for(applicant()).post("/api/v1/proposals/", {"track": track.pk, "title": "Plan"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["track"]
    assert not Proposal.objects.exists()


def test_proposal_create_by_staff_is_403():
    track = TrackFactory()

    response = api_for(StaffFactory(language="en")).post(
        "/api/v1/proposals/", {"track": track.pk, "title": "Plan"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "Only applicants can start a proposal."}


def test_api_answers_in_the_token_users_language():
    track = TrackFactory()
    with translation.override("ko"):
        korean = translation.gettext("Only applicants can start a proposal.")

    response = api_for(StaffFactory(language="ko")).post(
        "/api/v1/proposals/", {"track": track.pk, "title": "Plan"}, format="json"
    )

    assert korean != "Only applicants can start a proposal."
    assert response.json() == {"detail": korean}
    assert response["Content-Language"] == "ko"


def test_proposal_retrieve_shows_full_detail(owner_api, draft):
    service_levels()

    response = owner_api.get(f"/api/v1/proposals/{draft.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Smart mobility master plan for Surabaya"
    assert body["status"] == "draft"
    assert body["contacts"] == [{"name": "Siti Rahma", "position": "", "email": "siti@example.org", "phone": ""}]
    [attachment] = body["attachments"]
    stored = draft.attachments.get()
    assert attachment["id"] == stored.pk
    assert attachment["kind"] == "official_letter"
    assert attachment["original_name"] == "official_letter.pdf"
    assert attachment["size"] == len(PDF_BYTES)
    assert attachment["download_url"] == (
        f"http://testserver/api/v1/proposals/{draft.pk}/attachments/{stored.pk}/download/"
    )
    assert body["population"] == 1_200_000
    assert body["area_km2"] == "300.50"
    assert body["solution_categories"] == ["mobility", "water"]
    assert body["can_edit"] is True
    assert body["can_submit"] is True
    assert body["can_withdraw"] is True
    assert body["cycle_year"] is None
    assert body["due_at"] is None


# --- update ---------------------------------------------------------------------------------------------


def test_proposal_partial_update_saves_and_raises_version(owner_api, draft):
    response = owner_api.patch(
        f"/api/v1/proposals/{draft.pk}/",
        {"version": 1, "title": "Integrated mobility plan", "population": 2_900_000, "solution_categories": ["energy"]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Integrated mobility plan"
    assert response.json()["version"] == 2
    draft.refresh_from_db()
    assert (draft.title, draft.population, draft.solution_categories, draft.version) == (
        "Integrated mobility plan", 2_900_000, ["energy"], 2,
    )


def test_proposal_update_sets_contacts_as_a_nested_list(owner_api, draft):
    contacts = [
        {"name": "Dewi Lestari", "position": "Head of planning", "email": "dewi@example.org", "phone": "+62 31 123"},
        {"name": "Agus Salim", "position": "", "email": "agus@example.org", "phone": ""},
    ]

    response = owner_api.patch(f"/api/v1/proposals/{draft.pk}/", {"version": 1, "contacts": contacts}, format="json")

    assert response.status_code == 200
    assert response.json()["contacts"] == contacts
    assert list(ContactPerson.objects.filter(proposal=draft).values_list("name", flat=True)) == [
        "Dewi Lestari", "Agus Salim",
    ]
    assert response.json()["version"] == 2


def test_proposal_update_without_version_is_400(owner_api, draft):
    response = owner_api.patch(f"/api/v1/proposals/{draft.pk}/", {"title": "New"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"version": ["Send the version of the proposal you last read."]}
    draft.refresh_from_db()
    assert draft.title == "Smart mobility master plan for Surabaya"


def test_proposal_update_stale_version_is_409_and_keeps_the_other_save(owner_api, draft):
    colleague = api_for(applicant(organisation=draft.organisation))
    draft.collaborators.add(Token.objects.exclude(user=draft.owner).get().user)
    first = colleague.patch(f"/api/v1/proposals/{draft.pk}/", {"version": 1, "title": "Colleague's title"},
                            format="json")

    second = owner_api.patch(f"/api/v1/proposals/{draft.pk}/", {"version": 1, "title": "Owner's title"},
                             format="json")

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json() == {
        "detail": "Someone else saved this proposal while you were editing it. Your text has been kept in the form: "
        "compare it with the latest version below and save again.",
        "code": "conflict",
        "current_version": 2,
    }
    draft.refresh_from_db()
    assert draft.title == "Colleague's title"


def test_proposal_update_stale_version_does_not_replace_contacts(owner_api, draft):
    draft.version = 3
    draft.save()

    response = owner_api.patch(
        f"/api/v1/proposals/{draft.pk}/",
        {"version": 2, "contacts": [{"name": "Agus Salim", "email": "agus@example.org"}]}, format="json",
    )

    assert response.status_code == 409
    assert list(draft.contacts.values_list("name", flat=True)) == ["Siti Rahma"]


def test_proposal_update_when_not_editable_is_403(draft):
    draft.status = Status.SUBMITTED
    draft.save()

    response = api_for(draft.owner).patch(f"/api/v1/proposals/{draft.pk}/", {"version": 1, "title": "Late edit"},
                                          format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "This proposal is submitted and can no longer be edited."}


def test_proposal_update_bad_values_are_400_per_field(owner_api, draft):
    response = owner_api.patch(
        f"/api/v1/proposals/{draft.pk}/",
        {"version": 1, "duration_months": 99, "solution_categories": ["teleportation"], "country": "XX"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"duration_months", "solution_categories", "country"}
    assert response.json()["duration_months"] == ["Ensure this value is less than or equal to 60."]


def test_proposal_update_blank_country_reads_back_as_empty_string(owner_api, draft):
    # Found by the API fuzz run: a blank country used to crash the response (500).
    response = owner_api.patch(f"/api/v1/proposals/{draft.pk}/", {"version": 1, "country": ""}, format="json")

    assert response.status_code == 200
    assert response.json()["country"] == ""
    assert owner_api.get("/api/v1/proposals/").json()["results"][0]["country"] == ""


def test_proposal_put_requires_title_and_track(owner_api, draft):
    response = owner_api.put(f"/api/v1/proposals/{draft.pk}/", {"version": 1}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"title", "track"}


# --- submit, withdraw, resubmit -------------------------------------------------------------------------


def test_proposal_submit_assigns_reference_and_cycle(owner_api, draft):
    year = open_cycle_this_year(draft.track)

    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/submit/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert body["reference"] == f"KCN-{year}-0001"
    assert body["cycle_year"] == year
    assert body["can_edit"] is False
    draft.refresh_from_db()
    assert (draft.status, draft.reference, draft.cycle.year) == (Status.SUBMITTED, f"KCN-{year}-0001", year)


def test_proposal_submit_incomplete_is_400_with_problems(owner_api, draft):
    draft.consent = False
    draft.requested_support_krw = 900_000_000
    draft.save()
    draft.attachments.all().delete()

    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/submit/")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "incomplete"
    assert body["detail"] == "This proposal cannot be submitted yet: see the problems listed."
    assert [p["code"] for p in body["problems"]] == ["missing:consent", "attachment:official_letter", "eligibility:cap"]
    assert body["problems"][1] == {
        "code": "attachment:official_letter", "message": "Attach the required document: Official request letter.",
        "step": "documents",
    }
    draft.refresh_from_db()
    assert (draft.status, draft.reference) == (Status.DRAFT, None)


def test_proposal_submit_twice_is_400(owner_api, draft):
    year = open_cycle_this_year(draft.track)
    owner_api.post(f"/api/v1/proposals/{draft.pk}/submit/")

    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/submit/")

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"This proposal was already submitted (KCN-{year}-0001).", "code": "transition_refused",
    }


def test_proposal_submit_by_organisation_colleague_is_refused(draft):
    colleague = applicant(organisation=draft.organisation)

    response = api_for(colleague).post(f"/api/v1/proposals/{draft.pk}/submit/")

    # Permission before state: 403 (it was 400 "transition_refused", decided only after the state checks).
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the proposal's owner can submit it."}


def test_proposal_withdraw_needs_a_reason(owner_api, draft):
    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/withdraw/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"reason": ["This field is required."]}
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_proposal_withdraw_with_reason(owner_api, draft):
    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/withdraw/", {"reason": "Budget moved to 2027."},
                              format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    change = StatusChange.objects.get(proposal=draft)
    assert (change.from_status, change.to_status, change.note) == ("draft", "withdrawn", "Budget moved to 2027.")


def test_proposal_withdraw_twice_is_400(owner_api, draft):
    owner_api.post(f"/api/v1/proposals/{draft.pk}/withdraw/", {"reason": "No budget."}, format="json")

    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/withdraw/", {"reason": "Again."}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "transition_refused"


def test_proposal_resubmit_after_information_request_returns_to_screening(owner_api, draft):
    open_cycle_this_year(draft.track)
    staff = StaffFactory()
    owner_api.post(f"/api/v1/proposals/{draft.pk}/submit/")
    proposal_transition(proposal=draft, to=Status.SCREENING, by=staff)
    proposal_request_info(proposal=draft, by=staff, message="Please attach the budget sheet.")
    edited = owner_api.patch(f"/api/v1/proposals/{draft.pk}/", {"version": draft.version, "objectives": "More."},
                             format="json")

    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/resubmit/", {"note": "Budget attached."},
                              format="json")

    assert edited.status_code == 200
    assert response.status_code == 200
    assert response.json()["status"] == "screening"
    assert list(draft.messages.values_list("body", flat=True)) == [
        "Please attach the budget sheet.", "Budget attached.",
    ]


def test_proposal_resubmit_of_a_draft_is_400(owner_api, draft):
    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/resubmit/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "transition_refused"


# --- history, checklist, messages -----------------------------------------------------------------------


def test_proposal_history_lists_status_changes(owner_api, draft):
    open_cycle_this_year(draft.track)
    owner_api.post(f"/api/v1/proposals/{draft.pk}/submit/")
    proposal_transition(proposal=draft, to=Status.SCREENING, by=StaffFactory(full_name="Kim Minji"))

    response = owner_api.get(f"/api/v1/proposals/{draft.pk}/history/")

    assert response.status_code == 200
    rows = [(r["from_status"], r["to_status"], r["to_status_display"], r["by"]) for r in response.json()["results"]]
    assert rows == [
        ("draft", "submitted", "Submitted", draft.owner.full_name),
        ("submitted", "screening", "Screening", "Kim Minji"),
    ]


def test_proposal_history_queries_do_not_grow_with_its_rows(owner_api, draft):
    open_cycle_this_year(draft.track)
    owner_api.post(f"/api/v1/proposals/{draft.pk}/submit/")
    url = f"/api/v1/proposals/{draft.pk}/history/"
    with CaptureQueriesContext(connection) as short:
        owner_api.get(url)
    targets = [Status.SCREENING, *[Status.PRE_CONSULTING, Status.SCREENING] * 3, Status.PRE_CONSULTING]
    for number, target in enumerate(targets):  # each move by another member of staff
        proposal_transition(proposal=draft, to=target, by=StaffFactory(full_name=f"Staff {number}"))

    with CaptureQueriesContext(connection) as long:
        response = owner_api.get(url)

    assert len(response.json()["results"]) == 9
    assert len(long) == len(short)


def test_proposal_checklist_lists_problems(owner_api, draft):
    draft.contacts.all().delete()

    response = owner_api.get(f"/api/v1/proposals/{draft.pk}/checklist/")

    assert response.status_code == 200
    assert response.json() == {
        "ready": False,
        "problems": [{"code": "missing:contacts", "message": "Add at least one contact person.", "step": "basics"}],
    }


def test_proposal_checklist_ready(owner_api, draft):
    response = owner_api.get(f"/api/v1/proposals/{draft.pk}/checklist/")

    assert response.json() == {"ready": True, "problems": []}


def test_messages_applicant_sees_thread_without_internal_notes(owner_api, draft):
    Proposal.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)  # staff do not read drafts (issue 8)
    staff = StaffFactory(full_name="Kim Minji")
    Message.objects.create(proposal=draft, author=staff, body="Welcome to the programme.")
    Message.objects.create(proposal=draft, author=staff, body="Check the budget carefully.", internal=True)

    applicant_view = owner_api.get(f"/api/v1/proposals/{draft.pk}/messages/").json()["results"]
    staff_view = api_for(staff).get(f"/api/v1/proposals/{draft.pk}/messages/").json()["results"]

    assert [(m["author"], m["body"], m["from_staff"]) for m in applicant_view] == [
        ("Kim Minji", "Welcome to the programme.", True),
    ]
    assert [m["body"] for m in staff_view] == ["Welcome to the programme.", "Check the budget carefully."]


def test_messages_post_by_applicant(owner_api, draft):
    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/messages/", {"body": "When is the next step?"},
                              format="json")

    assert response.status_code == 201
    assert response.json()["body"] == "When is the next step?"
    assert response.json()["internal"] is False
    assert Message.objects.get().author == draft.owner


def test_messages_internal_note_by_applicant_is_403(owner_api, draft):
    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/messages/", {"body": "Psst", "internal": True},
                              format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only staff can write internal notes."}
    assert not Message.objects.exists()


def test_messages_blank_body_is_400(owner_api, draft):
    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/messages/", {"body": "   "}, format="json")

    assert response.status_code == 400
    assert response.json() == {"body": ["This field may not be blank."]}


# --- attachments ----------------------------------------------------------------------------------------


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_attachment_upload_pdf(owner_api, draft):
    response = owner_api.post(
        f"/api/v1/proposals/{draft.pk}/attachments/",
        {"kind": "concept_note", "file": pdf_upload("concept note.pdf")}, format="multipart",
    )

    assert response.status_code == 201
    body = response.json()
    stored = Attachment.objects.get(pk=body["id"])
    assert (body["kind"], body["original_name"], body["content_type"], body["size"]) == (
        "concept_note", "concept note.pdf", "application/pdf", len(PDF_BYTES),
    )
    assert body["sha256"] == stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert body["uploaded_by"] == draft.owner.full_name


def test_attachment_upload_docx_recognised_by_content(owner_api, draft):

    upload = SimpleUploadedFile("budget", _docx_bytes(), content_type="application/octet-stream")

    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/attachments/", {"kind": "budget", "file": upload},
                              format="multipart")

    assert response.status_code == 201
    assert response.json()["content_type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_attachment_upload_wrong_type_by_content_is_400(owner_api, draft):

    upload = SimpleUploadedFile("notes.txt", b"Just some plain text notes.", content_type="text/plain")

    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/attachments/", {"kind": "other", "file": upload},
                              format="multipart")

    assert response.status_code == 400
    assert response.json() == {
        "detail": ["“notes.txt” is not a PDF, DOCX, XLSX, PNG, JPEG file (its content is not what its name says). "
                   "Accepted: PDF, DOCX, XLSX, PNG, JPEG."]
    }
    assert draft.attachments.count() == 1


def test_attachment_upload_disguised_type_is_400(owner_api, draft):

    # A Windows executable named and labelled as a PDF.
    upload = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")

    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/attachments/",
                              {"kind": "official_letter", "file": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json()["detail"][0].startswith("“letter.pdf” is not a PDF, DOCX, XLSX, PNG, JPEG file")
    assert draft.attachments.count() == 1


def test_attachment_upload_zip_named_docx_is_400(owner_api, draft):

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    upload = SimpleUploadedFile("plan.docx", buffer.getvalue(), content_type="application/zip")

    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/attachments/", {"kind": "other", "file": upload},
                              format="multipart")

    assert response.status_code == 400
    assert response.json()["detail"][0].startswith("“plan.docx” is not a PDF, DOCX, XLSX, PNG, JPEG file")


def test_attachment_upload_too_big_is_400(owner_api, draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 100

    upload = SimpleUploadedFile("photo.png", PNG_BYTES + b"\x00" * 100, content_type="image/png")

    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/attachments/",
                              {"kind": "site_information", "file": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {"detail": ["“photo.png” is 166\xa0bytes; the limit is 100\xa0bytes."]}
    assert draft.attachments.count() == 1


def test_attachment_upload_empty_is_400(owner_api, draft):

    response = owner_api.post(f"/api/v1/proposals/{draft.pk}/attachments/",
                              {"kind": "other", "file": SimpleUploadedFile("empty.pdf", b"")}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {"detail": ["“empty.pdf” is empty."]}


def test_attachment_upload_to_submitted_proposal_is_403(draft):
    draft.status = Status.SUBMITTED
    draft.save()

    response = api_for(draft.owner).post(f"/api/v1/proposals/{draft.pk}/attachments/",
                                         {"kind": "other", "file": pdf_upload()}, format="multipart")

    assert response.status_code == 403
    assert response.json() == {"detail": "You cannot add documents to this proposal now."}


def test_attachment_list_download_and_delete(owner_api, draft):
    stored = draft.attachments.get()

    listed = owner_api.get(f"/api/v1/proposals/{draft.pk}/attachments/")
    detail = owner_api.get(f"/api/v1/proposals/{draft.pk}/attachments/{stored.pk}/")
    download = owner_api.get(f"/api/v1/proposals/{draft.pk}/attachments/{stored.pk}/download/")
    deleted = owner_api.delete(f"/api/v1/proposals/{draft.pk}/attachments/{stored.pk}/")

    assert [a["id"] for a in listed.json()["results"]] == [stored.pk]
    assert detail.json()["original_name"] == "official_letter.pdf"
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="official_letter.pdf"'
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert deleted.status_code == 204
    assert not Attachment.objects.filter(pk=stored.pk).exists()


def test_attachment_of_another_proposal_is_404_under_this_one(owner_api, draft):
    mine_too = complete_proposal(owner=draft.owner)
    other_attachment = mine_too.attachments.get()

    response = owner_api.get(f"/api/v1/proposals/{draft.pk}/attachments/{other_attachment.pk}/download/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Document not found."}


# --- another organisation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/api/v1/proposals/{p}/", None),
        ("put", "/api/v1/proposals/{p}/", {"version": 1, "title": "Mine now", "track": "{t}"}),
        ("patch", "/api/v1/proposals/{p}/", {"version": 1, "title": "Mine now"}),
        ("post", "/api/v1/proposals/{p}/submit/", None),
        ("post", "/api/v1/proposals/{p}/withdraw/", {"reason": "Not yours"}),
        ("post", "/api/v1/proposals/{p}/resubmit/", {"note": "Not yours"}),
        ("get", "/api/v1/proposals/{p}/history/", None),
        ("get", "/api/v1/proposals/{p}/checklist/", None),
        ("get", "/api/v1/proposals/{p}/messages/", None),
        ("post", "/api/v1/proposals/{p}/messages/", {"body": "Hello"}),
        ("get", "/api/v1/proposals/{p}/attachments/", None),
        ("post", "/api/v1/proposals/{p}/attachments/", "upload"),
        ("get", "/api/v1/proposals/{p}/attachments/{a}/", None),
        ("get", "/api/v1/proposals/{p}/attachments/{a}/download/", None),
        ("delete", "/api/v1/proposals/{p}/attachments/{a}/", None),
    ],
)
def test_other_organisation_gets_404(stranger_api, draft, method, path, data):
    attachment = draft.attachments.get()
    url = path.format(p=draft.pk, a=attachment.pk)
    if data == "upload":
        response = stranger_api.post(url, {"kind": "other", "file": pdf_upload()}, format="multipart")
    else:
        if data and "track" in data:
            data = {**data, "track": draft.track_id}
        response = getattr(stranger_api, method)(url, data, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "Proposal not found."}
    draft.refresh_from_db()
    assert (draft.title, draft.status, draft.version) == ("Smart mobility master plan for Surabaya", "draft", 1)
    assert draft.attachments.count() == 1
    assert not Message.objects.exists()


def test_other_organisation_not_in_list(stranger_api, draft):
    response = stranger_api.get("/api/v1/proposals/")

    assert response.json()["count"] == 0


# --- schema ---------------------------------------------------------------------------------------------


def test_schema_and_docs_are_served():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = APIClient().get("/api/docs/")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/proposals/{id}/submit/" in paths
    assert "/api/v1/proposals/{proposal_pk}/attachments/" in paths
    assert docs.status_code == 200
    # Swagger UI comes from the portal's own static files (drf-spectacular-sidecar), never from a CDN.
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs.content
    assert b"cdn.jsdelivr.net" not in docs.content
