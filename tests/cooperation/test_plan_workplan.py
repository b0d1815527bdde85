"""The work plan's moves, every one from every state, allowed and refused (WORK_MOVES and REVISION_MOVES), late
submission, versions, notices, and what the services record."""

import datetime
from itertools import product

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from cooperation.models import (
    WORK_MOVES,
    Deliverable,
    DocumentCategory,
    DueDateRevision,
    Milestone,
    ProjectEvent,
    RevisionState,
    Side,
    WorkStatus,
)
from cooperation.services import (
    deliverable_create,
    deliverable_submit,
    due_date_decide,
    due_date_request,
    milestone_create,
    milestone_submit,
    work_item_move,
    work_item_update,
    work_review,
)
from core.errors import TransitionRefused
from notifications.models import Notice
from tests.factories import pdf_upload
from tests.factories.cooperation_plan import plan_project

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LATER = TODAY + datetime.timedelta(days=30)


@pytest.fixture
def plan():
    parties = plan_project()
    milestone = milestone_create(project=parties.project, title="Inception", due_date=LATER,
                                 owner_side=Side.CONTRACTOR, by=parties.staff)
    deliverable = deliverable_create(milestone=milestone, title="Inception report", due_date=LATER,
                                     owner_side=Side.CONTRACTOR, by=parties.staff)
    return parties, milestone, deliverable


def _person(parties, who):
    return {"owner": parties.contractor, "partner": parties.partner, "staff": parties.staff,
            "centre": parties.centre}[who]


def _move(item, target, by):
    if target == WorkStatus.SUBMITTED:
        if isinstance(item, Deliverable):
            return deliverable_submit(deliverable=item, upload=pdf_upload(), by=by)
        return milestone_submit(milestone=item, by=by)
    return work_review(item=item, accept=target == WorkStatus.ACCEPTED, note="Add the annex.", by=by)


MOVES = [(kind, source, target, who) for kind, source, target, who in product(
    ["milestone", "deliverable"], WorkStatus.values,
    [WorkStatus.SUBMITTED, WorkStatus.ACCEPTED, WorkStatus.CHANGES_REQUESTED], ["owner", "partner", "staff", "centre"])
    if source != target]


@pytest.mark.parametrize(("kind", "source", "target", "who"), MOVES)
def test_every_work_move_from_every_state(plan, kind, source, target, who):
    parties, milestone, deliverable = plan
    item = deliverable if kind == "deliverable" else milestone
    if kind == "milestone":  # a milestone is accepted only with its deliverables accepted
        Deliverable.objects.filter(pk=deliverable.pk).update(status=WorkStatus.ACCEPTED)
    type(item).objects.filter(pk=item.pk).update(status=source)
    item.refresh_from_db()
    mover = WORK_MOVES.get((source, target))
    allowed = mover is not None and ((mover == "owner" and who == "owner") or (mover == "staff" and who == "staff"))
    may_ever = (who == "owner") if target == WorkStatus.SUBMITTED else (who == "staff")

    if allowed:
        _move(item, target, _person(parties, who))
        item.refresh_from_db()
        assert item.status == target
    else:
        with pytest.raises(TransitionRefused if may_ever else PermissionDenied):
            _move(item, target, _person(parties, who))
        item.refresh_from_db()
        assert item.status == source


def test_staff_submit_an_item_molit_owns(plan):
    parties, milestone, _deliverable = plan
    work_item_update(item=milestone, owner_side=Side.MOLIT, by=parties.staff)
    milestone_submit(milestone=milestone, by=parties.staff)
    milestone.refresh_from_db()
    assert milestone.status == WorkStatus.SUBMITTED


def test_milestone_accepted_only_once_its_deliverables_are(plan):
    parties, milestone, deliverable = plan
    milestone_submit(milestone=milestone, by=parties.contractor)
    with pytest.raises(TransitionRefused, match="Accept the deliverables of “Inception” first"):
        work_review(item=milestone, accept=True, by=parties.staff)
    deliverable_submit(deliverable=deliverable, upload=pdf_upload(), by=parties.contractor)
    work_review(item=deliverable, accept=True, by=parties.staff)
    work_review(item=milestone, accept=True, by=parties.staff)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.accepted_at is not None) == (WorkStatus.ACCEPTED, True)


