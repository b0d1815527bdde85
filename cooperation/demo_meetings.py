"""Demo joint committees for the demo projects (called by the cooperation demo builder with its projects by name).

"midway": joint committee session 1, held two months ago, with delegations, an agenda whose items end in an
information, a decision and an action item for the partner side, and minutes both sides acknowledged (final); the
action item, still open and overdue, is carried into session 2, planned a month from now; and a bilateral talk held
three weeks ago. "closed": its final joint committee session, held with final minutes. Open projects are seeded
through the services (audit rows, timeline and notices as in real use); a closed project's services refuse changes,
so its past session is written as it would have been recorded. Every step looks first: running again changes
nothing."""

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cooperation import services
from cooperation.models import (
    ActionItem,
    AgendaItem,
    CooperationMeeting,
    CooperationMinutes,
    Delegate,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    OutcomeKind,
    Project,
    Side,
)
from cooperation.schedules_meetings import action_schedule_ensure
from cooperation.selectors_meetings import venue_zone_for

DAY = datetime.timedelta(days=1)

MIDWAY_MINUTES = """Joint committee, session 1

1. Opening remarks by the co-chairs of both delegations.
2. Inception report: presented by the contractor and noted by the committee.
3. Data sharing: the partner government will share the city's traffic counts and flood records with the
   contractor (action item, partner side).
4. Next session: in about three months, in the partner's city.

요약: 양측은 착수보고서를 검토하였으며, 상대국 정부는 교통 및 홍수 자료를 제공하기로 하였다."""

CLOSED_MINUTES = """Joint committee, final session

1. Final report presented and accepted by both sides.
2. ODA follow-up: a concept note will be prepared with the partner government.
3. The committee thanks both delegations; the project is closed."""


def _partner_of(project: Project, given: User) -> User:
    """The given partner official if they belong to the project's partner organisation, else its first member."""
    members = User.objects.filter(memberships__organisation_id=project.partner_organisation_id, is_active=True)
    if given is not None and members.filter(pk=given.pk).exists():
        return given
    return members.order_by("id").first() or given


def _at(project: Project, days: int, hour: int = 10) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(venue_zone_for(project))
    day = timezone.localdate() + days * DAY
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)


def _schedule(project, *, kind, days, staff, place):
    starts = _at(project, days)
    return services.meeting_schedule(
        project=project, kind=kind, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3),
        time_zone=venue_zone_for(project), place=place, online_link="https://meet.example.org/kcity-joint-committee",
        facilitating_centre=project.cooperation_centre, by=staff)


def _midway(project: Project, *, staff, partner) -> None:
    if CooperationMeeting.objects.filter(project=project, kind=MeetingKind.JOINT_COMMITTEE).exists():
        return
    first = _schedule(project, kind=MeetingKind.JOINT_COMMITTEE, days=-60, staff=staff,
                      place=f"City Hall, {project.recipient_city or project.recipient_country.name}")
    for side, name, position, head, user in (
        (Side.PARTNER, partner.get_full_name(), "Head of the city's planning office", True, partner),
        (Side.PARTNER, "Dewi Lestari", "Transport department", False, None),
        (Side.MOLIT, staff.get_full_name(), "Director, Urban Policy (MOLIT)", True, staff),
        (Side.CONTRACTOR, "Park Ji-hoon", "Project manager", True, None),
    ):
        services.delegate_add(meeting=first, side=side, name=name, position=position, is_head=head, user=user,
                              by=staff)
    opening = services.agenda_item_add(meeting=first, title="Opening remarks", by=staff)
    inception = services.agenda_item_add(meeting=first, title="Inception report", by=staff)
    data = services.agenda_item_add(meeting=first, title="Sharing of traffic and flood data", by=staff)
    first = services.meeting_move(meeting=first, target=MeetingStatus.HELD, by=staff)
    for item in (opening, inception, data):
        item.meeting = first
    services.agenda_outcome_record(item=opening, outcome_kind=OutcomeKind.INFORMATION,
                                   outcome="Both co-chairs opened the session.", by=staff)
    services.agenda_outcome_record(item=inception, outcome_kind=OutcomeKind.DECISION,
                                   outcome="The committee accepts the inception report and its work plan.", by=staff)
    services.action_item_add(agenda_item=data, title="Share the city's traffic counts and flood records",
                             owner_side=Side.PARTNER, owner=partner, due_date=timezone.localdate() - 10 * DAY,
                             by=staff)
    minutes = services.minutes_save(meeting=first, body=MIDWAY_MINUTES, by=staff)
    minutes = services.minutes_move(minutes=minutes, target=MinutesStatus.FOR_ACKNOWLEDGMENT, by=staff)
    services.minutes_acknowledge(minutes=minutes, by=staff)
    services.minutes_acknowledge(minutes=minutes, by=partner)

    talk = _schedule(project, kind=MeetingKind.BILATERAL, days=-21, staff=staff, place="Online")
    topic = services.agenda_item_add(meeting=talk, title="Site access for the survey team", by=staff)
    talk = services.meeting_move(meeting=talk, target=MeetingStatus.HELD, by=staff)
    topic.meeting = talk
    services.agenda_outcome_record(item=topic, outcome_kind=OutcomeKind.INFORMATION,
                                   outcome="The partner confirmed access from next month.", by=staff)

    second = _schedule(project, kind=MeetingKind.JOINT_COMMITTEE, days=30, staff=staff,
                       place=f"City Hall, {project.recipient_city or project.recipient_country.name}")
    services.agenda_item_add(meeting=second, title="Progress against the work plan", by=staff)
    services.agenda_item_add(meeting=second, title="Interim report", by=staff)


