"""The cooperation platform's beat sweeps (tasks in cooperation.tasks, schedules in cooperation.schedules_reports):
milestones and deliverables due in 14 and 3 days and overdue, progress reports due in 7 days and overdue, and the
weekly staff digest of everything overdue, by project.

Each occasion has a key, claimed in SentReminder in the transaction that notifies (notifications.reminder_claim),
so it goes out exactly once however often or concurrently a sweep runs. The key carries the due date, so a due date
moved by an approved revision is reminded again. Only the latest occasion passed counts (an item first seen 2 days
before its date gets the 3-day reminder, not also the 14-day one). Finding what is due is one narrow query per kind
of thing (reminder_rows), which leaves out what was reminded already: with nothing due a sweep costs three queries,
however many projects there are. Days are counted in Seoul's calendar, like the other sweeps.
"""

import datetime
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, Value, When

from accounts.models import User
from cooperation.models import (
    ActionItem,
    ActionStatus,
    ActivityStatus,
    Deliverable,
    Milestone,
    ProgressReport,
    Project,
    ReportingPeriod,
    ReportStatus,
    Side,
    WorkStatus,
)
from notifications.models import SentReminder
from notifications.services import notify, reminder_claim, reminder_key_sql, reminder_rows
from proposals.triage import staff_members

SEOUL = zoneinfo.ZoneInfo(settings.TIME_ZONE)
WORK_LEADS = (3, 14)  # days before the due date
REPORT_LEAD = 7
SWEEP_BATCH = 200
DIGEST_KEY_PREFIX = "coop-digest:"
DIGEST_LIST_LIMIT = 50  # overdue rows of each kind the weekly digest lists at most (the most overdue)
OPEN = (ActivityStatus.PIPELINE, ActivityStatus.IMPLEMENTATION, ActivityStatus.FINALISATION)
WORK_OPEN = (WorkStatus.PENDING, WorkStatus.CHANGES_REQUESTED)
FILED = (ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED, ReportStatus.ACCEPTED)


def _today(now: datetime.datetime) -> datetime.date:
    return now.astimezone(SEOUL).date()


def _send_once(*, key: str, event: str, recipients, context: dict, url: str) -> bool:
    with transaction.atomic():
        if not reminder_claim(key=key):
            return False
        notify(event=event, recipients=recipients, context=context, url=url)
    return True


def side_people(project: Project, side: str) -> list[User]:
    """The people of one side of the project (staff, MOLIT's side, are told separately)."""
    if side == Side.PARTNER:
        qs = User.objects.filter(memberships__organisation_id=project.partner_organisation_id)
    elif side == Side.CONTRACTOR:
        qs = User.objects.filter(project_memberships__project_id=project.pk)
    elif side == Side.CENTRE and project.cooperation_centre_id:
        qs = User.objects.filter(cooperation_centres__pk=project.cooperation_centre_id)
    else:
        return []
    return list(qs.filter(is_active=True).order_by("email"))


def _project_link(project_id: int, tab: str) -> str:
    return f"/cooperation/projects/{project_id}/{tab}/"


def _work_occasion(today: datetime.date) -> Case:
    near, far = WORK_LEADS
    return Case(
        When(due_date__lt=today, then=Value("overdue")),
        When(due_date__lte=today + datetime.timedelta(days=near), then=Value(f"{near}d")),
        default=Value(f"{far}d"), output_field=CharField(),
    )


def work_item_reminders_send(*, now: datetime.datetime) -> int:
    """Milestones and deliverables still to deliver: the owner side's people and staff, 14 and 3 days before the
    due date and once overdue. Key "coop-<milestone|deliverable>:<pk>:<due date>:<14d|3d|overdue>"."""
    today = _today(now)
    horizon = today + datetime.timedelta(days=max(WORK_LEADS))
    sent, staff = 0, None
    for model, kind, project_path in ((Milestone, "milestone", "project"),
                                      (Deliverable, "deliverable", "milestone__project")):
        due = reminder_rows(
            model.objects.filter(status__in=WORK_OPEN, due_date__lte=horizon,
                                 **{f"{project_path}__activity_status__in": OPEN})
            .annotate(occasion=_work_occasion(today))
            .select_related(project_path).order_by("due_date", "pk"),
            key=reminder_key_sql(f"coop-{kind}:", F("pk"), ":", F("due_date"), ":", _work_occasion(today)),
            limit=SWEEP_BATCH,
        )
        for item in due:
            project = item.project if kind == "milestone" else item.milestone.project
            staff = staff if staff is not None else list(staff_members())
            overdue = item.occasion == "overdue"
            sent += _send_once(
                key=item.reminder_key, event="work_item_overdue" if overdue else "work_item_due_soon",
                recipients=[*side_people(project, item.owner_side), *staff],
                context={"item": item, "kind": kind, "project": project, "occasion": item.occasion,
                         "days": abs((item.due_date - today).days)},
                url=_project_link(project.pk, "workplan"),
            )
    return sent


