"""Action items and minutes: every move allowed and refused, by whom; final minutes never change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cooperation import services
from cooperation.models import ActionStatus, CooperationMinutes, MinutesStatus, ProjectEvent, Side
from core.errors import TransitionRefused
from notifications.models import Notice
from tests.factories.cooperation_meetings import action_for, meeting_held, minutes_for, project_cast

pytestmark = pytest.mark.django_db
OK, STATE, WHO = "ok", "state", "who"


@pytest.fixture
def cast():
    return project_cast()


def _action_in(cast, status, side):
    action = action_for(cast, meeting_held(cast), side=side)
    if status != ActionStatus.OPEN:
        closer = cast.staff if status == ActionStatus.DROPPED else {
            Side.PARTNER: cast.partner, Side.CONTRACTOR: cast.contractor, Side.MOLIT: cast.staff,
            Side.CENTRE: cast.centre_staff}[side]
        action = services.action_item_move(action=action, target=status, note="Closed earlier", by=closer)
    return action


@pytest.mark.parametrize(("source", "target", "side", "actor", "expected"), [
    # done: by the owner side only
    (ActionStatus.OPEN, ActionStatus.DONE, Side.PARTNER, "partner", OK),
    (ActionStatus.OPEN, ActionStatus.DONE, Side.CONTRACTOR, "contractor", OK),
    (ActionStatus.OPEN, ActionStatus.DONE, Side.MOLIT, "staff", OK),
    (ActionStatus.OPEN, ActionStatus.DONE, Side.CENTRE, "centre_staff", OK),
    (ActionStatus.OPEN, ActionStatus.DONE, Side.PARTNER, "staff", WHO),
    (ActionStatus.OPEN, ActionStatus.DONE, Side.PARTNER, "contractor", WHO),
    (ActionStatus.OPEN, ActionStatus.DONE, Side.PARTNER, "centre_staff", WHO),
    (ActionStatus.OPEN, ActionStatus.DONE, Side.PARTNER, "outsider", WHO),
    (ActionStatus.OPEN, ActionStatus.DONE, Side.CONTRACTOR, "partner", WHO),
    (ActionStatus.OPEN, ActionStatus.DONE, Side.CONTRACTOR, "other_contractor", WHO),
    # dropped: by staff only
    (ActionStatus.OPEN, ActionStatus.DROPPED, Side.PARTNER, "staff", OK),
    (ActionStatus.OPEN, ActionStatus.DROPPED, Side.PARTNER, "partner", WHO),
    (ActionStatus.OPEN, ActionStatus.DROPPED, Side.CENTRE, "centre_staff", WHO),
    # closed items never move again
    (ActionStatus.DONE, ActionStatus.DONE, Side.PARTNER, "partner", STATE),
    (ActionStatus.DONE, ActionStatus.DROPPED, Side.PARTNER, "staff", STATE),
    (ActionStatus.DONE, ActionStatus.OPEN, Side.PARTNER, "staff", STATE),
    (ActionStatus.DROPPED, ActionStatus.DONE, Side.PARTNER, "partner", STATE),
    (ActionStatus.DROPPED, ActionStatus.OPEN, Side.PARTNER, "staff", STATE),
    (ActionStatus.DROPPED, ActionStatus.DROPPED, Side.PARTNER, "staff", STATE),
    (ActionStatus.OPEN, ActionStatus.OPEN, Side.PARTNER, "staff", STATE),
])
def test_action_item_moves(cast, source, target, side, actor, expected):
    action = _action_in(cast, source, side)
    by = getattr(cast, actor)

    if expected == OK:
        moved = services.action_item_move(action=action, target=target, note="Data shared on 3 March.", by=by)
        assert (moved.status, moved.closing_note, moved.closed_by) == (target, "Data shared on 3 March.", by)
        assert AuditEntry.objects.filter(action=f"cooperation_action.{target}", target_id=str(action.pk)).exists()
        assert ProjectEvent.objects.filter(kind=f"action.{target}").exists()
    else:
        with pytest.raises(TransitionRefused if expected == STATE else PermissionDenied):
            services.action_item_move(action=action, target=target, note="x", by=by)
        action.refresh_from_db()
        assert action.status == source


@pytest.mark.parametrize(("target", "actor"), [(ActionStatus.DONE, "partner"), (ActionStatus.DROPPED, "staff")])
def test_closing_an_action_item_needs_a_note(cast, target, actor):
    action = _action_in(cast, ActionStatus.OPEN, Side.PARTNER)
    with pytest.raises(ValidationError) as refused:
        services.action_item_move(action=action, target=target, note="  ", by=getattr(cast, actor))
    assert "note" in refused.value.message_dict
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_the_owner_side_is_told_of_a_new_action_item(cast):
    action = action_for(cast, meeting_held(cast), side=Side.PARTNER)
    assert set(Notice.objects.filter(event="cooperation_action_assigned").values_list("user_id", flat=True)) == {
        cast.partner.pk}
    named = action_for(cast, action.meeting, side=Side.CONTRACTOR, owner=cast.contractor, title="Survey")
    assert named.owner_name == cast.contractor.get_full_name()


def test_an_owner_must_be_on_the_owning_side(cast):
    meeting = meeting_held(cast)
    with pytest.raises(ValidationError) as refused:
        action_for(cast, meeting, side=Side.PARTNER, owner=cast.contractor)
    assert "owner" in refused.value.message_dict


def test_action_items_wait_for_the_meeting_to_be_held(cast):
    from tests.factories.cooperation_meetings import meeting_scheduled
    planned = meeting_scheduled(cast)
    with pytest.raises(TransitionRefused):
        action_for(cast, planned)


# --- minutes ---------------------------------------------------------------------------------------------------

MINUTES_STATES = ["draft", "for_acknowledgment", "molit_acked", "partner_acked", "final"]


@pytest.mark.parametrize(("state", "actor", "expected"), [
    ("for_acknowledgment", "staff", OK),
    ("for_acknowledgment", "partner", OK),
    ("molit_acked", "partner", "final"),
    ("partner_acked", "staff", "final"),
    ("molit_acked", "staff", STATE),  # MOLIT has acknowledged already
    ("partner_acked", "partner", STATE),
    ("for_acknowledgment", "contractor", WHO),
    ("for_acknowledgment", "centre_staff", WHO),
    ("for_acknowledgment", "outsider", WHO),
    ("draft", "staff", STATE),
    ("draft", "partner", STATE),
    ("final", "staff", STATE),
    ("final", "partner", STATE),
])
def test_minutes_acknowledgment(cast, state, actor, expected):
    minutes = minutes_for(cast, meeting_held(cast), state=state)
    by = getattr(cast, actor)

    if expected in (OK, "final"):
        done = services.minutes_acknowledge(minutes=minutes, by=by)
        if actor == "staff":
            assert (done.korean_ack_by, done.korean_ack_at is not None) == (by, True)
        else:
            assert (done.partner_ack_by, done.partner_ack_at is not None) == (by, True)
        assert done.status == (MinutesStatus.FINAL if expected == "final" else MinutesStatus.FOR_ACKNOWLEDGMENT)
        assert (done.finalised_at is not None) == (expected == "final")
    else:
        before = CooperationMinutes.objects.values().get(pk=minutes.pk)
        with pytest.raises(TransitionRefused if expected == STATE else PermissionDenied):
            services.minutes_acknowledge(minutes=minutes, by=by)
        assert CooperationMinutes.objects.values().get(pk=minutes.pk) == before


@pytest.mark.parametrize(("state", "target", "actor", "expected"), [
    ("draft", MinutesStatus.FOR_ACKNOWLEDGMENT, "staff", OK),
    ("for_acknowledgment", MinutesStatus.DRAFT, "staff", OK),
    ("molit_acked", MinutesStatus.DRAFT, "staff", OK),  # the acknowledgment is cleared
    ("draft", MinutesStatus.FOR_ACKNOWLEDGMENT, "partner", WHO),
    ("draft", MinutesStatus.FOR_ACKNOWLEDGMENT, "centre_staff", WHO),
    ("for_acknowledgment", MinutesStatus.DRAFT, "partner", WHO),
    ("draft", MinutesStatus.DRAFT, "staff", STATE),
    ("draft", MinutesStatus.FINAL, "staff", STATE),
    ("for_acknowledgment", MinutesStatus.FINAL, "staff", STATE),
    ("for_acknowledgment", MinutesStatus.FOR_ACKNOWLEDGMENT, "staff", STATE),
    ("final", MinutesStatus.DRAFT, "staff", STATE),
    ("final", MinutesStatus.FOR_ACKNOWLEDGMENT, "staff", STATE),
])
def test_minutes_moves(cast, state, target, actor, expected):
    minutes = minutes_for(cast, meeting_held(cast), state=state)

    if expected == OK:
        moved = services.minutes_move(minutes=minutes, target=target, by=getattr(cast, actor))
        assert moved.status == target
        assert (moved.korean_ack_at, moved.partner_ack_at) == (None, None)
    else:
        with pytest.raises(TransitionRefused if expected == STATE else PermissionDenied):
            services.minutes_move(minutes=minutes, target=target, by=getattr(cast, actor))
        minutes.refresh_from_db()
        assert minutes.status == ("for_acknowledgment" if state.endswith("acked") else state)


@pytest.mark.parametrize(("state", "actor", "expected"), [
    ("none", "staff", OK),
    ("draft", "staff", OK),
    ("none", "partner", WHO),
    ("none", "centre_staff", WHO),
    ("draft", "contractor", WHO),
    ("for_acknowledgment", "staff", STATE),
    ("final", "staff", STATE),
])
def test_minutes_drafting(cast, state, actor, expected):
    meeting = meeting_held(cast)
    if state != "none":
        minutes_for(cast, meeting, state=state)
        meeting.refresh_from_db()

    if expected == OK:
        minutes = services.minutes_save(meeting=meeting, body="Revised text", by=getattr(cast, actor))
        assert (minutes.body, minutes.status) == ("Revised text", MinutesStatus.DRAFT)
    else:
        with pytest.raises(TransitionRefused if expected == STATE else PermissionDenied):
            services.minutes_save(meeting=meeting, body="Revised text", by=getattr(cast, actor))


def test_both_acknowledgments_make_the_minutes_final_and_tell_the_parties(cast):
    minutes = minutes_for(cast, meeting_held(cast), state="for_acknowledgment")
    assert Notice.objects.filter(event="cooperation_minutes_to_acknowledge", user=cast.partner).count() == 1

    services.minutes_acknowledge(minutes=minutes, by=cast.partner)
    final = services.minutes_acknowledge(minutes=minutes, by=cast.staff)

    assert final.status == MinutesStatus.FINAL
    assert Notice.objects.filter(event="cooperation_minutes_final", user=cast.partner).count() == 1
    assert list(ProjectEvent.objects.filter(kind__startswith="minutes.").order_by("id")
                .values_list("kind", flat=True)) == ["minutes.for_acknowledgment", "minutes.acknowledged_partner",
                                                     "minutes.acknowledged_molit", "minutes.final"]


def test_final_minutes_are_immutable_everywhere(cast):
    meeting = meeting_held(cast)
    minutes = minutes_for(cast, meeting, state="final")
    meeting.refresh_from_db()
    item = meeting.agenda_items.create(order=99, title="Late addition")

    with pytest.raises(TransitionRefused):
        services.minutes_save(meeting=meeting, body="Rewritten", by=cast.staff)
    with pytest.raises(TransitionRefused):
        services.agenda_item_add(meeting=meeting, title="More", by=cast.staff)
    with pytest.raises(TransitionRefused):
        services.agenda_outcome_record(item=item, outcome_kind="information", outcome="x", by=cast.staff)
    with pytest.raises(TransitionRefused):
        services.delegate_add(meeting=meeting, side=Side.PARTNER, name="Late", by=cast.staff)
    minutes.body = "Rewritten behind the services' back"
    with pytest.raises(ValidationError):
        minutes.save()
    with pytest.raises(ValidationError):
        minutes.delete()
    assert CooperationMinutes.objects.get(pk=minutes.pk).body == "1. Opening.\n2. 교통 데이터 공유."


def test_the_back_office_shows_meetings_action_items_and_minutes_read_only(cast):
    from django.contrib import admin
    from django.test import RequestFactory

    from cooperation.models import ActionItem, CooperationMeeting
    meeting = meeting_held(cast)
    minutes = minutes_for(cast, meeting, state="final")
    request = RequestFactory().get("/admin/")
    request.user = cast.staff
    for model, obj in ((CooperationMinutes, minutes), (CooperationMeeting, meeting),
                       (ActionItem, action_for(cast, meeting_held(cast, days=-1)))):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request, obj)
        assert not model_admin.has_delete_permission(request, obj)
