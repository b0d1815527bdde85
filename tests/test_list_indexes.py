"""The main lists and the beat sweeps' "what is due" queries read their rows through their index on PostgreSQL.

A few thousand rows are written with bulk_create, then ANALYZE; each test runs EXPLAIN on the SQL the list (or the
sweep) sends for its first page and asserts an Index Scan (or Index Only Scan) on the expected index and no Seq Scan
on the big table.

Planner settings, said once for every test here: the big tables are of narrow bulk rows (no long texts), and at a
few thousand of them a sequential scan and a sort can cost the planner about as much as an index walk, so which it
picks would change with the statistics the rest of the suite left behind. Each EXPLAIN therefore runs with
`SET LOCAL enable_seqscan = off` and `enable_bitmapscan = off` (inside the test's transaction, reset after the
statement), and with `enable_sort` and `enable_incremental_sort` off so that the plan shows whether an index
serves the list's order by itself (bulk rows share their timestamps, which makes a sort look free). That does not
invent an index: it proves the named index exists, matches the query's condition
and order, and is the cheapest way once whole-table reads are priced out, which is what the planner picks on its
own as the tables grow. The sweeps' partial indexes are asserted without any setting as well where the planner
picks them unprompted.
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.db.models import F
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee import selectors as committee_selectors
from committee.models import AgendaItem, Assignment, Meeting, MeetingStatus
from core.compiled import _shape
from core.paging import PAGE_SIZE
from notifications.models import Notice, OutboxEmail
from notifications.services import ReminderKeyTime, reminder_key_sql, reminders_unclaimed
from proposals import inbox, reminders, selectors, triage, workspace_reads
from proposals.admin import ProposalAdmin
from proposals.models import Cycle, Proposal
from proposals.workflow import Status
from tests.factories import StaffFactory, TrackFactory, UserFactory, service_levels
from tests.factories.committee import CommitteeMemberFactory
from tests.proposals.bulk import bulk_organisations, bulk_proposals
from tests.sql import sent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
PROPOSALS = "proposals_proposal"
PRICED_OUT = ("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_incremental_sort")


def plan(queryset, *, price_out_scans: bool = True, also_off: tuple[str, ...] = ()) -> str:
    sql, params = queryset.query.sql_with_params()
    return plan_sql(sql, params, price_out_scans=price_out_scans, also_off=also_off)


def plan_sql(sql: str, params=None, *, price_out_scans: bool = True, also_off: tuple[str, ...] = ()) -> str:
    settings = (*PRICED_OUT, *also_off) if price_out_scans else also_off
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        text = "\n".join(row[0] for row in cursor.fetchall())
        for setting in settings:
            cursor.execute(f"RESET {setting}")
    return text


def count_sql(queryset) -> str:
    """The SQL of the queryset's COUNT(*), as the paginator sends it."""
    with CaptureQueriesContext(connection) as queries:
        queryset.count()
    return sent(queries)[-1]


def uses(text: str, index: str, table: str) -> bool:
    return bool(re.search(rf"Index (Only )?Scan( Backward)? using {index} on {table}\b", text))


