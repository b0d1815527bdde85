"""Reads shared by committee views, the API, tasks and the proposals' visibility rule."""

import datetime
import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from accounts.rules import is_staff_member
from committee.models import (
    COMMITTEE_TIME_ZONE,
    AgendaItem,
    Assignment,
    Attendance,
    CommitteeMember,
    ConflictDeclaration,
    Criterion,
    Decision,
    DecisionLetter,
    DecisionRule,
    LetterStatus,
    Meeting,
    MeetingStatus,
    Review,
    RuleBasis,
    Score,
    VoteChoice,
)
from consulting.selectors import proposal_reports
from core.compiled import CompiledInstances, execute
from core.translated import FALLBACK_LANGUAGE, active_language, translation_columns
from proposals.models import Message, Proposal
from proposals.selectors import proposals_visible_to
from proposals.workflow import Status


def member_for(user) -> CommitteeMember | None:
    """The person's committee membership, or None; kept on the user as `user.committee_member` keeps it, and read
    as that accessor reads it, by SQL compiled once (core.compiled): every page of a member's asks it."""
    if not (user and user.is_authenticated):
        return None
    try:
        return _MEMBERSHIP.get_cached_value(user)
    except KeyError:
        pass
    found = _MEMBER(user.pk) if type(user.pk) is int else list(CommitteeMember.objects.filter(user_id=user.pk))
    member = found[0] if found else None
    if member is not None:
        _MEMBERSHIP.field.set_cached_value(member, user)
    _MEMBERSHIP.set_cached_value(user, member)
    return member


_MEMBERSHIP = CommitteeMember._meta.get_field("user").remote_field  # the user's side: user.committee_member
_MEMBER = CompiledInstances(CommitteeMember, lambda user: CommitteeMember.objects.filter(user_id=user))


def _candidate_q(member_id) -> Q:
    """Proposals put before this member: assigned to them, or on a committee meeting's agenda."""
    return Q(Exists(Assignment.objects.filter(proposal_id=OuterRef("pk"), member_id=member_id))) | Q(
        Exists(AgendaItem.objects.filter(proposal_id=OuterRef("pk")))
    )


def committee_cleared_q(user) -> Q:
    """For proposals_visible_to: candidates this member has declared no conflict on (active members only)."""
    member = member_for(user)
    if member is None or not member.is_active:
        return Q(pk__in=[])
    declared_none = Exists(
        ConflictDeclaration.objects.filter(proposal_id=OuterRef("pk"), member_id=member.pk, has_conflict=False)
    )
    return _candidate_q(member.pk) & Q(declared_none)


@dataclass(frozen=True, slots=True)
class WorkspaceRow:
    """A proposal as the member workspace lists it: what its row shows and nothing more (a proposal's long texts
    stay in the database)."""

    pk: int
    reference: str | None
    title: str
    organisation: str
    track: str  # in the reader's language, else English: what track.name reads
    cycle_year: int | None
    is_assigned: bool
    declared_conflict: bool | None  # None: no declaration yet
    review_submitted: bool

    @property
    def has_declared(self) -> bool:
        return self.declared_conflict is not None


