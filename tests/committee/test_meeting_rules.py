"""Decisions that stand up to an audit: a meeting opened on its date, attendance while open, the decision rule as
data, votes counted in the room or cast online (one per meeting), and refusals that give the numbers."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import AuditEntry
from committee import selectors
from committee.models import (
    Decision,
    DecisionRule,
    Meeting,
    MeetingStatus,
    Outcome,
    RuleBasis,
    VotingMode,
)
from committee.services import (
    QuorumNotMet,
    RuleNotMet,
    agenda_item_add,
    attendance_record,
    conflict_declare,
    decision_record,
    decision_rule_save,
    letter_approve,
    letter_update,
    meeting_close,
    meeting_create,
    meeting_open,
    meeting_update,
    vote_cast,
)
from core.errors import TransitionRefused
from notifications.models import OutboxEmail
from tests.committee.helpers import committee, decided_setup, meeting_for, proposal_in_review
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def _rule(**kwargs) -> DecisionRule:
    defaults = {"name": "Rule under test", "basis": RuleBasis.MEMBERS_PRESENT, "quorum_fraction": Decimal("0.50"),
                "require_co_chair": True}
    return DecisionRule.objects.create(**{**defaults, **kwargs})


def _scheduled(*, starts_at, **kwargs):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    meeting = meeting_create(programme=proposal.track.programme, cycle=proposal.cycle, title="Meeting",
                             starts_at=starts_at, by=staff, **kwargs)
    return staff, proposal, meeting


# --- opening and closing a meeting ---------------------------------------------------------------------------


def test_meeting_open_refused_before_its_date_in_seoul():
    now = datetime.datetime(2026, 12, 1, 3, 0, tzinfo=datetime.UTC)  # 12:00 on 1 December in Seoul
    staff, _proposal, meeting = _scheduled(starts_at=datetime.datetime(2026, 12, 2, 10, 0, tzinfo=SEOUL))

    refusal = r"dated 2 December 2026 \(Seoul time\); it can be opened on that day, not before\.$"
    with pytest.raises(TransitionRefused, match=refusal):
        meeting_open(meeting=meeting, by=staff, now=now)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.opened_at) == (MeetingStatus.SCHEDULED, None)
    assert not AuditEntry.objects.filter(action="meeting.open").exists()


def test_meeting_opens_on_its_seoul_date_even_while_utc_is_still_the_day_before():
    now = datetime.datetime(2026, 12, 1, 16, 0, tzinfo=datetime.UTC)  # 01:00 on 2 December in Seoul
    staff, _proposal, meeting = _scheduled(starts_at=datetime.datetime(2026, 12, 2, 10, 0, tzinfo=SEOUL))

    opened = meeting_open(meeting=meeting, by=staff, now=now)

    assert (opened.status, opened.opened_at, opened.opened_by) == (MeetingStatus.OPEN, now, staff)
    entry = AuditEntry.objects.get(action="meeting.open")
    assert (entry.actor, entry.target_id) == (staff, str(meeting.pk))


def test_meeting_open_twice_and_close_before_open_are_refused():
    staff, _proposal, meeting = _scheduled(starts_at=timezone.now() - datetime.timedelta(hours=1))

    with pytest.raises(TransitionRefused, match="has not been opened"):
        meeting_close(meeting=meeting, by=staff)
    meeting_open(meeting=meeting, by=staff)
    with pytest.raises(TransitionRefused, match="Only a scheduled meeting can be opened"):
        meeting_open(meeting=meeting, by=staff)
    closed = meeting_close(meeting=meeting, by=staff)
    with pytest.raises(TransitionRefused, match="closed"):
        meeting_close(meeting=meeting, by=staff)

    assert closed.status == MeetingStatus.CLOSED and closed.closed_at is not None
    assert list(AuditEntry.objects.filter(action__startswith="meeting.").values_list("action", flat=True)
                .order_by("id")) == ["meeting.create", "meeting.open", "meeting.close"]


def test_meeting_open_needs_staff():
    _staff, _proposal, meeting = _scheduled(starts_at=timezone.now() - datetime.timedelta(hours=1))
    seat = committee(1)[0]

    with pytest.raises(PermissionDenied):
        meeting_open(meeting=meeting, by=seat.user)


def test_open_meeting_keeps_its_date_rule_and_way_of_voting():
    staff, _proposal, meeting = _scheduled(starts_at=timezone.now() - datetime.timedelta(hours=1))
    meeting_open(meeting=meeting, by=staff)

    with pytest.raises(TransitionRefused, match="can no longer change"):
        meeting_update(meeting=meeting, by=staff, voting_mode=VotingMode.ONLINE)
    with pytest.raises(TransitionRefused, match="can no longer change"):
        meeting_update(meeting=meeting, by=staff, decision_rule=_rule())
    renamed = meeting_update(meeting=meeting, by=staff, title="Renamed")

    assert (renamed.title, renamed.voting_mode, renamed.decision_rule) == ("Renamed", VotingMode.IN_ROOM, None)


# --- attendance during the meeting -------------------------------------------------------------------------


def test_attendance_refused_before_the_meeting_is_open():
    staff, _proposal, meeting = _scheduled(starts_at=timezone.now() + datetime.timedelta(days=21))
    members = committee(3)

    with pytest.raises(TransitionRefused, match=re.escape("Attendance is recorded during the meeting: open it first.")):
        attendance_record(meeting=meeting, present=members, by=staff)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and not meeting.attendances.exists()


def test_attendance_during_the_open_meeting_does_not_change_its_state():
    staff, _proposal, members, meeting = decided_setup(size=3, present=0)

    attendance_record(meeting=meeting, present=members[:2], by=staff)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.OPEN
    assert sorted(meeting.attendances.filter(present=True).values_list("member_id", flat=True)) == sorted(
        m.pk for m in members[:2])


# --- decisions only at an open meeting ----------------------------------------------------------------------


def test_decision_refused_on_a_meeting_dated_in_the_future():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    committee(5)
    meeting = meeting_for(proposal, staff=staff, days_ahead=21)
    day = date_format(meeting.starts_at.astimezone(SEOUL).date(), "DATE_FORMAT")

    with pytest.raises(TransitionRefused, match=f"dated {day}, in the future: nothing can be decided"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=1,
                        votes_against=0, support_amount_krw=650_000_000)

    assert not Decision.objects.exists()


def test_decision_refused_on_a_meeting_not_opened_yet():
    staff, proposal, meeting = _scheduled(starts_at=timezone.now() - datetime.timedelta(hours=1))
    agenda_item_add(meeting=meeting, proposal=proposal, by=staff)

    refusal = re.escape("The meeting has not been opened; open it on its date first.")
    with pytest.raises(TransitionRefused, match=refusal):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                        votes_against=3, reasons="No")


def test_decision_refused_on_a_closed_meeting():
    staff, proposal, _members, meeting = decided_setup(size=5)
    meeting_close(meeting=meeting, by=staff)

    with pytest.raises(TransitionRefused, match="This meeting is closed"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                        votes_against=5, reasons="No")


# --- the decision rule ----------------------------------------------------------------------------------------


def test_majority_of_members_present_refused_with_the_numbers_then_met():
    """The issue's case: 1 (here 3) for out of 24 present is not an approval."""
    staff, proposal, _members, meeting = decided_setup(size=24, present=24)

    with pytest.raises(RuleNotMet, match=r"^The decision does not meet the rule: 3 for of 24 present; needs 13\.$"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=3,
                        votes_against=1, votes_abstain=20, support_amount_krw=650_000_000)
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff,
                               votes_for=13, votes_against=1, votes_abstain=10, support_amount_krw=650_000_000)

    assert (decision.votes_for, decision.members_present, decision.votes_needed) == (13, 24, 13)
    assert decision.rule_text.startswith("Majority of members present: an outcome needs a majority of the eligible")
    entry = AuditEntry.objects.get(action="decision.record")
    assert (entry.data["votes_needed"], entry.data["voting_mode"]) == (13, "in_room")


