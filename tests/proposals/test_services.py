"""Proposal services: cycle by cut-off, submission, service levels, optimistic locking."""

import datetime
import re
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from core.errors import Conflict, TransitionRefused
from notifications.models import Notice, OutboxEmail
from proposals.cycles import cycle_years_for
from proposals.models import Cycle, Holiday, ServiceLevel
from proposals.service_levels import add_working_days, due_at_for
from proposals.services import (
    cycle_for_date,
    cycle_year_for,
    proposal_submit,
    proposal_transition,
    proposal_update,
)
from proposals.workflow import Status
from tests.factories import (
    ProgrammeFactory,
    ProposalFactory,
    StaffFactory,
    UserFactory,
    aware,
    complete_proposal,
    service_levels,
)

pytestmark = pytest.mark.django_db
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


# --- cycle by cut-off ------------------------------------------------------------------------------------


def test_cycle_for_date_last_minute_of_april_30_in_seoul_joins_this_year():
    programme = ProgrammeFactory()

    cycle = cycle_for_date(programme=programme, when=aware(2026, 4, 30, 23, 59))

    assert (cycle.year, cycle.cutoff) == (2026, datetime.date(2026, 4, 30))


def test_cycle_for_date_first_minute_of_may_1_in_seoul_joins_next_year():
    programme = ProgrammeFactory()

    cycle = cycle_for_date(programme=programme, when=aware(2026, 5, 1, 0, 0))

    assert (cycle.year, cycle.cutoff) == (2027, datetime.date(2027, 4, 30))


def test_cycle_for_date_uses_seoul_day_not_utc_day():
    programme = ProgrammeFactory()
    # 15:00 UTC on April 30 is already 00:00 on May 1 in Seoul.
    after_cutoff = datetime.datetime(2026, 4, 30, 15, 0, tzinfo=datetime.UTC)
    before_cutoff = datetime.datetime(2026, 4, 30, 14, 59, tzinfo=datetime.UTC)

    late = cycle_for_date(programme=programme, when=after_cutoff)
    in_time = cycle_for_date(programme=programme, when=before_cutoff)

    assert (in_time.year, late.year) == (2026, 2027)


def test_cycle_for_date_respects_a_cycle_rows_custom_cutoff():
    programme = ProgrammeFactory()
    Cycle.objects.create(programme=programme, year=2026, cutoff=datetime.date(2026, 6, 15))

    june_15 = cycle_for_date(programme=programme, when=aware(2026, 6, 15, 23, 59))
    june_16 = cycle_for_date(programme=programme, when=aware(2026, 6, 16, 0, 0))

    assert (june_15.year, june_16.year) == (2026, 2027)
    assert june_16.cutoff == datetime.date(2027, 4, 30)


def test_cycle_year_for_earlier_custom_cutoff_rolls_april_into_next_year():
    programme = ProgrammeFactory()
    Cycle.objects.create(programme=programme, year=2026, cutoff=datetime.date(2026, 3, 31))

    assert cycle_year_for(programme=programme, day=datetime.date(2026, 3, 31)) == 2026
    assert cycle_year_for(programme=programme, day=datetime.date(2026, 4, 1)) == 2027


def test_cycle_year_for_programme_cutoff_setting_is_respected():
    programme = ProgrammeFactory(slug="sandbox", reference_prefix="RSB", cutoff_month=9, cutoff_day=15)

    assert cycle_year_for(programme=programme, day=datetime.date(2026, 9, 15)) == 2026
    assert cycle_year_for(programme=programme, day=datetime.date(2026, 9, 16)) == 2027


def test_cycle_years_for_agrees_with_cycle_year_for_in_one_query(django_assert_num_queries):
    early = ProgrammeFactory()
    Cycle.objects.create(programme=early, year=2026, cutoff=datetime.date(2026, 3, 31))
    Cycle.objects.create(programme=early, year=2027, cutoff=datetime.date(2027, 3, 15))
    sandbox = ProgrammeFactory(slug="sandbox", reference_prefix="RSB", cutoff_month=9, cutoff_day=15)
    day = datetime.date(2026, 4, 1)

    with django_assert_num_queries(1):
        years = cycle_years_for(programmes=[early, sandbox], day=day)

    assert years == {early.pk: (2027, datetime.date(2027, 3, 15)), sandbox.pk: (2026, datetime.date(2026, 9, 15))}
    assert years[early.pk][0] == cycle_year_for(programme=early, day=day)
    assert years[sandbox.pk][0] == cycle_year_for(programme=sandbox, day=day)