# One page of what is the member's to work on, in its order (cycle, reference, id), with the whole list's length.
#
# The work: proposals assigned to them and those on the agenda of a meeting not yet closed. Narrower than what they
# may open (_candidate_q): a proposal a closed meeting had on its agenda stays readable, it is just no longer work;
# listing every agenda ever held would grow with the programme's years. A UNION of the two lookups by key, not an
# OR of two EXISTS, which would be tested on every proposal of every year. Only the page's rows are read whole,
# with their organisation, track (each language's name) and the member's own assignment, declaration and review,
# each read by its unique key (member, proposal): subqueries the planner plans apart, cheaper to plan than as joins.
# The list's length is the work's: each of its proposals is in the list once.
#
# Which ids make the page:
# - PostgreSQL: the cycles' years in order, and for each year its proposals from the narrow index
#   proposal_cycle_reference (cycle, reference, id) that are the member's work; those without a cycle come last, as
#   NULL sorts last. The ORDER BY is the list's; the planner sorts each year's few rows (Incremental Sort, the years
#   already in order) and stops at the page's end: the first page reads a year or two of proposals, not the whole
#   table joined to the work by hash to be sorted by year (tests/test_list_indexes.py reads the plan).
# - SQLite (no LATERAL), and any other database: the work joined to its proposals and their cycles, sorted by
#   year, reference and id; at the embedded default's sizes that is a few hundred rows. SQLite sorts NULL first.
#
# Parameters: the member's id, the closed status, the page's limit and offset, the member's id three times. The
# track's name columns are those of settings.LANGUAGES (column names from settings, no value of a request's).
_WORK_SQL = """
WITH work AS (
    SELECT proposal_id FROM committee_assignment WHERE member_id = %s
    UNION
    SELECT item.proposal_id FROM committee_agendaitem item
    JOIN committee_meeting meeting ON meeting.id = item.meeting_id
    WHERE meeting.status <> %s
),"""
_PAGE_SQL_POSTGRESQL = """
page AS (
    SELECT listed.id, years.year, listed.reference, (SELECT COUNT(*) FROM work) AS total
    FROM (SELECT year FROM (SELECT DISTINCT year FROM proposals_cycle UNION ALL SELECT NULL) all_years
          ORDER BY year) years
    CROSS JOIN LATERAL (
        SELECT proposal.id, proposal.reference FROM proposals_cycle cycle
        JOIN proposals_proposal proposal ON proposal.cycle_id = cycle.id
        WHERE cycle.year = years.year AND proposal.id IN (SELECT proposal_id FROM work)
        UNION ALL
        SELECT proposal.id, proposal.reference FROM proposals_proposal proposal
        WHERE years.year IS NULL AND proposal.cycle_id IS NULL AND proposal.id IN (SELECT proposal_id FROM work)
    ) listed
    ORDER BY years.year, listed.reference, listed.id
    LIMIT %s OFFSET %s
)"""
_PAGE_SQL_PORTABLE = """
page AS (
    SELECT proposal.id, cycle.year, proposal.reference, COUNT(*) OVER () AS total
    FROM work
    JOIN proposals_proposal proposal ON proposal.id = work.proposal_id
    LEFT JOIN proposals_cycle cycle ON cycle.id = proposal.cycle_id
    ORDER BY cycle.year, proposal.reference, proposal.id
    LIMIT %s OFFSET %s
)"""
_ROWS_SQL = """
SELECT page.total, proposal.id, proposal.reference, proposal.title, organisation.name, page.year,
       EXISTS (SELECT 1 FROM committee_assignment assignment
               WHERE assignment.member_id = %s AND assignment.proposal_id = proposal.id),
       (SELECT declaration.has_conflict FROM committee_conflictdeclaration declaration
        WHERE declaration.member_id = %s AND declaration.proposal_id = proposal.id),
       EXISTS (SELECT 1 FROM committee_review review
               WHERE review.member_id = %s AND review.proposal_id = proposal.id AND review.submitted_at IS NOT NULL),
       {track_names}
FROM page
JOIN proposals_proposal proposal ON proposal.id = page.id
JOIN accounts_organisation organisation ON organisation.id = proposal.organisation_id
JOIN proposals_track track ON track.id = proposal.track_id
ORDER BY page.year, page.reference, page.id
""".format(track_names=", ".join(f"track.{column}" for column in translation_columns("name")))  # noqa: S608


def workspace_page_sql(vendor: str) -> str:
    """The member workspace's statement on this database (`connection.vendor`)."""
    return _WORK_SQL + (_PAGE_SQL_POSTGRESQL if vendor == "postgresql" else _PAGE_SQL_PORTABLE) + _ROWS_SQL


