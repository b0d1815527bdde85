"""Progress reports: the reporting schedule and the review cycle of each report.

Schedule: `reporting_schedule_set` (staff choose quarterly, half-yearly or at milestone dates) rebuilds the
project's ReportingPeriods from it (`reporting_periods_rebuild`); a period that already has a report stays as it is,
the new schedule fills the time around it.

Review cycle (REPORT_MOVES, one table): the implementing side drafts and submits; the partner government comments
and acknowledges; staff accept or ask for changes; asked for changes, the implementing side starts a revision,
which is a new version (the old one is kept, marked superseded). A submitted report never changes: every service
that writes its content refuses anything but a draft. Accepting a report writes its indicator actuals into the
results framework (IndicatorPeriod).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.services import audit_record
from cooperation.models import (
    ContributionReport,
    DocumentCategory,
    IndicatorPeriod,
    IndicatorProgress,
    Milestone,
    MilestoneProgress,
    OrganisationRole,
    Participant,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectMember,
    ReportAttachment,
    ReportFrequency,
    ReportingPeriod,
    ReportRisk,
    ReportStatus,
    RiskState,
)
from cooperation.rules import REFUSALS, REPORT_SIDE, require
from cooperation.timeline import declare, event_record
from core.errors import TransitionRefused
from notifications.services import notify
from proposals.attachments import inspect_upload
from proposals.triage import staff_members

# A report is due this many days after its period closes.
REPORT_DUE_DAYS = 15
MAX_ATTACHMENTS = 30

declare({
    "reports.schedule_set": gettext_lazy("Reporting schedule set to “%(frequency)s”: %(periods)s reporting periods."),
    "report.started": gettext_lazy("Progress report for %(period)s started (version %(version)s)."),
    "report.submitted": gettext_lazy("Progress report for %(period)s submitted (version %(version)s)."),
    "report.acknowledged": gettext_lazy("The partner government acknowledged the report for %(period)s."),
    "report.accepted": gettext_lazy("Staff accepted the report for %(period)s; its indicator actuals are recorded."),
    "report.changes_requested": gettext_lazy("Staff asked for changes to the report for %(period)s."),
    "report.revision_started": gettext_lazy("Revision of the report for %(period)s started (version %(version)s)."),
})


# --- the schedule -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedPeriod:
    start: date
    end: date
    milestone_id: int | None = None

    @property
    def due(self) -> date:
        return self.end + timedelta(days=REPORT_DUE_DAYS)


def reporting_periods_plan(project: Project) -> list[PlannedPeriod]:
    """The periods the project's schedule asks for (not yet stored)."""
    frequency = project.report_frequency
    if frequency == ReportFrequency.MILESTONES:
        start = project.planned_start or timezone.localdate(project.opened_at)
        periods = []
        for due, milestone_id in (Milestone.objects.filter(project=project).order_by("due_date", "order", "id")
                                  .values_list("due_date", "id")):
            if due < start:  # two milestones on one day share a report; one before the start has none
                continue
            periods.append(PlannedPeriod(start, due, milestone_id))
            start = due + timedelta(days=1)
        return periods
    if not (project.planned_start and project.planned_end):
        raise ValidationError(_("Set the project's planned start and end before choosing a schedule by quarter "
                                "or half-year."))
    months = 3 if frequency == ReportFrequency.QUARTERLY else 6
    periods, start, n = [], project.planned_start, 1
    while start <= project.planned_end:
        end = min(project.planned_start + relativedelta(months=months * n) - timedelta(days=1), project.planned_end)
        periods.append(PlannedPeriod(start, end))
        start, n = end + timedelta(days=1), n + 1
    return periods