def test_cycle_for_date_without_create_finds_nothing_and_writes_nothing():
    programme = ProgrammeFactory()

    assert cycle_for_date(programme=programme, when=aware(2026, 1, 5, 12, 0), create=False) is None
    assert Cycle.objects.count() == 0


# --- submission ------------------------------------------------------------------------------------------


def test_proposal_submit_assigns_reference_cycle_and_acknowledges_the_team():
    service_levels()
    proposal = complete_proposal()
    colleague = UserFactory(full_name="Budi Santoso")
    proposal.collaborators.add(colleague)
    today = timezone.now().astimezone(SEOUL)
    expected_cycle = today.year if today.date() <= datetime.date(today.year, 4, 30) else today.year + 1

    proposal_submit(proposal=proposal, by=proposal.owner)

    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert proposal.reference == f"KCN-{today.year}-0001"
    assert proposal.cycle.year == expected_cycle
    assert proposal.submitted_at is not None
    assert proposal.due_at is not None
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "proposal.transition", "proposal.submit"
    ]
    acknowledged = OutboxEmail.objects.filter(event="proposal_acknowledged").order_by("to_email")
    assert [m.to_email for m in acknowledged] == sorted([proposal.owner.email, colleague.email])
    # The receipt names the proposal's own programme.
    assert {m.subject for m in acknowledged} == {f"Proposal received: {proposal.reference} (K-City Network)"}
    assert sorted(Notice.objects.values_list("event", "user")) == sorted(
        [("proposal_acknowledged", proposal.owner.pk), ("proposal_acknowledged", colleague.pk)]
    )


def test_proposal_submit_second_proposal_gets_next_number():
    first, second = complete_proposal(), complete_proposal()
    year = timezone.now().astimezone(SEOUL).year

    proposal_submit(proposal=first, by=first.owner)
    proposal_submit(proposal=second, by=second.owner)

    second.refresh_from_db()
    assert second.reference == f"KCN-{year}-0002"


def test_proposal_submit_refused_with_every_missing_item_and_nothing_written():
    proposal = ProposalFactory(title="Flood sensors", population=None, consent=False)

    with pytest.raises(ValidationError) as refused:
        proposal_submit(proposal=proposal, by=proposal.owner)

    assert refused.value.messages == [
        "Population is missing.",
        "Add at least one contact person.",
        "Confirm the declaration and consent before submitting.",
        "Attach the required document: Official request letter.",
    ]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reference, proposal.cycle) == (Status.DRAFT, None, None)
    assert (AuditEntry.objects.count(), Notice.objects.count()) == (0, 0)


def test_proposal_submit_by_collaborator_refused():
    proposal = complete_proposal()
    colleague = UserFactory()
    proposal.collaborators.add(colleague)

    with pytest.raises(TransitionRefused) as refused:
        proposal_submit(proposal=proposal, by=colleague)

    assert refused.value.message == "Only the proposal's owner can submit it."
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT


def test_proposal_submit_twice_refused_with_its_reference():
    proposal = complete_proposal()
    proposal_submit(proposal=proposal, by=proposal.owner)

    with pytest.raises(TransitionRefused) as refused:
        proposal_submit(proposal=proposal, by=proposal.owner)

    assert re.fullmatch(r"This proposal was already submitted \(KCN-\d{4}-0001\)\.", refused.value.message)


# --- service levels --------------------------------------------------------------------------------------


def test_add_working_days_skips_weekend_and_holiday():
    # Friday 18 December 2026; Christmas (Friday 25th) is a holiday.
    holidays = {datetime.date(2026, 12, 25)}

    due = add_working_days(datetime.date(2026, 12, 18), 5, holidays)

    assert due == datetime.date(2026, 12, 28)


def test_due_at_for_working_days_skips_weekends_and_holidays_from_the_database():
    ServiceLevel.objects.create(status=Status.SCREENING, days=5, working_days=True, next_step="Screening")
    Holiday.objects.create(date=datetime.date(2026, 12, 25), name="Christmas")

    due = due_at_for(status=Status.SCREENING, since=aware(2026, 12, 18, 15, 0))

    assert due == aware(2026, 12, 28, 23, 59, 59)


