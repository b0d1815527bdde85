"""Who may do what on a cooperation project, and why not. Asked by name everywhere
(`user.has_perm("cooperation.<name>", project)`; services through `require`).

The parties: MOLIT staff manage every project; the partner government's team (the members of the partner
organisation) and the Korean contractors' staff invited onto it (ProjectMember) work on theirs; cooperation-centre
staff follow the projects of their region (their centre's, or in a country their centre covers). Nobody else sees
a project at all: selectors.projects_visible_to answers 404 for them. Each concept adds its own names next to these
(who submits a deliverable, who acknowledges minutes...), built on `side_of`."""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role
from accounts.rules import is_staff_member
from cooperation.models import Project, ProjectMember, Side
from proposals.models import CooperationCentre


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def centre_countries(user) -> set[str]:
    """The countries a centre-staff person follows (their centres' own and covered countries)."""
    if not _active(user) or user.role != Role.CENTRE_STAFF:
        return set()
    cached = getattr(user, "_centre_countries", None)
    if cached is None:
        cached = set()
        centres = CooperationCentre.objects.filter(staff=user).values_list("country", "covered_countries")
        for country, covered in centres:
            cached.add(str(country))
            cached.update(str(code) for code in covered or [])
        user._centre_countries = cached
    return cached


def side_of(user, project: Project) -> str | None:
    """Which side of the project this person is on, or None if they are not on it. Staff are MOLIT's side."""
    if not _active(user) or project is None:
        return None
    if user.is_superuser or user.role == Role.STAFF:
        return Side.MOLIT
    if user.role == Role.CONTRACTOR:
        on_it = ProjectMember.objects.filter(project_id=project.pk, user_id=user.pk).exists()
        return Side.CONTRACTOR if on_it else None
    if user.role == Role.CENTRE_STAFF:
        in_region = (project.cooperation_centre_id and
                     CooperationCentre.objects.filter(pk=project.cooperation_centre_id, staff=user).exists())
        return Side.CENTRE if in_region or str(project.recipient_country) in centre_countries(user) else None
    if Membership.objects.filter(organisation_id=project.partner_organisation_id, user_id=user.pk).exists():
        return Side.PARTNER
    return None


@rules.predicate
def is_on_project(user, project):
    return side_of(user, project) is not None


@rules.predicate
def is_partner_side(user, project):
    return side_of(user, project) == Side.PARTNER


@rules.predicate
def is_contractor_side(user, project):
    return side_of(user, project) == Side.CONTRACTOR


@rules.predicate
def is_project_open(user, project):
    return bool(project is not None and project.is_open)


can_view_project = is_on_project
can_manage_project = is_staff_member  # set up and correct a project: its plan, budget, meetings, people
can_take_part = is_on_project & is_project_open  # write in the thread, upload documents

rules.add_perm("cooperation.see_project", can_view_project)
rules.add_perm("cooperation.manage_project", can_manage_project)
rules.add_perm("cooperation.take_part", can_take_part)

REFUSALS = {
    "cooperation.see_project": _("You are not a party to this project."),
    "cooperation.manage_project": _("Only MOLIT staff can change a cooperation project."),
    "cooperation.take_part": _("Only the parties to an open project can add to it."),
}


def require(user, name: str, obj=None) -> None:
    """Refuse with the permission's reason unless `user.has_perm(name, obj)`."""
    if user is None or not user.has_perm(name, obj):
        raise PermissionDenied(REFUSALS[name])


# --- reports ---
# Progress reports (cooperation.services.reports): the implementing side (the contractors' people; staff may too)
# drafts and submits; the partner government acknowledges; staff accept or ask for changes. The object of each
# name below is a ProgressReport (its state decides), except draft_report and schedule_reports (a Project).
# A draft is the implementing side's work in progress: the partner and the centre see a report once it is filed.


def _report_project(report):
    return getattr(report, "project", None)


@rules.predicate
def is_implementing_side(user, project):
    return side_of(user, project) in (Side.CONTRACTOR, Side.MOLIT)


@rules.predicate
def may_see_report(user, report):
    side = side_of(user, _report_project(report))
    if side is None:
        return False
    return report.status != "draft" or side in (Side.CONTRACTOR, Side.MOLIT)


