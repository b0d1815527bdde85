"""The bench dataset generator (bench.dataset) at a tiny size: its rows keep the rules the services keep.

Built once for the module, inside a transaction rolled back at the end. No timings here: the bench measures,
this only checks that what it measures is data the portal could have made.
"""

import datetime
import itertools
import re
from collections import Counter, defaultdict

import pytest
from django.apps import apps
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Organisation
from bench.dataset import Scale, build
from committee.models import AgendaItem, Assignment, Decision, MeetingStatus
from consulting.models import Booking, BookingStatus, PreConsultingReport
from proposals.models import Proposal, ReferenceCounter, StatusChange
from proposals.services import SEOUL, cycle_year_for
from proposals.workflow import Status, move_for

TINY = Scale(proposals=80)
NOT_COUNTED = (Status.DRAFT, Status.WITHDRAWN)  # proposals.eligibility: they do not hold their jurisdiction
DEMO_OWNERS = ("applicant.id@example.org", "applicant.ke@example.org")  # made through the services, not the bench
# The cooperation demo's projects rest on approvals of earlier cycles, written as records from before the portal
# (no history or committee decision in it); their owners, and the bench's checks of those records, are set apart.
COOPERATION_DEMO_OWNERS = (*DEMO_OWNERS, "applicant.co@example.org", "applicant.kr@example.org")  # + the sandbox demo's
LOCAL_APPS = ("accounts", "audit", "notifications", "proposals", "consulting", "committee", "cooperation")


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build(TINY, log=lambda *_: None)
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_bench_dataset_rows_pass_full_clean(dataset):
    failures = []
    for model in apps.get_models():
        if model._meta.app_label not in LOCAL_APPS:
            continue
        for row in model.objects.order_by("-pk")[:25]:
            try:
                row.full_clean()
            except Exception as error:  # collect them all: one message naming every model that fails
                failures.append(f"{model._meta.label} {row.pk}: {error}")
    assert failures == []


def test_bench_dataset_has_the_asked_shape(dataset):
    big = Organisation.objects.get(memberships__user__email=dataset.applicant)
    sample = Proposal.objects.get(pk=dataset.sample_proposal)
    assert Proposal.objects.filter(organisation=big).count() == 4  # 5% of 80
    assert dataset.counts["proposals.Proposal"] == TINY.proposals  # beside the demo's own
    assert sample.organisation == big
    assert sample.status == Status.COMMITTEE_REVIEW
    assert sample.status_changes.count() == 10
    assert sample.messages.count() == 32  # 30, and the two information requests
    assert sample.attachments.count() == 5
    assert sample.agenda_items.get().meeting.status == MeetingStatus.SCHEDULED
    assert Assignment.objects.filter(proposal=sample, member__user__email=dataset.member).exists()
    assert StatusChange.objects.count() >= 9 * TINY.proposals  # about ten per proposal, the drafts have none


def test_bench_dataset_references_are_unique_and_counted(dataset):
    references = list(Proposal.objects.exclude(reference=None).values_list("reference", flat=True))
    assert len(references) == len(set(references))
    highest: dict[tuple[str, int], int] = defaultdict(int)
    for reference in references:
        prefix, year, number = re.fullmatch(r"([A-Z]+)-(\d{4})-(\d{4,})", reference).groups()
        highest[(prefix, int(year))] = max(highest[(prefix, int(year))], int(number))
    counters = {(c.prefix, c.year): c.last_number for c in ReferenceCounter.objects.all()}
    assert [key for key, number in highest.items() if counters.get(key, 0) < number] == []


def test_bench_dataset_one_proposal_per_jurisdiction_and_cycle(dataset):
    counted = Proposal.objects.exclude(status__in=NOT_COUNTED).exclude(cycle=None)
    places = Counter(
        (p.cycle_id, str(p.country), p.jurisdiction_level, " ".join(p.region_city.lower().split()))
        for p in counted
    )
    assert [place for place, n in places.items() if n > 1] == []


