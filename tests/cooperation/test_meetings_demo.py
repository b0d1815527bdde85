"""The demo's joint committees: midway has session 1 held with final minutes and a partner action item carried into
session 2 (planned), plus a bilateral talk; closed has its final session; a second run changes nothing."""

import pytest

from cooperation.demo_meetings import seed_meetings
from cooperation.models import (
    ActionItem,
    ActivityStatus,
    AgendaItem,
    CooperationMeeting,
    CooperationMinutes,
    Delegate,
    MeetingKind,
    Side,
)
from cooperation.schedules_meetings import ACTION_TASK
from tests.factories import StaffFactory, applicant
from tests.factories.cooperation_meetings import project_for_test

pytestmark = pytest.mark.django_db


def _counts():
    return [model.objects.count() for model in (CooperationMeeting, AgendaItem, ActionItem, Delegate,
                                                CooperationMinutes)]


def test_seed_meetings_builds_the_demo_sessions_once():
    from django_celery_beat.models import PeriodicTask
    staff = StaffFactory()
    partner = applicant()
    midway = project_for_test(partner=partner)
    closed = project_for_test(activity_status=ActivityStatus.CLOSED)
    projects = {"opened": project_for_test(), "midway": midway, "closed": closed}

    seed_meetings(projects, staff, partner)
    counts = _counts()
    seed_meetings(projects, staff, partner)

    assert _counts() == counts
    first, second = CooperationMeeting.objects.filter(project=midway, kind=MeetingKind.JOINT_COMMITTEE).order_by(
        "session_number")
    assert (first.status, first.minutes.status, second.status) == ("held", "final", "planned")
    talk = CooperationMeeting.objects.get(project=midway, kind=MeetingKind.BILATERAL, status="held")
    action = ActionItem.objects.get(project=midway)
    # Open, it is carried into every later session: the bilateral talk after it and session 2.
    assert (action.owner_side, action.status, set(action.carried_into.all())) == (Side.PARTNER, "open",
                                                                                  {talk, second})
    final = CooperationMeeting.objects.get(project=closed)
    assert (final.status, final.minutes.status, final.minutes.partner_ack_by) == (
        "held", "final", closed.partner_organisation.memberships.first().user)
    assert not CooperationMeeting.objects.filter(project=projects["opened"]).exists()
    assert PeriodicTask.objects.filter(task=ACTION_TASK).count() == 1
