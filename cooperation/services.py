"""Opening a cooperation project: when the committee's approval is released (committee.decision_released, inside
the letter's transaction; cooperation.receivers)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from cooperation.models import Project
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