def test_majority_of_votes_cast_leaves_abstentions_out():
    rule = _rule(basis=RuleBasis.VOTES_CAST)
    staff, proposal, _members, meeting = decided_setup(size=9, decision_rule=rule)

    with pytest.raises(RuleNotMet, match=r"2 for of 4 votes cast; needs 3\.$"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=2,
                        votes_against=2, votes_abstain=5, support_amount_krw=100_000_000)
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=3,
                               votes_against=2, votes_abstain=4, support_amount_krw=100_000_000)

    assert decision.votes_needed == 3  # of 5 cast, though 9 are present


def test_set_threshold_counts_votes_not_members():
    rule = _rule(basis=RuleBasis.THRESHOLD, threshold_votes=4)
    staff, proposal, _members, meeting = decided_setup(size=5, decision_rule=rule)

    with pytest.raises(RuleNotMet, match=r"3 for of 5 present; needs 4 \(a set number\)\.$"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=3,
                        votes_against=0, votes_abstain=2, support_amount_krw=100_000_000)
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=4,
                               votes_against=0, support_amount_krw=100_000_000)

    assert decision.votes_needed == 4


def test_a_rejection_needs_the_votes_against_under_the_rule():
    staff, proposal, _members, meeting = decided_setup(size=5)

    with pytest.raises(RuleNotMet, match=r"1 against of 5 present; needs 3\.$"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                        votes_against=1, votes_abstain=4, reasons="No")
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                               votes_against=3, votes_abstain=2, reasons="No")

    assert decision.votes_needed == 3


