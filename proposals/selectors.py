"""Reads shared by views, admin and the API, with their related rows fetched up front."""


from django.db import connections, router
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.query import EmptyQuerySet
from modeltranslation.utils import build_localized_fieldname

from accounts.models import Membership, Organisation, Role
from accounts.rules import is_staff_member
from core.compiled import CompiledInstances, CompiledQuery
from core.translated import FALLBACK_LANGUAGE, InReadersLanguage, active_language, translation_columns
from proposals.hooks import page_columns, visibility
from proposals.models import (
    CooperationCentre,
    Cycle,
    HistoryKind,
    Invitation,
    Proposal,
    ServiceLevel,
    StatusChange,
    Track,
)
from proposals.workflow import DECIDED_BY_COMMITTEE, Status, status_label_for


def never_submitted_q() -> Q:
    """A draft (or a draft its team withdrew) is the applicant's own: staff see that it exists, not its text."""
    return Q(status=Status.DRAFT) | Q(status=Status.WITHDRAWN, submitted_at__isnull=True)


def applicant_team(proposal: Proposal) -> list:
    """Who the applicant's side of a proposal is, for every notice to them: its owner and collaborators."""
    return [proposal.owner, *proposal.collaborators.all()]


def team_proposal_ids(user, *, newest: int | None = None) -> QuerySet:
    """The ids of the proposals on this person's side: owned, shared with them, or their organisations'.

    One UNION of index lookups (owner_id; the collaborators' user_id; organisation_id through the person's
    memberships), which the planner runs as a semi-join on the primary key. Written as
    `owner = me OR EXISTS(...) OR EXISTS(...)` the rule had to be tested on every row of the table.

    With `newest`, each part is only its `newest` most recently saved proposals: among them are the whole union's
    first `newest` (newest saved first, then by id), since each of those is among the first of its own part. Read
    from the (owner, updated_at, id) and (organisation, updated_at, id) indexes alone, a page of the workspace
    costs its depth, not the team's every proposal.
    """
    return team_ids(user.pk, centre_staff=user.role == Role.CENTRE_STAFF, newest=newest)


def team_ids(viewer: int, *, centre_staff: bool, newest: int | None = None) -> QuerySet:
    """team_proposal_ids of the person with id `viewer`, who is or is not centre staff: what it depends on of
    them, for a read compiled once for every viewer (core.compiled)."""
    organisations = Membership.objects.filter(user_id=viewer).values("organisation_id")
    parts = [  # (rows, their proposal's id, its updated_at)
        (Proposal.objects.filter(owner_id=viewer), "pk", "updated_at"),
        (Proposal.collaborators.through.objects.filter(user_id=viewer), "proposal_id", "proposal__updated_at"),
        (Proposal.objects.filter(organisation_id__in=organisations), "pk", "updated_at"),
    ]
    if centre_staff:
        centres = CooperationCentre.staff.through.objects.filter(user_id=viewer).values("cooperationcentre_id")
        parts.append((Proposal.objects.filter(cooperation_centre_id__in=centres), "pk", "updated_at"))
    if newest is None or not connections[router.db_for_read(Proposal)].features.supports_slicing_ordering_in_compound:
        # SQLite (the embedded default, a small dataset) has no LIMIT in a UNION's parts: the whole union.
        ids = [rows.order_by().values(key) for rows, key, _saved in parts]
    else:
        ids = [rows.order_by(f"-{saved}", f"-{key}").values(key)[:newest] for rows, key, saved in parts]
    return ids[0].union(*ids[1:])


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """Every proposal this person may see. The single source for lists, detail pages and the API."""
    qs = Proposal.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if sees_every_submitted(user):
        return qs.exclude(never_submitted_q())
    team = Q(pk__in=team_proposal_ids(user))
    # The apps above add whom they let see a proposal (consulting: the consultant booked about it; committee:
    # members cleared of conflicts on it): proposals.hooks.visibility.
    for extra in visibility.collect(user=user):
        team |= extra
    return qs.filter(team)


