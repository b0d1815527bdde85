"""Cooperation meetings' test data: a project with a person on each side (and outsiders of each kind), meetings,
action items and minutes reached through the real services."""

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Role, User
from cooperation import services
from cooperation.models import (
    ActivityStatus,
    CooperationMeeting,
    MeetingKind,
    MeetingStatus,
    OrganisationRole,
    Participant,
    Project,
    ProjectMember,
    Side,
)
from proposals.workflow import Status
from tests.factories import CooperationCentreFactory, ProposalFactory, StaffFactory, UserFactory, applicant

_numbers = itertools.count(1)


@dataclass
class Cast:
    project: Project
    staff: User
    partner: User
    contractor: User
    centre_staff: User
    centre: object
    outsider: User  # a member of another partner organisation
    other_contractor: User  # a contractor on another project
    other_centre_staff: User  # a centre of another region
    other_project: Project

    def by_name(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def project_for_test(*, partner: User | None = None, country: str = "ID", centre=None, **extra) -> Project:
    partner = partner or applicant(time_zone="Asia/Jakarta")
    n = next(_numbers)
    proposal = ProposalFactory(owner=partner, status=Status.APPROVED, reference=f"KCN-2026-{9000 + n:04d}",
                               country=country)
    project = Project.objects.create(
        proposal=proposal, partner_organisation=partner.organisation, title=f"Smart city project {n}",
        recipient_country=country, cooperation_centre=centre, support_amount_krw=300_000_000,
        activity_status=extra.pop("activity_status", ActivityStatus.IMPLEMENTATION), **extra,
    )
    return project


def contractor_on(project: Project, **kwargs) -> User:
    user = UserFactory(role=Role.CONTRACTOR, time_zone="Asia/Seoul", **kwargs)
    participant, _ = Participant.objects.get_or_create(
        project=project, role=OrganisationRole.IMPLEMENTING, name="Korea Smart Engineering",
        defaults={"side": Side.CONTRACTOR})
    ProjectMember.objects.create(project=project, user=user, participant=participant)
    return user


def project_cast() -> Cast:
    staff = StaffFactory()
    centre = CooperationCentreFactory(name="KOTRA Jakarta", country="ID", covered_countries=["ID"])
    centre_staff = UserFactory(role=Role.CENTRE_STAFF, time_zone="Asia/Jakarta")
    centre.staff.add(centre_staff)
    partner = applicant(time_zone="Asia/Jakarta")
    project = project_for_test(partner=partner, centre=centre)
    contractor = contractor_on(project)
    other_centre = CooperationCentreFactory(name="KOTRA Nairobi", city="Nairobi", country="KE",
                                            covered_countries=["KE"])
    other_centre_staff = UserFactory(role=Role.CENTRE_STAFF, time_zone="Africa/Nairobi")
    other_centre.staff.add(other_centre_staff)
    other_project = project_for_test(country="KE", centre=other_centre)
    return Cast(project=project, staff=staff, partner=partner, contractor=contractor, centre_staff=centre_staff,
                centre=centre, outsider=applicant(), other_contractor=contractor_on(other_project),
                other_centre_staff=other_centre_staff, other_project=other_project)


def meeting_scheduled(cast: Cast, *, kind: str = MeetingKind.JOINT_COMMITTEE, days: float = 10, by=None,
                      facilitating_centre=None, online_link: str = "https://meet.example.org/jc",
                      project: Project | None = None) -> CooperationMeeting:
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return services.meeting_schedule(
        project=project or cast.project, kind=kind, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3),
        time_zone="Asia/Jakarta", place="City Hall, Jakarta", online_link=online_link,
        facilitating_centre=facilitating_centre, by=by or cast.staff,
    )


def meeting_held(cast: Cast, *, days: float = -2, **kwargs) -> CooperationMeeting:
    meeting = meeting_scheduled(cast, days=days, **kwargs)
    return services.meeting_move(meeting=meeting, target=MeetingStatus.HELD, by=kwargs.get("by") or cast.staff)


def action_for(cast: Cast, meeting: CooperationMeeting, *, side: str = Side.PARTNER, due_in: int = 20,
               owner=None, title: str = "Share the traffic data") -> object:
    meeting.project = cast.project if meeting.project_id == cast.project.pk else meeting.project
    item = services.agenda_item_add(meeting=meeting, title=f"Agenda: {title}", by=cast.staff)
    return services.action_item_add(agenda_item=item, title=title, owner_side=side, owner=owner,
                                    due_date=timezone.localdate() + datetime.timedelta(days=due_in), by=cast.staff)


def minutes_for(cast: Cast, meeting: CooperationMeeting, *, state: str = "draft"):
    """Minutes of a held meeting in `state` (draft, for_acknowledgment, molit_acked, partner_acked, final)."""
    minutes = services.minutes_save(meeting=meeting, body="1. Opening.\n2. 교통 데이터 공유.", by=cast.staff)
    if state == "draft":
        return minutes
    minutes = services.minutes_move(minutes=minutes, target="for_acknowledgment", by=cast.staff)
    if state in ("molit_acked", "final"):
        minutes = services.minutes_acknowledge(minutes=minutes, by=cast.staff)
    if state in ("partner_acked", "final"):
        minutes = services.minutes_acknowledge(minutes=minutes, by=cast.partner)
    return minutes

