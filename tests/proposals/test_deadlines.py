"""Deadlines are dates (the Seoul office's day), and the committee's expected decision follows the cycle."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone, translation

from proposals import services
from proposals.deadlines import deadline_text
from proposals.models import Cycle
from proposals.service_levels import due_at_for, end_of_seoul_day
from proposals.workflow import Status
from tests.factories import ProgrammeFactory, StaffFactory, aware, proposal_in, service_levels

pytestmark = pytest.mark.django_db
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize(("zone", "expected"), [
    ("Asia/Seoul", "by 15 December 2026"),
    ("America/Bogota", "by 15 December 2026 (Seoul office day)"),
    # 23:59 in Seoul is already 16 Dec in Auckland: still the Seoul office's 15 Dec.
    ("Pacific/Auckland", "by 15 December 2026 (Seoul office day)"),
])
def test_deadline_is_the_seoul_office_day_in_every_zone(zone, expected):
    due = end_of_seoul_day(datetime.date(2026, 12, 15))

    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert deadline_text(due) == expected


def test_deadline_in_korean():
    with translation.override("ko"), timezone.override(SEOUL):
        assert "2026년 12월 15일" in deadline_text(end_of_seoul_day(datetime.date(2026, 12, 15)))


def test_deadline_of_nothing_is_empty():
    assert deadline_text(None) == ""


@pytest.fixture
def cycle():
    return Cycle.objects.create(programme=ProgrammeFactory(), year=2027, cutoff=datetime.date(2027, 4, 30))


def test_committee_review_due_on_the_cycles_decision_date(cycle):
    service_levels()
    cycle.decision_date = datetime.date(2027, 7, 15)

    due = due_at_for(status=Status.COMMITTEE_REVIEW, since=aware(2026, 12, 1, 10, 0), cycle=cycle)

    assert due == end_of_seoul_day(datetime.date(2027, 7, 15))


def test_committee_review_without_a_decision_date_counts_from_the_cut_off(cycle):
    service_levels()  # committee review: 60 working days

    early = due_at_for(status=Status.COMMITTEE_REVIEW, since=aware(2026, 12, 1, 10, 0), cycle=cycle)
    without_cycle = due_at_for(status=Status.COMMITTEE_REVIEW, since=aware(2026, 12, 1, 10, 0))

    assert early == due_at_for(status=Status.COMMITTEE_REVIEW, since=aware(2027, 4, 30, 10, 0))
    assert early.date() > cycle.cutoff
    assert without_cycle < early  # the old rule (days from arrival) would have promised a decision before the cut-off


def test_other_states_keep_their_service_level(cycle):
    service_levels()
    cycle.decision_date = datetime.date(2027, 7, 15)

    assert due_at_for(status=Status.SCREENING, since=aware(2026, 12, 1, 10, 0), cycle=cycle) == \
        due_at_for(status=Status.SCREENING, since=aware(2026, 12, 1, 10, 0))


def test_moving_to_committee_review_gives_the_cycles_decision_date():
    service_levels()
    staff = StaffFactory()
    proposal = proposal_in(Status.SCREENING, staff=staff)
    Cycle.objects.filter(pk=proposal.cycle_id).update(decision_date=datetime.date(proposal.cycle.year, 7, 15))

    services.proposal_transition(proposal=proposal, to=Status.COMMITTEE_REVIEW, by=staff)

    proposal.refresh_from_db()
    assert proposal.due_at == end_of_seoul_day(datetime.date(proposal.cycle.year, 7, 15))


def test_a_deferral_moves_the_date_to_the_next_cycles_decision():
    service_levels()
    staff = StaffFactory()
    proposal = proposal_in(Status.COMMITTEE_REVIEW, staff=staff)
    year = proposal.cycle.year + 1
    Cycle.objects.create(programme=proposal.cycle.programme, year=year, cutoff=datetime.date(year, 4, 30),
                         decision_date=datetime.date(year, 7, 10))

    services.proposal_defer_to_next_cycle(proposal=proposal, by=staff)

    proposal.refresh_from_db()
    assert (proposal.cycle.year, proposal.due_at) == (year, end_of_seoul_day(datetime.date(year, 7, 10)))


def test_proposal_page_shows_the_date_not_a_time(client):
    service_levels()
    staff = StaffFactory()
    proposal = proposal_in(Status.SCREENING, staff=staff)
    proposal.owner.time_zone = "America/Bogota"
    proposal.owner.save()
    client.force_login(proposal.owner)

    body = client.get(proposal.get_absolute_url()).content.decode()

    day = proposal.due_at.astimezone(SEOUL)
    assert f">By {day.day} {day:%B %Y} (Seoul office day)</time>" in body
