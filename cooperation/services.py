"""Opening a cooperation project: when the committee's approval is released (committee.decision_released, inside
the letter's transaction; cooperation.receivers). Afterwards staff correct only what is theirs to keep (its
conditions); what the decision fixed (proposal, partner, amount) stays."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, field_values
from cooperation.models import Project
from cooperation.rules import require
from proposals.workflow import Status


def project_open(*, proposal, support_amount_krw: int, conditions: str = "", by) -> Project:
    """One project per approved proposal; the partner organisation is the applicant organisation."""
    if proposal.status != Status.APPROVED:
        raise ValidationError(_("Only an approved proposal opens a cooperation project."))
    with transaction.atomic():
        if Project.objects.filter(proposal=proposal).exists():
            raise ValidationError(_("This proposal already has a cooperation project."))
        project = Project.objects.create(
            proposal=proposal, partner_organisation_id=proposal.organisation_id,
            support_amount_krw=support_amount_krw, conditions=conditions, opened_by=by,
        )
        audit_record(actor=by, action="project.open", target=project,
                     data={"proposal": proposal.pk, "support_amount_krw": support_amount_krw})
    return project


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