def member_workspace_rows(*, member: CommitteeMember, offset: int, limit: int) -> tuple[list[WorkspaceRow], int]:
    """A slice of what is the member's to work on, in its order, and how many rows the whole list has (0 for a
    slice past its end, which has no row to carry the count): core.paging.page_read pages it.

    One statement in SQL rather than the ORM's: the page's rows, its count and the member's state of each were
    querysets with four subqueries, whose building, compiling and model instances cost more than the database's
    own time for 25 rows."""
    with connection.cursor() as cursor:
        limit = int(limit)
        params = [member.pk, MeetingStatus.CLOSED.value, limit, offset, *[member.pk] * 3]
        # Prepared once per connection on PostgreSQL (core.compiled.execute): its plan took 1.4 ms of every request.
        # The page's length is written into the statement (one statement per length: the page's and the 1 of a
        # count past the end), not sent as a parameter: the generic plan of a LIMIT it cannot see is planned for a
        # tenth of the member's work (~460 rows on the bench's 10,000 proposals), and reads every one of the
        # member's reviews into a hash instead of 25 lookups by key: 1.6 ms a page against 1.3 ms. A plan made for
        # hundreds of page rows also tips into hashing every proposal under other statistics (11 ms when the
        # status was a parameter too). tests/test_list_indexes.py reads the prepared plan.
        execute(connection, cursor, f"kcity_member_workspace_{limit}", workspace_page_sql(connection.vendor), params,
                variable=(0, 3, 4, 5, 6))
        found = cursor.fetchall()
        columns = [column[0] for column in cursor.description]
    # The track's name as track.name reads it (modeltranslation): the reader's language, else English.
    shown = columns.index(build_localized_fieldname("name", active_language()))
    english = columns.index(build_localized_fieldname("name", FALLBACK_LANGUAGE))
    rows = [
        WorkspaceRow(
            pk=row[1], reference=row[2], title=row[3], organisation=row[4], cycle_year=row[5],
            is_assigned=bool(row[6]), declared_conflict=None if row[7] is None else bool(row[7]),
            review_submitted=bool(row[8]), track=row[shown] or row[english] or "",
        )
        for row in found
    ]
    return rows, found[0][0] if found else 0


def declaration_for(*, member: CommitteeMember, proposal: Proposal) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(member=member, proposal=proposal).first()


def is_candidate(*, member: CommitteeMember, proposal: Proposal) -> bool:
    return Proposal.objects.filter(_candidate_q(member.pk), pk=proposal.pk).exists()


def criteria_for(proposal: Proposal) -> list[Criterion]:
    return list(Criterion.objects.filter(rubric__programme_id=proposal.track.programme_id).order_by("order", "id"))


def own_review(*, member: CommitteeMember, proposal: Proposal) -> Review | None:
    return (
        Review.objects.filter(member=member, proposal=proposal)
        .prefetch_related("scores__criterion")
        .first()
    )


# --- spread of scores (anonymised) -------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpread:
    criterion: Criterion
    minimum: int
    median: Decimal
    maximum: int
    count: int


@dataclass(frozen=True)
class ScoreSpread:
    criteria: list[CriterionSpread]
    total_min: Decimal | None
    total_median: Decimal | None
    total_max: Decimal | None
    reviews: int


def score_spread(*, proposal: Proposal) -> ScoreSpread:
    """Min / median / max per criterion over submitted reviews. No names, no individual rows."""
    values: dict[int, list[int]] = {}
    for criterion_id, value in Score.objects.filter(
        review__proposal=proposal, review__submitted_at__isnull=False
    ).values_list("criterion_id", "value"):
        values.setdefault(criterion_id, []).append(value)
    rows = []
    for criterion in criteria_for(proposal):
        found = sorted(values.get(criterion.pk, []))
        if found:
            median = Decimal(str(statistics.median(found))).quantize(Decimal("0.01"))
            rows.append(CriterionSpread(criterion, found[0], median, found[-1], len(found)))
    totals = sorted(
        Review.objects.filter(proposal=proposal, submitted_at__isnull=False).values_list("weighted_total", flat=True)
    )
    median_total = None
    if totals:
        median_total = Decimal(str(statistics.median(totals))).quantize(Decimal("0.01"))
    return ScoreSpread(
        criteria=rows, total_min=totals[0] if totals else None, total_median=median_total,
        total_max=totals[-1] if totals else None, reviews=len(totals),
    )


