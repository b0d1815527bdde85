"""Who in the secretariat follows a proposal, and which cooperation centre."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.rules import is_staff_member
from audit.services import audit_record
from notifications.services import notify
from proposals import rules
from proposals.models import CooperationCentre, Proposal


def centre_for_country(country_code: str) -> CooperationCentre | None:
    """The centre covering a country (the one in it, or one that lists it): set on submission."""
    if not country_code:
        return None
    for centre in CooperationCentre.objects.all():
        if country_code in centre.covered_countries or str(centre.country) == country_code:
            return centre
    return None


def proposal_assign(*, proposal: Proposal, by, staff=None, centre: CooperationCentre | None = None) -> Proposal:
    """Set who in the secretariat follows a proposal and which cooperation centre (None clears either)."""
    rules.check("proposals.triage_proposal", by, proposal)
    if staff is not None and not is_staff_member(staff):
        raise ValidationError({"assigned_to": _("%(person)s is not a staff member.") % {"person": staff}})
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = {"assigned_to": current.assigned_to_id, "cooperation_centre": current.cooperation_centre_id}
        after = {"assigned_to": staff.pk if staff else None, "cooperation_centre": centre.pk if centre else None}
        if before == after:
            return current
        Proposal.objects.filter(pk=current.pk).update(assigned_to=staff, cooperation_centre=centre)
        audit_record(actor=by, action="proposal.assign", target=current, data={"before": before, "after": after})
        if staff is not None and staff.pk != by.pk and before["assigned_to"] != staff.pk:
            notify(
                event="proposal_assigned", recipients=[staff], context={"proposal": current, "by": by},
                url=f"/admin/proposals/proposal/{current.pk}/change/",
            )
    proposal.refresh_from_db()
    return proposal