def no_seq_scan(text: str, table: str) -> bool:
    return not re.search(rf"Seq Scan on {table}\b", text)


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@pytest.fixture
def thousands():
    """4,000 proposals of 200 organisations, a quarter of them drafts (some quiet for weeks), a fifth of the rest
    waiting for an applicant's answer; then ANALYZE."""
    service_levels()
    track = TrackFactory()
    cycle = Cycle.objects.create(programme=track.programme, year=2026, cutoff=datetime.date(2026, 4, 30))
    teams = bulk_organisations(200)
    bulk_proposals(4000, track=track, cycle=cycle, teams=teams)
    now = timezone.now()
    drafts = list(Proposal.objects.filter(status=Status.DRAFT).order_by("pk").values_list("pk", flat=True))
    for n, pk in enumerate(drafts):  # saved over the last 60 days
        Proposal.objects.filter(pk=pk).update(updated_at=now - datetime.timedelta(hours=n * 60 * 24 // len(drafts)))
    analyze()
    return teams


# --- the lists ----------------------------------------------------------------------------------------------


def test_staff_proposal_list_reads_its_order_from_proposal_due_id(thousands):
    staff = StaffFactory()
    text = plan(triage.staff_proposal_list(user=staff)[:PAGE_SIZE])

    assert uses(text, "proposal_due_id", PROPOSALS), text
    assert no_seq_scan(text, PROPOSALS), text
    assert not re.search(rf"Sort Key: {PROPOSALS}\.", text), text


def test_staff_proposal_count_reads_a_narrow_partial_index(thousands):
    """The admin changelist's paginator counts every proposal but the never-submitted drafts: from the partial index
    holding only those rows (the staff order's, index-only), not from the wide table."""
    text = plan_sql(count_sql(ProposalAdmin(Proposal, admin.site).get_queryset(RequestFactory().get("/"))))

    assert uses(text, "proposal_submitted_updated", PROPOSALS), text
    assert no_seq_scan(text, PROPOSALS), text


def sent_sql(read) -> list[str]:
    """The SQL of each query `read()` sends."""
    with CaptureQueriesContext(connection) as queries:
        read()
    return sent(queries)


def test_staff_workspace_reads_its_order_and_count_from_proposal_submitted_updated(thousands):
    staff = StaffFactory()
    (page,) = sent_sql(lambda: workspace_reads.workspace_page(user=staff, start=0, stop=PAGE_SIZE))
    (count,) = sent_sql(lambda: workspace_reads.workspace_count(user=staff))

    for text in (plan(workspace_reads.workspace_rows(user=staff)[:PAGE_SIZE]), plan_sql(page), plan_sql(count)):
        assert uses(text, "proposal_submitted_updated", PROPOSALS), text  # holds only what staff see
        assert no_seq_scan(text, PROPOSALS), text


def test_applicant_workspace_counts_and_pages_its_ids_from_the_team_indexes(thousands):
    applicant = thousands[0][1]
    (page,) = sent_sql(lambda: workspace_reads.workspace_page(user=applicant, start=PAGE_SIZE, stop=2 * PAGE_SIZE))
    (count,) = sent_sql(lambda: workspace_reads.workspace_count(user=applicant))

    # The page's ids are the newest of each part of the team's UNION, each sorted (or read in order) by itself:
    # with sorts priced out the planner would rather walk the whole table's updated_at index for each part.
    paged = plan_sql(page, price_out_scans=False, also_off=("enable_seqscan",))
    for text in (paged, plan_sql(count)):
        # Which index answers each part depends on the statistics at this size (at 10,000 proposals:
        # proposal_owner_updated and proposal_org_updated, from the index alone); that the team is found by its
        # keys, never by reading the table, does not.
        assert f"Index Cond: (owner_id = {applicant.pk})" in text, text
        assert "Index Cond: (organisation_id = " in text, text
        assert no_seq_scan(text, PROPOSALS), text
    assert not uses(paged, "proposal_updated_id_desc", PROPOSALS), paged  # not every proposal walked by date


@pytest.mark.django_db(transaction=True)
def test_staff_inbox_counts_read_only_proposal_open_inbox(thousands):
    """The navigation's badge (on every staff page) and the inbox's tabs are counted from the partial index of the
    open proposals, which holds every column they test: no proposal's row is visited. An index-only scan costs
    less than a visit of the rows only where the table's visibility map says its pages are all visible, as
    autovacuum keeps it: so the rows are committed and vacuumed first (outside the test's transaction, which this
    test does not have), and the planner is left to itself."""
    decided = Proposal.objects.exclude(status=Status.DRAFT).order_by("pk").values_list("pk", flat=True)[::2]
    Proposal.objects.filter(pk__in=list(decided)).update(status=Status.APPROVED)  # years of decisions: closed
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {PROPOSALS}")
    staff = StaffFactory()
    (badge,) = sent_sql(lambda: inbox.needs_me_count(staff))
    (tabs,) = sent_sql(lambda: inbox.inbox_counts(staff))
    (everyone,) = sent_sql(lambda: inbox.inbox_counts(staff, everyone=True))

    for sql in (badge, tabs, everyone):
        text = plan_sql(sql, price_out_scans=False)
        assert re.search(rf"Index Only Scan using proposal_open_inbox on {PROPOSALS}\b", text), text


def test_staff_api_list_reads_its_page_and_count_from_the_staff_indexes(thousands):
    staff = StaffFactory()
    rows = selectors.api_proposal_rows(user=staff)
    page = plan(rows[:PAGE_SIZE])
    count = plan_sql(count_sql(rows))

    assert uses(page, "proposal_submitted_updated", PROPOSALS), page
    assert no_seq_scan(page, PROPOSALS), page
    assert not re.search(rf"Sort Key: {PROPOSALS}\.", page), page
    # The shown names are subqueries, which the count leaves out; joins would stay in it.
    assert uses(count, "proposal_submitted_updated", PROPOSALS), count
    assert "Join" not in count, count
    # The SQL the unfiltered list sends (selectors.StaffApiRows), compiled once: the same indexes.
    compiled_page = _shape(selectors._STAFF_API_PAGE, (0, PAGE_SIZE))[0]
    compiled_count = _shape(selectors._SUBMITTED_COUNT, ())[0]
    page = plan_sql(compiled_page.sql, compiled_page.params)
    count = plan_sql(f"SELECT COUNT(*) FROM ({compiled_count.sql}) counted", compiled_count.params)  # noqa: S608
    assert uses(page, "proposal_submitted_updated", PROPOSALS), page
    assert not re.search(rf"Sort Key: {PROPOSALS}\.", page), page
    assert uses(count, "proposal_submitted_updated", PROPOSALS), count
    assert "Join" not in count and "SubPlan" not in count, count


def test_applicant_workspace_finds_the_team_through_indexes(thousands):
    applicant = thousands[0][1]
    text = plan(workspace_reads.workspace_rows(user=applicant)[:PAGE_SIZE])

    assert no_seq_scan(text, PROPOSALS), text
    assert uses(text, "proposals_proposal_pkey", PROPOSALS) or uses(
        text, r"proposals_proposal_owner_id_\w+", PROPOSALS
    ), text
    assert "Index Cond: (organisation_id = " in text, text


@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction
def test_staff_inbox_badge_counts_from_proposal_open_inbox_alone():
    """The navigation's inbox badge, on every staff page: the open proposals' few columns from their partial index
    alone, never a table page per proposal. The planner prices an index-only scan by the pages VACUUM has marked
    all-visible, as autovacuum leaves a settled table; a programme of some years has decided most of what it
    received (at 10,000 proposals a third is open)."""
    track = TrackFactory()
    cycle = Cycle.objects.create(programme=track.programme, year=2026, cutoff=datetime.date(2026, 4, 30))
    bulk_proposals(3000, track=track, cycle=cycle, teams=bulk_organisations(50))
    submitted = list(Proposal.objects.exclude(status=Status.DRAFT).order_by("pk").values_list("pk", flat=True))
    Proposal.objects.filter(pk__in=submitted[: len(submitted) * 2 // 3]).update(status=Status.REJECTED)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE proposals_proposal")
    staff = StaffFactory()

    with CaptureQueriesContext(connection) as queries:
        inbox.needs_me_count(staff)
    with transaction.atomic():
        text = plan_sql(queries.captured_queries[-1]["sql"], price_out_scans=False)

    assert re.search(rf"Index Only Scan using proposal_open_inbox on {PROPOSALS}\b", text), text


def test_notice_list_reads_its_order_from_notice_user_newest(thousands):
    users = list(UserFactory.create_batch(20))
    Notice.objects.bulk_create(
        Notice(user=users[n % len(users)], event="proposal_status_changed", title=f"Notice {n}", url="/proposals/")
        for n in range(5000)
    )
    analyze()
    text = plan(Notice.objects.filter(user=users[3]).order_by("-created_at", "-id")[:PAGE_SIZE])

    assert uses(text, "notice_user_newest", "notifications_notice"), text
    assert no_seq_scan(text, "notifications_notice"), text
    assert "Sort" not in text, text


def _busy_member():
    """A member whose work is a quarter of the proposals, spread over four yearly cycles; then ANALYZE."""
    staff = StaffFactory()
    members = [CommitteeMemberFactory() for _ in range(10)]
    submitted = list(Proposal.objects.exclude(status=Status.DRAFT).order_by("pk").values_list("pk", flat=True))
    # Four yearly cycles of the programme, a thousand proposals each, the earliest year first by key.
    track = Proposal.objects.get(pk=submitted[0]).track
    cycle = Cycle.objects.get()
    years = [Cycle.objects.create(programme=track.programme, year=year, cutoff=datetime.date(year, 4, 30))
             for year in (2023, 2024, 2025)] + [cycle]
    everything = list(Proposal.objects.order_by("pk").values_list("pk", flat=True))
    for n, year in enumerate(years):
        Proposal.objects.filter(pk__in=everything[n::len(years)]).update(cycle=year)
    member = members[2]
    # The member's work a quarter of the proposals, as a busy member's is (the bench's has an eighth of 10,000).
    Assignment.objects.bulk_create(
        Assignment(member=member if n % 3 else members[n % len(members)], proposal_id=pk, assigned_by=staff)
        for n, pk in enumerate(submitted[:1500])
    )
    meeting = Meeting.objects.create(
        programme=track.programme, cycle=cycle, title="Planned", starts_at=timezone.now() + datetime.timedelta(days=10)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, proposal_id=pk, order=n) for n, pk in enumerate(submitted[1500:1520])
    )
    analyze()
    return member


def test_committee_workspace_reads_the_member_s_first_years_only(thousands):

    member = _busy_member()
    sql = committee_selectors.workspace_page_sql(connection.vendor)
    params = [member.pk, MeetingStatus.CLOSED.value, PAGE_SIZE, 0, member.pk, member.pk, member.pk]
    with connection.cursor() as cursor:
        # Whole-table reads priced out as everywhere here; sorts left on: the plan's own sort of each year is the
        # point. Run (ANALYZE) to count the proposals it read.
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}", params)
        text = "\n".join(row[0] for row in cursor.fetchall())
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"RESET {setting}")

    assert no_seq_scan(text, PROPOSALS), text
    assert f"Index Cond: (member_id = {member.pk})" in text, text  # the member's assignments, by key
    # The years in order, so each year's rows are sorted alone (read from the narrow index proposal_cycle_reference,
    # or by key from the member's work: the planner's choice) and the walk stops at the page's end: the first page
    # reads the first year and the start of the next (where its sort group ends), not four years and the cycle-less.
    assert re.search(r"Incremental Sort .*\n.*Sort Key: \w+\.year, proposal_1\.reference, proposal_1\.id\n"
                     r".*Presorted Key: \w+\.year\n", text), text
    years_read = re.search(r"Result \(actual rows=\d+ loops=(\d+)\)\n.*One-Time Filter: \(\w+\.year IS NULL\)", text)
    assert years_read and int(years_read.group(1)) <= 2, text
    # The page's own rows by primary key.
    assert "Index Cond: (id = proposal_1.id)" in text, text


def test_committee_workspace_s_prepared_plan_is_for_a_page_not_a_tenth_of_the_work(thousands):
    """The statement the page sends is prepared and run with its generic plan (plan_cache_mode), which cannot see
    a parameter's value: the page's length is in its text, so the plan is made for 25 rows, read by key, not for a
    tenth of the member's work (a LIMIT of unknown size), which read all the member's reviews into a hash and can
    tip into hashing every proposal. Planner settings as they are: this is the plan the page gets."""
    member = _busy_member()
    rows, total = committee_selectors.member_workspace_rows(member=member, offset=0, limit=PAGE_SIZE)
    assert len(rows) == PAGE_SIZE and total > PAGE_SIZE
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
        cursor.execute(f"EXPLAIN EXECUTE kcity_member_workspace_{PAGE_SIZE} (%s, %s, %s, %s, %s)",
                       [member.pk, 0, member.pk, member.pk, member.pk])
        text = "\n".join(row[0] for row in cursor.fetchall())

    assert re.search(rf"Limit  \(cost=[\d.]+ rows={PAGE_SIZE} ", text), text
    # The page's own rows and their organisations: by key, once per row.
    for index in ("proposals_proposal_pkey", "accounts_organisation_pkey"):
        assert f"Index Scan using {index}" in text, text
    assert not re.search(r"Hash Cond: \(\w+\.id = page\.id\)", text), text
    assert not re.search(r"Seq Scan on proposals_proposal proposal\s", text), text


# --- the sweeps' "what is due" -------------------------------------------------------------------------------


def _narrow(queryset, key):
    """The narrow query reminder_rows sends first (ids of the unclaimed rows, in order, up to the batch)."""

    return reminders_unclaimed(queryset.select_related(None), key=key).values_list("pk", flat=True)[
        : reminders.SWEEP_BATCH
    ]


def test_draft_sweep_reads_only_quiet_drafts_through_proposal_draft_quiet(thousands):

    now = timezone.now()
    quiet = Proposal.objects.filter(
        status=Status.DRAFT, updated_at__lte=now - datetime.timedelta(days=reminders.DRAFT_QUIET_DAYS)
    ).order_by("updated_at", "pk")
    query = _narrow(quiet, reminder_key_sql("draft-quiet:", F("pk"), ":", ReminderKeyTime("updated_at")))

    for text in (plan(query), plan(query, price_out_scans=False)):
        assert uses(text, "proposal_draft_quiet", PROPOSALS), text
        assert no_seq_scan(text, PROPOSALS), text


def test_info_request_sweep_reads_only_waiting_requests_through_proposal_info_waiting(thousands):

    now = timezone.now()
    waiting = Proposal.objects.filter(
        status=Status.INFO_REQUESTED, status_changed_at__lte=now - datetime.timedelta(days=7)
    ).order_by("status_changed_at", "pk")
    query = _narrow(waiting, reminder_key_sql("info-request:", F("pk"), ":", ReminderKeyTime("status_changed_at")))

    for text in (plan(query), plan(query, price_out_scans=False)):
        assert uses(text, "proposal_info_waiting", PROPOSALS), text
        assert no_seq_scan(text, PROPOSALS), text


def test_outbox_redrive_reads_only_pending_mail_through_outbox_pending():
    user = UserFactory()
    made = OutboxEmail.objects.bulk_create(
        OutboxEmail(
            user=user,
            to_email=user.email,
            event="staff_notice",
            subject="S",
            body="B",
            state=OutboxEmail.State.PENDING if n % 100 == 0 else OutboxEmail.State.SENT,
        )
        for n in range(5000)
    )
    assert len(made) == 5000
    with connection.cursor() as cursor:  # written over the last 30 days, as a live outbox is
        cursor.execute("UPDATE notifications_outboxemail SET created_at = now() - (id % 43200) * interval '1 minute'")
    analyze()
    cutoff = timezone.now() - datetime.timedelta(seconds=60)
    query = (
        OutboxEmail.objects.filter(state=OutboxEmail.State.PENDING, created_at__lte=cutoff)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:500]
    )

    text, unprompted = plan(query), plan(query, price_out_scans=False)

    assert uses(text, "outbox_pending", "notifications_outboxemail"), text
    assert "Sort" not in text, text  # the partial index walks the pending mail oldest first
    # Left to itself at this size the planner may take the state index and sort the 50: an index all the same.
    assert no_seq_scan(unprompted, "notifications_outboxemail"), unprompted