# --- meetings and quorum -----------------------------------------------------------------------------


FALLBACK_RULE_NAME = "Majority of members present"


def default_rule() -> DecisionRule:
    """The rule meetings use when they choose none: the one marked default (a migration makes it), or, should staff
    have removed the mark, the same rule unsaved."""
    found = DecisionRule.objects.filter(is_default=True).first()
    return found or DecisionRule(name=FALLBACK_RULE_NAME, basis=RuleBasis.MEMBERS_PRESENT,
                                 quorum_fraction=Decimal("0.50"), require_co_chair=True, is_default=True)


def rule_for(meeting: Meeting) -> DecisionRule:
    """The meeting's own rule or the default; kept on the instance, so a page asks once however often it uses it."""
    cached = getattr(meeting, "_decision_rule", None)
    if cached is None:
        cached = meeting.decision_rule if meeting.decision_rule_id else default_rule()
        meeting._decision_rule = cached
    return cached


def meeting_day(meeting: Meeting):
    """The meeting's calendar day where the committee sits."""
    return meeting.starts_at.astimezone(ZoneInfo(COMMITTEE_TIME_ZONE)).date()


def serving_members(*, day) -> list[CommitteeMember]:
    members = CommitteeMember.objects.filter(is_active=True, term_start__lte=day).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=day)
    )
    return list(members.select_related("user"))


@dataclass(frozen=True)
class Quorum:
    serving: int
    required: int
    present: int
    co_chair_present: bool
    require_co_chair: bool
    recused: list = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.present >= self.required and (self.co_chair_present or not self.require_co_chair)


def quorum_required(*, serving: int, fraction: Decimal) -> int:
    """"More than `fraction` of the serving members": 24 serving at 0.50 needs 13."""
    return math.floor(serving * fraction) + 1


def _present_serving(meeting: Meeting) -> tuple[list[CommitteeMember], list[CommitteeMember]]:
    """The members serving on the meeting's day, and those of them recorded present (two queries)."""
    serving = serving_members(day=meeting_day(meeting))
    serving_ids = {m.pk for m in serving}
    present = [
        # Ordered so the recused list (stored on the decision, written to its audit row) comes out the same each time.
        a.member for a in Attendance.objects.filter(meeting=meeting, present=True)
        .select_related("member__user").order_by("member_id")
        if a.member_id in serving_ids
    ]
    return serving, present


def _conflicted_members(proposal_ids: list[int]) -> dict[int, set[int]]:
    """{proposal id: ids of the members who declared a conflict on it}, in one query."""
    conflicted: dict[int, set[int]] = {}
    for proposal_id, member_id in ConflictDeclaration.objects.filter(
        proposal_id__in=proposal_ids, has_conflict=True
    ).values_list("proposal_id", "member_id"):
        conflicted.setdefault(proposal_id, set()).add(member_id)
    return conflicted


def _quorum(*, meeting: Meeting, serving: list, present: list, conflicted: set[int] | None) -> Quorum:
    """The one place a Quorum is worked out: quorum_for and quorums_for_meeting cannot disagree."""
    recused = []
    if conflicted is not None:
        recused = [m for m in present if m.pk in conflicted]
        present = [m for m in present if m.pk not in conflicted]
    return Quorum(
        serving=len(serving),
        required=quorum_required(serving=len(serving), fraction=rule_for(meeting).quorum_fraction),
        present=len(present),
        co_chair_present=any(m.is_co_chair for m in present),
        require_co_chair=rule_for(meeting).require_co_chair,
        recused=recused,
    )


