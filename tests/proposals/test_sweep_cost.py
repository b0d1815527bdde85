"""What the proposals sweeps cost: the same few queries whatever the number of rows not due (or reminded already),
and each due reminder once. The occasions claimed before are written with the keys' Python spelling, as earlier
code claimed them."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notice, SentReminder
from proposals import reminders
from proposals.models import Proposal
from proposals.workflow import Status
from tests.factories import ProposalFactory, StaffFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
NOW = timezone.now().replace(microsecond=0)


def drafts(count: int, *, quiet_days: float, reminded: bool) -> list[Proposal]:
    made = []
    for n in range(count):
        draft = ProposalFactory()
        # Every other one on a whole second: the key spells microseconds only when there are some.
        saved = NOW - quiet_days * DAY - datetime.timedelta(microseconds=0 if n % 2 else 1234 + n)
        Proposal.objects.filter(pk=draft.pk).update(updated_at=saved)
        draft.refresh_from_db()
        if reminded:
            SentReminder.objects.create(key=f"draft-quiet:{draft.pk}:{draft.updated_at.isoformat()}")
        made.append(draft)
    return made


def waiting(count: int, *, days: int, reminded: bool) -> list[Proposal]:
    """Proposals waiting `days` for the applicant's answer (written straight to the table: the sweep reads only
    the status and since when)."""
    occasion = "7d" if days < 21 else "21d" if days < 30 else "30d-staff"  # the latest threshold passed
    made = []
    for n in range(count):
        proposal = ProposalFactory(status=Status.INFO_REQUESTED)
        asked = NOW - days * DAY - datetime.timedelta(microseconds=0 if n % 2 else 777 + n)
        Proposal.objects.filter(pk=proposal.pk).update(status_changed_at=asked)
        proposal.refresh_from_db()
        if reminded:
            SentReminder.objects.create(
                key=f"info-request:{proposal.pk}:{proposal.status_changed_at.isoformat()}:{occasion}"
            )
        made.append(proposal)
    return made


# --- drafts --------------------------------------------------------------------------------------------------


def test_draft_sweep_one_query_whatever_the_number_of_drafts_not_due(django_assert_num_queries):
    for size in (3, 6):
        drafts(3, quiet_days=20, reminded=True)  # reminded for this quiet spell already
        drafts(size - 3 + 1, quiet_days=5, reminded=False)  # not quiet long enough

        with django_assert_num_queries(1):
            assert reminders.draft_reminders_send(now=NOW) == 0


def test_draft_sweep_sends_each_due_once_then_one_query(django_assert_num_queries):
    drafts(4, quiet_days=30, reminded=True)
    due = drafts(3, quiet_days=15, reminded=False)

    first = reminders.draft_reminders_send(now=NOW)
    with django_assert_num_queries(1):
        second = reminders.draft_reminders_send(now=NOW + datetime.timedelta(hours=1))

    assert (first, second) == (3, 0)
    assert sorted(Notice.objects.filter(event="draft_stale_reminder").values_list("user_id", flat=True)) == sorted(
        d.owner_id for d in due
    )


def test_draft_sweep_sends_a_batch_per_run(monkeypatch):
    monkeypatch.setattr(reminders, "SWEEP_BATCH", 2)
    drafts(3, quiet_days=15, reminded=False)

    runs = [reminders.draft_reminders_send(now=NOW) for _ in range(3)]

    assert runs == [2, 1, 0]
    assert Notice.objects.filter(event="draft_stale_reminder").count() == 3


# --- information requests ------------------------------------------------------------------------------------


def test_info_request_sweep_one_query_whatever_the_number_reminded(django_assert_num_queries):
    for _round in range(2):
        waiting(2, days=10, reminded=True)
        waiting(2, days=25, reminded=True)
        waiting(2, days=45, reminded=True)
        waiting(1, days=3, reminded=False)  # not due before 7 days

        with django_assert_num_queries(1):
            assert reminders.info_request_reminders_send(now=NOW) == 0


def test_info_request_sweep_sends_each_due_once_then_one_query(django_assert_num_queries):
    staff = StaffFactory()
    waiting(3, days=45, reminded=True)
    team = waiting(1, days=22, reminded=False)[0]
    late = waiting(1, days=31, reminded=False)[0]

    first = reminders.info_request_reminders_send(now=NOW)
    with django_assert_num_queries(1):
        second = reminders.info_request_reminders_send(now=NOW + datetime.timedelta(hours=1))

    assert (first, second) == (2, 0)
    assert list(Notice.objects.filter(event="info_request_reminder").values_list("user_id", flat=True)) == [
        team.owner_id
    ]
    assert list(Notice.objects.filter(event="info_request_overdue_staff").values_list("user_id", "url")) == [
        (staff.pk, f"/admin/proposals/proposal/{late.pk}/change/")
    ]
    assert SentReminder.objects.filter(key__endswith=":21d", key__startswith=f"info-request:{team.pk}:").exists()


# --- staff digest --------------------------------------------------------------------------------------------


def overdue(count: int) -> None:
    for _ in range(count):
        proposal = ProposalFactory(status=Status.SCREENING)
        Proposal.objects.filter(pk=proposal.pk).update(due_at=NOW - DAY, reference=f"KCN-T-{proposal.pk}")


def test_digest_one_query_once_today_went_out(django_assert_num_queries):
    StaffFactory()
    for size in (3, 6):
        overdue(size - Proposal.objects.count())
        SentReminder.objects.get_or_create(key=f"{reminders.DIGEST_KEY_PREFIX}{NOW.astimezone(reminders.SEOUL):%Y-%m-%d}")

        with django_assert_num_queries(1):
            assert reminders.staff_digest_send(now=NOW) is False


def test_digest_with_nothing_to_report_five_queries(django_assert_num_queries):
    StaffFactory()

    with django_assert_num_queries(5):
        assert reminders.staff_digest_send(now=NOW) is False


def test_digest_queries_do_not_grow_with_the_overdue_list(django_assert_num_queries):
    StaffFactory(language="en")
    StaffFactory(language="ko")
    for size in (3, 6):
        SentReminder.objects.filter(key__startswith=reminders.DIGEST_KEY_PREFIX).delete()
        Notice.objects.all().delete()
        overdue(size - Proposal.objects.count())

        # 5 reads, the claim (2 savepoints, insert, 2 releases), the staff, and a notice and an e-mail per member
        with django_assert_num_queries(15):
            assert reminders.staff_digest_send(now=NOW) is True

        bodies = list(Notice.objects.filter(event="staff_digest").values_list("body", flat=True))
        assert len(bodies) == 2
        assert all(p.reference in body for p in Proposal.objects.all() for body in bodies)