def _around(piece: PlannedPeriod, kept: list[ReportingPeriod]) -> list[PlannedPeriod]:
    """What is left of `piece` outside the kept periods (each a closed interval of dates)."""
    pieces = [piece]
    for period in kept:
        rest = []
        for p in pieces:
            if period.period_end < p.start or period.period_start > p.end:
                rest.append(p)
                continue
            if p.start < period.period_start:
                rest.append(PlannedPeriod(p.start, period.period_start - timedelta(days=1)))
            if p.end > period.period_end:
                rest.append(PlannedPeriod(period.period_end + timedelta(days=1), p.end, p.milestone_id))
        pieces = rest
    return [p for p in pieces if p.start <= p.end]


def reporting_periods_rebuild(*, project: Project, by) -> dict[str, int]:
    """Make the stored periods match the schedule; periods with reports are kept as they are. Returns counts."""
    require(by, "cooperation.schedule_reports", project)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        counts = _rebuild(project)
        audit_record(actor=by, action="reports.schedule_rebuild", target=project,
                     data={"frequency": project.report_frequency, **counts})
    return counts


def _rebuild(project: Project) -> dict[str, int]:
    stored = list(ReportingPeriod.objects.select_for_update().filter(project=project).order_by("period_start"))
    with_reports = set(ProgressReport.objects.filter(period__in=stored).values_list("period_id", flat=True))
    kept = [p for p in stored if p.pk in with_reports]
    wanted = {p.start: p for piece in reporting_periods_plan(project) for p in _around(piece, kept)}
    counts = {"created": 0, "updated": 0, "removed": 0, "kept": len(kept)}
    for period in stored:
        if period.pk in with_reports:
            continue
        plan = wanted.pop(period.period_start, None)
        if plan is None:
            period.delete()
            counts["removed"] += 1
        elif (period.period_end, period.due_date, period.milestone_id) != (plan.end, plan.due, plan.milestone_id):
            period.period_end, period.due_date, period.milestone_id = plan.end, plan.due, plan.milestone_id
            period.save(update_fields=["period_end", "due_date", "milestone"])
            counts["updated"] += 1
    ReportingPeriod.objects.bulk_create([
        ReportingPeriod(project=project, period_start=p.start, period_end=p.end, due_date=p.due,
                        milestone_id=p.milestone_id) for p in wanted.values()
    ])
    counts["created"] = len(wanted)
    return counts


def reporting_schedule_set(*, project: Project, frequency: str, by) -> dict[str, int]:
    """Staff set (or change) how often the project reports, and its periods follow."""
    require(by, "cooperation.schedule_reports", project)
    if frequency not in ReportFrequency.values:
        raise ValidationError(_("Choose how often the project reports."))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        before = project.report_frequency
        project.report_frequency = frequency
        project.save(update_fields=["report_frequency", "updated_at"])
        counts = _rebuild(project)
        audit_record(actor=by, action="reports.schedule_set", target=project,
                     data={"from": before, "to": frequency, **counts})
        event_record(project=project, by=by, kind="reports.schedule_set", link=_reports_link(project),
                     params={"frequency": str(ReportFrequency(frequency).label),
                             "periods": ReportingPeriod.objects.filter(project=project).count()})
    return counts


# --- who hears about a report -------------------------------------------------------------------------------


def partner_team(project: Project):
    return User.objects.filter(memberships__organisation_id=project.partner_organisation_id, is_active=True)


def implementing_team(project: Project):
    return User.objects.filter(project_memberships__project=project, is_active=True)


def _reports_link(project: Project) -> str:
    return f"/cooperation/projects/{project.pk}/reports/"


def report_link(report: ProgressReport) -> str:
    return f"/cooperation/projects/{report.project_id}/reports/{report.pk}/"


def _period_label(report: ProgressReport) -> str:
    return f"{report.period.period_start.isoformat()} – {report.period.period_end.isoformat()}"


def _tell(event: str, report: ProgressReport, recipients, **context) -> None:
    notify(event=event, recipients=recipients, url=report_link(report),
           context={"report": report, "project": report.project, "period": report.period, **context})


# --- the review cycle ---------------------------------------------------------------------------------------