def quorum_for(*, meeting: Meeting, proposal: Proposal | None = None) -> Quorum:
    """Quorum of a meeting; for a proposal, members who declared a conflict are recused and do not count."""
    serving, present = _present_serving(meeting)
    conflicted = None
    if proposal is not None:
        conflicted = _conflicted_members([proposal.pk]).get(proposal.pk, set())
    return _quorum(meeting=meeting, serving=serving, present=present, conflicted=conflicted)


def quorums_for_meeting(*, meeting: Meeting) -> dict[int, Quorum]:
    """{proposal id: its quorum} for every item on the meeting's agenda, in four queries whatever its length
    (the meeting page shows each item's eligible members); each answer equals quorum_for(meeting, proposal)."""
    serving, present = _present_serving(meeting)
    proposal_ids = list(meeting.agenda_items.order_by().values_list("proposal_id", flat=True))
    conflicted = _conflicted_members(proposal_ids)
    return {
        proposal_id: _quorum(meeting=meeting, serving=serving, present=present,
                             conflicted=conflicted.get(proposal_id, set()))
        for proposal_id in proposal_ids
    }


def _vote_tallies(items: QuerySet[AgendaItem]) -> dict[int, dict[str, int]]:
    """{agenda item id: {choice: members' votes}} with every choice (zeros too), in one aggregate query."""
    counts = {choice: Count("votes", filter=Q(votes__choice=choice)) for choice in VoteChoice.values}
    rows = items.order_by().values("pk").annotate(**counts)
    return {row["pk"]: {choice: row[choice] for choice in VoteChoice.values} for row in rows}


def vote_tally(*, agenda_item: AgendaItem) -> dict[str, int]:
    """The members' own votes on one agenda item (decision_record checks the recorded counts against them)."""
    found = _vote_tallies(AgendaItem.objects.filter(pk=agenda_item.pk))
    return found.get(agenda_item.pk, dict.fromkeys(VoteChoice.values, 0))


def vote_tallies(*, meeting: Meeting) -> dict[int, dict[str, int]]:
    """vote_tally of every item on the meeting's agenda, by agenda item id, in one query."""
    return _vote_tallies(meeting.agenda_items.all())


def decisions_visible_to(user) -> QuerySet[Decision]:
    """Committee decisions this person may read (the API and any page listing decisions).

    Staff read them all. A member reads a decision only of a meeting they were recorded present at, and only on
    proposals they were not recused from and declared no conflict on: the absent and the conflicted learn the
    outcome with everyone else, from the released letter.
    """
    qs = Decision.objects.select_related("meeting", "proposal").prefetch_related("recused")
    if is_staff_member(user):
        return qs
    member = member_for(user)
    if member is None or not member.is_active:
        return qs.none()
    return (
        qs.filter(Exists(Attendance.objects.filter(meeting_id=OuterRef("meeting_id"), member=member, present=True)))
        .exclude(recused=member)
        .exclude(Exists(ConflictDeclaration.objects.filter(
            proposal_id=OuterRef("proposal_id"), member=member, has_conflict=True
        )))
    )


def meeting_list() -> QuerySet[Meeting]:
    # cycle__programme: a cycle's name carries its programme's prefix (Cycle.__str__), one query per row without it.
    # "-id" after the date: two meetings at the same hour still page in one order (index meeting_starts_desc).
    return Meeting.objects.select_related("programme", "cycle__programme").order_by("-starts_at", "-id")


def meeting_rows() -> QuerySet[Meeting]:
    """meeting_list with only what the staff's list of meetings shows."""
    return (
        Meeting.objects.select_related("cycle__programme")
        .only("title", "starts_at", "status", "cycle__year", "cycle__programme__reference_prefix")
        .order_by("-starts_at", "-id")
    )