@rules.predicate
def implements_report(user, report):
    return side_of(user, _report_project(report)) in (Side.CONTRACTOR, Side.MOLIT)


@rules.predicate
def partner_of_report(user, report):
    return side_of(user, _report_project(report)) == Side.PARTNER


@rules.predicate
def report_project_open(user, report):
    return bool(_report_project(report) is not None and report.project.is_open)


@rules.predicate
def report_is_draft(user, report):
    return report.status == "draft"


@rules.predicate
def report_is_submitted(user, report):
    return report.status == "submitted"


@rules.predicate
def report_is_under_review(user, report):
    return report.status in ("submitted", "acknowledged")


@rules.predicate
def report_changes_requested(user, report):
    return report.status == "changes_requested"


can_schedule_reports = is_staff_member
can_draft_report = is_implementing_side & is_project_open
can_see_report = may_see_report
can_change_report = implements_report & report_project_open & report_is_draft
can_acknowledge_report = partner_of_report & report_project_open & report_is_submitted
can_review_report = is_staff_member & report_is_under_review
can_revise_report = implements_report & report_project_open & report_changes_requested

rules.add_perm("cooperation.schedule_reports", can_schedule_reports)
rules.add_perm("cooperation.draft_report", can_draft_report)
rules.add_perm("cooperation.see_report", can_see_report)
rules.add_perm("cooperation.change_report", can_change_report)
rules.add_perm("cooperation.acknowledge_report", can_acknowledge_report)
rules.add_perm("cooperation.review_report", can_review_report)
rules.add_perm("cooperation.revise_report", can_revise_report)

# Who may (the side); the state is told apart by the services (cooperation.services.reports: a 400, not a 403).
REPORT_SIDE = {
    "cooperation.change_report": implements_report,
    "cooperation.acknowledge_report": partner_of_report,
    "cooperation.review_report": is_staff_member,
    "cooperation.revise_report": implements_report,
}

REFUSALS.update({
    "cooperation.schedule_reports": _("Only MOLIT staff set a project's reporting schedule."),
    "cooperation.draft_report": _("Only the implementing side of an open project drafts its progress reports."),
    "cooperation.see_report": _("You are not a party to this project."),
    "cooperation.change_report": _("Only the implementing side changes a draft report, and only while it is a draft."),
    "cooperation.acknowledge_report": _("Only the partner government acknowledges a submitted report."),
    "cooperation.review_report": _("Only MOLIT staff accept a report or ask for changes."),
    "cooperation.revise_report": _("Only the implementing side revises a report staff asked to change."),
})

# --- plan ---
# The work plan, the results framework and the budget. Work items (milestones, deliverables) are asked with the
# item as the object; the state is part of the answer (WORK_MOVES is the one table of who moves what).
from cooperation.models import (  # noqa: E402  (appended per concept; the lead merges the blocks)
    REVISION_MOVES,
    WORK_MOVES,
    Deliverable,
    DueDateRevision,
    IndicatorPeriod,
    RevisionState,
    WorkStatus,
)


def project_of(obj) -> Project | None:
    """The project a plan object belongs to (a project, milestone, deliverable, revision or indicator period)."""
    if obj is None or isinstance(obj, Project):
        return obj
    if isinstance(obj, DueDateRevision):
        obj = obj.item
    if isinstance(obj, Deliverable):
        return obj.milestone.project
    if isinstance(obj, IndicatorPeriod):
        return obj.indicator.objective.project
    return getattr(obj, "project", None)


def work_mover(side: str | None, item, target: str) -> bool:
    """Whether someone on `side` may move `item` to `target` (pure: the caller knows the side)."""
    who = WORK_MOVES.get((item.status, target))
    if who is None or side is None:
        return False
    if who == "staff":
        return side == Side.MOLIT
    return side == item.owner_side or (side == Side.MOLIT and item.owner_side == Side.MOLIT)


def may_ask_due_date(side: str | None, item, has_open_request: bool) -> bool:
    """The owner side or staff may ask to move the due date of an item not yet accepted, one request at a time."""
    return (side is not None and (side == Side.MOLIT or side == item.owner_side)
            and item.status != WorkStatus.ACCEPTED and not has_open_request)


def may_record_actual(side: str | None) -> bool:
    """The implementing side (the contractors) and staff record what an indicator reached."""
    return side in (Side.CONTRACTOR, Side.MOLIT)


