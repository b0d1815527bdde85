"""References stay unique and gap-free, and one jurisdiction gets one proposal, under concurrent submissions."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from proposals.models import Proposal, ReferenceCounter
from proposals.services import SEOUL, proposal_submit
from proposals.workflow import Status
from tests.factories import OrganisationFactory, applicant, complete_proposal
from tests.notifications.broker import celery_broker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _in_process_broker():
    # The acknowledgments are queued on commit; keep them in memory instead of a broker a real worker reads.
    with celery_broker("memory://"):
        yield


def _submit_all_at_once(proposals):
    """Each thread has its own database connection; a barrier releases them together."""
    barrier = threading.Barrier(len(proposals))
    outcomes: dict[int, object] = {}

    def submit(proposal):
        try:
            barrier.wait(timeout=30)
            proposal_submit(proposal=proposal, by=proposal.owner)
            outcomes[proposal.pk] = "submitted"
        except Exception as exc:  # collected and asserted on below
            outcomes[proposal.pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(p,)) for p in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_twenty_concurrent_submissions_get_twenty_gap_free_references(on_postgres):
    proposals = [
        complete_proposal(owner=applicant(organisation=OrganisationFactory(region_city=f"Regency {n}")))
        for n in range(20)
    ]
    year = timezone.now().astimezone(SEOUL).year

    outcomes = _submit_all_at_once(proposals)

    assert list(outcomes.values()) == ["submitted"] * 20
    references = sorted(Proposal.objects.values_list("reference", flat=True))
    assert references == [f"KCN-{year}-{n:04d}" for n in range(1, 21)]
    assert ReferenceCounter.objects.get(prefix="KCN", year=year).last_number == 20
    assert set(Proposal.objects.values_list("status", flat=True)) == {Status.SUBMITTED}


def test_two_concurrent_submissions_of_one_jurisdiction_only_one_succeeds(on_postgres):
    proposals = [
        complete_proposal(owner=applicant(organisation=OrganisationFactory(region_city=place)))
        for place in ("Kota Bandung", "kota  BANDUNG")
    ]
    year = timezone.now().astimezone(SEOUL).year

    outcomes = _submit_all_at_once(proposals)

    refused = [o for o in outcomes.values() if isinstance(o, ValidationError)]
    assert sorted(map(str, outcomes.values())).count("submitted") == 1
    assert len(refused) == 1
    assert "Only one proposal per jurisdiction is accepted per cycle." in refused[0].messages[0]
    assert sorted(Proposal.objects.values_list("status", "reference")) == [
        (Status.DRAFT, None), (Status.SUBMITTED, f"KCN-{year}-0001")
    ]
