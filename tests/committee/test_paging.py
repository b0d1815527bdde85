"""The member workspace lists what is the member's (assignments, agendas of meetings not yet closed), a page at a
time; the staff lists of meetings and letters are paged too. N rows and 2N rows (two pages) cost the same queries."""

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from committee import selectors
from committee.models import AgendaItem, Meeting, MeetingStatus
from committee.services import conflict_declare
from proposals.models import Cycle, Proposal
from proposals.workflow import Status
from tests.factories import ProgrammeFactory, ProposalFactory, StaffFactory
from tests.factories.committee import (
    AssignmentFactory,
    ConflictDeclarationFactory,
    meeting_for,
    member,
    proposal_in_review,
)

pytestmark = pytest.mark.django_db
N = 15  # 2N = 30 rows: two pages of 25
PAGE = 25
# The meeting page's queries, none of them per row: the candidates cost their count and one page of rows.
MEETING_PAGE_QUERIES = 24  # with the default decision rule, the agenda's ranking and the navigation's inbox count


@pytest.fixture
def desk():
    """A reviewer, a planned meeting (one proposal on its agenda) and a closed meeting (one proposal on its agenda,
    not assigned to the reviewer): (staff, reviewer, open meeting, closed meeting's proposal)."""
    staff = StaffFactory(language="en")
    reviewer = member()
    planned = meeting_for(proposal_in_review(staff=staff), staff=staff)
    closed_proposal = proposal_in_review(staff=staff)
    closed = meeting_for(closed_proposal, staff=staff, days_ahead=-30)
    closed.status = MeetingStatus.CLOSED
    closed.save(update_fields=["status"])
    return staff, reviewer, planned, closed_proposal


def _before_the_reviewer(rows, *, reviewer, planned):
    """Fill the workspace to `rows` proposals: the planned meeting's one, then assigned ones and agenda ones in turn,
    some declared (with and without a conflict). Written straight to the tables: the services are tested elsewhere."""
    track = planned.agenda_items.get().proposal.track
    for n in range(rows - 1):
        proposal = ProposalFactory(track=track, cycle=planned.cycle, reference=f"KCN-2026-{n + 100:04d}")
        if n % 2:
            AgendaItem.objects.create(meeting=planned, proposal=proposal, order=n + 1)
        else:
            AssignmentFactory(member=reviewer, proposal=proposal)
        if n % 3 == 1:
            ConflictDeclarationFactory(member=reviewer, proposal=proposal, has_conflict=n % 2 == 0)


def _work(reviewer) -> list[int]:
    """The ids of the reviewer's workspace in its order, as the ORM finds them (what the page's SQL must list)."""
    return list(
        Proposal.objects.filter(Q(reviewer_assignments__member=reviewer)
                                | Q(agenda_items__meeting__status__in=[MeetingStatus.SCHEDULED, MeetingStatus.OPEN]))
        .distinct().order_by("cycle__year", "reference", "id").values_list("pk", flat=True)
    )


def _listed(response) -> int:
    return response.content.decode().count('data-proposal="')


@pytest.mark.parametrize("rows", [N, 2 * N])
def test_member_workspace_queries_same_for_n_and_2n_rows(client, django_assert_num_queries, desk, rows):
    _staff, reviewer, planned, _closed_proposal = desk
    _before_the_reviewer(rows, reviewer=reviewer, planned=planned)
    client.force_login(reviewer.user)

    # Session, user, the member, the page's rows with the list's count, the member's meetings, the inbox count.
    with django_assert_num_queries(6):
        response = client.get(reverse("committee:workspace"))

    assert response.status_code == 200
    # The count the page's query carries is the list's length.
    assert response.context["page"].paginator.count == rows == len(_work(reviewer))
    assert _listed(response) == min(rows, PAGE)
    assert ('rel="next"' in response.content.decode()) is (rows > PAGE)


def test_member_workspace_second_page_lists_the_rest_once(client, desk):
    _staff, reviewer, planned, _closed_proposal = desk
    _before_the_reviewer(2 * N, reviewer=reviewer, planned=planned)
    client.force_login(reviewer.user)

    first = client.get(reverse("committee:workspace")).context["page"]
    second = client.get(reverse("committee:workspace"), {"page": 2}).context["page"]

    shown = [p.pk for p in first] + [p.pk for p in second]
    assert (len(first), len(second)) == (PAGE, 2 * N - PAGE)
    assert len(set(shown)) == 2 * N
    # Read a page at a time in the order of the whole list (cycle, reference, id).
    assert shown == _work(reviewer)