def test_a_deferral_needs_only_the_quorum():
    staff, proposal, _members, meeting = decided_setup(size=5, present=3)

    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.DEFER, by=staff, votes_for=0,
                               votes_against=0, votes_abstain=0, reasons="Await the budget law")

    assert (decision.outcome, decision.votes_needed) == (Outcome.DEFER, None)


def test_the_rules_quorum_is_the_meetings_quorum():
    rule = _rule(quorum_fraction=Decimal("0.75"), require_co_chair=False)
    staff, proposal, _members, meeting = decided_setup(size=8, present=6, decision_rule=rule)

    with pytest.raises(QuorumNotMet, match="6 eligible members present, 7 needed"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                        votes_against=6, reasons="No")


def test_editing_a_rule_later_does_not_rewrite_a_recorded_decision():
    rule = _rule(name="Two thirds", basis=RuleBasis.THRESHOLD, threshold_votes=3)
    staff, proposal, _members, meeting = decided_setup(size=5, decision_rule=rule)
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=3,
                               votes_against=0, support_amount_krw=100_000_000)
    words = decision.rule_text

    rule.threshold_votes = 5
    decision_rule_save(rule=rule, by=staff, changed=["threshold_votes"])

    decision.refresh_from_db()
    assert (decision.rule_text, decision.votes_needed) == (words, 3)
    assert "at least 3 votes" in words


def test_decision_rule_save_is_audited_and_keeps_one_default():
    staff = StaffFactory(language="en")
    old_default = DecisionRule.objects.get(is_default=True)

    rule = decision_rule_save(rule=DecisionRule(name="Two thirds present", basis=RuleBasis.THRESHOLD,
                                                threshold_votes=16, is_default=True), by=staff)

    assert list(DecisionRule.objects.filter(is_default=True)) == [rule]
    old_default.refresh_from_db()
    assert old_default.is_default is False
    entry = AuditEntry.objects.get(action="rule.create")
    assert (entry.actor, entry.data["threshold_votes"], entry.data["is_default"]) == (staff, 16, True)


def test_decision_rule_save_refuses_a_threshold_without_its_number_and_non_staff():
    staff = StaffFactory(language="en")

    with pytest.raises(ValidationError, match=re.escape("Give the number of votes this rule needs.")):
        decision_rule_save(rule=DecisionRule(name="Threshold", basis=RuleBasis.THRESHOLD), by=staff)
    with pytest.raises(PermissionDenied):
        decision_rule_save(rule=DecisionRule(name="Mine"), by=committee(1)[0].user)
    assert not DecisionRule.objects.filter(name__in=["Threshold", "Mine"]).exists()