def sees_every_submitted(user) -> bool:
    """Whether proposals_visible_to(user), an active person's, is every proposal once submitted (staff)."""
    return user.is_superuser or user.role == Role.STAFF


def visible_proposal(*, user, pk: int, fields: tuple[str, ...] = ()) -> Proposal | None:
    """Proposal `pk` with only `fields` loaded when `user` sees it (proposals_visible_to), else None.

    The same answer as proposals_visible_to(user).filter(pk=pk), mostly from the proposal's own row: staff see
    it unless it was never submitted, its owner always does. Anyone else is asked their membership of its
    organisation and their collaboration; the people the apps above let see proposals (visibility hook) and
    centre staff are asked the whole rule. Building that rule's union costs more than reading one row by id."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    try:  # get(), not first(): no ORDER BY to build and send for a lookup by id
        proposal = Proposal.objects.only("owner", "organisation", "status", "submitted_at", *fields).get(pk=pk)
    except Proposal.DoesNotExist:
        return None
    if user.is_superuser or user.role == Role.STAFF:
        never_submitted = proposal.status == Status.DRAFT or (
            proposal.status == Status.WITHDRAWN and proposal.submitted_at is None
        )  # never_submitted_q, for this one row
        return None if never_submitted else proposal
    if proposal.owner_id == user.pk:
        return proposal
    if user.role != Role.CENTRE_STAFF and not visibility.collect(user=user):
        team = (
            proposal.organisation_id is not None
            and Membership.objects.filter(user_id=user.pk, organisation_id=proposal.organisation_id).exists()
        ) or Proposal.collaborators.through.objects.filter(proposal_id=proposal.pk, user_id=user.pk).exists()
        return proposal if team else None
    return proposal if proposals_visible_to(user).filter(pk=pk).exists() else None


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
    return _with_status_seen(qs, undisclosed=sees_undisclosed_decisions(user))


def _with_status_seen(qs: QuerySet[Proposal], *, undisclosed: bool) -> QuerySet[Proposal]:
    if undisclosed:
        return qs.annotate(viewer_status=F("status"))
    return qs.annotate(viewer_status=Case(
        When(undisclosed_decision_q(), then=Value(Status.COMMITTEE_REVIEW)), default=F("status"),
        output_field=CharField(),
    ))


PERSON_COLUMNS = ("full_name", "email")  # what get_full_name() reads
# A history row's own columns; `proposal` too: its related manager gives each row its proposal from that id.
HISTORY_COLUMNS = ("proposal", "kind", "from_status", "to_status", "by", "at", "note", "note_internal", "cycle_year")


def timeline_for(*, user, proposal: Proposal) -> list[StatusChange]:
    """The proposal's history as this person may read it.

    Staff read every row with every note, internal ones labelled (`note_internal`). Everyone else reads only
    notes meant for the applicant, and a committee decision whose letter is not released yet as
    "Decision being prepared". A deferral (kind "deferral") reads "Deferred to the <year> cycle.". Each row
    carries `shown_to_status`, `shown_label`, `shown_note` and `shown_note_internal`.
    """
    # proposal_detail prefetches the rows with `by`; otherwise fetch them with it (its name's columns alone: what
    # the history shows of its author), or every row's author would be a query of its own. Meta orders them either
    # way.
    prefetched = "status_changes" in getattr(proposal, "_prefetched_objects_cache", {})
    changes = list(proposal.status_changes.all() if prefetched else proposal.status_changes.select_related("by").only(
        *HISTORY_COLUMNS, *(f"by__{name}" for name in PERSON_COLUMNS)))
    return timeline_labelled(user=user, proposal=proposal, changes=changes)


def timeline_labelled(*, user, proposal: Proposal, changes: list[StatusChange]) -> list[StatusChange]:
    """timeline_for's answer for `changes`, some rows of the proposal's history (the API's page of it): each
    labelled as this person may read it."""
    staff = sees_undisclosed_decisions(user)
    undisclosed = proposal.decision_undisclosed
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


# What a row of the API's proposal list shows (proposals.api.serializers.ProposalListSerializer): a page of these
# values, with the track's, organisation's and cycle's one shown value each as annotations, not whole proposals
# with their texts and their related rows (a model instance costs in proportion to all its fields, loaded or not;
# a track has every language's columns). `status` and `decision_released_at` say whether a decision is undisclosed
# (Proposal.decision_undisclosed), `viewer_status` what this caller sees (with_viewer_status).
API_LIST_COLUMNS = (
    "id", "reference", "title", "status", "decision_released_at", "country", "submitted_at", "updated_at", "due_at",
    "version", "track_id", "track_name", "organisation_name", "cycle_year", "viewer_status",
)


def _one(model, column: str) -> QuerySet:
    """The row of `model` a proposal's `column` points to, for a subquery (unordered: it is one row)."""
    return model.objects.filter(pk=OuterRef(column)).order_by()


_API_ROWS: dict[str, QuerySet[Proposal]] = {}


def _api_rows() -> QuerySet[Proposal]:
    """The shown names api_proposal_rows reads of every proposal, whoever asks: built once per language (the
    track's name is in the reader's), each call a clone of it, as DRF clones a view's class-level queryset. Its
    three subqueries cost more to build (each copied and relabelled into the outer query) than a page of rows to
    fetch."""
    language = active_language()
    rows = _API_ROWS.get(language)
    if rows is None:
        rows = _API_ROWS[language] = Proposal.objects.annotate(
            # Subqueries, not joins: an unused annotation leaves the page's count, its join would not.
            track_name=Subquery(_one(Track, "track_id").annotate(shown=InReadersLanguage("name")).values("shown")),
            organisation_name=Subquery(_one(Organisation, "organisation_id").values("name")),
            cycle_year=Subquery(_one(Cycle, "cycle_id").values("year")),
        )
    return rows.all()


def api_proposal_rows(*, user) -> QuerySet:
    """The proposals a person sees, as the API lists them: newest saved first (for staff, index
    proposal_submitted_updated, which also answers the page's count), each a dict of API_LIST_COLUMNS, with
    `track_name` in the reader's language (as `track.name` reads). Dicts, not model instances: building 50
    instances cost more than fetching their rows. Filter it on `viewer_status`, never on `status`."""
    if sees_all_api_rows(user):
        return _staff_api_rows().all()
    return _api_proposal_rows(user)


def sees_all_api_rows(user) -> bool:
    """Whether api_proposal_rows(user) is the staff's list, the same for every member of staff (StaffApiRows)."""
    return bool(user and user.is_authenticated and user.is_active and sees_every_submitted(user)
                and sees_undisclosed_decisions(user))


_STAFF_API_ROWS: dict[str, QuerySet] = {}


def _staff_api_rows() -> QuerySet:
    """api_proposal_rows for anyone sees_all_api_rows: every submitted proposal, each with its own status, built once
    per language (as _api_rows); callers clone it."""
    language = active_language()
    rows = _STAFF_API_ROWS.get(language)
    if rows is None:
        submitted = _api_rows() & Proposal.objects.exclude(never_submitted_q())
        rows = _STAFF_API_ROWS[language] = _with_status_seen(submitted, undisclosed=True).order_by(
            "-updated_at", "-id").values(*API_LIST_COLUMNS)
    return rows


class StaffApiRows:
    """The staff's api_proposal_rows as the API's paginator reads it when nothing filters the list: a page (a
    slice) as dicts of API_LIST_COLUMNS, and the list's length, each by SQL the ORM wrote once per language and
    page (core.compiled.CompiledQuery; a prepared statement on PostgreSQL). Building and compiling the page's
    queryset (three subqueries and the status) and its count, then planning both, cost about as much on every
    request as the database's answer. Any other read is the queryset's own (`rows`)."""

    ordered = True  # Django's paginator warns of an unordered list: this is in the queryset's order

    def __init__(self, rows: QuerySet):
        self.rows = rows

    def count(self) -> int:
        return submitted_count()

    def __getitem__(self, item):
        if isinstance(item, slice) and item.step is None and type(item.stop) is int \
                and (item.start is None or type(item.start) is int) and 0 <= (item.start or 0) <= item.stop:
            return _STAFF_API_PAGE.dicts(None, item.start or 0, item.stop)
        return self.rows[item]


# The page's LIMIT and OFFSET are its shape, written into its SQL.
_STAFF_API_PAGE = CompiledQuery(Proposal, lambda _viewer, start, stop: _staff_api_rows()[start:stop],
                                names=API_LIST_COLUMNS)
_SUBMITTED_COUNT = CompiledQuery(Proposal, lambda _viewer: Proposal.objects.exclude(never_submitted_q()).order_by()
                                 .values("pk"))


def submitted_count() -> int:
    """How many proposals staff see (proposals_visible_to for staff: every one once submitted), as the staff's
    workspace and API list count them: from the partial index proposal_submitted_updated alone, by SQL compiled
    once (core.compiled)."""
    return _SUBMITTED_COUNT.count(None)


def _api_proposal_rows(user) -> QuerySet:
    # `&` adds proposals_visible_to's condition to the shared columns; for nobody (an empty queryset, as when
    # drf-spectacular asks for the schema) it would answer that queryset itself, which has none of the columns.
    visible = proposals_visible_to(user)
    rows = _api_rows().none() if isinstance(visible, EmptyQuerySet) else _api_rows() & visible
    return with_viewer_status(rows, user).order_by("-updated_at", "-id").values(*API_LIST_COLUMNS)


def proposal_detail(*, user, pk: int) -> Proposal:
    """One proposal with what its page shows; raises Proposal.DoesNotExist (a 404) when not visible."""
    return (
        proposal_list(user=user)
        .prefetch_related("contacts", "attachments", "status_changes__by", "collaborators", "invitations")
        .get(pk=pk)
    )


# What the proposal page shows (templates/proposals/detail.html, proposals.summary_html and its includes) and
# what its buttons and the workflow's guards read: the proposal without its bookkeeping, and of its related rows
# only the shown columns, not every language of the track's and programme's long texts.
PAGE_COLUMNS = (
    "reference", "title", "status", "decision_released_at", "owner", "owner__full_name", "owner__email",
    "country", "region_city", "jurisdiction_level", "lead_organisation", "partner_organisations",
    "population", "area_km2", "city_context", "problem_statement", "solution_categories", "proposed_solutions",
    "objectives", "expected_outcomes", "duration_months", "requested_support_krw", "co_financing_krw",
    "co_financing_description", "national_plan_fit", "priority_rank", "earlier_projects",
    "created_at", "updated_at", "submitted_at", "due_at",
    "track", *translation_columns("track__name"), "track__support_cap_krw", "track__pre_consulting_required",
    "organisation", "organisation__name", "organisation__kind", "cycle", "cycle__year", "cycle__cutoff",
    "cooperation_centre", *translation_columns("cooperation_centre__name"), "cooperation_centre__city",
)


def proposal_page(*, user, pk: int) -> Proposal:
    """The proposal page's proposal (PAGE_COLUMNS) with its next step (page_service_level) and the columns other
    apps add (proposals.hooks.page_columns); raises
    Proposal.DoesNotExist (a 404) when not visible. Its contacts, documents, history and team are read by
    proposals.page_reads, a query each: for one proposal that costs less than prefetch_related's (its IN list,
    then matching the rows back). Pages that edit the proposal load it whole (proposal_detail)."""
    active = type(pk) is int and user and user.is_authenticated and user.is_active
    if active and sees_every_submitted(user):
        # Staff see every proposal once submitted: the rule is a condition on the row itself.
        found = _SUBMITTED_PAGE(pk, sees_undisclosed_decisions(user))
        if not found:
            raise Proposal.DoesNotExist
        return found[0]
    if active:
        # Its owner always sees a proposal (team_proposal_ids), and the owner is who opens it most: asked by
        # owner first, the page spares the whole rule's union (built, then planned by the database each time).
        own = _OWN_PAGE(pk, user.pk, sees_undisclosed_decisions(user))
        if own:
            return own[0]
    return (_page_rows(user) & proposals_visible_to(user)).get(pk=pk)


# The owner's and staff's reads of proposal_page, their SQL compiled once (core.compiled): the page's queryset cost
# several times the database's answer to build and compile on every request.
_OWN_PAGE = CompiledInstances(Proposal, lambda pk, owner, undisclosed: _page_rows_for(undisclosed).filter(
    pk=pk, owner_id=owner), integers=2)
_SUBMITTED_PAGE = CompiledInstances(Proposal, lambda pk, undisclosed: _page_rows_for(undisclosed).filter(pk=pk).exclude(
    never_submitted_q()))


_PAGE_ROWS: dict[tuple[str, bool], QuerySet[Proposal]] = {}


def _page_rows(user) -> QuerySet[Proposal]:
    """What proposal_page reads of a proposal, built once per language (the next step's columns) and per side
    (staff see an undisclosed decision), each call a clone of it as _api_rows is: its joins, columns and
    subqueries cost more to build than the row to fetch."""
    return _page_rows_for(sees_undisclosed_decisions(user))


def _page_rows_for(undisclosed: bool) -> QuerySet[Proposal]:
    key = (active_language(), undisclosed)
    rows = _PAGE_ROWS.get(key)
    if rows is None:
        # What other apps ask of every page's proposal (proposals.hooks.page_columns), as columns of this row.
        columns = {name: expression for answer in page_columns.collect() if answer for name, expression in
                   answer.items()}
        rows = _PAGE_ROWS[key] = (
            _with_service_level(_with_status_seen(Proposal.objects.all(), undisclosed=undisclosed))
            .annotate(**columns, **_page_flags())
            .select_related("track", "organisation", "owner", "cycle", "cooperation_centre")
            .only(*PAGE_COLUMNS)
            .order_by()  # one row: no ORDER BY to write
        )
    return rows.all()


def _page_flags() -> dict:
    """Whether the proposal has collaborators and invitations still pending, as columns of the page's row: most
    have neither, and proposals.page_reads then spares their reads (a round trip each)."""
    team = Proposal.collaborators.through.objects.filter(proposal_id=OuterRef("pk"))
    pending = Invitation.objects.filter(proposal_id=OuterRef("pk"), accepted_at__isnull=True)
    return {"page_has_collaborators": Exists(team), "page_has_pending_invitations": Exists(pending)}


LEVEL = "page_level_"


def _with_service_level(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """The service level of the status the viewer sees (its next step, in the reader's language and in English
    for the fallback) as columns of the proposal's own query: the page's next step, not a query of its own."""
    levels = ServiceLevel.objects.filter(status=OuterRef("viewer_status")).order_by()
    columns = {f"{LEVEL}status": Subquery(levels.values("status")[:1])}
    for language in dict.fromkeys((active_language(), FALLBACK_LANGUAGE)):
        name = build_localized_fieldname("next_step", language)
        columns[f"{LEVEL}{name}"] = Subquery(levels.values(name)[:1])
    return qs.annotate(**columns)


def page_service_level(proposal: Proposal) -> ServiceLevel | None:
    """The ServiceLevel proposal_page read with its proposal (None: that status has none), holding the columns
    `level.next_step` and core.translated.fallback_language read in this language; None if not read with it."""
    status = getattr(proposal, f"{LEVEL}status", None)
    if status is None:
        return None
    texts = {name.removeprefix(LEVEL): value for name, value in vars(proposal).items()
             if name.startswith(f"{LEVEL}next_step")}
    return ServiceLevel(status=status, **texts)
