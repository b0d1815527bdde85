"""The proposal's own admin page: a button for each move moves_for offers this person now, through the workflow
service, refusals as admin messages; information request templates staff pick from and edit (issue 12)."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEntry
from proposals import services
from proposals.models import InfoRequestTemplate, Message, Proposal, StatusChange
from proposals.workflow import Status
from tests.factories import (
    ProposalFactory,
    StaffFactory,
    TrackFactory,
    applicant,
    proposal_in,
    service_levels,
    submitted_proposal,
)
from tests.factories.consulting import filed_report

pytestmark = pytest.mark.django_db


def change_url(proposal):
    return reverse("admin:proposals_proposal_change", args=[proposal.pk])


def move_url(proposal):
    return reverse("admin:proposals_proposal_move", args=[proposal.pk])


def buttons(html: str) -> list[str]:
    return re.findall(r'class="workflow-move" id="move-([a-z_]+-[a-z_]+)"', html)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def staff(client):
    service_levels()
    user = StaffFactory()
    client.force_login(user)
    return user


@pytest.mark.parametrize(("status", "expected"), [
    (Status.SUBMITTED, ["start_screening-screening"]),
    (Status.SCREENING, ["request_information-info_requested", "send_to_pre_consulting-pre_consulting",
                        "send_to_committee_review-committee_review"]),
    (Status.INFO_REQUESTED, []),
    (Status.PRE_CONSULTING, ["request_information-info_requested", "send_to_committee_review-committee_review",
                             "return_to_screening-screening"]),
    (Status.COMMITTEE_REVIEW, ["return_to_screening-screening"]),
])
def test_change_page_offers_a_button_for_each_move_the_table_allows_now(client, staff, status, expected):
    proposal = proposal_in(status, staff=staff)

    html = client.get(change_url(proposal)).content.decode()

    assert buttons(html) == expected
    if not expected:
        assert 'id="no-moves"' in html


def test_committee_review_button_is_not_offered_while_the_report_is_missing(client, staff):
    proposal = proposal_in(Status.PRE_CONSULTING, staff=staff, track=TrackFactory(pre_consulting_required=True))

    assert "send_to_committee_review-committee_review" not in buttons(client.get(change_url(proposal)).content.decode())

    filed_report(proposal)
    assert "send_to_committee_review-committee_review" in buttons(client.get(change_url(proposal)).content.decode())


def test_a_button_moves_the_proposal_through_the_service(client, staff):
    proposal = submitted_proposal()

    response = client.post(move_url(proposal), {"target": Status.SCREENING}, follow=True)

    proposal.refresh_from_db()
    assert proposal.status == Status.SCREENING
    assert texts(response) == ["Moved to Screening."]
    assert response.redirect_chain[-1][0] == change_url(proposal)
    assert StatusChange.objects.filter(proposal=proposal, to_status=Status.SCREENING, by=staff).count() == 1
    assert AuditEntry.objects.filter(action="proposal.transition", actor=staff).count() == 1


def test_a_note_with_a_move_needs_its_reader_and_keeps_an_internal_one_internal(client, staff):
    proposal = proposal_in(Status.SCREENING, staff=staff)

    refused = client.post(move_url(proposal), {"target": Status.PRE_CONSULTING, "note": "Budget is high"},
                          follow=True)
    assert texts(refused) == ["The proposal was not moved: Say who reads this note: the applicant, or staff only."]
    proposal.refresh_from_db()
    assert proposal.status == Status.SCREENING

    client.post(move_url(proposal), {"target": Status.PRE_CONSULTING, "note": "Budget is high",
                                     "note_visibility": "internal"})
    change = StatusChange.objects.get(proposal=proposal, to_status=Status.PRE_CONSULTING)
    assert (change.note, change.note_internal) == ("Budget is high", True)


def test_a_refused_move_is_an_admin_message_and_changes_nothing(client, staff):
    proposal = proposal_in(Status.PRE_CONSULTING, staff=staff, track=TrackFactory(pre_consulting_required=True))

    response = client.post(move_url(proposal), {"target": Status.COMMITTEE_REVIEW}, follow=True)

    proposal.refresh_from_db()
    assert proposal.status == Status.PRE_CONSULTING
    [message] = texts(response)
    assert message.startswith("The proposal was not moved: ")
    assert "report" in message


def test_request_information_without_a_message_is_refused(client, staff):
    proposal = proposal_in(Status.SCREENING, staff=staff)

    response = client.post(move_url(proposal), {"target": Status.INFO_REQUESTED, "note": "  "}, follow=True)

    assert texts(response) == ["The proposal was not moved: Please give a reason or message for this step."]
    proposal.refresh_from_db()
    assert proposal.status == Status.SCREENING


def test_an_unknown_target_is_refused_with_a_message(client, staff):
    proposal = submitted_proposal()

    response = client.post(move_url(proposal), {"target": "launched"}, follow=True)

    assert texts(response) == ["Choose one of the steps offered."]


def test_move_of_a_draft_is_404_and_a_get_is_405(client, staff):
    draft = ProposalFactory()
    assert client.post(move_url(draft), {"target": Status.SUBMITTED}).status_code == 404
    assert client.get(move_url(submitted_proposal())).status_code == 405


def test_move_by_someone_outside_the_back_office_is_refused(client):
    service_levels()
    proposal = submitted_proposal()
    client.force_login(proposal.owner)

    response = client.post(move_url(proposal), {"target": Status.SCREENING})

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


# --- information request templates ---------------------------------------------------------------------


@pytest.fixture
def census(staff):
    return services.info_request_template_save(
        template=InfoRequestTemplate(name="Census figures", body="Please give the population from the 2020 census."),
        by=staff)


def test_request_information_offers_the_templates_and_fills_the_chosen_one(client, staff, census):
    InfoRequestTemplate.objects.create(name="Retired", body="old", is_active=False)
    proposal = proposal_in(Status.SCREENING, staff=staff)

    html = client.get(change_url(proposal)).content.decode()
    assert "Census figures" in html and "Retired" not in html
    assert f'data-body="{census.body}"' in html

    chosen = client.get(change_url(proposal), {"rfi_template": census.pk}).content.decode()
    assert re.search(r'<textarea id="note-\d+" name="note"[^>]*required>Please give the population', chosen)


def test_request_information_sends_the_edited_template_text(client, staff, census):
    proposal = proposal_in(Status.SCREENING, staff=staff)
    edited = census.body + " The 2010 figure is too old."

    client.post(move_url(proposal), {"target": Status.INFO_REQUESTED, "note": edited})

    proposal.refresh_from_db()
    assert proposal.status == Status.INFO_REQUESTED
    assert Message.objects.get(proposal=proposal).body == edited


def test_bulk_request_information_offers_templates_and_uses_one_without_script(client, staff, census):
    proposal = proposal_in(Status.SCREENING, staff=staff)
    changelist = reverse("admin:proposals_proposal_changelist")
    data = {"action": "request_information", "_selected_action": [proposal.pk], "index": 0}

    shown = client.post(changelist, {**data, "use_template": "1", "template": census.pk}).content.decode()
    assert re.search(r'<textarea name="message"[^>]*>\s*Please give the population', shown)

    client.post(changelist, {**data, "apply": "1", "message": "Edited: census please."})
    assert Proposal.objects.get(pk=proposal.pk).status == Status.INFO_REQUESTED


def test_template_save_and_delete_are_audited_and_staff_only(staff, census):
    assert AuditEntry.objects.filter(action="info_request_template.create", target_id=str(census.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.info_request_template_save(template=InfoRequestTemplate(name="x", body="y"), by=applicant())

    services.info_request_template_delete(template=census, by=staff)

    assert not InfoRequestTemplate.objects.exists()
    assert AuditEntry.objects.filter(action="info_request_template.delete").count() == 1


def test_template_admin_writes_through_the_service(client, staff):
    client.post(reverse("admin:proposals_inforequesttemplate_add"),
                {"name": "Official letter", "body": "Please attach the signed letter.", "is_active": "on",
                 "order": "0"})

    template = InfoRequestTemplate.objects.get()
    assert AuditEntry.objects.filter(action="info_request_template.create", actor=staff,
                                     target_id=str(template.pk)).exists()


def test_assignment_rule_admin_writes_through_the_service(client, staff):
    lead = StaffFactory()
    track = TrackFactory()
    client.post(reverse("admin:proposals_assignmentrule_add"), {"track": track.pk, "staff": lead.pk,
                                                                 "is_active": "on"})

    assert AuditEntry.objects.filter(action="assignment_rule.create", actor=staff).count() == 1


def test_back_office_pages_link_back_to_the_inbox_for_staff(client, staff):
    html = client.get(change_url(submitted_proposal())).content.decode()

    assert f'<a href="{reverse("proposals_staff:inbox")}" id="admin-inbox-link">Inbox</a>' in html
