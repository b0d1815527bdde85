"""Thousands of proposals in a few bulk inserts, for the query-plan and query-count tests of the lists.

Factories save one row (and its owner, organisation and track) at a time: fine for ten proposals, minutes for
thousands. These rows keep the models' invariants that the lists read (a submitted proposal has a reference, a
cycle and a submission time; a draft has none) without going through the services, which the scale tests do not
exercise.
"""

import datetime
import itertools

from django.utils import timezone

from accounts.models import Membership, Organisation, OrganisationKind, User
from proposals.models import Cycle, Proposal, StatusChange, Track
from proposals.workflow import Status

_OPEN = [Status.SUBMITTED, Status.SCREENING, Status.INFO_REQUESTED, Status.PRE_CONSULTING, Status.COMMITTEE_REVIEW]
_serial = itertools.count(1)


def bulk_organisations(count: int) -> list[tuple[Organisation, User]]:
    """`count` organisations, each with one applicant member who owns its proposals."""
    batch = next(_serial)
    organisations = [Organisation(name=f"Bulk city {batch}-{i}", country="ID", kind=OrganisationKind.CITY,
                                  region_city=f"City {batch}-{i}") for i in range(count)]
    for organisation in organisations:
        organisation.refresh_search_text()  # bulk_create skips save(), which keeps the search column
    organisations = Organisation.objects.bulk_create(organisations)
    users = User.objects.bulk_create(
        User(email=f"bulk{batch}-{i}@example.org", full_name=f"Applicant {i}")
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation) for user, organisation in zip(users, organisations,
                                                                                       strict=True)
    )
    return list(zip(organisations, users, strict=True))


def bulk_proposals(count: int, *, track: Track, cycle: Cycle, teams: list[tuple[Organisation, User]],
                   drafts_every: int = 4, start: int = 0) -> list[Proposal]:
    """`count` proposals spread round-robin over `teams`; one in `drafts_every` is a draft, the others submitted
    and in an open stage, with distinct updated_at and due_at (some overdue, some without a due date)."""
    now = timezone.now()
    rows = []
    for i in range(start, start + count):
        organisation, owner = teams[i % len(teams)]
        draft = i % drafts_every == 0
        rows.append(Proposal(
            track=track, organisation=organisation, owner=owner, title=f"Bulk proposal {i}",
            country="ID", region_city=f"City {i}", jurisdiction_level="city",
            status=Status.DRAFT if draft else _OPEN[i % len(_OPEN)],
            reference=None if draft else f"BLK-{cycle.year}-{i:06d}",
            cycle=None if draft else cycle,
            submitted_at=None if draft else now - datetime.timedelta(days=i % 400),
            status_changed_at=None if draft else now - datetime.timedelta(days=i % 30),
            due_at=None if draft or i % 7 == 0 else now + datetime.timedelta(hours=i - count // 2),
        ))
    for row in rows:
        row.refresh_search_text()
    created = Proposal.objects.bulk_create(rows)
    # auto_now stamps them all alike: spread them out, as years of saving would.
    for offset, proposal in enumerate(created):
        proposal.updated_at = now - datetime.timedelta(minutes=offset)
    Proposal.objects.bulk_update(created, ["updated_at"], batch_size=1000)
    return created


def bulk_history(proposals: list[Proposal], *, per_proposal: int = 3, by: User | None = None) -> int:
    """A submission, a first response and further moves for each submitted proposal; returns the rows written."""
    rows = []
    for proposal in proposals:
        if proposal.submitted_at is None:
            continue
        rows.append(StatusChange(proposal=proposal, from_status=Status.DRAFT, to_status=Status.SUBMITTED, by=by))
        rows.append(StatusChange(proposal=proposal, from_status=Status.SUBMITTED, to_status=Status.SCREENING, by=by))
        rows.extend(
            StatusChange(proposal=proposal, from_status=Status.SCREENING, to_status=Status.PRE_CONSULTING, by=by)
            for _ in range(per_proposal - 2)
        )
    created = StatusChange.objects.bulk_create(rows)
    return len(created)
