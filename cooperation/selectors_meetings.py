"""Reads of meetings, agendas, action items and minutes that the pages, the API, the reminders and the demo share.
Everything starts from `projects_visible_to` (cooperation.selectors): a meeting or action item of a project the
person is not a party to is a 404, never a 403."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Role, User
from cooperation.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    BudgetRevision,
    CooperationMeeting,
    DueDateRevision,
    IndicatorPeriod,
    Project,
    Side,
)
from cooperation.selectors import projects_visible_to
from core.amounts import krw

# --- meetings -------------------------------------------------------------------------------------------------


def meetings_visible_to(user) -> QuerySet[CooperationMeeting]:
    return CooperationMeeting.objects.filter(project__in=projects_visible_to(user))


def meeting_rows(project: Project) -> QuerySet[CooperationMeeting]:
    """The project's meetings, newest first, with what the list shows (no query per row)."""
    return (CooperationMeeting.objects.filter(project=project)
            .select_related("facilitating_centre", "minutes")
            .annotate(agenda_count=Count("agenda_items", distinct=True),
                      open_actions=Count("action_items", filter=Q(action_items__status=ActionStatus.OPEN),
                                         distinct=True))
            .order_by("-starts_at", "-id"))


def meeting_for(user, project: Project, pk) -> CooperationMeeting:
    """A meeting of a project this person sees (the project came from project_for), else 404."""
    meeting = (CooperationMeeting.objects.filter(project=project, pk=pk)
               .select_related("project", "project__partner_organisation", "project__proposal", "facilitating_centre",
                               "minutes", "created_by")
               .first())
    if meeting is None:
        raise Http404
    meeting.project = project  # the visible copy, with what project_for loaded
    return meeting


def meeting_agenda(meeting: CooperationMeeting) -> list[AgendaItem]:
    """The agenda with each item's action items and its approved change (loaded per kind, not per item)."""
    items = list(meeting.agenda_items.prefetch_related(
        Prefetch("action_items", queryset=ActionItem.objects.select_related("owner").order_by("due_date", "id"))
    ))
    changes = approved_changes_for(items)
    for item in items:
        item.approved = changes.get((item.approved_type_id, item.approved_id))
        item.approved_label = change_label(item.approved) if item.approved is not None else ""
    return items


def carried_actions(meeting: CooperationMeeting) -> list[ActionItem]:
    """The action items carried into this session from earlier ones, with the session they come from."""
    return list(meeting.carried_actions.select_related("meeting", "owner").order_by("meeting__starts_at", "due_date",
                                                                                    "id"))


def delegations(meeting: CooperationMeeting) -> dict[str, list]:
    """The delegates by side, heads first."""
    sides: dict[str, list] = defaultdict(list)
    for delegate in meeting.delegates.select_related("user"):
        sides[delegate.side].append(delegate)
    return dict(sides)


# The zone a meeting form offers first: the recipient country's capital (the centres' countries and a few more).
COUNTRY_ZONES = {"ID": "Asia/Jakarta", "TH": "Asia/Bangkok", "PH": "Asia/Manila", "SA": "Asia/Riyadh",
                 "KE": "Africa/Nairobi", "CO": "America/Bogota", "PL": "Europe/Warsaw", "VN": "Asia/Ho_Chi_Minh",
                 "KR": "Asia/Seoul", "UZ": "Asia/Tashkent", "MN": "Asia/Ulaanbaatar", "PE": "America/Lima"}


def venue_zone_for(project: Project) -> str:
    return COUNTRY_ZONES.get(str(project.recipient_country), "Asia/Seoul")


def next_session_number(project: Project, kind: str) -> int:
    last = (CooperationMeeting.objects.filter(project=project, kind=kind).order_by("-session_number")
            .values_list("session_number", flat=True).first())
    return (last or 0) + 1


# --- action items ---------------------------------------------------------------------------------------------


def action_items_visible_to(user) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(project__in=projects_visible_to(user))


def action_rows(queryset: QuerySet[ActionItem], *, side: str = "", status: str = "") -> QuerySet[ActionItem]:
    """Action items, open ones first (then by due date), filtered by owner side and status when given."""
    if side in Side.values:
        queryset = queryset.filter(owner_side=side)
    if status in ActionStatus.values:
        queryset = queryset.filter(status=status)
    return (queryset.select_related("meeting", "owner", "closed_by")
            .annotate(open_first=Case(When(status=ActionStatus.OPEN, then=Value(0)), default=Value(1),
                                      output_field=IntegerField()))
            .order_by("open_first", "due_date", "id"))


def action_for(user, project: Project, pk) -> ActionItem:
    action = (ActionItem.objects.filter(project=project, pk=pk)
              .select_related("meeting", "owner", "closed_by", "agenda_item").first())
    if action is None:
        raise Http404
    action.project = project
    action.meeting.project = project
    return action


def open_actions_before(meeting: CooperationMeeting) -> QuerySet[ActionItem]:
    """Open action items of the project agreed at earlier sessions: what a new session carries over."""
    return ActionItem.objects.filter(project_id=meeting.project_id, status=ActionStatus.OPEN,
                                     meeting__starts_at__lt=meeting.starts_at).exclude(meeting=meeting)


# --- who is on a side (recipients of notices) -----------------------------------------------------------------