def test_member_workspace_pages_follow_the_years_then_references_across_cycles(desk):
    """Cycles of two programmes and three years, their references interleaved, and proposals without a cycle: each
    page (of 7, every offset) is the next slice of the list in its order (cycle year, reference, id), as the ORM
    orders it on this database (a proposal without a cycle last on PostgreSQL, first on SQLite), and each carries
    the list's length."""
    _staff, reviewer, planned, _closed_proposal = desk
    track = planned.agenda_items.get().proposal.track
    other = ProgrammeFactory(slug="other", name="Other programme", reference_prefix="OTH")
    cycles = [planned.cycle] + [
        Cycle.objects.create(programme=programme, year=year, cutoff=datetime.date(year, 4, 30))
        for programme, year in ((track.programme, 2024), (other, 2024), (track.programme, 2025), (other, 2026))
    ]
    for n in range(30):
        cycle = None if n % 11 == 5 else cycles[n % len(cycles)]
        proposal = ProposalFactory(track=track, cycle=cycle, reference=f"KCN-20{24 + n % 3}-{(n * 7) % 30 + 1:04d}")
        if n % 2:
            AgendaItem.objects.create(meeting=planned, proposal=proposal, order=n + 1)
        else:
            AssignmentFactory(member=reviewer, proposal=proposal)
    expected = _work(reviewer)
    assert len(expected) == 31

    listed = []
    for offset in range(0, len(expected) + 7, 7):
        rows, total = selectors.member_workspace_rows(member=reviewer, offset=offset, limit=7)
        assert total == (len(expected) if rows else 0)
        listed += [row.pk for row in rows]
    assert listed == expected
    years = [row.cycle_year for row in selectors.member_workspace_rows(member=reviewer, offset=0, limit=40)[0]]
    assert years.count(None) == 3
    assert [year for year in years if year is not None] == sorted(year for year in years if year is not None)


@pytest.mark.parametrize("asked", ["3", "99999999999999999999", "0", "-1"])
def test_member_workspace_page_past_either_end_is_the_last_page(client, desk, asked):
    """As Paginator.get_page has it: a number below the first page or past the last shows the last page."""
    _staff, reviewer, planned, _closed_proposal = desk
    _before_the_reviewer(2 * N, reviewer=reviewer, planned=planned)
    client.force_login(reviewer.user)

    page = client.get(reverse("committee:workspace"), {"page": asked}).context["page"]

    assert (page.number, page.paginator.count, [row.pk for row in page]) == (2, 2 * N, _work(reviewer)[PAGE:])


@pytest.mark.parametrize("asked", ["", "abc", "2.0"])
def test_member_workspace_page_not_a_number_is_the_first_page(client, desk, asked):
    _staff, reviewer, planned, _closed_proposal = desk
    _before_the_reviewer(2 * N, reviewer=reviewer, planned=planned)
    client.force_login(reviewer.user)

    page = client.get(reverse("committee:workspace"), {"page": asked}).context["page"]

    assert (page.number, [row.pk for row in page]) == (1, _work(reviewer)[:PAGE])


def test_member_workspace_without_proposals_is_one_empty_page(client, desk):
    _staff, reviewer, planned, _closed_proposal = desk
    AgendaItem.objects.filter(meeting=planned).delete()
    client.force_login(reviewer.user)

    response = client.get(reverse("committee:workspace"), {"page": 4})

    assert (response.context["page"].number, response.context["page"].paginator.count) == (1, 0)
    assert "No proposals are before you yet." in response.content.decode()


def test_member_workspace_leaves_out_closed_meetings_but_not_assignments(client, desk):
    staff, reviewer, planned, closed_proposal = desk
    assigned_and_closed = proposal_in_review(staff=staff)
    closed = closed_proposal.agenda_items.get().meeting
    AgendaItem.objects.create(meeting=closed, proposal=assigned_and_closed, order=2)
    AssignmentFactory(member=reviewer, proposal=assigned_and_closed)
    client.force_login(reviewer.user)

    body = client.get(reverse("committee:workspace")).content.decode()

    on_planned = planned.agenda_items.get().proposal
    assert f'data-proposal="{on_planned.pk}"' in body
    assert f'data-proposal="{assigned_and_closed.pk}"' in body
    assert f'data-proposal="{closed_proposal.pk}"' not in body
    # Listing is not access: a proposal a closed meeting had on its agenda stays before every member.
    assert client.get(reverse("committee:declare", args=[closed_proposal.pk])).status_code == 200