def _closed(project: Project, *, staff, partner) -> None:
    """A closed project's last session, written as recorded (its services refuse changes now)."""
    if CooperationMeeting.objects.filter(project=project, kind=MeetingKind.JOINT_COMMITTEE).exists():
        return
    starts = _at(project, -45)
    with transaction.atomic():
        meeting = CooperationMeeting.objects.create(
            project=project, kind=MeetingKind.JOINT_COMMITTEE, session_number=1, starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3), time_zone=venue_zone_for(project),
            place=f"City Hall, {project.recipient_city or project.recipient_country.name}",
            facilitating_centre=project.cooperation_centre, status=MeetingStatus.HELD, created_by=staff,
            status_changed_at=starts + datetime.timedelta(hours=3), status_changed_by=staff)
        Delegate.objects.bulk_create([
            Delegate(meeting=meeting, side=Side.PARTNER, name=partner.get_full_name(), is_head=True, user=partner),
            Delegate(meeting=meeting, side=Side.MOLIT, name=staff.get_full_name(), is_head=True, user=staff),
        ])
        AgendaItem.objects.create(meeting=meeting, order=1, title="Final report",
                                  outcome_kind=OutcomeKind.DECISION, outcome="Both sides accept the final report.")
        oda = AgendaItem.objects.create(meeting=meeting, order=2, title="ODA follow-up",
                                        outcome_kind=OutcomeKind.ACTION, outcome="A concept note to follow.")
        ActionItem.objects.create(
            project=project, meeting=meeting, agenda_item=oda, title="Prepare the ODA concept note",
            owner_side=Side.PARTNER, owner=partner, owner_name=partner.get_full_name(),
            due_date=(starts + 20 * DAY).date(), status="done", closed_at=starts + 18 * DAY, closed_by=partner,
            closing_note="Concept note sent to the development bank.")
        acknowledged = starts + 3 * DAY
        CooperationMinutes.objects.create(
            meeting=meeting, body=CLOSED_MINUTES, status=MinutesStatus.FINAL, drafted_by=staff,
            korean_ack_by=staff, korean_ack_at=acknowledged, partner_ack_by=partner,
            partner_ack_at=acknowledged + DAY, finalised_at=acknowledged + DAY)


def seed_meetings(projects: dict, staff, partner_user) -> None:
    """Joint committees for the demo projects by name ("midway", "closed"; others are left alone)."""
    action_schedule_ensure()
    if projects.get("midway") is not None:
        project = projects["midway"]
        _midway(project, staff=staff, partner=_partner_of(project, partner_user))
    if projects.get("closed") is not None:
        project = projects["closed"]
        _closed(project, staff=staff, partner=_partner_of(project, partner_user))