# (from, to) -> the permission that allows the move; nothing else moves a report.
REPORT_MOVES = {
    (ReportStatus.DRAFT, ReportStatus.SUBMITTED): "cooperation.change_report",
    (ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED): "cooperation.acknowledge_report",
    (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED): "cooperation.review_report",
    (ReportStatus.ACKNOWLEDGED, ReportStatus.ACCEPTED): "cooperation.review_report",
    (ReportStatus.SUBMITTED, ReportStatus.CHANGES_REQUESTED): "cooperation.review_report",
    (ReportStatus.ACKNOWLEDGED, ReportStatus.CHANGES_REQUESTED): "cooperation.review_report",
    (ReportStatus.CHANGES_REQUESTED, ReportStatus.SUPERSEDED): "cooperation.revise_report",
}

STATE_REFUSED = {
    ReportStatus.SUBMITTED: gettext_lazy("Only a draft can be submitted; this report is “%(status)s”."),
    ReportStatus.ACKNOWLEDGED: gettext_lazy("Only a submitted report can be acknowledged; this one is “%(status)s”."),
    ReportStatus.ACCEPTED: gettext_lazy("Only a report awaiting review can be accepted; this one is “%(status)s”."),
    ReportStatus.CHANGES_REQUESTED: gettext_lazy("Only a report awaiting review can be sent back for changes; this "
                                                 "one is “%(status)s”."),
    ReportStatus.SUPERSEDED: gettext_lazy("A revision starts only from a report staff asked to change; this one is "
                                          "“%(status)s”."),
}
IMMUTABLE = gettext_lazy("This report is “%(status)s”: once submitted a report does not change. Staff can ask for "
                         "changes, and the revision is a new version.")


def _locked(report: ProgressReport) -> ProgressReport:
    return (ProgressReport.objects.select_for_update(of=("self",))
            .select_related("project", "period").get(pk=report.pk))


def _may(by, name: str, report: ProgressReport, *, refused=None) -> None:
    """Refuse who may not (403, the rule's reason) apart from what the state forbids (400, `refused`)."""
    if by is not None and by.has_perm(name, report):
        return
    side = REPORT_SIDE.get(name)
    if by is None or side is None or not side.test(by, report):
        raise PermissionDenied(REFUSALS[name])
    if not report.project.is_open:
        raise TransitionRefused(_("The project is closed: its reports no longer change."))
    message = refused if refused is not None else IMMUTABLE
    raise TransitionRefused(message % {"status": report.get_status_display()})


def _move(report: ProgressReport, target: str, by) -> None:
    name = REPORT_MOVES.get((report.status, target))
    if name is None:
        # Not a move of the table from this state: say so, unless the person may not touch it at all.
        side_name = next(n for (_s, t), n in REPORT_MOVES.items() if t == target)
        if by is None or not REPORT_SIDE[side_name].test(by, report):
            raise PermissionDenied(REFUSALS[side_name])
        raise TransitionRefused(STATE_REFUSED[target] % {"status": report.get_status_display()})
    _may(by, name, report, refused=STATE_REFUSED[target])


def report_current(period: ReportingPeriod) -> ProgressReport | None:
    return period.reports.order_by("-version").first()


def last_accepted(project: Project, *, before: ProgressReport | None = None) -> ProgressReport | None:
    """The last accepted report of the project (of an earlier period than `before`, if given)."""
    qs = ProgressReport.objects.filter(project=project, status=ReportStatus.ACCEPTED)
    if before is not None:
        qs = qs.filter(period__period_start__lt=before.period.period_start)
    return qs.select_related("period").order_by("-period__period_start", "-version").first()