@rules.predicate
def can_submit_work(user, item):
    project = project_of(item)
    return bool(project and project.is_open and work_mover(side_of(user, project), item, WorkStatus.SUBMITTED))


@rules.predicate
def can_review_work(user, item):
    project = project_of(item)
    return bool(project and project.is_open and work_mover(side_of(user, project), item, WorkStatus.ACCEPTED))


@rules.predicate
def can_ask_due_date(user, item):
    project = project_of(item)
    if not (project and project.is_open):
        return False
    return may_ask_due_date(side_of(user, project), item, item.revisions.filter(state=RevisionState.REQUESTED).exists())


@rules.predicate
def can_decide_due_date(user, revision):
    return bool(is_staff_member(user) and (revision.state, RevisionState.APPROVED) in REVISION_MOVES)


@rules.predicate
def can_record_actual(user, obj):
    project = project_of(obj)
    return bool(project and project.is_open and project.results_agreed_at
                and may_record_actual(side_of(user, project)))


rules.add_perm("cooperation.submit_work", can_submit_work)
rules.add_perm("cooperation.review_work", can_review_work)
rules.add_perm("cooperation.ask_due_date", can_ask_due_date)
rules.add_perm("cooperation.decide_due_date", can_decide_due_date)
rules.add_perm("cooperation.record_actual", can_record_actual)

REFUSALS.update({
    "cooperation.submit_work": _("Only the side responsible for this item can submit it, while it is pending or "
                                 "changes are requested."),
    "cooperation.review_work": _("Only MOLIT staff can accept a submitted item or ask for changes."),
    "cooperation.ask_due_date": _("Only the side responsible for this item or MOLIT staff can ask to move its due "
                                  "date, one request at a time, until it is accepted."),
    "cooperation.decide_due_date": _("Only MOLIT staff decide a request to move a due date, once."),
    "cooperation.record_actual": _("Only the implementing contractors and MOLIT staff record actual values, once the "
                                   "results framework is agreed."),
})


# --- project ---
from accounts.rules import is_centre_staff  # noqa: E402  (the project concept's block, appended for the merge)

can_follow_region = is_centre_staff | is_staff_member  # the regional dashboard: a centre's countries

rules.add_perm("cooperation.follow_region", can_follow_region)

REFUSALS["cooperation.follow_region"] = _("The regional dashboard is for cooperation-centre staff.")


# --- meetings ---
# Joint committees, bilateral talks, centre consultations and site visits. Staff manage every meeting; a
# cooperation centre's staff manage the meetings their centre facilitates on projects of their region (and schedule
# centre consultations there). The online link is for the meeting's parties: the partner government, MOLIT, the
# project's contractors and the facilitating centre (a centre that only follows the region sees the meeting, not
# the link). An action item is closed by its owner side (with a note) or dropped by staff (with a reason). Minutes:
# staff draft them and put them to both sides; MOLIT's acknowledgment is given by staff, the partner's by a member of
# the partner organisation; with both they are final. Every name below is who & state: services check the state
# first (a 400 with the state's reason) and then who (a 403 with REFUSALS' reason).
from cooperation.models import (  # noqa: E402  (the meetings block is appended to the foundation's rules)
    ActionStatus,
    CooperationMinutes,
    MeetingStatus,
    MinutesStatus,
)


def centre_ids(user) -> set[int]:
    """The cooperation centres this person staffs (cached on the user for the request)."""
    if not _active(user) or user.role != Role.CENTRE_STAFF:
        return set()
    cached = getattr(user, "_centre_ids", None)
    if cached is None:
        cached = user._centre_ids = set(CooperationCentre.objects.filter(staff=user).values_list("pk", flat=True))
    return cached


def side_cached(user, project) -> str | None:
    """side_of, remembered on the user object for the request: a list asks it once per project, not per row."""
    if user is None or project is None:
        return None
    sides = getattr(user, "_project_sides", None)
    if sides is None:
        sides = user._project_sides = {}
    if project.pk not in sides:
        sides[project.pk] = side_of(user, project)
    return sides[project.pk]


def minutes_of(meeting) -> CooperationMinutes | None:
    try:
        return meeting.minutes
    except CooperationMinutes.DoesNotExist:
        return None


