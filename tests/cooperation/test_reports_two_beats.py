"""Two beats at once send each cooperation reminder once: both sweeps read the same rows as not yet reminded, and
the SentReminder claim decides (tests/test_two_beats.py does the same for the other apps' sweeps)."""

import datetime
import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from cooperation import reminders_reports
from cooperation.models import Deliverable, Milestone, ReportingPeriod, Side
from cooperation.tasks import cooperation_overdue_digest, cooperation_reminders_sweep
from notifications.models import Notice, OutboxEmail, SentReminder
from notifications.services import reminder_claim
from tests.factories.cooperation_reports import project_for_reports

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def due_everything():
    """One of each occasion: a milestone 3 days ahead, a deliverable overdue, a report due in 7 days, and (for the
    digest) an overdue report."""
    parties = project_for_reports(milestones=0, indicators=0)
    today = timezone.localdate(timezone.now(), reminders_reports.SEOUL)
    milestone = Milestone.objects.create(project=parties.project, title="Survey", owner_side=Side.CONTRACTOR,
                                         due_date=today + 3 * DAY)
    Deliverable.objects.create(milestone=milestone, title="Dataset", owner_side=Side.PARTNER, due_date=today - DAY)
    ReportingPeriod.objects.create(project=parties.project, period_start=today - 60 * DAY,
                                   period_end=today - 8 * DAY, due_date=today + 7 * DAY)
    ReportingPeriod.objects.create(project=parties.project, period_start=today - 120 * DAY,
                                   period_end=today - 61 * DAY, due_date=today - 40 * DAY)
    return parties


def _twice_at_once(sweep):
    results, errors = [], []
    start = threading.Barrier(2, timeout=20)

    def run():
        try:
            start.wait()
            results.append(sweep())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


@pytest.mark.parametrize(("sweep", "once"), [
    (cooperation_reminders_sweep, {"work_items": 2, "reports": 2}),
    (cooperation_overdue_digest, {"sent": 1}),
], ids=["reminders", "digest"])
def test_two_sweeps_at_once_send_each_reminder_once(due_everything, monkeypatch, sweep, once):
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(2, timeout=20)

    def claim_together(*, key):
        barrier.wait()  # the other run read the same row as unclaimed and claims it now too
        return reminder_claim(key=key)

    monkeypatch.setattr(reminders_reports, "reminder_claim", claim_together)

    results = _twice_at_once(sweep)

    assert not barrier.broken
    total = Counter()
    for result in results:
        total.update(result if isinstance(result, dict) else {"sent": int(result)})
    assert {k: v for k, v in total.items() if v} == once
    notices = list(Notice.objects.values_list("user_id", "event", "title"))
    emails = list(OutboxEmail.objects.values_list("to_email", "event", "subject"))
    assert notices and emails
    assert [n for n, c in Counter(notices).items() if c > 1] == []
    assert [e for e, c in Counter(emails).items() if c > 1] == []
    assert SentReminder.objects.count() == sum(once.values())