def report_start(*, period: ReportingPeriod, by) -> ProgressReport:
    """Start the first version of a period's report: milestone progress and the open risks carried over from the
    last accepted report, the rest to fill in."""
    require(by, "cooperation.draft_report", period.project)
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().select_related("project").get(pk=period.pk)
        if period.reports.exists():
            raise TransitionRefused(_("This period already has a report; open it instead."))
        report = ProgressReport.objects.create(period=period, project=period.project, drafted_by=by)
        previous = last_accepted(period.project, before=report)
        if previous is not None:
            MilestoneProgress.objects.bulk_create([
                MilestoneProgress(report=report, milestone_id=m.milestone_id, percent_complete=m.percent_complete)
                for m in previous.milestone_progress.all()
            ])
            ReportRisk.objects.bulk_create([
                ReportRisk(report=report, description=r.description, state=r.state, mitigation=r.mitigation)
                for r in previous.risks.exclude(state=RiskState.CLOSED)
            ])
        audit_record(actor=by, action="report.start", target=report, data={"period": period.pk})
        event_record(project=period.project, by=by, kind="report.started", link=report_link(report),
                     params={"period": _period_label(report), "version": report.version})
    return report


UNCHANGED = object()


def _percent(value) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        raise ValidationError({"milestones": _("Progress is a whole number from 0 to 100 per cent.")})
    return percent


def _actual(value) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or abs(number) >= Decimal("1e14"):
        raise ValidationError({"indicators": _("An actual value is a number (up to 14 digits before the point).")})
    return number.quantize(Decimal("0.01"))


def speaks_for(by, project: Project) -> set[int] | None:
    """The implementing participants whose contribution this person may write (None: every one, staff)."""
    if by.has_perm("cooperation.manage_project"):
        return None
    return set(ProjectMember.objects.filter(project=project, user=by).values_list("participant_id", flat=True))


def implementing_participants(project: Project):
    return Participant.objects.filter(project=project, role=OrganisationRole.IMPLEMENTING).order_by("order", "id")


def is_consortium(project: Project) -> bool:
    return implementing_participants(project).count() > 1


def report_save(*, report: ProgressReport, by, summary=UNCHANGED, issues_and_needs=UNCHANGED,
                rating_objectives=UNCHANGED, rating_implementation=UNCHANGED, rating_risk=UNCHANGED,
                milestones=UNCHANGED, indicators=UNCHANGED, risks=UNCHANGED, contributions=UNCHANGED
                ) -> ProgressReport:
    """Save a draft. Lists replace what the draft held: `milestones` [{milestone, percent_complete, note}],
    `indicators` [{period, actual_value, comment}], `risks` [{description, state, mitigation}], `contributions`
    [{participant, narrative, spent_krw}] (a contractor writes only the share of the participant they work for;
    the others stay)."""
    with transaction.atomic():
        report = _locked(report)
        _may(by, "cooperation.change_report", report)
        project = report.project
        changed = []
        for name, value in (("summary", summary), ("issues_and_needs", issues_and_needs),
                            ("rating_objectives", rating_objectives),
                            ("rating_implementation", rating_implementation), ("rating_risk", rating_risk)):
            if value is not UNCHANGED:
                setattr(report, name, value)
                changed.append(name)
        if changed:
            report.full_clean(exclude=["period", "project", "drafted_by", "previous_version"])
            report.save(update_fields=changed)
        if milestones is not UNCHANGED:
            _milestones_replace(report, milestones)
            changed.append("milestones")
        if indicators is not UNCHANGED:
            _indicators_replace(report, indicators)
            changed.append("indicators")
        if risks is not UNCHANGED:
            _risks_replace(report, risks)
            changed.append("risks")
        if contributions is not UNCHANGED:
            _contributions_replace(report, contributions, by)
            changed.append("contributions")
        audit_record(actor=by, action="report.save", target=report, data={"changed": changed,
                                                                          "project": project.pk})
    return report


def _milestones_replace(report, rows) -> None:
    own = set(Milestone.objects.filter(project_id=report.project_id).values_list("pk", flat=True))
    objs, seen = [], set()
    for row in rows:
        milestone_id = getattr(row["milestone"], "pk", row["milestone"])
        if milestone_id not in own or milestone_id in seen:
            raise ValidationError({"milestones": _("Report once on each of this project's milestones.")})
        seen.add(milestone_id)
        note = row.get("note") or ""
        if len(note) > 2000:
            raise ValidationError({"milestones": _("A note on a milestone is at most 2000 characters.")})
        objs.append(MilestoneProgress(report=report, milestone_id=milestone_id,
                                      percent_complete=_percent(row["percent_complete"]), note=note))
    report.milestone_progress.all().delete()
    MilestoneProgress.objects.bulk_create(objs)


