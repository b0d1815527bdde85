"""Two beats are harmless: every beat sweep run twice at once, over the same due rows on PostgreSQL, sends each
reminder exactly once. The SentReminder claim (a unique key, in the transaction that notifies) decides. The outbox
redrive (also on beat) likewise: two redrives at once send each pending e-mail once (the row lock in outbox_send).

The two runs are made to overlap where it matters: each claim waits until the other run reaches the same claim,
so both have read the row as "not reminded yet" before either claims it (without this, one thread could finish
before the other starts and the test would prove nothing)."""

import datetime
import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from committee import reminders as committee_reminders
from committee.tasks import committee_review_reminders
from consulting import reminders as consulting_reminders
from consulting.tasks import booking_reminders_sweep
from notifications import tasks as notification_tasks
from notifications.delivery import outbox_send
from notifications.models import Notice, OutboxEmail, SentReminder
from notifications.services import reminder_claim
from proposals import reminders as proposal_reminders
from proposals.models import Proposal
from proposals.tasks import proposal_reminders_sweep, staff_digest_send
from proposals.workflow import Status
from tests.factories import ProposalFactory, StaffFactory
from tests.factories.committee import AssignmentFactory, CommitteeMemberFactory, meeting_for, proposal_in_review
from tests.factories.consulting import BookingFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def due_everywhere():
    """One due occasion for each sweep: a quiet draft, an unanswered information request, a staff digest (a new
    submission), a session starting within 24 hours, a committee review pending 2 days before its meeting."""
    now = timezone.now()
    staff = StaffFactory(language="en")
    draft = ProposalFactory()
    Proposal.objects.filter(pk=draft.pk).update(updated_at=now - 20 * DAY)
    waiting = ProposalFactory(status=Status.INFO_REQUESTED)
    Proposal.objects.filter(pk=waiting.pk).update(status_changed_at=now - 8 * DAY)
    BookingFactory(start=now + datetime.timedelta(hours=10))
    in_review = proposal_in_review(staff=staff)  # submitted now: the digest has something to say
    meeting_for(in_review, staff=staff, days_ahead=2)
    AssignmentFactory(member=CommitteeMemberFactory(), proposal=in_review)


def _overlapping_claims(monkeypatch) -> threading.Barrier:
    barrier = threading.Barrier(2, timeout=20)

    def claim_together(*, key: str) -> bool:
        barrier.wait()  # the other run has read the same row as unclaimed and is about to claim it too
        return reminder_claim(key=key)

    for module in (proposal_reminders, consulting_reminders, committee_reminders):
        monkeypatch.setattr(module, "reminder_claim", claim_together)
    return barrier


def _twice_at_once(sweep):
    results, errors = [], []
    start = threading.Barrier(2, timeout=20)

    def run():
        try:
            start.wait()
            results.append(sweep())
        except Exception as exc:  # reported below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(results) == 2
    return results


def _duplicates(rows) -> list:
    return [row for row, count in Counter(rows).items() if count > 1]


def _sent(results) -> dict[str, int]:
    """What both runs sent together, per kind (a run answers a count, True/False, or counts by kind)."""
    total = Counter()
    for result in results:
        total.update(result if isinstance(result, dict) else {"sent": int(result)})
    return {kind: count for kind, count in total.items() if count}


@pytest.mark.parametrize(("sweep", "once"), [
    (proposal_reminders_sweep, {"drafts": 1, "info_requests": 1}),
    (staff_digest_send, {"sent": 1}),
    (booking_reminders_sweep, {"24h": 1}),
    (committee_review_reminders, {"sent": 1}),
], ids=["proposals", "staff-digest", "bookings", "committee"])
def test_a_beat_sweep_run_twice_at_once_sends_each_reminder_once(due_everywhere, monkeypatch, sweep, once):
    assert connection.vendor == "postgresql"
    barrier = _overlapping_claims(monkeypatch)
    notices_before = set(Notice.objects.values_list("pk", flat=True))
    emails_before = set(OutboxEmail.objects.values_list("pk", flat=True))
    claims_before = SentReminder.objects.count()

    results = _twice_at_once(sweep)

    assert not barrier.broken  # every claim was made by both runs at once
    assert _sent(results) == once  # between them, each reminder once (either run may win any one of them)
    notices = Notice.objects.exclude(pk__in=notices_before).values_list("user_id", "event", "title")
    emails = OutboxEmail.objects.exclude(pk__in=emails_before).values_list("to_email", "event", "subject")
    assert notices and emails
    assert _duplicates(notices) == []
    assert _duplicates(emails) == []
    claimed = SentReminder.objects.count() - claims_before
    assert claimed == sum(once.values())


def test_the_outbox_redrive_run_twice_at_once_sends_each_email_once(monkeypatch):
    assert connection.vendor == "postgresql"
    pending = [
        OutboxEmail.objects.create(to_email=f"person{n}@example.org", event="test", subject=f"Mail {n}", body="Hello")
        for n in range(3)
    ]
    OutboxEmail.objects.filter(pk__in=[o.pk for o in pending]).update(created_at=timezone.now() - 10 * MINUTE)
    barrier = threading.Barrier(2, timeout=20)

    def send_together(*, outbox_id: int) -> bool:
        barrier.wait()  # both redrives listed this row as pending and try it at the same time
        return outbox_send(outbox_id=outbox_id)

    monkeypatch.setattr(notification_tasks, "outbox_send", send_together)

    results = _twice_at_once(notification_tasks.outbox_redrive)

    assert not barrier.broken
    assert sum(results) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [f"person{n}@example.org" for n in range(3)]
    assert set(OutboxEmail.objects.values_list("state", flat=True)) == {OutboxEmail.State.SENT}