def letter_list() -> QuerySet[DecisionLetter]:
    """Decision letters, drafts first (to review), newest first within a status (index letter_status_newest)."""
    return (
        DecisionLetter.objects.select_related("decision__proposal", "decision__meeting")
        .only("status", "decision__outcome", "decision__proposal__reference", "decision__proposal__title",
              "decision__meeting__title")
        .order_by("status", "-id")
    )


def meeting_agenda(*, meeting: Meeting) -> list[AgendaItem]:
    decisions = {d.proposal_id: d for d in Decision.objects.filter(meeting=meeting)}
    items = list(
        meeting.agenda_items.select_related("proposal", "proposal__track", "proposal__organisation")
        .annotate(
            assigned_count=Subquery(
                Assignment.objects.filter(proposal_id=OuterRef("proposal_id"))
                .values("proposal_id").annotate(n=Count("id")).values("n")[:1]
            ),
        )
        .order_by("order", "id")
    )
    for item in items:
        item.decision = decisions.get(item.proposal_id)
    return items


def agenda_candidates(*, meeting: Meeting) -> QuerySet[Proposal]:
    """Proposals in committee review of the meeting's cycle that are not on its agenda yet, by reference (id breaks
    the tie of a proposal without one, so pages of the list never overlap), with only the columns the meeting page
    shows."""
    return (
        Proposal.objects.filter(status=Status.COMMITTEE_REVIEW, cycle=meeting.cycle)
        .exclude(agenda_items__meeting=meeting)
        .select_related("organisation")
        .only("reference", "title", "organisation__name")
        .order_by("reference", "id")
    )


def meetings_for_proposal(*, proposal: Proposal) -> QuerySet[Meeting]:
    return Meeting.objects.filter(agenda_items__proposal=proposal).order_by("-starts_at")


def open_agenda_item_for(*, proposal: Proposal) -> AgendaItem | None:
    """The agenda item of a not-yet-closed meeting where this proposal is still undecided."""
    return (
        AgendaItem.objects.filter(proposal=proposal)
        .exclude(meeting__status="closed")
        .exclude(meeting__decisions__proposal=proposal)
        .select_related("meeting")
        .order_by("meeting__starts_at")
        .first()
    )


def assignments_for(*, proposal: Proposal) -> QuerySet[Assignment]:
    return Assignment.objects.filter(proposal=proposal).select_related("member__user", "assigned_by")


def screening_notes(*, proposal: Proposal) -> QuerySet[Message]:
    """Staff's internal notes on the proposal (the screening note the committee reads)."""
    return Message.objects.filter(proposal=proposal, internal=True).select_related("author").order_by("created_at")


def pre_consulting_reports(*, proposal: Proposal) -> list:
    """Filed pre-consulting reports on the proposal, as the consulting app reads them."""
    return [report for report in proposal_reports(proposal=proposal) if report.filed_at]


def assignments_awaiting_review() -> QuerySet[Assignment]:
    """Assignments whose review is still to do: an active member, no submitted review, no declared conflict (the
    rule behind the review reminders, committee.reminders)."""
    return Assignment.objects.filter(member__is_active=True).exclude(Exists(Review.objects.filter(
        proposal_id=OuterRef("proposal_id"), member_id=OuterRef("member_id"), submitted_at__isnull=False
    ))).exclude(Exists(ConflictDeclaration.objects.filter(
        proposal_id=OuterRef("proposal_id"), member_id=OuterRef("member_id"), has_conflict=True
    )))



def released_letter_for(*, user, proposal_pk: int) -> DecisionLetter | None:
    """The latest sent decision letter on a proposal this person may see (proposals_visible_to), else None."""
    if not proposals_visible_to(user).filter(pk=proposal_pk).exists():
        return None
    return (
        DecisionLetter.objects.filter(decision__proposal_id=proposal_pk, status=LetterStatus.SENT)
        .select_related("decision__proposal__track__programme", "decision__proposal__cycle", "decision__meeting")
        .order_by("-sent_at", "-id").first()
    )


