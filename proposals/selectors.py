"""Reads shared by views, admin and the API, with their related rows fetched up front."""

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When

from accounts.models import Membership, Role
from accounts.rules import is_staff_member
from core.translated import translation_columns
from proposals.hooks import visibility
from proposals.models import CooperationCentre, HistoryKind, Proposal, StatusChange
from proposals.workflow import DECIDED_BY_COMMITTEE, Status, status_label_for


def never_submitted_q() -> Q:
    """A draft (or a draft its team withdrew) is the applicant's own: staff see that it exists, not its text."""
    return Q(status=Status.DRAFT) | Q(status=Status.WITHDRAWN, submitted_at__isnull=True)


def applicant_team(proposal: Proposal) -> list:
    """Who the applicant's side of a proposal is, for every notice to them: its owner and collaborators."""
    return [proposal.owner, *proposal.collaborators.all()]


def team_proposal_ids(user) -> QuerySet:
    """The ids of the proposals on this person's side: owned, shared with them, or their organisations'.

    One UNION of index lookups (owner_id; the collaborators' user_id; organisation_id through the person's
    memberships), which the planner runs as a semi-join on the primary key. Written as
    `owner = me OR EXISTS(...) OR EXISTS(...)` the rule had to be tested on every row of the table.
    """
    collaborations = Proposal.collaborators.through.objects.filter(user_id=user.pk).values("proposal_id")
    organisations = Membership.objects.filter(user_id=user.pk).values("organisation_id")
    ids = Proposal.objects.filter(owner_id=user.pk).order_by().values("pk").union(
        collaborations.order_by(),
        Proposal.objects.filter(organisation_id__in=organisations).order_by().values("pk"),
    )
    if user.role == Role.CENTRE_STAFF:
        centres = CooperationCentre.staff.through.objects.filter(user_id=user.pk).values("cooperationcentre_id")
        ids = ids.union(Proposal.objects.filter(cooperation_centre_id__in=centres).order_by().values("pk"))
    return ids


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """Every proposal this person may see. The single source for lists, detail pages and the API."""
    qs = Proposal.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_superuser or user.role == Role.STAFF:
        return qs.exclude(never_submitted_q())
    team = Q(pk__in=team_proposal_ids(user))
    # The apps above add whom they let see a proposal (consulting: the consultant booked about it; committee:
    # members cleared of conflicts on it): proposals.hooks.visibility.
    for extra in visibility.collect(user=user):
        team |= extra
    return qs.filter(team)


def team_proposal(*, user, pk: int) -> Proposal | None:
    """Proposal `pk` when `user` owns it or is one of its collaborators, else None (not found, or someone else).

    Its owner and collaborators always see it in proposals_visible_to (team_proposal_ids), except staff, from whom
    that rule hides every draft: so a write by the proposal's own team needs one lookup by id, not the whole rule.
    For anyone else (None) ask proposals_visible_to, which decides whether they see it at all."""
    if not (user and user.is_authenticated and user.is_active) or user.is_superuser or user.role == Role.STAFF:
        return None
    proposal = Proposal.objects.filter(pk=pk).first()
    if proposal is None:
        return None
    if proposal.owner_id == user.pk or proposal.collaborators.filter(pk=user.pk).exists():
        return proposal
    return None


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


# What a row of the workspace shows (templates/proposals/workspace.html) and what its status and edit button are
# worked out from: a page of these, not of whole proposals with their texts.
WORKSPACE_COLUMNS = (
    "reference", "title", "status", "decision_released_at", "due_at", "updated_at", "owner_id",
    "track", *translation_columns("track__name"), "organisation", "organisation__name", "cycle", "cycle__year",
)


def workspace_rows(*, user) -> QuerySet[Proposal]:
    """The proposals a person sees in their workspace, newest saved first (index proposal_updated_id_desc), with
    only the shown columns; `is_collaborator` says whether the person is one of each proposal's collaborators."""
    shared = Proposal.collaborators.through.objects.filter(proposal_id=OuterRef("pk"), user_id=user.pk)
    return (
        with_viewer_status(proposals_visible_to(user), user)
        .select_related("track", "organisation", "cycle")
        .only(*WORKSPACE_COLUMNS)
        .annotate(is_collaborator=Exists(shared))
        .order_by("-updated_at", "-id")
    )


def proposal_detail(*, user, pk: int) -> Proposal:
    """One proposal with what its page shows; raises Proposal.DoesNotExist (a 404) when not visible."""
    return (
        proposal_list(user=user)
        .prefetch_related("contacts", "attachments", "status_changes__by", "collaborators", "invitations")
        .get(pk=pk)
    )
