"""Opening a cooperation project: when the committee's approval is released (committee.decision_released, inside
the letter's transaction; cooperation.receivers). Afterwards staff correct only what is theirs to keep (its
conditions); what the decision fixed (proposal, partner, amount) stays."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, field_values
from cooperation.models import OrganisationRole, Participant, Project, Side
from cooperation.rules import require
from cooperation.timeline import event_record
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
        event_record(project=project, by=by, kind="project.opened", params={"amount": f"{support_amount_krw:,}"})
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


# What staff may change on an open project; the rest is the committee's decision.
PROJECT_EDITABLE = ("conditions",)


def project_save(*, project: Project, by, changed: list[str]) -> Project:
    """Save staff's change of a project's editable fields (`changed`), with a `project.update` row."""
    require(by, "cooperation.manage_project")
    fixed = sorted(set(changed) - set(PROJECT_EDITABLE))
    if fixed:
        raise ValidationError(_("These come from the committee's decision and do not change here: %(fields)s")
                              % {"fields": ", ".join(fixed)})
    if not changed:
        return project
    with transaction.atomic():
        project.full_clean()
        project.save(update_fields=sorted(changed))
        audit_record(actor=by, action="project.update", target=project,
                     data={"changed": field_values(project, changed)})
    return project
