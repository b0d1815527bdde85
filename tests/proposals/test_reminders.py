"""Reminder sweeps: each reminder once at its time, in the recipient's language and time zone."""

import datetime
import threading

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_celery_beat.models import PeriodicTask

from notifications.models import Notice, OutboxEmail, SentReminder
from proposals import reminders, services, tasks
from proposals.models import Proposal
from proposals.schedules import reminder_schedules_ensure
from proposals.workflow import Status
from tests.factories import ProposalFactory, StaffFactory, UserFactory, service_levels
from tests.proposals.staff_helpers import proposal_in, submitted_proposal

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def quiet_draft(last_saved: datetime.datetime, **kwargs) -> Proposal:
    draft = ProposalFactory(**kwargs)
    Proposal.objects.filter(pk=draft.pk).update(updated_at=last_saved)
    draft.refresh_from_db()
    return draft


def notices(event, user=None):
    qs = Notice.objects.filter(event=event)
    return qs.filter(user=user) if user else qs


# --- drafts ---------------------------------------------------------------------------------------------------


def test_draft_reminder_not_before_14_days():
    saved = timezone.now() - 20 * DAY
    quiet_draft(saved)

    sent = reminders.draft_reminders_send(now=saved + 14 * DAY - datetime.timedelta(minutes=1))

    assert sent == 0
    assert not notices("draft_stale_reminder").exists()


def test_draft_reminder_sent_once_when_sweep_runs_twice():
    saved = timezone.now() - 20 * DAY
    draft = quiet_draft(saved)

    first = reminders.draft_reminders_send(now=saved + 14 * DAY)
    second = reminders.draft_reminders_send(now=saved + 15 * DAY)

    assert (first, second) == (1, 0)
    assert notices("draft_stale_reminder", draft.owner).count() == 1
    email = OutboxEmail.objects.get(event="draft_stale_reminder")
    assert email.to_email == draft.owner.email
    assert email.subject == f"Your draft “{draft.title}” is waiting for you"
    assert "(14 days)" in email.body


def test_draft_reminder_again_after_a_new_quiet_spell():
    saved = timezone.now() - 40 * DAY
    draft = quiet_draft(saved)
    reminders.draft_reminders_send(now=saved + 14 * DAY)
    Proposal.objects.filter(pk=draft.pk).update(updated_at=saved + 20 * DAY)  # the owner edited it

    quiet_again = reminders.draft_reminders_send(now=saved + 33 * DAY)
    new_spell = reminders.draft_reminders_send(now=saved + 34 * DAY)

    assert (quiet_again, new_spell) == (0, 1)
    assert notices("draft_stale_reminder", draft.owner).count() == 2


def test_draft_reminder_in_recipient_language_and_time_zone():
    owner = UserFactory(language="ko", time_zone="America/Bogota")
    from tests.factories import MembershipFactory

    MembershipFactory(user=owner)
    saved = datetime.datetime(2026, 10, 1, 3, 30, tzinfo=datetime.UTC)
    draft = quiet_draft(saved, owner=owner)

    reminders.draft_reminders_send(now=saved + 14 * DAY)

    body = OutboxEmail.objects.get(event="draft_stale_reminder").body
    with translation.override("ko"):
        expected = date_format(timezone.localtime(draft.updated_at, owner.time_zone), "DATETIME_FORMAT")
    assert expected.startswith("2026년 9월 30일")  # 22:30 on Sep 30 in Bogota
    assert expected in body


def test_draft_reminder_respects_email_preference():
    saved = timezone.now() - 20 * DAY
    draft = quiet_draft(saved)
    draft.owner.email_opt_out = ["draft_stale_reminder"]
    draft.owner.save(update_fields=["email_opt_out"])

    reminders.draft_reminders_send(now=saved + 14 * DAY)

    assert notices("draft_stale_reminder", draft.owner).count() == 1
    assert not OutboxEmail.objects.filter(event="draft_stale_reminder").exists()


def test_submitted_proposal_gets_no_draft_reminder():
    proposal = submitted_proposal()

    sent = reminders.draft_reminders_send(now=proposal.updated_at + 30 * DAY)

    assert sent == 0


# --- information requests -------------------------------------------------------------------------------


@pytest.fixture
def waiting_proposal():
    service_levels()
    staff = StaffFactory()
    proposal = proposal_in(Status.INFO_REQUESTED, staff=staff)
    colleague = UserFactory()
    proposal.collaborators.add(colleague)
    return proposal, colleague, staff


def test_info_request_reminders_at_7_and_21_days(waiting_proposal):
    proposal, colleague, _staff = waiting_proposal
    asked = proposal.status_changed_at

    counts = [
        reminders.info_request_reminders_send(now=asked + 6 * DAY),
        reminders.info_request_reminders_send(now=asked + 7 * DAY),
        reminders.info_request_reminders_send(now=asked + 8 * DAY),
        reminders.info_request_reminders_send(now=asked + 21 * DAY),
        reminders.info_request_reminders_send(now=asked + 22 * DAY),
    ]

    assert counts == [0, 1, 0, 1, 0]
    assert notices("info_request_reminder", proposal.owner).count() == 2
    assert notices("info_request_reminder", colleague).count() == 2
    assert not notices("info_request_overdue_staff").exists()