def test_the_default_rule_is_what_a_meeting_without_one_uses():
    _staff, _proposal, _members, meeting = decided_setup(size=3)

    assert selectors.rule_for(Meeting.objects.get(pk=meeting.pk)) == DecisionRule.objects.get(is_default=True)


# --- votes: in the room or online, one per meeting ---------------------------------------------------------


def test_online_vote_refused_at_an_in_room_meeting():
    _staff, proposal, members, meeting = decided_setup(size=3)
    conflict_declare(member=members[0], proposal=proposal, has_conflict=False)

    refusal = re.escape("This meeting counts votes in the room; members do not vote online.")
    with pytest.raises(TransitionRefused, match=refusal):
        vote_cast(member=members[0], agenda_item=meeting.agenda_items.get(), choice="for")


def test_online_vote_refused_before_the_meeting_opens():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = committee(3)
    meeting = meeting_for(proposal, staff=staff, days_ahead=5, voting_mode=VotingMode.ONLINE)
    conflict_declare(member=members[0], proposal=proposal, has_conflict=False)

    with pytest.raises(TransitionRefused, match="in the future"):
        vote_cast(member=members[0], agenda_item=meeting.agenda_items.get(), choice="for")


def test_online_vote_counts_and_refuses_an_absent_member():
    staff, proposal, members, meeting = decided_setup(size=5, present=4, voting_mode=VotingMode.ONLINE)
    item = meeting.agenda_items.get()
    for seat in members:
        conflict_declare(member=seat, proposal=proposal, has_conflict=False)
    for seat in members[:3]:
        vote_cast(member=seat, agenda_item=item, choice="for")

    with pytest.raises(PermissionDenied, match="recorded present at an open meeting"):
        vote_cast(member=members[4], agenda_item=item, choice="for")
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff,
                               support_amount_krw=100_000_000)

    assert (decision.votes_for, decision.members_present, decision.votes_needed) == (3, 4, 3)


def test_in_room_meeting_needs_the_count():
    staff, proposal, _members, meeting = decided_setup(size=3)

    with pytest.raises(ValidationError, match="Give the votes counted in the room"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, reasons="No")


# --- the decision e-mail ---------------------------------------------------------------------------------------


def test_decision_email_shows_conditions_apart_from_the_staff_message_and_the_opened_date():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = committee(3)
    starts = timezone.now() - datetime.timedelta(days=3)
    meeting = meeting_create(programme=proposal.track.programme, cycle=proposal.cycle, title="M", starts_at=starts,
                             by=staff)
    agenda_item_add(meeting=meeting, proposal=proposal, by=staff)
    meeting = meeting_open(meeting=meeting, by=staff)
    attendance_record(meeting=meeting, present=members, by=staff)
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=3,
                               votes_against=0, support_amount_krw=300_000_000, conditions="Train 20 officials.")
    assert decision.letter.message == ""  # the staff's own words are theirs to write

    letter_update(letter=decision.letter, message="Our team will call you this week.", by=staff)
    letter_approve(letter=decision.letter, by=staff)

    body = OutboxEmail.objects.get(user=proposal.owner, event="committee_decision").body
    zone = ZoneInfo(str(proposal.owner.time_zone))  # the e-mail speaks in its reader's time zone
    opened_day = date_format(timezone.localtime(meeting.opened_at, zone).date(), "DATE_FORMAT")
    assert f"at its meeting of {opened_day}." in body
    assert date_format(timezone.localtime(starts, zone).date(), "DATE_FORMAT") not in body
    assert "Conditions\nTrain 20 officials." in body
    assert "Message from the secretariat\nOur team will call you this week." in body
    assert body.index("Conditions") < body.index("Message from the secretariat")