def test_bench_dataset_histories_are_moves_of_the_workflow(dataset):
    problems = []
    reports = {r.proposal_id: r.filed_at for r in PreConsultingReport.objects.exclude(proposal=None)}
    bench = Proposal.objects.exclude(owner__email__in=COOPERATION_DEMO_OWNERS)
    for proposal in bench.select_related("track", "cycle__programme").prefetch_related("status_changes"):
        changes = list(proposal.status_changes.all())
        source, last_at = Status.DRAFT, None
        for change in changes:
            if change.from_status != source or move_for(source, change.to_status) is None:
                problems.append(f"{proposal.pk}: {change.from_status} -> {change.to_status} after {source}")
            if last_at is not None and change.at < last_at:
                problems.append(f"{proposal.pk}: history goes back in time")
            if (change.to_status == Status.COMMITTEE_REVIEW and proposal.track.pre_consulting_required
                    and not (proposal.pk in reports and reports[proposal.pk] < change.at)):
                problems.append(f"{proposal.pk}: committee review without a filed pre-consulting report")
            source, last_at = change.to_status, change.at
        if source != proposal.status:
            problems.append(f"{proposal.pk}: history ends in {source}, status is {proposal.status}")
        submitted = next((c.at for c in changes if c.to_status == Status.SUBMITTED), None)
        if submitted is None:
            if proposal.reference or proposal.cycle_id or proposal.submitted_at:
                problems.append(f"{proposal.pk}: never submitted but has a reference, cycle or submission time")
            continue
        year = cycle_year_for(programme=proposal.cycle.programme, day=submitted.astimezone(SEOUL).date())
        if not proposal.reference or proposal.submitted_at != submitted or proposal.cycle.year != year:
            problems.append(f"{proposal.pk}: submission, reference or cycle do not match its history")
    assert problems == []


def test_bench_dataset_decisions_are_taken_at_meetings_of_the_cycle(dataset):
    decided = Proposal.objects.filter(status__in=(Status.APPROVED, Status.REJECTED)).exclude(
        project__isnull=False, owner__email__in=COOPERATION_DEMO_OWNERS, status_changes__isnull=True)
    decisions = {d.proposal_id: d for d in Decision.objects.select_related("meeting")}
    agenda = set(AgendaItem.objects.values_list("meeting_id", "proposal_id"))
    problems = []
    for proposal in decided:
        decision = decisions.get(proposal.pk)
        if decision is None:
            problems.append(f"{proposal.pk}: decided without a decision")
            continue
        if decision.meeting.cycle_id != proposal.cycle_id or (decision.meeting_id, proposal.pk) not in agenda:
            problems.append(f"{proposal.pk}: decided at a meeting of another cycle, or not on its agenda")
        outcome = "approve" if proposal.status == Status.APPROVED else "reject"
        if decision.outcome != outcome or decision.meeting.status == MeetingStatus.SCHEDULED:
            problems.append(f"{proposal.pk}: decision does not match")
    assert decided.exists()
    assert problems == []


def test_bench_dataset_sessions_of_a_consultant_never_overlap(dataset):
    live = defaultdict(list)
    for booking in Booking.objects.exclude(status=BookingStatus.CANCELLED).order_by("blocked_start"):
        live[booking.consultant_id].append(booking)
    overlaps = [
        (a.pk, b.pk) for bookings in live.values() for a, b in itertools.pairwise(bookings)
        if b.blocked_start < a.blocked_end
    ]
    assert Booking.objects.count() > 0
    assert overlaps == []


def test_bench_dataset_leaves_timestamps_automatic_again(dataset):
    proposal = Proposal.objects.exclude(reference=None).filter(owner__email=dataset.applicant).earliest("pk")
    before = proposal.updated_at
    proposal.save(update_fields=["title", "updated_at"])
    proposal.refresh_from_db()
    assert before < timezone.now() - datetime.timedelta(hours=1)
    assert proposal.updated_at > timezone.now() - datetime.timedelta(minutes=1)
