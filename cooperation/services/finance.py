"""Where the support goes, kept by staff: budget revisions (reason and approver), planned disbursements and
transactions to the implementing contractors only (support is never paid to the partner government), the ODA
follow-up path and related projects (IATI related-activity)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from cooperation.models import (
    ODA_MOVES,
    BudgetRevision,
    OdaFollowUp,
    OdaStage,
    OrganisationRole,
    Participant,
    PlannedDisbursement,
    Project,
    RelatedProject,
    RelationKind,
    Side,
    Transaction,
    TransactionKind,
)
from cooperation.rules import require
from cooperation.selectors_plan import current_budget
from cooperation.timeline import declare, event_record
from core.amounts import krw
from core.errors import TransitionRefused

declare({
    "finance.budget_revised": gettext_lazy("Budget revised from %(old)s to %(new)s: %(reason)s"),
    "finance.disbursement_planned": gettext_lazy("Disbursement planned to %(receiver)s for %(start)s to %(end)s: "
                                                 "%(amount)s."),
    "finance.transaction_recorded": gettext_lazy("%(kind)s to %(receiver)s on %(date)s: %(amount)s."),
    "finance.oda_added": gettext_lazy("ODA follow-up added: %(title)s (%(partner)s)."),
    "finance.oda_moved": gettext_lazy("ODA follow-up %(title)s: %(stage)s."),
    "finance.related_added": gettext_lazy("Related project linked: %(identifier)s (%(kind)s)."),
})

NEVER_THE_PARTNER = gettext_lazy(
    "Support is never paid to the partner government: it pays for the work of the Korean contractors. Choose one "
    "of the project's implementing contractors.")


def _finance_link(project_id: int) -> str:
    return reverse("cooperation:finance", args=[project_id])


def _locked_project(project: Project) -> Project:
    current = Project.objects.select_for_update().get(pk=project.pk)
    if not current.is_open:
        raise TransitionRefused(_("The project is closed: its budget no longer changes."))
    return current


def receiver_check(project: Project, receiver: Participant) -> None:
    """Support goes only to an implementing contractor of this project; the partner side is refused by name."""
    if receiver.project_id != project.pk:
        raise ValidationError({"receiver": _("Choose an organisation taking part in this project.")})
    if receiver.side == Side.PARTNER or receiver.role == OrganisationRole.ACCOUNTABLE:
        raise ValidationError({"receiver": NEVER_THE_PARTNER})
    if receiver.role != OrganisationRole.IMPLEMENTING or receiver.side != Side.CONTRACTOR:
        raise ValidationError({"receiver": _("%(name)s does not implement the project: support is paid only to "
                                             "its implementing contractors.") % {"name": receiver.name}})


def budget_revise(*, project: Project, amount_krw: int, reason: str, by) -> BudgetRevision:
    """Staff revise the approved budget, with the reason; the revision names them as its approver."""
    require(by, "cooperation.manage_project")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the revision.")})
    with transaction.atomic():
        current = _locked_project(project)
        previous = current_budget(current)
        if amount_krw == previous:
            raise ValidationError({"amount_krw": _("The revised budget is the same as the current one.")})
        committed = (Transaction.objects.filter(project=current, kind=TransactionKind.OUTGOING_COMMITMENT)
                     .aggregate(total=Sum("amount_krw"))["total"] or 0)
        if amount_krw < committed:
            raise ValidationError({"amount_krw": _("%(committed)s is already committed: the budget cannot be "
                                                   "less.") % {"committed": krw(committed)}})
        revision = BudgetRevision(project=current, previous_krw=previous, amount_krw=amount_krw, reason=reason,
                                  approved_by=by)
        revision.full_clean()
        revision.save()
        params = {"old": previous, "new": amount_krw, "reason": reason[:200]}
        audit_record(actor=by, action="budget.revise", target=revision,
                     data={"project": current.pk, "previous_krw": previous, "amount_krw": amount_krw,
                           "reason": reason})
        event_record(project=current, by=by, kind="finance.budget_revised", params=params,
                     link=_finance_link(current.pk))
    return revision


def disbursement_plan(*, project: Project, period_start: date, period_end: date, amount_krw: int,
                      receiver: Participant, by) -> PlannedDisbursement:
    require(by, "cooperation.manage_project")
    with transaction.atomic():
        current = _locked_project(project)
        receiver_check(current, receiver)
        if period_end < period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})
        planned = PlannedDisbursement(project=current, period_start=period_start, period_end=period_end,
                                      amount_krw=amount_krw, receiver=receiver)
        planned.full_clean()
        planned.save()
        params = {"receiver": receiver.name, "start": period_start.isoformat(), "end": period_end.isoformat(),
                  "amount": amount_krw}
        audit_record(actor=by, action="disbursement.plan", target=planned, data={**params, "amount": amount_krw})
        event_record(project=current, by=by, kind="finance.disbursement_planned", params=params,
                     link=_finance_link(current.pk))
    return planned


def transaction_record(*, project: Project, kind: int, date: date, amount_krw: int, receiver: Participant,
                       description: str = "", by) -> Transaction:
    """A commitment or a disbursement to an implementing contractor. Commitments stay within the budget; a
    contractor is paid no more than was committed to it."""
    require(by, "cooperation.manage_project")
    if kind not in TransactionKind.values:
        raise ValidationError({"kind": _("Choose a commitment or a disbursement.")})
    if not amount_krw or amount_krw <= 0:
        raise ValidationError({"amount_krw": _("Enter an amount above zero.")})
    with transaction.atomic():
        current = _locked_project(project)
        receiver_check(current, receiver)
        sums = Transaction.objects.filter(project=current).aggregate(
            committed=Sum("amount_krw", filter=Q(kind=TransactionKind.OUTGOING_COMMITMENT)),
            to_receiver=Sum("amount_krw", filter=Q(kind=TransactionKind.OUTGOING_COMMITMENT, receiver=receiver)),
            paid_receiver=Sum("amount_krw", filter=Q(kind=TransactionKind.DISBURSEMENT, receiver=receiver)),
        )
        if kind == TransactionKind.OUTGOING_COMMITMENT:
            budget = current_budget(current)
            if (sums["committed"] or 0) + amount_krw > budget:
                raise ValidationError({"amount_krw": _(
                    "This would commit %(total)s, more than the budget of %(budget)s.")
                    % {"total": krw((sums['committed'] or 0) + amount_krw), "budget": krw(budget)}})
        elif (sums["paid_receiver"] or 0) + amount_krw > (sums["to_receiver"] or 0):
            raise ValidationError({"amount_krw": _(
                "This would pay %(name)s %(total)s, more than the %(committed)s committed to it.")
                % {"name": receiver.name, "total": krw((sums['paid_receiver'] or 0) + amount_krw),
                   "committed": krw(sums['to_receiver'] or 0)}})
        row = Transaction(project=current, kind=kind, date=date, amount_krw=amount_krw, receiver=receiver,
                          description=description, recorded_by=by)
        row.full_clean()
        row.save()
        params = {"kind": str(TransactionKind(kind).label), "receiver": receiver.name, "date": date.isoformat(),
                  "amount": amount_krw}
        audit_record(actor=by, action="transaction.record", target=row,
                     data={**params, "kind": kind, "amount": amount_krw, "receiver": receiver.pk})
        event_record(project=current, by=by, kind="finance.transaction_recorded", params=params,
                     link=_finance_link(current.pk))
    return row


def oda_add(*, project: Project, title: str, partner: str, stage_date: date, partner_name: str = "",
            amount_krw: int | None = None, note: str = "", iati_identifier: str = "", by) -> OdaFollowUp:
    """A follow-on idea toward ODA (KOICA, EDCF, a development bank); it starts as an idea. Closed projects keep
    their follow-up going: that is when it matters most."""
    require(by, "cooperation.manage_project")
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        row = OdaFollowUp(project=current, title=title, partner=partner, partner_name=partner_name,
                          stage=OdaStage.IDEA, amount_krw=amount_krw, stage_date=stage_date, note=note,
                          iati_identifier=iati_identifier, updated_by=by)
        row.full_clean()
        row.save()
        audit_record(actor=by, action="oda.add", target=row,
                     data={"project": current.pk, "title": title, "partner": partner, "amount_krw": amount_krw})
        event_record(project=current, by=by, kind="finance.oda_added",
                     params={"title": title, "partner": str(row.get_partner_display())}, link=_finance_link(current.pk))
    return row


def oda_move(*, follow_up: OdaFollowUp, stage: str, stage_date: date, by, note: str = "",
             amount_krw: int | None = None, iati_identifier: str = "") -> OdaFollowUp:
    """One stage on (idea -> concept note -> appraisal -> funded), or "not pursued" from any stage before funded."""
    require(by, "cooperation.manage_project")
    with transaction.atomic():
        current = OdaFollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if (current.stage, stage) not in ODA_MOVES:
            raise TransitionRefused(_("A follow-up at “%(from)s” cannot move to “%(to)s”.")
                                    % {"from": current.get_stage_display(), "to": OdaStage(stage).label})
        before = current.stage
        current.stage = stage
        current.stage_date = stage_date
        if note:
            current.note = note
        if amount_krw is not None:
            current.amount_krw = amount_krw
        if iati_identifier:
            current.iati_identifier = iati_identifier
        current.updated_by = by
        current.full_clean()
        current.save()
        audit_record(actor=by, action="oda.move", target=current,
                     data={"from": before, "to": stage, "stage_date": stage_date.isoformat(), "note": note})
        event_record(project=current.project, by=by, kind="finance.oda_moved",
                     params={"title": current.title, "stage": str(OdaStage(stage).label)},
                     link=_finance_link(current.project_id))
    return current


def related_add(*, project: Project, kind: int, by, to_project: Project | None = None,
                iati_identifier: str = "") -> RelatedProject:
    """Link another activity: a portal project (its IATI identifier is taken from it) or an external identifier."""
    require(by, "cooperation.manage_project")
    if kind not in RelationKind.values:
        raise ValidationError({"kind": _("Choose how the projects relate.")})
    identifier = (to_project.iati_identifier if to_project is not None else (iati_identifier or "").strip()) or ""
    if to_project is not None and to_project.pk == project.pk:
        raise ValidationError({"to_project": _("A project cannot be related to itself.")})
    if not identifier:
        raise ValidationError({"iati_identifier": _("Give the related activity's IATI identifier, or choose a "
                                                    "portal project that has one.")})
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if current.relations.filter(iati_identifier=identifier).exists():
            raise ValidationError({"iati_identifier": _("This activity is already linked.")})
        row = RelatedProject(project=current, kind=kind, to_project=to_project, iati_identifier=identifier)
        row.full_clean()
        row.save()
        audit_record(actor=by, action="related.add", target=row,
                     data={"project": current.pk, "kind": kind, "to_project": getattr(to_project, "pk", None),
                           "iati_identifier": identifier})
        event_record(project=current, by=by, kind="finance.related_added",
                     params={"identifier": identifier, "kind": str(RelationKind(kind).label)},
                     link=_finance_link(current.pk))
    return row