def test_changes_requested_needs_a_note(plan):
    parties, _milestone, deliverable = plan
    deliverable_submit(deliverable=deliverable, upload=pdf_upload(), by=parties.contractor)
    with pytest.raises(ValidationError) as refused:
        work_review(item=deliverable, accept=False, note="  ", by=parties.staff)
    assert refused.value.message_dict == {"note": ["Say what needs to change."]}


def test_late_submission_needs_a_justification(plan):
    parties, _milestone, deliverable = plan
    Deliverable.objects.filter(pk=deliverable.pk).update(due_date=TODAY - datetime.timedelta(days=2))
    deliverable.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        deliverable_submit(deliverable=deliverable, upload=pdf_upload(), by=parties.contractor)
    due = (TODAY - datetime.timedelta(days=2)).isoformat()
    assert refused.value.message_dict == {
        "late_justification": [f"“Inception report” was due on {due}. Say why it is late before submitting it."]}
    assert not deliverable.versions.exists()

    deliverable_submit(deliverable=deliverable, upload=pdf_upload(), late_justification="Survey delayed by rain.",
                       by=parties.contractor)
    deliverable.refresh_from_db()
    assert (deliverable.status, deliverable.late_justification) == (WorkStatus.SUBMITTED, "Survey delayed by rain.")
    assert ProjectEvent.objects.filter(kind="plan.submitted_late", project=parties.project).count() == 1


def test_on_time_submission_keeps_no_justification(plan):
    parties, milestone, _deliverable = plan
    milestone_submit(milestone=milestone, late_justification="not needed", by=parties.contractor)
    milestone.refresh_from_db()
    assert milestone.late_justification == ""


def test_each_upload_is_a_new_version_backed_by_a_deliverable_document(plan):
    parties, _milestone, deliverable = plan
    first = deliverable_submit(deliverable=deliverable, upload=pdf_upload("draft.pdf"), by=parties.contractor)
    work_review(item=deliverable, accept=False, note="Add the maps.", by=parties.staff)
    second = deliverable_submit(deliverable=deliverable, upload=pdf_upload("final.pdf"), note="Maps added",
                                by=parties.contractor)

    assert [(v.number, v.document.original_name, v.document.category, v.note)
            for v in deliverable.versions.select_related("document")] == [
        (2, "final.pdf", DocumentCategory.DELIVERABLE, "Maps added"),
        (1, "draft.pdf", DocumentCategory.DELIVERABLE, "")]
    assert first.document_id != second.document_id


def test_an_upload_is_checked_like_a_proposals_attachment(plan):
    parties, _milestone, deliverable = plan
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    with pytest.raises(ValidationError, match="is not a PDF, DOCX, XLSX, PNG, JPEG file"):
        deliverable_submit(deliverable=deliverable, upload=fake, by=parties.contractor)
    deliverable.refresh_from_db()
    assert (deliverable.status, deliverable.versions.count()) == (WorkStatus.PENDING, 0)


def test_submission_tells_staff_and_the_decision_tells_the_owner_side(plan):
    parties, _milestone, deliverable = plan
    deliverable_submit(deliverable=deliverable, upload=pdf_upload(), by=parties.contractor)
    assert list(Notice.objects.filter(event="plan_work_submitted").values_list("user", flat=True)) == [
        parties.staff.pk]
    work_review(item=deliverable, accept=True, by=parties.staff)
    assert list(Notice.objects.filter(event="plan_work_reviewed").values_list("user", flat=True)) == [
        parties.contractor.pk]
    assert AuditEntry.objects.filter(action__in=["deliverable.submit", "deliverable.accept"]).count() == 2


# --- due-date revisions -----------------------------------------------------------------------------------------

REQUESTS = list(product(WorkStatus.values, ["owner", "partner", "staff", "centre"]))


@pytest.mark.parametrize(("status", "who"), REQUESTS)
def test_who_may_ask_to_move_a_due_date_in_every_state(plan, status, who):
    parties, _milestone, deliverable = plan
    Deliverable.objects.filter(pk=deliverable.pk).update(status=status)
    deliverable.refresh_from_db()
    new = LATER + datetime.timedelta(days=10)
    if who in ("owner", "staff") and status != WorkStatus.ACCEPTED:
        revision = due_date_request(item=deliverable, new_date=new, reason="Rainy season", by=_person(parties, who))
        assert (revision.state, revision.old_date, revision.new_date) == (RevisionState.REQUESTED, LATER, new)
        deliverable.refresh_from_db()
        assert deliverable.due_date == LATER  # unchanged until approved
    else:
        expected = PermissionDenied if who in ("partner", "centre") else TransitionRefused
        with pytest.raises(expected):
            due_date_request(item=deliverable, new_date=new, reason="Rainy season", by=_person(parties, who))
        assert not DueDateRevision.objects.exists()