def indicator_periods_for(report_period: ReportingPeriod):
    """The indicator periods a report speaks of: those of the project that overlap the reporting period."""
    return (IndicatorPeriod.objects
            .filter(indicator__objective__project_id=report_period.project_id,
                    period_start__lte=report_period.period_end, period_end__gte=report_period.period_start)
            .select_related("indicator").order_by("indicator__objective__order", "indicator__order",
                                                  "indicator_id", "period_start", "id"))


def _indicators_replace(report, rows) -> None:
    own = set(indicator_periods_for(report.period).values_list("pk", flat=True))
    objs, seen = [], set()
    for row in rows:
        period_id = getattr(row["period"], "pk", row["period"])
        if period_id not in own or period_id in seen:
            raise ValidationError({"indicators": _("Report once on each indicator period within this reporting "
                                                   "period.")})
        seen.add(period_id)
        comment = row.get("comment") or ""
        if len(comment) > 2000:
            raise ValidationError({"indicators": _("A comment on an indicator is at most 2000 characters.")})
        objs.append(IndicatorProgress(report=report, period_id=period_id, actual_value=_actual(row["actual_value"]),
                                      comment=comment))
    report.indicator_progress.all().delete()
    IndicatorProgress.objects.bulk_create(objs)


def _risks_replace(report, rows) -> None:
    objs = []
    for row in rows:
        risk = ReportRisk(report=report, description=row.get("description") or "",
                          state=row.get("state") or RiskState.OPEN, mitigation=row.get("mitigation") or "")
        try:
            risk.full_clean(exclude=["report"])
        except ValidationError as error:
            raise ValidationError({"risks": [m for ms in error.message_dict.values() for m in ms]}) from error
        objs.append(risk)
    report.risks.all().delete()
    ReportRisk.objects.bulk_create(objs)


def _contributions_replace(report, rows, by) -> None:
    members = set(implementing_participants(report.project).values_list("pk", flat=True))
    allowed = speaks_for(by, report.project)
    objs, seen = [], set()
    for row in rows:
        participant_id = getattr(row["participant"], "pk", row["participant"])
        if participant_id not in members or participant_id in seen:
            raise ValidationError({"contributions": _("Report once for each implementing participant.")})
        if allowed is not None and participant_id not in allowed:
            raise PermissionDenied(_("You report only the share of the organisation you work for."))
        seen.add(participant_id)
        contribution = ContributionReport(report=report, participant_id=participant_id,
                                          narrative=row.get("narrative") or "", spent_krw=row.get("spent_krw") or 0)
        try:
            contribution.full_clean(exclude=["report", "participant"])
        except ValidationError as error:
            raise ValidationError({"contributions": [m for ms in error.message_dict.values() for m in ms]}) from error
        objs.append(contribution)
    others_kept = ContributionReport.objects.filter(report=report)
    (others_kept if allowed is None else others_kept.filter(participant_id__in=allowed)).delete()
    ContributionReport.objects.bulk_create(objs)


def report_attachment_add(*, report: ProgressReport, upload, caption: str = "", by) -> ReportAttachment:
    """Attach a photo or document to a draft, checked as proposals' attachments are (proposals.attachments)."""
    checked = inspect_upload(upload)  # raises ValidationError with the reason
    if len(caption) > 300:
        raise ValidationError({"caption": _("A caption is at most 300 characters.")})
    with transaction.atomic():
        report = _locked(report)
        _may(by, "cooperation.change_report", report)
        if report.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(_("A report holds at most %(count)s files.") % {"count": MAX_ATTACHMENTS})
        photo = checked.content_type.startswith("image/")
        document = ProjectDocument(
            project=report.project, category=DocumentCategory.PHOTO if photo else DocumentCategory.REPORT,
            title=(caption or checked.name)[:200], original_name=checked.name, content_type=checked.content_type,
            size=checked.size, sha256=checked.sha256, uploaded_by=by,
        )
        document.file.save(checked.name, upload, save=False)
        document.save()
        attachment = ReportAttachment.objects.create(report=report, document=document, caption=caption)
        audit_record(actor=by, action="report.attachment_add", target=report,
                     data={"document": document.pk, "sha256": checked.sha256, "size": checked.size})
    return attachment