def _unfiled_periods():
    filed = ProgressReport.objects.filter(period_id=OuterRef("pk"), status__in=FILED)
    return ReportingPeriod.objects.filter(project__activity_status__in=OPEN).filter(~Exists(filed))


def report_reminders_send(*, now: datetime.datetime) -> int:
    """Reports not filed: the implementing side 7 days before the due date (staff if it has nobody yet), the
    implementing side and staff once overdue. Key "coop-report:<period>:<due date>:<7d|overdue>"."""
    today = _today(now)
    occasion = Case(When(due_date__lt=today, then=Value("overdue")), default=Value(f"{REPORT_LEAD}d"),
                    output_field=CharField())
    due = reminder_rows(
        _unfiled_periods().filter(due_date__lte=today + datetime.timedelta(days=REPORT_LEAD))
        .annotate(occasion=occasion).select_related("project").order_by("due_date", "pk"),
        key=reminder_key_sql("coop-report:", F("pk"), ":", F("due_date"), ":", occasion), limit=SWEEP_BATCH,
    )
    sent, staff = 0, None
    for period in due:
        team = side_people(period.project, Side.CONTRACTOR)
        overdue = period.occasion == "overdue"
        if overdue or not team:
            staff = staff if staff is not None else list(staff_members())
        sent += _send_once(
            key=period.reminder_key, event="report_overdue" if overdue else "report_due_soon",
            recipients=[*team, *staff] if overdue or not team else team,
            context={"period": period, "project": period.project, "days": abs((period.due_date - today).days)},
            url=_project_link(period.project_id, "reports"),
        )
    return sent


def reminders_sweep(*, now: datetime.datetime) -> dict[str, int]:
    return {"work_items": work_item_reminders_send(now=now), "reports": report_reminders_send(now=now)}


def overdue_by_project(*, today: datetime.date, limit: int | None = None) -> list[dict]:
    """Everything overdue on open projects, grouped by project (oldest due first within each): milestones,
    deliverables, reports not filed, open action items past their date. Five queries whatever the size.

    With `limit`, at most that many of each kind are read, the most overdue: the weekly digest stays bounded
    whatever the backlog (digest_overdue tells it whether it had to leave some out)."""
    grouped: dict[int, dict] = defaultdict(lambda: {"milestones": [], "deliverables": [], "reports": [],
                                                    "actions": []})
    rows = (
        ("milestones", Milestone.objects.filter(status__in=WORK_OPEN, due_date__lt=today,
                                                project__activity_status__in=OPEN), "project_id"),
        ("deliverables", Deliverable.objects.filter(status__in=WORK_OPEN, due_date__lt=today,
                                                    milestone__project__activity_status__in=OPEN)
         .annotate(project_ref=F("milestone__project_id")), "project_ref"),
        ("reports", _unfiled_periods().filter(due_date__lt=today), "project_id"),
        ("actions", ActionItem.objects.filter(status=ActionStatus.OPEN, due_date__lt=today,
                                              project__activity_status__in=OPEN), "project_id"),
    )
    for name, qs, project_field in rows:
        ordered = qs.order_by("due_date", "pk")
        for item in ordered if limit is None else ordered[:limit]:
            grouped[getattr(item, project_field)][name].append(item)
    projects = Project.objects.in_bulk(list(grouped))
    return [{"project": projects[pk], **items} for pk, items in
            sorted(grouped.items(), key=lambda kv: (projects[kv[0]].title, kv[0]))]


def weekly_digest_send(*, now: datetime.datetime) -> bool:
    """Once a week (ISO week, Seoul calendar): staff get the list of everything overdue by project. Nothing
    overdue, nothing sent (and the week stays unclaimed)."""
    year, week, _day = _today(now).isocalendar()
    key = f"{DIGEST_KEY_PREFIX}{year}-W{week:02d}"
    if SentReminder.objects.filter(key=key).exists():
        return False
    overdue, cut = digest_overdue(today=_today(now))
    if not overdue:
        return False
    return _send_once(key=key, event="cooperation_overdue_digest", recipients=staff_members(),
                      context={"projects": overdue, "today": _today(now), "cut": cut, "limit": DIGEST_LIST_LIMIT},
                      url="/admin/cooperation/project/")


def digest_overdue(*, today: datetime.date) -> tuple[list[dict], bool]:
    """What the weekly digest lists: at most DIGEST_LIST_LIMIT of each kind (one more is read to know whether some
    were left out, then dropped: the most overdue ones stay), and whether some were."""
    kinds = ("milestones", "deliverables", "reports", "actions")
    entries = overdue_by_project(today=today, limit=DIGEST_LIST_LIMIT + 1)
    cut = False
    for kind in kinds:
        items = [(item.due_date, item.pk, entry) for entry in entries for item in entry[kind]]
        if len(items) > DIGEST_LIST_LIMIT:  # one too many: drop the least overdue, the one read last
            cut = True
            _due, pk, entry = max(items, key=lambda row: (row[0], row[1]))
            entry[kind] = [item for item in entry[kind] if item.pk != pk]
    return [entry for entry in entries if any(entry[kind] for kind in kinds)], cut
