"""The action items' beat sweep: 3 days before, overdue, and escalated once at 14 days overdue; each exactly once,
however often (or concurrently) it runs; two queries when nothing is due, whatever the number of items."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from cooperation import reminders_meetings, services
from cooperation.models import ActionItem, ActionStatus, Side
from cooperation.tasks_meetings import action_item_reminders
from notifications.models import Notice, SentReminder
from notifications.services import reminder_claim
from tests.factories import StaffFactory
from tests.factories.cooperation_meetings import action_for, meeting_held, project_cast

DAY = datetime.timedelta(days=1)


@pytest.fixture
def cast(db):
    return project_cast()


def _sweep(**kwargs):
    return reminders_meetings.action_reminders_send(**kwargs)


@pytest.mark.django_db
def test_an_item_due_in_three_days_is_reminded_once_then_once_more_when_overdue(cast):
    action = action_for(cast, meeting_held(cast), side=Side.PARTNER, due_in=3)
    today = timezone.localdate()

    assert _sweep(today=today) == {"due": 1, "overdue": 0, "escalated": 0}
    assert _sweep(today=today) == {"due": 0, "overdue": 0, "escalated": 0}
    assert _sweep(today=today + 2 * DAY) == {"due": 0, "overdue": 0, "escalated": 0}
    assert _sweep(today=action.due_date + DAY) == {"due": 0, "overdue": 1, "escalated": 0}
    assert _sweep(today=action.due_date + 5 * DAY) == {"due": 0, "overdue": 0, "escalated": 0}

    reminders = Notice.objects.filter(event="cooperation_action_reminder", user=cast.partner)
    assert reminders.count() == 2
    assert {n.title for n in reminders} == {f"Action item due soon: {action.title}",
                                            f"Action item overdue: {action.title}"}


@pytest.mark.django_db
def test_an_item_not_yet_in_the_window_or_closed_is_not_reminded(cast):
    meeting = meeting_held(cast, days=-40)
    action_for(cast, meeting, due_in=4, title="Later")
    closed = action_for(cast, meeting, due_in=-1, title="Closed")
    services.action_item_move(action=closed, target=ActionStatus.DONE, note="Done", by=cast.partner)

    assert _sweep() == {"due": 0, "overdue": 0, "escalated": 0}


@pytest.mark.django_db
def test_fourteen_days_overdue_escalates_once_to_staff_and_the_head_of_the_owner_side(cast):
    meeting = meeting_held(cast, days=-40)
    head = cast.partner
    services.delegate_add(meeting=meeting, side=Side.PARTNER, name=head.full_name, is_head=True, user=head,
                          by=cast.staff)
    action = action_for(cast, meeting, side=Side.PARTNER, due_in=-14)
    other_staff = StaffFactory()

    first = _sweep()
    escalated_at = ActionItem.objects.get(pk=action.pk).escalated_at

    assert first == {"due": 0, "overdue": 1, "escalated": 1}
    assert escalated_at is not None
    told = set(Notice.objects.filter(event="cooperation_action_escalated").values_list("user_id", flat=True))
    assert told == {cast.staff.pk, other_staff.pk, head.pk}
    assert _sweep() == {"due": 0, "overdue": 0, "escalated": 0}
    assert _sweep(today=timezone.localdate() + 30 * DAY)["escalated"] == 0
    assert ActionItem.objects.get(pk=action.pk).escalated_at == escalated_at


@pytest.mark.django_db
def test_thirteen_days_overdue_is_not_escalated_yet(cast):
    action_for(cast, meeting_held(cast, days=-40), due_in=-13)
    assert _sweep()["escalated"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 6])
def test_a_sweep_with_nothing_due_costs_two_queries_however_many_items(cast, rows, django_assert_num_queries):
    meeting = meeting_held(cast, days=-40)
    for n in range(rows):
        action_for(cast, meeting, due_in=30 + n, title=f"Later {n}")
    overdue = action_for(cast, meeting, due_in=-20, title="Reminded already")
    _sweep()  # its overdue reminder and escalation are claimed now
    assert ActionItem.objects.get(pk=overdue.pk).escalated_at is not None

    with django_assert_num_queries(2):
        assert _sweep() == {"due": 0, "overdue": 0, "escalated": 0}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_and_escalation_once(monkeypatch):
    assert connection.vendor == "postgresql"
    cast = project_cast()
    meeting = meeting_held(cast, days=-40)
    action_for(cast, meeting, due_in=2, title="Soon")
    action_for(cast, meeting, due_in=-20, title="Late")
    barrier = threading.Barrier(2, timeout=20)

    def claim_together(*, key):
        barrier.wait()  # both runs have read the occasion as unclaimed and claim it at the same time
        return reminder_claim(key=key)

    monkeypatch.setattr(reminders_meetings, "reminder_claim", claim_together)
    claims_before = SentReminder.objects.count()
    results, errors = [], []
    start = threading.Barrier(2, timeout=20)

    def run():
        try:
            start.wait()
            results.append(action_item_reminders())
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
    assert not barrier.broken
    total = {kind: sum(r[kind] for r in results) for kind in ("due", "overdue", "escalated")}
    assert total == {"due": 1, "overdue": 1, "escalated": 1}
    assert SentReminder.objects.count() - claims_before == 3
    escalations = Notice.objects.filter(event="cooperation_action_escalated", user=cast.staff)
    assert escalations.count() == 1