def report_attachment_remove(*, attachment: ReportAttachment, by) -> None:
    with transaction.atomic():
        report = _locked(attachment.report)
        _may(by, "cooperation.change_report", report)
        document = attachment.document
        attachment.delete()
        audit_record(actor=by, action="report.attachment_remove", target=report, data={"document": document.pk})
        if not ReportAttachment.objects.filter(document=document).exists() and not document.evidence_for.exists():
            stored = document.file.name
            document.delete()
            transaction.on_commit(lambda: ProjectDocument.file.field.storage.delete(stored))


def submission_gaps(report: ProgressReport) -> list[str]:
    """What a draft still needs before it can be submitted (empty when it is ready)."""
    gaps = []
    if not report.summary.strip():
        gaps.append(_("Describe the progress in the period."))
    if not (report.rating_objectives and report.rating_implementation and report.rating_risk):
        gaps.append(_("Give all three ratings."))
    participants = list(implementing_participants(report.project))
    if len(participants) > 1:
        reported = set(report.contributions.values_list("participant_id", flat=True))
        missing = [p.name for p in participants if p.pk not in reported]
        if missing:
            gaps.append(_("Each consortium member reports its share; missing: %(names)s.")
                        % {"names": ", ".join(missing)})
    return gaps


def report_submit(*, report: ProgressReport, by) -> ProgressReport:
    with transaction.atomic():
        report = _locked(report)
        _move(report, ReportStatus.SUBMITTED, by)
        gaps = submission_gaps(report)
        if gaps:
            raise ValidationError(gaps)
        report.status, report.submitted_by, report.submitted_at = ReportStatus.SUBMITTED, by, timezone.now()
        report.save(update_fields=["status", "submitted_by", "submitted_at"])
        audit_record(actor=by, action="report.submit", target=report, data={"version": report.version})
        event_record(project=report.project, by=by, kind="report.submitted", link=report_link(report),
                     params={"period": _period_label(report), "version": report.version})
        _tell("report_submitted", report, [*partner_team(report.project), *staff_members()], by=by)
    return report


def report_acknowledge(*, report: ProgressReport, comment: str = "", by) -> ProgressReport:
    """The partner government's comments and acknowledgment of a submitted report."""
    with transaction.atomic():
        report = _locked(report)
        _move(report, ReportStatus.ACKNOWLEDGED, by)
        report.partner_comment = comment or ""
        report.full_clean(exclude=["period", "project", "drafted_by", "previous_version"])
        report.status, report.acknowledged_by, report.acknowledged_at = ReportStatus.ACKNOWLEDGED, by, timezone.now()
        report.save(update_fields=["status", "partner_comment", "acknowledged_by", "acknowledged_at"])
        audit_record(actor=by, action="report.acknowledge", target=report, data={"comment": bool(comment)})
        event_record(project=report.project, by=by, kind="report.acknowledged", link=report_link(report),
                     params={"period": _period_label(report)})
        _tell("report_acknowledged", report, [*implementing_team(report.project), *staff_members()], by=by)
    return report


