"""Notice kinds: each app declares its own (and holds their e-mail templates); notify() refuses an undeclared one."""

from pathlib import Path

import pytest
from django.apps import apps
from django.template.loader import get_template

from notifications.models import Notice, OutboxEmail
from notifications.registry import NoticeKind, UnknownNoticeKind, kind_for, kinds, register_kinds
from notifications.services import notify, notify_address
from tests.factories import UserFactory

# Every kind with its owner, the label on the settings page and the roles offered it (empty: everyone).
DECLARED = {
    "proposal_acknowledged": ("proposals", "Submission received", set()),
    "proposal_status_changed": ("proposals", "A proposal moves to a new stage", set()),
    "proposal_message": ("proposals", "New message on a proposal", set()),
    "collaborator_invited": ("proposals", "Invitation to work on a proposal", set()),
    "draft_stale_reminder": ("proposals", "Reminder about an untouched draft", set()),
    "info_request_reminder": ("proposals", "Reminder about an unanswered information request", set()),
    "info_request_overdue_staff": ("proposals", "Information request unanswered for 30 days (staff)", {"staff"}),
    "staff_digest": ("proposals", "Daily staff digest (staff)", {"staff"}),
    "proposal_assigned": ("proposals", "A proposal is assigned to me (staff)", {"staff"}),
    "proposal_submitted_staff": ("proposals", "A new proposal is submitted (staff)", {"staff"}),
    "proposal_resubmitted_staff": ("proposals", "An applicant answers an information request (staff)", {"staff"}),
    "applicant_message_staff": ("proposals", "An applicant writes about a proposal (staff)", {"staff"}),
    "booking_confirmed": ("consulting", "Pre-consulting session booked", set()),
    "booking_invited": ("consulting", "Invitation to a pre-consulting session", set()),
    "booking_accepted": ("consulting", "Pre-consulting invitation accepted", set()),
    "booking_rescheduled": ("consulting", "Pre-consulting session moved", set()),
    "booking_cancelled": ("consulting", "Pre-consulting session cancelled", set()),
    "booking_reminder": ("consulting", "Reminder before a pre-consulting session", set()),
    "booking_report_filed": ("consulting", "Pre-consulting report filed", set()),
    "booking_report_due": ("consulting", "Pre-consulting report still to write (consultants)", {"consultant"}),
    "booking_made_staff": ("consulting", "A pre-consulting session is booked (staff)", {"staff"}),
    "report_filed_staff": ("consulting", "A pre-consulting report is filed (staff)", {"staff"}),
    "committee_assigned": ("committee", "Proposal assigned for review (committee)", {"committee_member"}),
    "committee_review_reminder": ("committee", "Review due before a meeting (committee)", {"committee_member"}),
    "committee_decision": ("committee", "Committee decision", set()),
    # --- meetings ---
    "cooperation_meeting_scheduled": ("cooperation", "A joint committee or other project meeting is scheduled", set()),
    "cooperation_meeting_cancelled": ("cooperation", "A project meeting is cancelled", set()),
    "cooperation_action_assigned": ("cooperation", "An action item from a project meeting is mine", set()),
    "cooperation_action_reminder": ("cooperation", "An action item is due soon or overdue", set()),
    "cooperation_action_escalated": ("cooperation", "An action item is overdue by 14 days (escalation)", set()),
    "cooperation_minutes_to_acknowledge": ("cooperation", "Minutes of a project meeting wait for acknowledgment",
                                           set()),
    "cooperation_minutes_final": ("cooperation", "Minutes of a project meeting are final", set()),
    # --- cooperation: project, plan, reports ---
    "plan_work_submitted": ("cooperation", "A milestone or deliverable is submitted for acceptance", set()),
    "plan_work_reviewed": ("cooperation", "A milestone or deliverable is accepted or needs changes", set()),
    "plan_due_date_requested": ("cooperation", "A request to move a due date", set()),
    "plan_due_date_decided": ("cooperation", "A request to move a due date is decided", set()),
    "project_contractor_invited": ("cooperation", "Invitation to work on a cooperation project", {"contractor"}),
    "project_message": ("cooperation", "New message on a cooperation project", set()),
    "report_submitted": ("cooperation", "A progress report is submitted", set()),
    "report_acknowledged": ("cooperation", "The partner government acknowledges a progress report", set()),
    "report_accepted": ("cooperation", "A progress report is accepted", set()),
    "report_changes_requested": ("cooperation", "Changes asked for in a progress report", set()),
    "report_revision_started": ("cooperation", "A progress report is being revised (staff)", {"staff"}),
    "report_due_soon": ("cooperation", "A progress report is due in a week", set()),
    "report_overdue": ("cooperation", "A progress report is overdue", set()),
    "work_item_due_soon": ("cooperation", "A milestone or deliverable is due soon", set()),
    "work_item_overdue": ("cooperation", "A milestone or deliverable is overdue", set()),
    "cooperation_overdue_digest": ("cooperation", "Weekly digest of overdue project work (staff)", {"staff"}),
}


def test_kinds_are_declared_by_their_apps_with_labels_and_roles():
    declared = {k.name: (k.app_label, str(k.label), set(k.roles)) for k in kinds()}

    assert declared == DECLARED


@pytest.mark.parametrize("kind", kinds(), ids=lambda k: k.name)
def test_kind_templates_live_in_the_declaring_app(kind):
    app_dir = Path(apps.get_app_config(kind.app_label).path)

    for part in ("subject", "body"):
        origin = Path(get_template(f"notifications/email/{kind.name}.{part}.txt", using="text").origin.name)
        assert origin.is_relative_to(app_dir / "templates" / "notifications" / "email")


def test_every_email_template_belongs_to_a_declared_kind():
    names = {k.name for k in kinds()}
    found = {
        path.name.split(".")[0]
        for config in apps.get_app_configs()
        for path in (Path(config.path) / "templates" / "notifications" / "email").glob("*.subject.txt")
    }

    assert found == names


@pytest.mark.django_db
def test_notify_refuses_an_undeclared_kind_and_writes_nothing():
    person = UserFactory()

    with pytest.raises(UnknownNoticeKind):
        notify(event="proposal_acknowledgd", recipients=[person], context={})
    with pytest.raises(UnknownNoticeKind):
        notify_address(event="no_such_kind", email="someone@example.org", context={})

    assert (Notice.objects.count(), OutboxEmail.objects.count()) == (0, 0)


def test_register_kinds_is_idempotent_but_refuses_a_clash():
    existing = kind_for("committee_decision")

    register_kinds(existing)
    with pytest.raises(ValueError, match="already declared by 'committee'"):
        register_kinds(NoticeKind("committee_decision", "Another label", app_label="cooperation"))

    assert kind_for("committee_decision") is existing