def test_info_request_staff_told_at_30_days(waiting_proposal):
    proposal, _colleague, staff = waiting_proposal
    other_staff = StaffFactory()
    asked = proposal.status_changed_at

    reminders.info_request_reminders_send(now=asked + 30 * DAY)
    reminders.info_request_reminders_send(now=asked + 31 * DAY)

    told = notices("info_request_overdue_staff")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([staff.pk, other_staff.pk])
    assert told.first().url == f"/admin/proposals/proposal/{proposal.pk}/change/"
    assert not notices("info_request_reminder").exists()


def test_info_request_staff_reminder_goes_to_assigned_staff_only(waiting_proposal):
    proposal, _colleague, staff = waiting_proposal
    StaffFactory()
    services.proposal_assign(proposal=proposal, by=staff, staff=staff, centre=None)
    proposal.refresh_from_db()

    reminders.info_request_reminders_send(now=proposal.status_changed_at + 30 * DAY)

    assert list(notices("info_request_overdue_staff").values_list("user_id", flat=True)) == [staff.pk]


def test_info_request_answered_gets_no_reminder(waiting_proposal):
    proposal, _colleague, _staff = waiting_proposal
    asked = proposal.status_changed_at
    services.proposal_resubmit(proposal=proposal, by=proposal.owner, note="Budget attached.")

    sent = reminders.info_request_reminders_send(now=asked + 8 * DAY)

    assert sent == 0


def test_info_request_second_request_is_a_new_occasion(waiting_proposal):
    proposal, _colleague, staff = waiting_proposal
    first_asked = proposal.status_changed_at
    reminders.info_request_reminders_send(now=first_asked + 7 * DAY)
    services.proposal_resubmit(proposal=proposal, by=proposal.owner, note="Done.")
    services.proposal_request_info(proposal=proposal, by=staff, message="One more thing.")
    proposal.refresh_from_db()

    sent = reminders.info_request_reminders_send(now=proposal.status_changed_at + 7 * DAY)

    assert sent == 1
    assert notices("info_request_reminder", proposal.owner).count() == 2


# --- staff digest ------------------------------------------------------------------------------------------


def test_staff_digest_skipped_when_empty():
    StaffFactory()

    sent = reminders.staff_digest_send(now=timezone.now())

    assert sent is False
    assert not notices("staff_digest").exists()
    assert not SentReminder.objects.exists()


def test_staff_digest_lists_new_submissions_overdue_and_replies_once_a_day():
    service_levels()
    staff = StaffFactory(language="en")
    new = submitted_proposal()
    late = proposal_in(Status.SCREENING, staff=staff)
    Proposal.objects.filter(pk=late.pk).update(due_at=timezone.now() - DAY)
    services.message_post(proposal=late, by=late.owner, body="We sent the budget by post.")
    now = timezone.now() + datetime.timedelta(minutes=1)

    first = reminders.staff_digest_send(now=now)
    second = reminders.staff_digest_send(now=now + datetime.timedelta(minutes=5))

    assert (first, second) == (True, False)
    digest = notices("staff_digest", staff).get()
    assert new.reference in digest.body
    assert f"{late.reference} “{late.title}”: Screening" in digest.body
    assert "We sent the budget by post." in digest.body
    assert notices("staff_digest").count() == 1  # applicants never get it


def test_staff_digest_next_day_only_new_items():
    StaffFactory()
    submitted_proposal()
    now = timezone.now() + datetime.timedelta(minutes=1)
    reminders.staff_digest_send(now=now)

    next_day = reminders.staff_digest_send(now=now + DAY)

    assert next_day is False  # nothing new, nothing overdue
    assert notices("staff_digest").count() == 1


# --- beat wiring -------------------------------------------------------------------------------------------


def test_tasks_call_the_sweeps():
    quiet_draft(timezone.now() - 15 * DAY)

    assert tasks.proposal_reminders_sweep() == {"drafts": 1, "info_requests": 0}
    assert tasks.proposal_reminders_sweep() == {"drafts": 0, "info_requests": 0}


def test_reminder_schedules_registered_once_and_editable():
    PeriodicTask.objects.filter(task__startswith="proposals.tasks.").delete()

    created = reminder_schedules_ensure(apps)
    again = reminder_schedules_ensure(apps)

    assert (created, again) == (2, 0)
    rows = {t.task: t for t in PeriodicTask.objects.filter(task__startswith="proposals.tasks.")}
    assert set(rows) == {"proposals.tasks.proposal_reminders_sweep", "proposals.tasks.staff_digest_send"}
    digest = rows["proposals.tasks.staff_digest_send"].crontab
    assert (digest.minute, digest.hour, str(digest.timezone)) == ("30", "8", "Asia/Seoul")


# --- concurrency -----------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_one_reminder():
    assert connection.vendor == "postgresql"
    saved = timezone.now() - 20 * DAY
    draft = quiet_draft(saved)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            results.append(reminders.draft_reminders_send(now=saved + 14 * DAY))
        except Exception as exc:  # reported below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results) == [0, 1]
    assert notices("draft_stale_reminder", draft.owner).count() == 1
    assert OutboxEmail.objects.filter(event="draft_stale_reminder").count() == 1