def report_accept(*, report: ProgressReport, note: str = "", by) -> ProgressReport:
    """Staff accept the report; its indicator actuals become the results framework's actuals for those periods."""
    with transaction.atomic():
        report = _locked(report)
        _move(report, ReportStatus.ACCEPTED, by)
        now = timezone.now()
        report.status, report.reviewed_by, report.reviewed_at, report.review_note = (
            ReportStatus.ACCEPTED, by, now, note or "")
        report.full_clean(exclude=["period", "project", "drafted_by", "previous_version"])
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        written = []
        progress = list(report.indicator_progress.all())
        periods = IndicatorPeriod.objects.select_for_update().in_bulk([p.period_id for p in progress])
        for row in progress:
            period = periods[row.period_id]
            period.actual_value, period.actual_comment = row.actual_value, row.comment
            period.actual_by, period.actual_at = report.submitted_by, now
            period.save(update_fields=["actual_value", "actual_comment", "actual_by", "actual_at"])
            written.append(period.pk)
        audit_record(actor=by, action="report.accept", target=report, data={"indicator_periods": written})
        event_record(project=report.project, by=by, kind="report.accepted", link=report_link(report),
                     params={"period": _period_label(report)})
        _tell("report_accepted", report, [*implementing_team(report.project), *partner_team(report.project)],
              by=by)
    return report


def report_request_changes(*, report: ProgressReport, note: str, by) -> ProgressReport:
    with transaction.atomic():
        report = _locked(report)
        _move(report, ReportStatus.CHANGES_REQUESTED, by)
        if not (note or "").strip():
            raise ValidationError({"note": _("Say what should change.")})
        report.status, report.reviewed_by, report.reviewed_at, report.review_note = (
            ReportStatus.CHANGES_REQUESTED, by, timezone.now(), note)
        report.full_clean(exclude=["period", "project", "drafted_by", "previous_version"])
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        audit_record(actor=by, action="report.request_changes", target=report, data={"note": note})
        event_record(project=report.project, by=by, kind="report.changes_requested", link=report_link(report),
                     params={"period": _period_label(report)})
        _tell("report_changes_requested", report,
              [*implementing_team(report.project), *partner_team(report.project)], by=by, note=note)
    return report


def report_revise(*, report: ProgressReport, by) -> ProgressReport:
    """Start the next version of a report staff asked to change: a new draft filled from this one, which is kept
    as it was and marked superseded."""
    with transaction.atomic():
        report = _locked(report)
        _move(report, ReportStatus.SUPERSEDED, by)
        report.status = ReportStatus.SUPERSEDED
        report.save(update_fields=["status"])
        new = ProgressReport.objects.create(
            period=report.period, project=report.project, version=report.version + 1, previous_version=report,
            summary=report.summary, issues_and_needs=report.issues_and_needs,
            rating_objectives=report.rating_objectives, rating_implementation=report.rating_implementation,
            rating_risk=report.rating_risk, drafted_by=by,
        )
        MilestoneProgress.objects.bulk_create([
            MilestoneProgress(report=new, milestone_id=m.milestone_id, percent_complete=m.percent_complete,
                              note=m.note) for m in report.milestone_progress.all()])
        IndicatorProgress.objects.bulk_create([
            IndicatorProgress(report=new, period_id=i.period_id, actual_value=i.actual_value, comment=i.comment)
            for i in report.indicator_progress.all()])
        ReportRisk.objects.bulk_create([
            ReportRisk(report=new, description=r.description, state=r.state, mitigation=r.mitigation)
            for r in report.risks.all()])
        ContributionReport.objects.bulk_create([
            ContributionReport(report=new, participant_id=c.participant_id, narrative=c.narrative,
                               spent_krw=c.spent_krw) for c in report.contributions.all()])
        ReportAttachment.objects.bulk_create([
            ReportAttachment(report=new, document_id=a.document_id, caption=a.caption)
            for a in report.attachments.all()])
        audit_record(actor=by, action="report.revise", target=new, data={"previous": report.pk,
                                                                         "version": new.version})
        event_record(project=report.project, by=by, kind="report.revision_started", link=report_link(new),
                     params={"period": _period_label(new), "version": new.version})
        _tell("report_revision_started", new, staff_members(), by=by, previous=report)
    return new
