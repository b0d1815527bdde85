"""Members' reviews against the programme's rubric, and the rubric itself (kept by staff in the back office)."""

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from committee import rules, selectors
from committee.models import CommitteeMember, Criterion, Review, Rubric, Score
from core.errors import TransitionRefused
from core.translated import translation_columns
from proposals.models import Proposal

TWO_PLACES = Decimal("0.01")


def weighted_total(pairs: Iterable[tuple[int, Decimal]]) -> Decimal:
    """Sum(value × weight) / Sum(weight), exact in Decimal, rounded half-up to 2 places.

    Weights are relative (normalised here), so 20/20/15/15/15/15 and 4/4/3/3/3/3 give the same total.
    """
    pairs = list(pairs)
    total_weight = sum((Decimal(w) for _v, w in pairs), Decimal(0))
    if not pairs or total_weight <= 0:
        raise ValidationError(_("The rubric has no weighted criteria."))
    weighted = sum((Decimal(v) * Decimal(w) for v, w in pairs), Decimal(0))
    return (weighted / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def review_submit(
    *, member: CommitteeMember, proposal: Proposal, scores: Mapping[int, Mapping], comment: str = ""
) -> Review:
    """Store a member's scores (criterion id → {"value": 1..5, "comment": ...}) for every rubric criterion."""
    user = member.user
    if rules.declared_conflict(user, proposal):
        raise PermissionDenied(rules.CONFLICT_NO_SCORING)
    if not rules.can_read_as_member(user, proposal):
        raise PermissionDenied(rules.DECLARE_BEFORE_REVIEWING)
    if not rules.in_committee_review(user, proposal):
        raise TransitionRefused(rules.SCORES_ONLY_IN_REVIEW)
    criteria = selectors.criteria_for(proposal)
    if not criteria:
        raise ValidationError(_("The programme has no scoring rubric yet."))
    errors = {}
    cleaned: dict[int, tuple[int, str]] = {}
    for criterion in criteria:
        given = scores.get(criterion.pk) or scores.get(str(criterion.pk))
        raw = given.get("value") if given else None
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or not 1 <= value <= 5:
            errors[f"criterion_{criterion.pk}"] = _("Give %(name)s a score from 1 to 5.") % {"name": criterion.name}
            continue
        cleaned[criterion.pk] = (value, (given.get("comment") or "").strip())
    if errors:
        raise ValidationError(errors)
    total = weighted_total((cleaned[c.pk][0], c.weight) for c in criteria)
    with transaction.atomic():
        review, _created = Review.objects.select_for_update().get_or_create(member=member, proposal=proposal)
        review.scores.all().delete()
        Score.objects.bulk_create(
            Score(review=review, criterion_id=pk, value=value, comment=text) for pk, (value, text) in cleaned.items()
        )
        review.comment = (comment or "").strip()
        review.weighted_total = total
        review.submitted_at = timezone.now()
        review.save(update_fields=["comment", "weighted_total", "submitted_at"])
        audit_record(actor=user, action="review.submit", target=proposal,
                     data={"review": review.pk, "weighted_total": str(total)})
    return review


# --- the rubric (back office) ----------------------------------------------------------------------------


def rubric_save(*, rubric: Rubric, by) -> Rubric:
    """Create or rename a programme's rubric (validated by its form or full_clean)."""
    rules.require(by, "committee.manage")
    created = rubric.pk is None
    with transaction.atomic():
        rubric.full_clean()
        rubric.save()
        audit_record(actor=by, action="rubric.create" if created else "rubric.update", target=rubric,
                     data={"name": rubric.name})
    return rubric


def criterion_save(*, criterion: Criterion, by) -> Criterion:
    """Add or change one criterion of a rubric; weights are relative, so no total has to add up."""
    rules.require(by, "committee.manage")
    created = criterion.pk is None
    with transaction.atomic():
        criterion.full_clean()
        criterion.save()
        # The name in every language staff wrote it in (committee.translation), not only the one shown now.
        audit_record(actor=by, action="criterion.create" if created else "criterion.update", target=criterion.rubric,
                     data={"criterion": criterion.pk, "name": criterion.name, "weight": str(criterion.weight),
                           "names": {column: getattr(criterion, column) for column in translation_columns("name")
                                     if getattr(criterion, column)}})
    return criterion


def criterion_delete(*, criterion: Criterion, by) -> None:
    """Remove a criterion nobody has scored yet (scored criteria are protected by the database)."""
    rules.require(by, "committee.manage")
    with transaction.atomic():
        audit_record(actor=by, action="criterion.delete", target=criterion.rubric,
                     data={"criterion": criterion.pk, "name": criterion.name})
        criterion.delete()