def test_one_request_at_a_time_and_a_reason_and_a_new_date(plan):
    parties, milestone, _deliverable = plan
    with pytest.raises(ValidationError):
        due_date_request(item=milestone, new_date=LATER + datetime.timedelta(days=1), reason=" ", by=parties.contractor)
    with pytest.raises(ValidationError):
        due_date_request(item=milestone, new_date=LATER, reason="Same", by=parties.contractor)
    due_date_request(item=milestone, new_date=LATER + datetime.timedelta(days=1), reason="Why", by=parties.contractor)
    with pytest.raises(TransitionRefused, match="already waiting"):
        due_date_request(item=milestone, new_date=LATER + datetime.timedelta(days=2), reason="Again",
                         by=parties.contractor)


DECISIONS = list(product(RevisionState.values, [True, False], ["staff", "owner", "partner"]))


@pytest.mark.parametrize(("state", "approve", "who"), DECISIONS)
def test_only_staff_decide_a_requested_revision_once(plan, state, approve, who):
    parties, milestone, _deliverable = plan
    new = LATER + datetime.timedelta(days=14)
    revision = due_date_request(item=milestone, new_date=new, reason="Elections", by=parties.contractor)
    DueDateRevision.objects.filter(pk=revision.pk).update(state=state)
    if state == RevisionState.REQUESTED and who == "staff":
        due_date_decide(revision=revision, approve=approve, note="Agreed at the joint committee", by=parties.staff)
        revision.refresh_from_db()
        milestone.refresh_from_db()
        assert revision.state == (RevisionState.APPROVED if approve else RevisionState.REFUSED)
        assert revision.decided_by == parties.staff
        assert milestone.due_date == (new if approve else LATER)
    else:
        with pytest.raises(PermissionDenied if who != "staff" else TransitionRefused):
            due_date_decide(revision=revision, approve=approve, by=_person(parties, who))
        milestone.refresh_from_db()
        assert milestone.due_date == LATER


def test_due_date_request_and_decision_tell_the_other_side(plan):
    parties, milestone, _deliverable = plan
    revision = due_date_request(item=milestone, new_date=LATER + datetime.timedelta(days=3), reason="Holidays",
                                by=parties.contractor)
    assert list(Notice.objects.filter(event="plan_due_date_requested").values_list("user", flat=True)) == [
        parties.staff.pk]
    due_date_decide(revision=revision, approve=True, by=parties.staff)
    assert list(Notice.objects.filter(event="plan_due_date_decided").values_list("user", flat=True)) == [
        parties.contractor.pk]
    assert ProjectEvent.objects.filter(project=parties.project, kind="plan.due_date_approved").count() == 1


# --- set-up -----------------------------------------------------------------------------------------------------

def test_only_staff_set_up_the_plan(plan):
    parties, milestone, _deliverable = plan
    for person in (parties.contractor, parties.partner, parties.centre):
        with pytest.raises(PermissionDenied):
            milestone_create(project=parties.project, title="X", due_date=LATER, owner_side=Side.PARTNER, by=person)
        with pytest.raises(PermissionDenied):
            work_item_update(item=milestone, title="Renamed", by=person)


def test_the_due_date_does_not_change_by_editing(plan):
    parties, milestone, _deliverable = plan
    with pytest.raises(ValidationError, match="A due date moves by an approved request"):
        work_item_update(item=milestone, due_date=TODAY, by=parties.staff)


def test_staff_order_the_milestones(plan):
    parties, _first, _deliverable = plan
    second = milestone_create(project=parties.project, title="Draft plan", due_date=LATER, owner_side=Side.CONTRACTOR,
                              by=parties.staff)
    work_item_move(item=second, up=True, by=parties.staff)
    assert list(Milestone.objects.filter(project=parties.project).order_by("order").values_list("title", flat=True)) \
        == ["Draft plan", "Inception"]
    assert AuditEntry.objects.filter(action="milestone.move").count() == 1
