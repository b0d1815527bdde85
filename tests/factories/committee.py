"""Committee members, the rubric, and proposals brought before a meeting through the real services
(submit -> screening -> committee review)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Role
from committee.models import (
    Assignment,
    CommitteeMember,
    ConflictDeclaration,
    Criterion,
    MemberKind,
    Outcome,
    Rubric,
    VoteChoice,
    VotingMode,
)
from committee.services import (
    agenda_item_add,
    attendance_record,
    conflict_declare,
    decision_record,
    meeting_create,
    meeting_open,
    vote_cast,
)
from proposals.models import Programme
from proposals.services import proposal_submit, proposal_transition
from proposals.workflow import Status
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.proposals import ProgrammeFactory, ProposalFactory, TrackFactory, complete_proposal

# (name, weight): the K-City rubric with weights 20/20/15/15/15/15.
KCITY_CRITERIA = [
    ("Feasibility and site readiness", Decimal("20")),
    ("Expected impact for the city", Decimal("20")),
    ("Partner government commitment", Decimal("15")),
    ("Fit of Korean solutions and follow-on potential", Decimal("15")),
    ("ODA linkage potential", Decimal("15")),
    ("Budget realism", Decimal("15")),
]


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    user = factory.SubFactory(UserFactory, role=Role.COMMITTEE_MEMBER, time_zone="Asia/Seoul")
    kind = MemberKind.PRIVATE
    affiliation = "Seoul National University"
    is_co_chair = False
    term_start = datetime.date(2024, 1, 1)
    country = "KR"
    organisation = None


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A reviewer assignment written straight to the table (assignment_create is tested on its own)."""

    class Meta:
        model = Assignment

    member = factory.SubFactory(CommitteeMemberFactory)
    proposal = factory.SubFactory(ProposalFactory)
    assigned_by = factory.SubFactory(StaffFactory)


class ConflictDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictDeclaration

    member = factory.SubFactory(CommitteeMemberFactory)
    proposal = factory.SubFactory(ProposalFactory)
    has_conflict = False
    reason = factory.LazyAttribute(lambda o: "Former adviser to the city" if o.has_conflict else "")


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric

    programme = factory.SubFactory(ProgrammeFactory)
    name = "K-City rubric"


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    rubric = factory.SubFactory(RubricFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("20")
    order = factory.Sequence(lambda n: n)


def member(*, kind=MemberKind.PRIVATE, co_chair=False, country="KR", organisation=None, **user_kwargs):
    user = UserFactory(role=Role.COMMITTEE_MEMBER, time_zone="Asia/Seoul", **user_kwargs)
    return CommitteeMemberFactory(user=user, kind=kind, is_co_chair=co_chair, country=country,
                                  organisation=organisation)


def committee(size=5, co_chairs=1):
    return [member(co_chair=i < co_chairs, kind=MemberKind.GOVERNMENT if i % 2 else MemberKind.PRIVATE)
            for i in range(size)]


def rubric(programme=None, criteria=KCITY_CRITERIA):
    programme = programme or Programme.objects.get(slug="kcity")
    rubric, _ = Rubric.objects.get_or_create(programme=programme, defaults={"name": "K-City rubric"})
    if not rubric.criteria.exists():
        for order, (name, weight) in enumerate(criteria):
            CriterionFactory(rubric=rubric, name=name, weight=weight, order=order)
    return rubric


def proposal_in_review(*, staff=None, track=None, **kwargs):
    staff = staff or StaffFactory(language="en")
    track = track or TrackFactory(pre_consulting_required=False)
    proposal = complete_proposal(track=track, **kwargs)
    proposal_submit(proposal=proposal, by=proposal.owner)
    proposal_transition(proposal=proposal, to=Status.SCREENING, by=staff)
    proposal_transition(proposal=proposal, to=Status.COMMITTEE_REVIEW, by=staff)
    proposal.refresh_from_db()
    return proposal


def meeting_for(proposal, *, staff, days_ahead=10, opened=False, **kwargs):
    """A meeting with the proposal on its agenda, `days_ahead` days from now (scheduled); `opened=True` dates it an
    hour ago and opens it, as staff do on the day."""
    starts = timezone.now() - datetime.timedelta(hours=1) if opened else (
        timezone.now() + datetime.timedelta(days=days_ahead))
    meeting = meeting_create(
        programme=proposal.track.programme, cycle=proposal.cycle, title="First committee meeting",
        starts_at=starts, place="Sejong", by=staff, **kwargs,
    )
    agenda_item_add(meeting=meeting, proposal=proposal, by=staff)
    if opened:
        meeting = meeting_open(meeting=meeting, by=staff)
    return meeting


def decided_setup(*, size=5, present=None, conflicted=0, **meeting_kwargs):
    """A proposal on the agenda of an open meeting with `size` members, `present` of them attending (the first is a
    co-chair, the last `conflicted` declared a conflict)."""
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = committee(size)
    meeting = meeting_for(proposal, staff=staff, opened=True, **meeting_kwargs)
    for m in members[size - conflicted:]:
        conflict_declare(member=m, proposal=proposal, has_conflict=True, reason="Former adviser to the city")
    attendance_record(meeting=meeting, present=members[: size if present is None else present], by=staff)
    return staff, proposal, members, meeting


def meeting_with_agenda(*, items: int, size=3):
    """An open meeting voting online with `items` proposals on its agenda and all `size` members present; on each
    item the first member (a co-chair) declared no conflict and voted for, the last declared a conflict."""
    staff = StaffFactory(language="en")
    first = proposal_in_review(staff=staff)
    members = committee(size)
    meeting = meeting_for(first, staff=staff, opened=True, voting_mode=VotingMode.ONLINE)
    for _ in range(items - 1):
        agenda_item_add(meeting=meeting, proposal=proposal_in_review(staff=staff, track=first.track), by=staff)
    attendance_record(meeting=meeting, present=members, by=staff)
    for item in meeting.agenda_items.select_related("proposal"):
        conflict_declare(member=members[0], proposal=item.proposal, has_conflict=False)
        conflict_declare(member=members[-1], proposal=item.proposal, has_conflict=True, reason="Former adviser")
        vote_cast(member=members[0], agenda_item=item, choice=VoteChoice.FOR)
    return staff, members, meeting


def decided_meeting(*, decisions: int, size=3):
    """An open meeting that rejected `decisions` proposals unanimously (counted in the room): one draft decision
    letter each."""
    staff = StaffFactory(language="en")
    first = proposal_in_review(staff=staff)
    members = committee(size)
    meeting = meeting_for(first, staff=staff, opened=True)
    proposals = [first]
    for _ in range(decisions - 1):
        proposals.append(proposal_in_review(staff=staff, track=first.track))
        agenda_item_add(meeting=meeting, proposal=proposals[-1], by=staff)
    attendance_record(meeting=meeting, present=members, by=staff)
    for proposal in proposals:
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                        votes_against=size, reasons="The site is not available")
    return staff, meeting
