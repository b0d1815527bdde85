"""Meetings, their agenda outcomes and the decision's link to the change it approved: every meeting move allowed
and refused, by whom; session numbers; carry-over of open action items."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from cooperation import services
from cooperation.models import (
    ActionStatus,
    BudgetRevision,
    DueDateRevision,
    MeetingKind,
    MeetingStatus,
    Milestone,
    OutcomeKind,
    ProjectEvent,
    Side,
)
from cooperation.selectors_meetings import decisions_approving, project_decisions_with_changes
from core.errors import TransitionRefused
from notifications.models import Notice
from tests.factories.cooperation_meetings import action_for, meeting_held, meeting_scheduled, minutes_for, project_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return project_cast()


def test_session_numbers_follow_per_project_and_kind(cast):
    first = meeting_scheduled(cast, days=5)
    second = meeting_scheduled(cast, days=50)
    talk = meeting_scheduled(cast, kind=MeetingKind.BILATERAL, days=20)
    elsewhere = meeting_scheduled(cast, project=cast.other_project, days=5)

    assert [first.session_number, second.session_number, talk.session_number, elsewhere.session_number] == [1, 2, 1, 1]
    assert str(second) == "Intergovernmental joint committee, session 2"


def test_scheduling_records_audit_timeline_and_tells_the_parties_with_an_invitation(cast):
    meeting = meeting_scheduled(cast, days=5, facilitating_centre=cast.centre)

    assert AuditEntry.objects.filter(action="cooperation_meeting.schedule", target_id=str(meeting.pk)).count() == 1
    event = ProjectEvent.objects.get(project=cast.project, kind="meeting.scheduled")
    assert "(Asia/Jakarta)" in event.params["when"]
    told = set(Notice.objects.filter(event="cooperation_meeting_scheduled").values_list("user_id", flat=True))
    assert told == {cast.partner.pk, cast.contractor.pk, cast.centre_staff.pk}  # not the organiser (staff) itself
    from notifications.models import OutboxEmail
    mail = OutboxEmail.objects.filter(event="cooperation_meeting_scheduled", user=cast.partner).get()
    assert mail.attachments[0]["filename"] == "meeting.ics"
    assert "BEGIN:VCALENDAR" in mail.attachments[0]["content"]


def test_open_action_items_of_earlier_sessions_are_carried_into_the_next(cast):
    first = meeting_held(cast, days=-30)
    still_open = action_for(cast, first, title="Share the traffic data")
    done = action_for(cast, first, title="Name a focal point")
    services.action_item_move(action=done, target=ActionStatus.DONE, note="Named Ms Siti.", by=cast.partner)

    second = meeting_scheduled(cast, days=10)

    assert list(second.carried_actions.all()) == [still_open]
    assert list(still_open.carried_into.all()) == [second]


def test_an_item_agreed_when_a_later_session_exists_is_carried_into_it(cast):
    first = meeting_held(cast, days=-30)
    later = meeting_scheduled(cast, days=10)

    action = action_for(cast, first)

    assert list(action.carried_into.all()) == [later]


def test_an_item_open_across_two_sessions_is_carried_into_both(cast):
    first = meeting_held(cast, days=-60)
    action = action_for(cast, first)
    second = meeting_held(cast, days=-20)
    third = meeting_scheduled(cast, days=10)

    assert set(action.carried_into.all()) == {second, third}


# --- every meeting move, allowed and refused -------------------------------------------------------------------

OK, STATE, WHO = "ok", "state", "who"
ACTORS = ["staff", "centre_staff", "partner", "contractor"]


def _meeting_in(cast, status, *, facilitated):
    meeting = meeting_scheduled(cast, days=-1, facilitating_centre=cast.centre if facilitated else None)
    if status != MeetingStatus.PLANNED:
        services.meeting_move(meeting=meeting, target=status, note="Typhoon", by=cast.staff)
        meeting.refresh_from_db()
    return meeting


@pytest.mark.parametrize(("source", "target", "actor", "facilitated", "expected"), [
    (MeetingStatus.PLANNED, MeetingStatus.HELD, "staff", False, OK),
    (MeetingStatus.PLANNED, MeetingStatus.CANCELLED, "staff", False, OK),
    (MeetingStatus.PLANNED, MeetingStatus.HELD, "centre_staff", True, OK),  # the facilitating centre
    (MeetingStatus.PLANNED, MeetingStatus.CANCELLED, "centre_staff", True, OK),
    (MeetingStatus.PLANNED, MeetingStatus.HELD, "centre_staff", False, WHO),  # follows the region only
    (MeetingStatus.PLANNED, MeetingStatus.HELD, "partner", False, WHO),
    (MeetingStatus.PLANNED, MeetingStatus.CANCELLED, "partner", False, WHO),
    (MeetingStatus.PLANNED, MeetingStatus.HELD, "contractor", False, WHO),
    (MeetingStatus.PLANNED, MeetingStatus.PLANNED, "staff", False, STATE),
    (MeetingStatus.HELD, MeetingStatus.CANCELLED, "staff", False, STATE),
    (MeetingStatus.HELD, MeetingStatus.PLANNED, "staff", False, STATE),
    (MeetingStatus.HELD, MeetingStatus.HELD, "staff", False, STATE),
    (MeetingStatus.CANCELLED, MeetingStatus.HELD, "staff", False, STATE),
    (MeetingStatus.CANCELLED, MeetingStatus.PLANNED, "staff", False, STATE),
    (MeetingStatus.CANCELLED, MeetingStatus.HELD, "partner", False, STATE),
])
def test_meeting_moves(cast, source, target, actor, facilitated, expected):
    meeting = _meeting_in(cast, source, facilitated=facilitated)
    by = getattr(cast, actor)

    if expected == OK:
        moved = services.meeting_move(meeting=meeting, target=target, note="Typhoon", by=by)
        assert moved.status == target
        assert moved.status_changed_by == by
        assert AuditEntry.objects.filter(action=f"cooperation_meeting.{target}").exists()
    else:
        with pytest.raises(TransitionRefused if expected == STATE else PermissionDenied):
            services.meeting_move(meeting=meeting, target=target, note="Typhoon", by=by)
        meeting.refresh_from_db()
        assert meeting.status == source


def test_cancelling_needs_a_reason_and_tells_the_parties(cast):
    meeting = meeting_scheduled(cast, days=3)
    with pytest.raises(ValidationError):
        services.meeting_move(meeting=meeting, target=MeetingStatus.CANCELLED, note="  ", by=cast.staff)

    services.meeting_move(meeting=meeting, target=MeetingStatus.CANCELLED, note="Typhoon", by=cast.staff)

    assert Notice.objects.filter(event="cooperation_meeting_cancelled", user=cast.partner).count() == 1
    assert ProjectEvent.objects.filter(kind="meeting.cancelled", params__reason="Typhoon").count() == 1


def test_a_planned_meeting_is_rescheduled_and_a_held_one_is_not(cast):
    meeting = meeting_scheduled(cast, days=3)
    new_start = meeting.starts_at + datetime.timedelta(days=1)
    moved = services.meeting_reschedule(meeting=meeting, starts_at=new_start, ends_at=new_start
                                        + datetime.timedelta(hours=2), time_zone="Asia/Seoul", place="Sejong",
                                        by=cast.staff)
    assert (moved.starts_at, moved.place, str(moved.time_zone)) == (new_start, "Sejong", "Asia/Seoul")

    held = meeting_held(cast)
    with pytest.raises(TransitionRefused):
        services.meeting_reschedule(meeting=held, starts_at=new_start, ends_at=new_start
                                    + datetime.timedelta(hours=2), time_zone="Asia/Seoul", place="Sejong",
                                    by=cast.staff)


# --- who schedules ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "kind", "own_centre", "expected"), [
    ("staff", MeetingKind.JOINT_COMMITTEE, False, OK),
    ("staff", MeetingKind.SITE_VISIT, False, OK),
    ("centre_staff", MeetingKind.CENTRE_CONSULTATION, True, OK),
    ("centre_staff", MeetingKind.CENTRE_CONSULTATION, False, "invalid"),  # not facilitated by their centre
    ("centre_staff", MeetingKind.JOINT_COMMITTEE, True, "invalid"),  # only consultations
    ("partner", MeetingKind.BILATERAL, False, WHO),
    ("contractor", MeetingKind.SITE_VISIT, False, WHO),
    ("other_centre_staff", MeetingKind.CENTRE_CONSULTATION, False, WHO),  # another region
    ("outsider", MeetingKind.BILATERAL, False, WHO),
])
def test_who_schedules_a_meeting(cast, actor, kind, own_centre, expected):
    by = getattr(cast, actor)
    centre = cast.centre if own_centre else None

    if expected == OK:
        meeting = meeting_scheduled(cast, kind=kind, by=by, facilitating_centre=centre)
        assert meeting.created_by == by
    else:
        with pytest.raises(ValidationError if expected == "invalid" else PermissionDenied):
            meeting_scheduled(cast, kind=kind, by=by, facilitating_centre=centre)


@pytest.mark.parametrize(("changes", "field"), [
    ({"ends_in": -1}, "ends_at"),
    ({"place": "", "online_link": ""}, "place"),
    ({"online_link": "http://plain.example.org"}, "online_link"),
    ({"kind": "picnic"}, "kind"),
])
def test_scheduling_refuses_bad_details_field_by_field(cast, changes, field):
    starts = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        services.meeting_schedule(
            project=cast.project, kind=changes.get("kind", MeetingKind.BILATERAL), starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=changes.get("ends_in", 2)), time_zone="Asia/Seoul",
            place=changes.get("place", "Sejong"), online_link=changes.get("online_link", ""), by=cast.staff)
    assert field in refused.value.message_dict


# --- outcomes and the approved change ---------------------------------------------------------------------------


def _revision(project, by):
    milestone = Milestone.objects.create(project=project, title="Inception report", owner_side=Side.CONTRACTOR,
                                         due_date=datetime.date(2027, 3, 1))
    return DueDateRevision.objects.create(milestone=milestone, old_date=datetime.date(2027, 3, 1),
                                          new_date=datetime.date(2027, 4, 1), reason="Rainy season", requested_by=by)


def test_a_decision_links_the_change_it_approved_and_the_change_knows_its_decision(cast):
    meeting = meeting_held(cast)
    item = services.agenda_item_add(meeting=meeting, title="Inception report date", by=cast.staff)
    revision = _revision(cast.project, cast.contractor)

    recorded = services.agenda_outcome_record(item=item, outcome_kind=OutcomeKind.DECISION,
                                              outcome="The committee approves the new date.",
                                              approved_change=revision, by=cast.staff)

    assert recorded.approved_change == revision
    assert list(decisions_approving(revision)) == [recorded]
    [listed] = project_decisions_with_changes(cast.project)
    assert listed.approved == revision


def test_a_decision_cannot_link_another_projects_change_or_be_information(cast):
    meeting = meeting_held(cast)
    item = services.agenda_item_add(meeting=meeting, title="Budget", by=cast.staff)
    foreign = BudgetRevision.objects.create(project=cast.other_project, previous_krw=1, amount_krw=2, reason="x",
                                            approved_by=cast.staff)
    own = BudgetRevision.objects.create(project=cast.project, previous_krw=1, amount_krw=2, reason="x",
                                        approved_by=cast.staff)

    with pytest.raises(ValidationError) as refused:
        services.agenda_outcome_record(item=item, outcome_kind=OutcomeKind.DECISION, outcome="Yes",
                                       approved_change=foreign, by=cast.staff)
    assert "approved_change" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.agenda_outcome_record(item=item, outcome_kind=OutcomeKind.INFORMATION, outcome="Noted",
                                       approved_change=own, by=cast.staff)
    item.refresh_from_db()
    assert (item.outcome_kind, item.approved_id) == ("", None)


@pytest.mark.parametrize(("state", "actor", "expected"), [
    ("held", "staff", OK),
    ("held_facilitated", "centre_staff", OK),
    ("held", "centre_staff", WHO),
    ("held", "partner", WHO),
    ("planned", "staff", STATE),
    ("cancelled", "staff", STATE),
    ("final_minutes", "staff", STATE),
])
def test_who_records_an_outcome_and_when(cast, state, actor, expected):
    meeting = meeting_scheduled(cast, days=-1, facilitating_centre=cast.centre if "facilitated" in state else None)
    item = services.agenda_item_add(meeting=meeting, title="Progress", by=cast.staff)
    if state != "planned":
        services.meeting_move(meeting=meeting, target="cancelled" if state == "cancelled" else "held", note="x",
                              by=cast.staff)
        meeting.refresh_from_db()
    if state == "final_minutes":
        minutes_for(cast, meeting, state="final")
        meeting.refresh_from_db()

    if expected == OK:
        services.agenda_outcome_record(item=item, outcome_kind=OutcomeKind.INFORMATION, outcome="Noted",
                                       by=getattr(cast, actor))
        item.refresh_from_db()
        assert item.outcome_kind == OutcomeKind.INFORMATION
    else:
        with pytest.raises(TransitionRefused if expected == STATE else PermissionDenied):
            services.agenda_outcome_record(item=item, outcome_kind=OutcomeKind.INFORMATION, outcome="Noted",
                                           by=getattr(cast, actor))


def test_one_head_of_delegation_per_side(cast):
    meeting = meeting_scheduled(cast)
    services.delegate_add(meeting=meeting, side=Side.PARTNER, name="Mayor A", is_head=True, by=cast.staff)
    second = services.delegate_add(meeting=meeting, side=Side.PARTNER, name="Vice Mayor B", is_head=True,
                                   by=cast.staff)
    services.delegate_add(meeting=meeting, side=Side.MOLIT, name="Director C", is_head=True, by=cast.staff)

    heads = dict(meeting.delegates.filter(is_head=True).values_list("side", "name"))
    assert heads == {"partner": second.name, "molit": "Director C"}
    with pytest.raises(PermissionDenied):
        services.delegate_add(meeting=meeting, side=Side.PARTNER, name="Me", by=cast.partner)