# --- the member's meeting page and the agenda's ranking ---------------------------------------------------


# The member's meetings (during their term, or attended) in the workspace's order: those not closed, soonest first,
# then the closed ones, latest first (the same hour: by id either way). Parameters: the term's first instant, the
# instant after its last day (twice: None for a term without an end), the member's id, the closed status (four
# times), the limit.
MEMBER_MEETINGS_SQL = """
SELECT meeting.id, meeting.title, meeting.starts_at, meeting.status
FROM committee_meeting meeting
WHERE (meeting.starts_at >= %s AND meeting.starts_at < %s)
   OR EXISTS (SELECT 1 FROM committee_attendance attendance
              WHERE attendance.meeting_id = meeting.id AND attendance.member_id = %s)
ORDER BY CASE WHEN meeting.status = %s THEN 1 ELSE 0 END,
         CASE WHEN meeting.status = %s THEN NULL ELSE meeting.starts_at END,
         CASE WHEN meeting.status = %s THEN meeting.starts_at END DESC,
         CASE WHEN meeting.status = %s THEN meeting.id ELSE -meeting.id END DESC
LIMIT %s
"""


def member_meetings(*, member: CommitteeMember, limit: int = 10) -> list[Meeting]:
    """The member's meetings, `limit` in all: those not closed, soonest first, then the latest closed ones; each
    with its title, start and status only. In SQL rather than the ORM's for the reason member_workspace_rows is;
    one ordered statement, which SQLite runs too (it allows no LIMIT inside a UNION).

    The term's days are the reader's, as a `__date` lookup has them (in the current time zone): a meeting is in the
    term from the first instant of its first day to the first instant after its last."""
    zone, ops = timezone.get_current_timezone(), connection.ops
    start = ops.adapt_datetimefield_value(datetime.datetime.combine(member.term_start, datetime.time.min, zone))
    # A term without an end: to the last day there is (one comparison, so one statement whatever the term).
    last = member.term_end + datetime.timedelta(days=1) if member.term_end else datetime.date.max
    end = ops.adapt_datetimefield_value(datetime.datetime.combine(last, datetime.time.min, zone))
    closed = MeetingStatus.CLOSED.value
    with connection.cursor() as cursor:
        # Prepared once per connection on PostgreSQL (core.compiled.execute): planning it cost more than running it.
        # The limit in its text, as member_workspace_rows's page length: a generic plan cannot see a parameter's.
        execute(connection, cursor, f"kcity_member_meetings_{int(limit)}", MEMBER_MEETINGS_SQL,
                [start, end, member.pk, *[closed] * 4, int(limit)], variable=(0, 1, 2))
        found = cursor.fetchall()
    return [Meeting.from_db(connection.alias, _MEETING_COLUMNS, _converted(row)) for row in found]


_MEETING_COLUMNS = ("id", "title", "starts_at", "status")


def _converted(row) -> list:
    """A row of MEMBER_MEETINGS_SQL's columns, each value as the ORM reads that field (e.g. SQLite's text of a
    time as an aware datetime), as Meeting.objects.raw converted it."""
    values = list(row)
    for position, name in enumerate(_MEETING_COLUMNS):
        column = Meeting._meta.get_field(name).get_col(Meeting._meta.db_table)
        for converter in (*connection.ops.get_db_converters(column), *column.get_db_converters(connection)):
            values[position] = converter(values[position], column, connection)
    return values