def test_member_workspace_rows_carry_only_the_shown_columns(client, desk):
    _staff, reviewer, planned, _closed_proposal = desk
    proposal = planned.agenda_items.get().proposal
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)
    client.force_login(reviewer.user)

    row = client.get(reverse("committee:workspace")).context["page"][0]

    assert row == selectors.WorkspaceRow(
        pk=proposal.pk, reference=proposal.reference, title=proposal.title, organisation=proposal.organisation.name,
        track=proposal.track.name, cycle_year=proposal.cycle.year, is_assigned=False, declared_conflict=False,
        review_submitted=False,
    )
    assert row.has_declared


@pytest.mark.parametrize("meetings", [N, 2 * N])
def test_staff_committee_home_pages_the_meetings(client, django_assert_num_queries, desk, meetings):
    staff, _reviewer, planned, _closed_proposal = desk
    for n in range(meetings - 2):
        Meeting.objects.create(programme=planned.programme, cycle=planned.cycle, title=f"Meeting {n}",
                               starts_at=planned.starts_at + datetime.timedelta(days=n + 1))
    client.force_login(staff)

    with django_assert_num_queries(7):  # with the navigation's inbox count for staff
        response = client.get(reverse("committee:workspace"))

    assert response.status_code == 200
    assert response.content.decode().count("<tr><td><a href=") == min(meetings, PAGE)
    assert response.context["meetings"].paginator.count == meetings


def _plan(queryset) -> str:
    """PostgreSQL's plan for the query with sequential scans priced out: which index it can walk (a test table is
    too small for the planner to prefer any index on its own)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")  # a bitmap scan would hide the walk order
    return queryset.explain()


@pytest.mark.postgres
def test_staff_lists_walk_their_indexes(on_postgres, desk):
    meetings = _plan(selectors.meeting_rows()[:PAGE])
    letters = _plan(selectors.letter_list()[:PAGE])

    assert "meeting_starts_desc" in meetings
    assert "letter_status_newest" in letters


def _candidates(rows, *, planned):
    """`rows` proposals in committee review of the planned meeting's cycle, not on its agenda: the closed meeting's
    proposal (the desk's) and `rows - 1` more, each with a reference after it."""
    track = planned.agenda_items.get().proposal.track
    for n in range(rows - 1):
        ProposalFactory(track=track, cycle=planned.cycle, status=Status.COMMITTEE_REVIEW,
                        reference=f"KCN-2026-{n + 100:04d}")


@pytest.mark.parametrize("rows", [N, 2 * N])
def test_meeting_page_pages_the_agenda_candidates(client, django_assert_num_queries, desk, rows):
    staff, _reviewer, planned, _closed_proposal = desk
    _candidates(rows, planned=planned)
    client.force_login(staff)

    with django_assert_num_queries(MEETING_PAGE_QUERIES):
        response = client.get(reverse("committee:meeting", args=[planned.pk]))

    assert response.status_code == 200
    page = response.context["candidates"]
    assert (page.paginator.count, len(page), page.has_next()) == (rows, min(rows, PAGE), rows > PAGE)
    listed = response.content.decode().split('id="agenda-candidates"')[1].split("</ul>")[0]
    assert listed.count('data-proposal="') == min(rows, PAGE)


def test_meeting_page_second_page_of_candidates_lists_the_rest_by_reference(client, desk):
    staff, _reviewer, planned, closed_proposal = desk
    _candidates(2 * N, planned=planned)
    client.force_login(staff)

    first = client.get(reverse("committee:meeting", args=[planned.pk]))
    response = client.get(reverse("committee:meeting", args=[planned.pk]), {"page": 2})

    assert [p.reference for p in first.context["candidates"]] == [
        closed_proposal.reference, *(f"KCN-2026-{n + 100:04d}" for n in range(PAGE - 1))]
    assert [p.reference for p in response.context["candidates"]] == [f"KCN-2026-{n + 100:04d}"
                                                                     for n in range(PAGE - 1, 2 * N - 1)]
    assert {"problem_statement", "city_context", "track_id"} <= response.context["candidates"][0].get_deferred_fields()
