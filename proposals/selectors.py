"""Reads shared by views, admin and the API, with their related rows fetched up front."""

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When

from accounts.models import Membership, Role
from accounts.rules import is_staff_member
from proposals.hooks import visibility
from proposals.models import HistoryKind, Proposal, StatusChange
from proposals.workflow import DECIDED_BY_COMMITTEE, Status, status_label_for


def never_submitted_q() -> Q:
    """A draft (or a draft its team withdrew) is the applicant's own: staff see that it exists, not its text."""
    return Q(status=Status.DRAFT) | Q(status=Status.WITHDRAWN, submitted_at__isnull=True)


def applicant_team(proposal: Proposal) -> list:
    """Who the applicant's side of a proposal is, for every notice to them: its owner and collaborators."""
    return [proposal.owner, *proposal.collaborators.all()]


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """Every proposal this person may see. The single source for lists, detail pages and the API."""
    qs = Proposal.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_superuser or user.role == Role.STAFF:
        return qs.exclude(never_submitted_q())
    team = (
        Q(owner=user)
        | Q(Exists(Proposal.collaborators.through.objects.filter(proposal_id=OuterRef("pk"), user_id=user.pk)))
        | Q(Exists(Membership.objects.filter(organisation_id=OuterRef("organisation_id"), user_id=user.pk)))
    )
    if user.role == Role.CENTRE_STAFF:
        team |= Q(cooperation_centre__staff=user)
    # The apps above add whom they let see a proposal (consulting: the consultant booked about it; committee:
    # members cleared of conflicts on it): proposals.hooks.visibility.
    for extra in visibility.collect(user=user):
        team |= extra
    return qs.filter(team)


# --- what each viewer sees of the workflow -------------------------------------------------------------
#
# The one answer to "which status does this person see", used by the proposal page, the workspace, the API,
# the history and the public figures. The committee's approval or rejection stays with staff until they release
# the reviewed decision letter (committee.decisions.letter_approve -> services.proposal_decision_release); until
# then everyone else sees the proposal still in committee review, labelled "Decision being prepared".


def sees_undisclosed_decisions(user) -> bool:
    return bool(is_staff_member(user))


def undisclosed_decision_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": DECIDED_BY_COMMITTEE, f"{prefix}decision_released_at__isnull": True})


def released_q(prefix: str = "") -> Q:
    """Proposals whose status anyone may count or show: every status except an unreleased decision."""
    return ~undisclosed_decision_q(prefix)


def with_viewer_status(qs: QuerySet[Proposal], user) -> QuerySet[Proposal]:
    """Annotate `viewer_status` (read through Proposal.shown_status): filter on it, never on `status`, when a
    person who is not staff chooses a status."""
    if sees_undisclosed_decisions(user):
        return qs.annotate(viewer_status=F("status"))
    return qs.annotate(viewer_status=Case(
        When(undisclosed_decision_q(), then=Value(Status.COMMITTEE_REVIEW)), default=F("status"),
        output_field=CharField(),
    ))


def timeline_for(*, user, proposal: Proposal) -> list[StatusChange]:
    """The proposal's history as this person may read it.

    Staff read every row with every note, internal ones labelled (`note_internal`). Everyone else reads only
    notes meant for the applicant, and a committee decision whose letter is not released yet as
    "Decision being prepared". A deferral (kind "deferral") reads "Deferred to the <year> cycle.". Each row
    carries `shown_to_status`, `shown_label`, `shown_note` and `shown_note_internal`.
    """
    staff = sees_undisclosed_decisions(user)
    undisclosed = proposal.decision_undisclosed
    # proposal_detail prefetches the rows with `by`; the API's history action does not: fetch them with it then,
    # or every row's author would be a query of its own. Meta orders them either way.
    prefetched = "status_changes" in getattr(proposal, "_prefetched_objects_cache", {})
    changes = list(proposal.status_changes.all() if prefetched else proposal.status_changes.select_related("by"))
    for change in changes:
        hidden = not staff and undisclosed and change.to_status in DECIDED_BY_COMMITTEE
        change.shown_to_status = Status.COMMITTEE_REVIEW if hidden else change.to_status
        if change.kind == HistoryKind.DEFERRAL:
            change.shown_label = change.deferral_label  # "Deferred to the 2027 cycle.": the status stays
        else:
            change.shown_label = status_label_for(change.shown_to_status, undisclosed=hidden)
        change.shown_note = change.note if (staff or not change.note_internal) else ""
        change.shown_note_internal = staff and change.note_internal
    return changes


def proposal_list(*, user, status: str | None = None) -> QuerySet[Proposal]:
    qs = with_viewer_status(proposals_visible_to(user), user).select_related(
        "track", "track__programme", "organisation", "owner", "cycle", "cooperation_centre", "assigned_to"
    )
    if status:
        qs = qs.filter(viewer_status=status)
    return qs.order_by("-updated_at", "-id")


def proposal_detail(*, user, pk: int) -> Proposal:
    """One proposal with what its page shows; raises Proposal.DoesNotExist (a 404) when not visible."""
    return (
        proposal_list(user=user)
        .prefetch_related("contacts", "attachments", "status_changes__by", "collaborators", "invitations")
        .get(pk=pk)
    )