def meeting_side(user, meeting) -> str | None:
    """The side this person takes in the meeting: side_of the project, except that a centre is a party only to the
    meetings it facilitates (None otherwise, though it still sees them)."""
    side = side_cached(user, meeting.project)
    if side == Side.CENTRE and meeting.facilitating_centre_id not in centre_ids(user):
        return None
    return side


@rules.predicate
def is_meeting_party(user, meeting):
    return meeting_side(user, meeting) is not None


@rules.predicate
def is_meeting_facilitator(user, meeting):
    return bool(meeting.facilitating_centre_id) and meeting_side(user, meeting) == Side.CENTRE


@rules.predicate
def is_centre_of_project(user, project):
    return side_cached(user, project) == Side.CENTRE and bool(centre_ids(user))


@rules.predicate
def is_meeting_project_open(user, meeting):
    return meeting.project.is_open


@rules.predicate
def is_meeting_planned(user, meeting):
    return meeting.status == MeetingStatus.PLANNED


@rules.predicate
def is_meeting_held(user, meeting):
    return meeting.status == MeetingStatus.HELD


@rules.predicate
def has_final_minutes(user, meeting):
    minutes = minutes_of(meeting)
    return bool(minutes and minutes.status == MinutesStatus.FINAL)


@rules.predicate
def is_action_open(user, action):
    return action.status == ActionStatus.OPEN


@rules.predicate
def is_action_owner_side(user, action):
    return side_cached(user, action.project) == action.owner_side


@rules.predicate
def is_minutes_draft(user, minutes):
    return minutes.status == MinutesStatus.DRAFT


@rules.predicate
def is_minutes_for_acknowledgment(user, minutes):
    return minutes.status == MinutesStatus.FOR_ACKNOWLEDGMENT


@rules.predicate
def may_acknowledge_for_molit(user, minutes):
    return minutes.korean_ack_at is None and is_staff_member(user)


@rules.predicate
def may_acknowledge_for_partner(user, minutes):
    return minutes.partner_ack_at is None and side_cached(user, minutes.meeting.project) == Side.PARTNER


can_schedule_meeting = is_project_open & (is_staff_member | is_centre_of_project)
can_manage_meeting = is_meeting_project_open & (is_staff_member | is_meeting_facilitator)
can_record_outcome = can_manage_meeting & is_meeting_held & ~has_final_minutes
can_complete_action = is_action_open & is_action_owner_side
can_drop_action = is_action_open & is_staff_member
can_draft_minutes = is_staff_member & is_meeting_held & ~has_final_minutes
can_acknowledge_minutes = is_minutes_for_acknowledgment & (may_acknowledge_for_molit | may_acknowledge_for_partner)

rules.add_perm("cooperation.schedule_meeting", can_schedule_meeting)
rules.add_perm("cooperation.manage_meeting", can_manage_meeting)
rules.add_perm("cooperation.record_outcome", can_record_outcome)
rules.add_perm("cooperation.see_meeting_link", is_meeting_party)
rules.add_perm("cooperation.complete_action_item", can_complete_action)
rules.add_perm("cooperation.drop_action_item", can_drop_action)
rules.add_perm("cooperation.draft_minutes", can_draft_minutes)
rules.add_perm("cooperation.acknowledge_minutes", can_acknowledge_minutes)

REFUSALS.update({
    "cooperation.schedule_meeting": _("Only MOLIT staff, or a cooperation centre of the project's region for its "
                                      "consultations, can schedule a meeting of an open project."),
    "cooperation.manage_meeting": _("Only MOLIT staff or the facilitating cooperation centre can change this "
                                    "meeting."),
    "cooperation.record_outcome": _("Outcomes are recorded by MOLIT staff or the facilitating centre once the "
                                    "meeting is held, until its minutes are final."),
    "cooperation.see_meeting_link": _("The online link is for the meeting's parties."),
    "cooperation.complete_action_item": _("Only the side that owns this action item can mark it done."),
    "cooperation.drop_action_item": _("Only MOLIT staff can drop an action item."),
    "cooperation.draft_minutes": _("Only MOLIT staff draft the minutes of a held meeting."),
    "cooperation.acknowledge_minutes": _("MOLIT's acknowledgment is given by staff and the partner's by a member of "
                                         "the partner organisation, once each."),
})
