"""A cooperation project's life: opened when the committee's approval is released (committee.decision_released,
inside the letter's transaction; cooperation.receivers); its details kept by staff (project_save: what the decision
fixed, proposal, partner and amount, stays); its IATI activity status moved along one table (STATUS_TRANSITIONS,
applied by project_status_change); its implementing organisations added by staff (participant_add)."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record, field_values
from cooperation.models import ActivityStatus, OrganisationRole, Participant, Project, Side
from cooperation.rules import require
from cooperation.timeline import declare, event_record
from core.amounts import krw
from core.errors import TransitionRefused
from proposals.workflow import Status


def project_open(*, proposal, support_amount_krw: int, conditions: str = "", by) -> Project:
    """One project per approved proposal; the partner organisation is the applicant organisation."""
    if proposal.status != Status.APPROVED:
        raise ValidationError(_("Only an approved proposal opens a cooperation project."))
    with transaction.atomic():
        if Project.objects.filter(proposal=proposal).exists():
            raise ValidationError(_("This proposal already has a cooperation project."))
        start = timezone.localdate()
        project = Project.objects.create(
            proposal=proposal, partner_organisation_id=proposal.organisation_id,
            iati_identifier=f"{settings.IATI_REPORTING_ORG_REF}-{proposal.reference}" if proposal.reference else None,
            title=proposal.title, description=proposal.objectives or proposal.problem_statement,
            recipient_country=proposal.country or proposal.organisation.country,
            recipient_city=proposal.region_city, cooperation_centre_id=proposal.cooperation_centre_id,
            planned_start=start, planned_end=_planned_end(start, proposal.duration_months),
            support_amount_krw=support_amount_krw, conditions=conditions, opened_by=by,
        )
        _participants_open(project)
        audit_record(actor=by, action="project.open", target=project,
                     data={"proposal": proposal.pk, "support_amount_krw": support_amount_krw})
        event_record(project=project, by=by, kind="project.opened", params={"amount": support_amount_krw})
    return project


def _planned_end(start: date, months: int | None) -> date | None:
    return start + relativedelta(months=months) - relativedelta(days=1) if months else None


def _participants_open(project: Project) -> None:
    """The roles an approval fixes: MOLIT funding, the partner government accountable, the cooperation centre (or
    else the secretariat) extending. Implementing contractors are added by staff when contracted."""
    partner = project.partner_organisation
    centre = project.cooperation_centre
    Participant.objects.bulk_create([
        Participant(project=project, role=OrganisationRole.FUNDING, side=Side.MOLIT,
                    name=settings.IATI_REPORTING_ORG_NAME, iati_ref=settings.IATI_REPORTING_ORG_REF),
        Participant(project=project, role=OrganisationRole.ACCOUNTABLE, side=Side.PARTNER, organisation=partner,
                    name=partner.name),
        Participant(project=project, role=OrganisationRole.EXTENDING, side=Side.CENTRE if centre else Side.MOLIT,
                    name=centre.name if centre else _("K-City Network secretariat"),
                    iati_ref="" if centre else settings.IATI_REPORTING_ORG_REF),
    ])


# What staff may change on a project; the rest (proposal, partner, amount) is the committee's decision, and the
# activity status and actual dates move only through project_status_change.
PROJECT_EDITABLE = ("title", "description", "translations", "sector_code", "recipient_city", "planned_start",
                    "planned_end", "report_frequency", "cooperation_centre", "conditions")


def project_save(*, project: Project, by, changed: list[str]) -> Project:
    """Save staff's change of a project's editable fields (`changed`, already set on `project`), with a
    `project.update` audit row and a timeline line naming what changed."""
    require(by, "cooperation.manage_project")
    changed = [name for name in changed if name != "cooperation_centre_id"]
    fixed = sorted(set(changed) - set(PROJECT_EDITABLE))
    if fixed:
        raise ValidationError(_("These come from the committee's decision and do not change here: %(fields)s")
                              % {"fields": ", ".join(fixed)})
    if not changed:
        return project
    if project.planned_start and project.planned_end and project.planned_end < project.planned_start:
        raise ValidationError({"planned_end": _("The planned end cannot be before the planned start.")})
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        project.full_clean()
        project.save(update_fields=sorted({*changed, "updated_at"}))
        audit_record(actor=by, action="project.update", target=project,
                     data={"changed": field_values(project, changed)})
        with translation.override("en"):  # the line's params are stored once; English is the catalogue's source
            labels = [str(Project._meta.get_field(name).verbose_name) for name in sorted(changed)]
        event_record(project=project, by=by, kind="project.updated", params={"fields": ", ".join(labels)})
    return project


# --- the activity status: one table, one service ------------------------------------------------------------

A = ActivityStatus
OPEN_STATES = (A.PIPELINE, A.IMPLEMENTATION, A.FINALISATION, A.SUSPENDED)


@dataclass(frozen=True)
class StatusMove:
    source: int
    target: int
    label: str
    note_required: bool = False  # suspending and cancelling say why (the parties read it on the timeline)


STATUS_MOVES: tuple[StatusMove, ...] = (
    StatusMove(A.PIPELINE, A.IMPLEMENTATION, gettext_lazy("Start implementation")),
    StatusMove(A.IMPLEMENTATION, A.FINALISATION, gettext_lazy("Move to finalisation")),
    StatusMove(A.FINALISATION, A.CLOSED, gettext_lazy("Close the project")),
    StatusMove(A.SUSPENDED, A.IMPLEMENTATION, gettext_lazy("Resume implementation")),
    *(StatusMove(source, A.SUSPENDED, gettext_lazy("Suspend"), note_required=True)
      for source in OPEN_STATES if source != A.SUSPENDED),
    *(StatusMove(source, A.CANCELLED, gettext_lazy("Cancel the project"), note_required=True)
      for source in OPEN_STATES),
)
STATUS_TRANSITIONS = {(m.source, m.target): m for m in STATUS_MOVES}


def status_moves_for(user, project: Project) -> list[StatusMove]:
    """The moves this person may make on the project now (staff only; none once it is closed or cancelled)."""
    if not user.has_perm("cooperation.manage_project", project):
        return []
    return [m for m in STATUS_MOVES if m.source == project.activity_status]


def project_status_change(*, project: Project, to: int, by, note: str = "") -> Project:
    """Move the project's IATI activity status along STATUS_TRANSITIONS. Starting implementation sets the actual
    start (if not set); closing or cancelling sets the actual end. Refused with the reason otherwise."""
    require(by, "cooperation.manage_project")
    note = (note or "").strip()
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        source = current.activity_status
        try:
            target = ActivityStatus(int(to))
        except (TypeError, ValueError):
            raise TransitionRefused(_("Choose one of the project's activity statuses.")) from None
        move = STATUS_TRANSITIONS.get((source, target))
        if move is None:
            if source in (A.CLOSED, A.CANCELLED):
                reason = _("The project is %(status)s; its status no longer changes.")
            elif source == target:
                reason = _("The project is already %(status)s.")
            else:
                reason = _("A project cannot move from %(status)s to %(target)s.")
            raise TransitionRefused(reason % {"status": ActivityStatus(source).label.lower(),
                                              "target": target.label.lower()})
        if move.note_required and not note:
            raise ValidationError({"note": _("Say why: the parties read it on the project's timeline.")})
        today = timezone.localdate()
        fields = ["activity_status", "updated_at"]
        current.activity_status = target
        if target == A.IMPLEMENTATION and current.actual_start is None:
            current.actual_start = today
            fields.append("actual_start")
        if target in (A.CLOSED, A.CANCELLED):
            current.actual_end = today
            fields.append("actual_end")
        current.save(update_fields=fields)
        audit_record(actor=by, action="project.status", target=current,
                     data={"from": source, "to": int(target), "note": note})
        event_record(project=current, by=by, kind=STATUS_EVENT[target],
                     params={"from": int(source), "to": int(target), "note": note})
    project.refresh_from_db()
    return project


# --- participating organisations ------------------------------------------------------------------------------

PARTICIPANT_ROLES = {OrganisationRole.IMPLEMENTING: Side.CONTRACTOR}


def participant_add(*, project: Project, by, name: str, organisation=None, share_krw: int | None = None,
                    iati_ref: str = "") -> Participant:
    """Staff add an implementing Korean contractor or consortium member (with its share of the work in KRW)."""
    require(by, "cooperation.manage_project")
    name = (name or (organisation.name if organisation else "")).strip()
    if not name:
        raise ValidationError({"name": _("Give the organisation's name.")})
    if share_krw is not None and share_krw < 0:
        raise ValidationError({"share_krw": _("The share cannot be negative.")})
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if not current.is_open:
            raise TransitionRefused(_("The project is closed; its participants no longer change."))
        if Participant.objects.filter(project=current, role=OrganisationRole.IMPLEMENTING, name=name).exists():
            raise ValidationError({"name": _("%(name)s already implements this project.") % {"name": name}})
        shares = [s for s in Participant.objects.filter(project=current, role=OrganisationRole.IMPLEMENTING)
                  .values_list("share_krw", flat=True) if s]
        if share_krw and sum(shares) + share_krw > current.support_amount_krw:
            raise ValidationError({"share_krw": _(
                "The members' shares would come to %(total)s, more than the approved %(amount)s."
            ) % {"total": krw(sum(shares) + share_krw), "amount": krw(current.support_amount_krw)}})
        order = Participant.objects.filter(project=current, role=OrganisationRole.IMPLEMENTING).count()
        participant = Participant(project=current, role=OrganisationRole.IMPLEMENTING, side=Side.CONTRACTOR,
                                  organisation=organisation, name=name, iati_ref=(iati_ref or "").strip(),
                                  share_krw=share_krw or None, order=order)
        participant.full_clean()
        participant.save()
        audit_record(actor=by, action="project.participant_add", target=current,
                     data={"participant": participant.pk, "name": name, "share_krw": share_krw})
        event_record(project=current, by=by, kind="project.participant_added",
                     params={"name": name, "share": share_krw or ""})
    return participant


STATUS_EVENT = {
    A.IMPLEMENTATION: "project.implementation_started", A.FINALISATION: "project.finalisation_started",
    A.CLOSED: "project.closed", A.CANCELLED: "project.cancelled", A.SUSPENDED: "project.suspended",
}

declare({
    "project.implementation_started": gettext_lazy("Implementation started."),
    "project.finalisation_started": gettext_lazy("The project moved to finalisation."),
    "project.closed": gettext_lazy("The project closed."),
    "project.cancelled": gettext_lazy("The project was cancelled: %(note)s"),
    "project.suspended": gettext_lazy("The project was suspended: %(note)s"),
    "project.participant_added": gettext_lazy("%(name)s joined as an implementing organisation."),
})