def member_meeting_agenda(*, meeting: Meeting, member: CommitteeMember) -> list[AgendaItem]:
    """The agenda as this member reads it, in a fixed number of queries whatever its length: each item carries
    `declared` (None: not yet, True: conflict, False: no conflict), `review_due` (an assignment of theirs with the
    review still to do) and, only where they declared no conflict, `papers` (the proposal's documents)."""
    declarations = ConflictDeclaration.objects.filter(proposal_id=OuterRef("proposal_id"), member_id=member.pk)
    items = list(
        meeting.agenda_items.select_related("proposal__organisation", "proposal__track")
        .prefetch_related("proposal__attachments")
        .annotate(
            declared=Subquery(declarations.values("has_conflict")[:1]),
            review_due=Exists(assignments_awaiting_review().filter(member_id=member.pk,
                                                                   proposal_id=OuterRef("proposal_id"))),
            review_done=Exists(Review.objects.filter(member_id=member.pk, proposal_id=OuterRef("proposal_id"),
                                                     submitted_at__isnull=False)),
        )
        .order_by("order", "id")
    )
    for item in items:
        item.papers = list(item.proposal.attachments.all()) if item.declared is False else []
    return items


@dataclass(frozen=True)
class RankingRow:
    proposal: Proposal
    rank: int | None
    weighted: Decimal | None
    reviews: int
    criteria: list  # (criterion, mean score) in the rubric's order (None where nobody scored it)
    withheld: bool = False  # a member who declared a conflict (or has not declared) sees no scores


@dataclass(frozen=True)
class Ranking:
    criteria: list[Criterion]
    rows: list[RankingRow]


def agenda_ranking(*, meeting: Meeting, member: CommitteeMember | None = None) -> Ranking:
    """The agenda's proposals side by side, ranked by the mean weighted rubric score of their submitted reviews
    (equal scores share a rank). For a member, only proposals they declared no conflict on carry scores; the
    others are listed apart, withheld. Four queries (five for a member) whatever the agenda's length."""
    items = list(meeting.agenda_items.select_related("proposal").only(
        "order", "meeting_id", "proposal_id", "proposal__reference", "proposal__title"
    ).order_by("order", "id"))
    ids = [item.proposal_id for item in items]
    criteria = list(Criterion.objects.filter(rubric__programme_id=meeting.programme_id).order_by("order", "id"))
    totals = {
        row["proposal_id"]: row for row in Review.objects.filter(proposal_id__in=ids, submitted_at__isnull=False)
        .order_by().values("proposal_id").annotate(mean=Avg("weighted_total"), n=Count("id"))
    }
    means: dict[tuple[int, int], Decimal] = {
        (row["review__proposal_id"], row["criterion_id"]): row["mean"]
        for row in Score.objects.filter(review__proposal_id__in=ids, review__submitted_at__isnull=False)
        .order_by().values("review__proposal_id", "criterion_id").annotate(mean=Avg("value"))
    }
    cleared = set(ids)
    if member is not None:
        cleared = set(ConflictDeclaration.objects.filter(
            member=member, proposal_id__in=ids, has_conflict=False
        ).values_list("proposal_id", flat=True))

    def two(value):
        return None if value is None else Decimal(value).quantize(Decimal("0.01"))

    shown, withheld = [], []
    for item in items:
        if item.proposal_id not in cleared:
            withheld.append(RankingRow(item.proposal, None, None, 0, [], withheld=True))
            continue
        total = totals.get(item.proposal_id)
        shown.append(RankingRow(
            item.proposal, None, two(total["mean"]) if total else None, total["n"] if total else 0,
            [(c, two(means.get((item.proposal_id, c.pk)))) for c in criteria],
        ))
    shown.sort(key=lambda r: (r.weighted is None, -(r.weighted or 0), r.proposal.reference or "", r.proposal.pk))
    ranked, previous, rank = [], None, 0
    for position, row in enumerate(shown, start=1):
        if row.weighted is not None and row.weighted != previous:
            rank, previous = position, row.weighted
        ranked.append(RankingRow(row.proposal, rank if row.weighted is not None else None, row.weighted,
                                 row.reviews, row.criteria))
    return Ranking(criteria=criteria, rows=ranked + withheld)