def side_people(project: Project, side: str, *, meeting: CooperationMeeting | None = None) -> list[User]:
    """The active people of a side of the project: the partner organisation's members, the contractors' staff on
    the project, the centre's staff (the facilitating centre's for a meeting, else the project's centre); for
    MOLIT the meeting's organiser (staff are many; escalation asks `staff_people` instead)."""
    people = User.objects.filter(is_active=True)
    if side == Side.PARTNER:
        people = people.filter(memberships__organisation_id=project.partner_organisation_id)
    elif side == Side.CONTRACTOR:
        people = people.filter(project_memberships__project_id=project.pk)
    elif side == Side.CENTRE:
        centre_id = (meeting.facilitating_centre_id if meeting else None) or project.cooperation_centre_id
        people = people.filter(role=Role.CENTRE_STAFF, cooperation_centres__pk=centre_id)
    elif side == Side.MOLIT and meeting is not None:
        people = people.filter(pk=meeting.created_by_id, role=Role.STAFF)
    else:
        return []
    return list(people.distinct().order_by("id"))


def staff_people() -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.STAFF).order_by("id"))


# --- a decision and the change it approved ----------------------------------------------------------------------

CHANGE_MODELS = (DueDateRevision, IndicatorPeriod, BudgetRevision)


def _changes_of(project: Project) -> dict[type, QuerySet]:
    return {
        DueDateRevision: DueDateRevision.objects.filter(
            Q(milestone__project=project) | Q(deliverable__milestone__project=project)
        ).select_related("milestone", "deliverable").order_by("-requested_at", "-id"),
        IndicatorPeriod: IndicatorPeriod.objects.filter(indicator__objective__project=project)
        .select_related("indicator").order_by("indicator__order", "indicator_id", "period_start", "id"),
        BudgetRevision: BudgetRevision.objects.filter(project=project).order_by("-approved_at", "-id"),
    }


def change_key(obj) -> str:
    return f"{obj._meta.model_name}:{obj.pk}"


def change_choices(project: Project) -> list[tuple[str, str]]:
    """What a decision of this project may link to: its due-date revisions, indicator periods and budget
    revisions, as (key, label) pairs for a form."""
    return [(change_key(obj), change_label(obj)) for qs in _changes_of(project).values() for obj in qs[:200]]


def change_from_key(project: Project, key: str):
    """The change a form's key names, if it is one of this project's; else None."""
    model_name, _sep, pk = (key or "").partition(":")
    if not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
        return None
    for model, qs in _changes_of(project).items():
        if model._meta.model_name == model_name:
            return qs.filter(pk=int(pk)).first()
    return None


def change_label(obj) -> str:
    """A change described for a person (the related rows are select_related by the readers here)."""
    from_kind = {
        DueDateRevision: lambda r: _("Due date of “%(item)s”: %(old)s → %(new)s (%(state)s)") % {
            "item": r.item.title if r.item else "", "old": r.old_date, "new": r.new_date,
            "state": r.get_state_display()},
        IndicatorPeriod: lambda p: _("Target of “%(indicator)s” for %(start)s–%(end)s: %(target)s") % {
            "indicator": p.indicator.title, "start": p.period_start, "end": p.period_end,
            "target": p.target_value},
        BudgetRevision: lambda b: _("Budget revision: %(old)s → %(new)s") % {
            "old": krw(b.previous_krw), "new": krw(b.amount_krw)},
    }
    return str(from_kind[type(obj)](obj))


def approved_changes_for(items) -> dict[tuple, object]:
    """{(content type id, object id): change} for the agenda items that link one (one query per kind)."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for item in items:
        if item.approved_type_id and item.approved_id:
            wanted[item.approved_type_id].add(item.approved_id)
    if not wanted:
        return {}
    found = {}
    for model in CHANGE_MODELS:
        ct = ContentType.objects.get_for_model(model)  # cached by ContentTypeManager
        if ct.pk not in wanted:
            continue
        qs = model.objects.filter(pk__in=wanted[ct.pk])
        if model is DueDateRevision:
            qs = qs.select_related("milestone", "deliverable")
        elif model is IndicatorPeriod:
            qs = qs.select_related("indicator")
        found.update({(ct.pk, obj.pk): obj for obj in qs})
    return found


def decisions_approving(change) -> QuerySet[AgendaItem]:
    """The agenda items (decisions) that approved this change, with their meetings: the other way of the link,
    for the work plan, results and budget pages (include cooperation/meetings/_approved_by.html)."""
    ct = ContentType.objects.get_for_model(type(change))
    return (AgendaItem.objects.filter(approved_type=ct, approved_id=change.pk).select_related("meeting")
            .order_by("meeting__starts_at", "order", "id"))


def decisions_approving_each(changes) -> list:
    """Set `approving_decisions` on each change (the decisions that approved it, with their meetings, oldest first), for
    the lists of the work plan, results and budget pages: one query however many changes (or none if no change)."""
    changes = list(changes)
    by_key, wanted = {}, defaultdict(set)
    for change in changes:
        change.approving_decisions = []
        ct = ContentType.objects.get_for_model(type(change))  # cached by ContentTypeManager
        by_key[(ct.pk, change.pk)] = change
        wanted[ct.pk].add(change.pk)
    if wanted:
        which = Q()
        for ct_pk, pks in wanted.items():
            which |= Q(approved_type_id=ct_pk, approved_id__in=pks)
        for item in (AgendaItem.objects.filter(which).select_related("meeting")
                     .order_by("meeting__starts_at", "order", "id")):
            by_key[(item.approved_type_id, item.approved_id)].approving_decisions.append(item)
    return changes


def project_decisions_with_changes(project: Project) -> list[AgendaItem]:
    """Every decision of the project that approved a change, with the change (the meetings tab lists them)."""
    items = list(AgendaItem.objects.filter(meeting__project=project, approved_id__isnull=False)
                 .select_related("meeting").order_by("meeting__starts_at", "order", "id"))
    changes = approved_changes_for(items)
    for item in items:
        item.approved = changes.get((item.approved_type_id, item.approved_id))
        item.approved_label = change_label(item.approved) if item.approved is not None else ""
    return items
