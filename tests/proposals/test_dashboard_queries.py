"""Query count of the staff dashboard, pinned: N and 2N proposals across the stages cost the same queries."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from proposals.models import Proposal
from proposals.workflow import Status
from tests.factories import ProposalFactory, StaffFactory, proposal_in, service_levels

pytestmark = pytest.mark.django_db
URL = reverse("proposals_staff:dashboard")
N = 5
STAGES = [Status.SUBMITTED, Status.SCREENING, Status.INFO_REQUESTED, Status.PRE_CONSULTING, Status.COMMITTEE_REVIEW]


def _proposals(count: int, *, staff) -> None:
    """`count` submitted proposals spread over the open stages (one in three overdue), and as many drafts."""
    service_levels()
    track = None
    for i in range(count):
        proposal = proposal_in(STAGES[i % len(STAGES)], staff=staff, **({"track": track} if track else {}))
        track = proposal.track
        if i % 3 == 0:
            Proposal.objects.filter(pk=proposal.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
        ProposalFactory(track=track)


@pytest.fixture(autouse=True)
def _figures_counted_afresh():
    cache.clear()  # the figures are cached for a minute (proposals.dashboard): each test counts its own


@pytest.mark.parametrize("count", [N, 2 * N])
def test_dashboard_queries_do_not_grow_with_proposals(client, django_assert_num_queries, count):
    staff = StaffFactory()
    _proposals(count, staff=staff)
    client.force_login(staff)

    # Counting: the figures' aggregates, the tracks' names, the navigation's inbox count (one aggregate).
    with django_assert_num_queries(12):
        response = client.get(URL)
    # Within the minute the page comes as kept for this copy of the figures: only the navigation's counts are read.
    with django_assert_num_queries(4):
        again = client.get(URL)

    assert response.status_code == again.status_code == 200
    assert response.context["figures"].total == again.context["figures"].total == count
