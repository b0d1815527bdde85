"""Who in the secretariat follows a proposal, and which cooperation centre."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.rules import is_staff_member
from audit.services import audit_record
from notifications.services import notify
from proposals import rules
from proposals.models import AssignmentRule, CooperationCentre, Proposal


def centre_for_country(country_code: str) -> CooperationCentre | None:
    """The centre covering a country (the one in it, or one that lists it): set on submission."""
    if not country_code:
        return None
    for centre in CooperationCentre.objects.all():
        if country_code in centre.covered_countries or str(centre.country) == country_code:
            return centre
    return None


def assignment_rule_for(*, track_id: int | None, centre_id: int | None) -> AssignmentRule | None:
    """The most specific active rule for a track and centre (track and centre > track > centre > default); a
    rule whose staff member is no longer active staff is passed over. Ties cannot happen: one rule per scope."""
    candidates = (
        AssignmentRule.objects.filter(is_active=True, staff__is_active=True)
        .filter(Q(track_id=track_id) | Q(track__isnull=True))
        .filter(Q(cooperation_centre_id=centre_id) | Q(cooperation_centre__isnull=True) if centre_id
                else Q(cooperation_centre__isnull=True))
        .select_related("staff")
    )
    ranked = sorted((r for r in candidates if is_staff_member(r.staff)), key=lambda r: (-r.specificity, r.pk))
    return ranked[0] if ranked else None


def proposal_auto_assign(*, proposal: Proposal, by) -> Proposal:
    """At submission (inside proposal_submit's transaction, the row locked): a proposal nobody follows yet goes to
    the staff member of the most specific assignment rule. Nothing happens when someone is assigned already or no
    rule matches (then the whole secretariat is told of it)."""
    if proposal.assigned_to_id is not None:
        return proposal
    rule = assignment_rule_for(track_id=proposal.track_id, centre_id=proposal.cooperation_centre_id)
    if rule is None:
        return proposal
    Proposal.objects.filter(pk=proposal.pk).update(assigned_to=rule.staff)
    proposal.assigned_to = rule.staff
    audit_record(actor=by, action="proposal.auto_assign", target=proposal,
                 data={"assigned_to": rule.staff_id, "rule": rule.pk})
    return proposal


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
                url=current.get_staff_url(),
            )
    proposal.refresh_from_db()
    return proposal
