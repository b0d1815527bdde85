"""Reviewer assignments and the members' conflict-of-interest declarations: one transaction each, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from committee import rules
from committee.models import Assignment, CommitteeMember, ConflictDeclaration
from core.errors import TransitionRefused
from notifications.services import notify
from proposals.models import Proposal
from proposals.workflow import Status

# Asked of a conflict's declaration by the service and, before it, by the page's form.
CONFLICT_REASON_NEEDED = gettext_lazy("Say briefly what the conflict of interest is.")


def assignment_suggest(*, proposal: Proposal, count: int | None = None) -> list[CommitteeMember]:
    """Balanced reviewers (by default enough to reach the track's count): serving, not conflicted, not from the
    proposal's country or organisation, least loaded first (assignments in the same cycle), alternating government
    and private members where the load is equal."""
    today = timezone.now().date()
    already = set(Assignment.objects.filter(proposal=proposal).values_list("member_id", flat=True))
    if count is None:  # fill up to the track's default number of reviewers
        count = max(proposal.track.default_reviewer_count - len(already), 0)
    conflicted = set(
        ConflictDeclaration.objects.filter(proposal=proposal, has_conflict=True).values_list("member_id", flat=True)
    )
    members = (
        CommitteeMember.objects.filter(is_active=True, term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .exclude(pk__in=already | conflicted)
        .exclude(organisation_id=proposal.organisation_id)
        .annotate(load=Count("assignments", filter=Q(assignments__proposal__cycle_id=proposal.cycle_id)))
        .select_related("user")
    )
    country = str(proposal.country or proposal.organisation.country or "")
    eligible = [m for m in members if not (country and str(m.country) == country)]
    kinds_taken = list(
        CommitteeMember.objects.filter(pk__in=already).values_list("kind", flat=True)
    )
    chosen: list[CommitteeMember] = []
    pool = sorted(eligible, key=lambda m: (m.load, m.pk))
    while pool and len(chosen) < count:
        lowest = pool[0].load
        tied = [m for m in pool if m.load == lowest]
        kinds = kinds_taken + [m.kind for m in chosen]
        # Prefer the kind that is less represented so far among this proposal's reviewers.
        tied.sort(key=lambda m: (kinds.count(m.kind), m.pk))
        pick = tied[0]
        chosen.append(pick)
        pool.remove(pick)
    return chosen


def assignment_create(*, proposal: Proposal, member: CommitteeMember, by) -> Assignment:
    rules.require(by, "committee.manage")
    if proposal.status != Status.COMMITTEE_REVIEW:
        raise ValidationError(_("Reviewers are assigned to proposals in committee review."))
    if not member.is_active:
        raise ValidationError(_("%(member)s is not an active committee member.") % {"member": member})
    if ConflictDeclaration.objects.filter(proposal=proposal, member=member, has_conflict=True).exists():
        raise ValidationError(_("%(member)s declared a conflict of interest on this proposal.") % {"member": member})
    with transaction.atomic():
        if Assignment.objects.filter(proposal=proposal, member=member).exists():
            raise ValidationError(_("%(member)s already reviews this proposal.") % {"member": member})
        assignment = Assignment.objects.create(proposal=proposal, member=member, assigned_by=by)
        audit_record(actor=by, action="assignment.create", target=proposal, data={"member": member.pk})
        notify(
            event="committee_assigned", recipients=[member.user], context={"proposal": proposal, "member": member},
            url=f"/committee/proposals/{proposal.pk}/declare/",
        )
    return assignment


def suggested_reviewers_assign(*, proposal: Proposal, by) -> list[Assignment]:
    """Assign every suggested reviewer (assignment_suggest) at once: all of them or, on a refusal, none."""
    rules.require(by, "committee.manage")
    with transaction.atomic():
        return [
            assignment_create(proposal=proposal, member=member, by=by)
            for member in assignment_suggest(proposal=proposal)
        ]


def assignment_remove(*, assignment: Assignment, by) -> None:
    rules.require(by, "committee.manage")
    with transaction.atomic():
        audit_record(actor=by, action="assignment.remove", target=assignment.proposal,
                     data={"member": assignment.member_id})
        assignment.delete()


def conflict_declare(*, member: CommitteeMember, proposal: Proposal, has_conflict: bool, reason: str = "") -> (
    ConflictDeclaration
):
    """The member's own declaration. "No conflict" may later become a conflict; a conflict is never withdrawn."""
    user = member.user
    if not rules.is_active_member(user) or not rules.has_proposal_before_them(user, proposal):
        raise PermissionDenied(rules.NOT_BEFORE_YOU)
    reason = (reason or "").strip()
    if has_conflict and not reason:
        raise ValidationError({"reason": CONFLICT_REASON_NEEDED})
    with transaction.atomic():
        existing = ConflictDeclaration.objects.select_for_update().filter(member=member, proposal=proposal).first()
        if existing is not None:
            if existing.has_conflict:
                raise TransitionRefused(rules.CONFLICT_STAYS)
            if not has_conflict:
                return existing
            existing.has_conflict = True
            existing.reason = reason
            existing.declared_at = timezone.now()
            existing.save(update_fields=["has_conflict", "reason", "declared_at"])
            declaration = existing
        else:
            declaration = ConflictDeclaration.objects.create(
                member=member, proposal=proposal, has_conflict=has_conflict, reason=reason
            )
        audit_record(actor=user, action="conflict.declare", target=proposal,
                     data={"member": member.pk, "has_conflict": has_conflict})
    return declaration
