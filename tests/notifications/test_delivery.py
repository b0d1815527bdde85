"""A real Celery worker on Redis delivers the outbox; a broker outage at submission loses nothing."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.worker import state as worker_state
from django.core import mail

from kcity.celery import app
from notifications.models import OutboxEmail
from notifications.tasks import outbox_redrive
from proposals.services import proposal_submit
from proposals.workflow import Status
from tests.factories import UserFactory, complete_proposal
from tests.notifications.broker import UNREACHABLE_BROKER, celery_broker, purge_queues

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    purge_queues()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as running:
        yield running


def _wait_until_all_sent(expected: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if OutboxEmail.objects.filter(state=OutboxEmail.State.SENT).count() >= expected:
            return
        time.sleep(0.2)
    states = list(OutboxEmail.objects.values_list("to_email", "event", "state", "attempts", "last_error"))
    raise AssertionError(f"outbox not delivered within {timeout} s: {states}")


def _wait_until_worker_ran(task_name: str, times: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while worker_state.total_count[task_name] < times:
        assert time.monotonic() < deadline, f"{task_name} ran {worker_state.total_count[task_name]} times"
        time.sleep(0.1)


def _team_proposal():
    proposal = complete_proposal()
    colleague = UserFactory(full_name="Budi Santoso")
    proposal.collaborators.add(colleague)
    return proposal, sorted([proposal.owner.email, colleague.email])


def test_worker_on_redis_delivers_the_acknowledgment_to_owner_and_collaborators(worker):
    proposal, team = _team_proposal()

    proposal_submit(proposal=proposal, by=proposal.owner)

    _wait_until_all_sent(expected=2)
    proposal.refresh_from_db()
    subject = f"Proposal received: {proposal.reference} (K-City Network)"
    acknowledgments = [m for m in mail.outbox if m.subject == subject]
    assert sorted(m.to[0] for m in acknowledgments) == team
    assert all(f"Its reference is {proposal.reference}." in m.body for m in acknowledgments)
    assert len(mail.outbox) == 2
    assert set(OutboxEmail.objects.values_list("event", "state", "attempts")) == {("proposal_acknowledged", "sent", 1)}


def test_broker_down_at_submission_saves_proposal_and_redrive_sends_once_when_back(caplog):
    proposal, team = _team_proposal()

    with celery_broker(UNREACHABLE_BROKER):
        started = time.monotonic()
        proposal_submit(proposal=proposal, by=proposal.owner)
        publish_took = time.monotonic() - started

    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert proposal.reference is not None
    assert set(OutboxEmail.objects.values_list("state", flat=True)) == {"pending"}
    assert OutboxEmail.objects.count() == 2
    assert mail.outbox == []
    outbox_ids = sorted(OutboxEmail.objects.values_list("pk", flat=True))
    assert f"Broker unavailable; outbox e-mails {outbox_ids} left for the redrive sweep" in caplog.messages
    # Not a timing benchmark: a guard that an outage fails fast instead of hanging the request.
    assert publish_took < 15, publish_took

    purge_queues()
    worker_state.total_count.clear()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        outbox_redrive.delay(older_than_seconds=0)
        _wait_until_all_sent(expected=2)
        # A second sweep (beat runs it every minute) must not send anything again.
        outbox_redrive.delay(older_than_seconds=0)
        _wait_until_worker_ran(outbox_redrive.name, times=2)

    subject = f"Proposal received: {proposal.reference} (K-City Network)"
    acknowledgments = [m for m in mail.outbox if m.subject == subject]
    assert sorted(m.to[0] for m in acknowledgments) == team
    assert len(mail.outbox) == 2
    assert set(OutboxEmail.objects.values_list("state", "attempts")) == {("sent", 1)}