def test_due_at_for_long_holiday_run_is_counted():
    ServiceLevel.objects.create(status=Status.SUBMITTED, days=2, working_days=True, next_step="Triage")
    for day in (24, 25, 26):  # Chuseok 2026 (Thursday to Saturday)
        Holiday.objects.create(date=datetime.date(2026, 9, day), name="Chuseok")

    due = due_at_for(status=Status.SUBMITTED, since=aware(2026, 9, 23, 9, 0))

    assert due == aware(2026, 9, 29, 23, 59, 59)


def test_due_at_for_calendar_days_counts_weekends_and_holidays():
    ServiceLevel.objects.create(status=Status.SCREENING, days=5, working_days=False, next_step="Screening")
    Holiday.objects.create(date=datetime.date(2026, 12, 25), name="Christmas")

    due = due_at_for(status=Status.SCREENING, since=aware(2026, 12, 18, 15, 0))

    assert due == aware(2026, 12, 23, 23, 59, 59)


def test_due_at_for_counts_from_the_seoul_day():
    ServiceLevel.objects.create(status=Status.SCREENING, days=1, working_days=True, next_step="Screening")
    # Friday 16:00 UTC is already Saturday 01:00 in Seoul: the next working day is Monday.
    since = datetime.datetime(2026, 12, 18, 16, 0, tzinfo=datetime.UTC)

    due = due_at_for(status=Status.SCREENING, since=since)

    assert due == aware(2026, 12, 21, 23, 59, 59)


def test_due_at_for_state_without_target_is_none():
    assert due_at_for(status=Status.APPROVED, since=aware(2026, 12, 18, 15, 0)) is None


def test_proposal_transition_sets_due_date_from_the_service_level():
    ServiceLevel.objects.create(status=Status.SCREENING, days=3, working_days=False, next_step="Screening")
    proposal = complete_proposal(status=Status.SUBMITTED)

    proposal_transition(proposal=proposal, to=Status.SCREENING, by=StaffFactory())

    proposal.refresh_from_db()
    seoul_day = proposal.status_changed_at.astimezone(SEOUL).date()
    assert proposal.due_at == datetime.datetime.combine(
        seoul_day + datetime.timedelta(days=3), datetime.time(23, 59, 59), tzinfo=SEOUL
    )


# --- optimistic locking ----------------------------------------------------------------------------------


def test_proposal_update_saves_and_raises_version():
    proposal = ProposalFactory(title="Old title")

    proposal_update(proposal=proposal, by=proposal.owner, data={"title": "New title"}, expected_version=1)

    proposal.refresh_from_db()
    assert (proposal.title, proposal.version) == ("New title", 2)
    assert AuditEntry.objects.get().data == {"fields": ["title"]}


def test_proposal_update_stale_version_raises_conflict_and_changes_nothing():
    proposal = ProposalFactory(title="Old title")
    colleague = UserFactory()
    proposal.collaborators.add(colleague)
    proposal_update(proposal=proposal, by=colleague, data={"title": "Colleague's title"}, expected_version=1)

    with pytest.raises(Conflict) as conflict:
        proposal_update(proposal=proposal, by=proposal.owner, data={"title": "Owner's title"}, expected_version=1)

    assert conflict.value.message.startswith("Someone else saved this proposal while you were editing it.")
    proposal.refresh_from_db()
    assert (proposal.title, proposal.version) == ("Colleague's title", 2)
    assert AuditEntry.objects.count() == 1


def test_proposal_update_of_submitted_proposal_refused():
    proposal = complete_proposal()
    proposal_submit(proposal=proposal, by=proposal.owner)
    proposal.refresh_from_db()

    with pytest.raises(PermissionDenied) as refused:
        proposal_update(
            proposal=proposal, by=proposal.owner, data={"title": "Changed"}, expected_version=proposal.version
        )

    assert str(refused.value) == "This proposal is submitted and can no longer be edited."
    proposal.refresh_from_db()
    assert proposal.title.startswith("Smart mobility master plan")


def test_proposal_update_workflow_field_refused():
    proposal = ProposalFactory()

    with pytest.raises(ValidationError) as refused:
        proposal_update(proposal=proposal, by=proposal.owner, data={"status": "approved"}, expected_version=1)

    assert refused.value.messages == ["These fields cannot be changed here: status"]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == (Status.DRAFT, 1)
