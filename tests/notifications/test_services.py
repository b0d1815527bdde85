"""notify(): notice + outbox e-mail in the caller's transaction, rendered for the recipient; outbox_send once."""

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import Notice, OutboxEmail
from notifications.services import EmailAttachment, notify, outbox_send
from notifications.tasks import outbox_redrive
from proposals.models import StatusChange
from proposals.workflow import Status
from tests.factories import ProposalFactory, UserFactory, aware

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved_proposal():
    """A proposal sent back for information, due at 23:59:59 on 28 December 2026 in Seoul."""
    proposal = ProposalFactory(
        title="Flood sensors for Semarang", reference="KCN-2026-0042", status=Status.INFO_REQUESTED,
        due_at=aware(2026, 12, 28, 23, 59, 59),
    )
    change = StatusChange.objects.create(
        proposal=proposal, from_status=Status.SCREENING, to_status=Status.INFO_REQUESTED, note="Send the budget."
    )
    return proposal, change


def _notify_moved(proposal, change, recipients, **kwargs):
    return notify(
        event="proposal_status_changed",
        recipients=recipients,
        context={"proposal": proposal, "change": change, "source_label": Status.SCREENING.label,
                 "target_label": Status.INFO_REQUESTED.label},
        url=f"/proposals/{proposal.pk}/",
        **kwargs,
    )


def test_notify_renders_due_date_as_the_seoul_office_day(moved_proposal):
    proposal, change = moved_proposal
    in_jakarta = UserFactory(full_name="Siti Rahma", language="en", time_zone="Asia/Jakarta")
    in_seoul = UserFactory(full_name="Kim Minji", language="en", time_zone="Asia/Seoul")

    _notify_moved(proposal, change, [in_jakarta, in_seoul])

    jakarta_mail = OutboxEmail.objects.get(user=in_jakarta)
    seoul_mail = OutboxEmail.objects.get(user=in_seoul)
    # The same office day for both; a reader outside Seoul is told whose day it is.
    assert "Next step due by 28 December 2026 (Seoul office day)." in jakarta_mail.body
    assert "Next step due by 28 December 2026." in seoul_mail.body


def test_notify_writes_notice_and_outbox_with_exact_text(moved_proposal):
    proposal, change = moved_proposal
    siti = UserFactory(full_name="Siti Rahma", email="siti@example.org", language="en", time_zone="Asia/Jakarta")

    notices = _notify_moved(proposal, change, [siti])

    notice = Notice.objects.get()
    assert notices == [notice]
    assert (notice.user, notice.event, notice.title, notice.url) == (
        siti, "proposal_status_changed", "KCN-2026-0042: Information requested", f"/proposals/{proposal.pk}/"
    )
    outbox = OutboxEmail.objects.get()
    assert (outbox.to_email, outbox.subject, outbox.state, outbox.attempts) == (
        "siti@example.org", "KCN-2026-0042: Information requested", "pending", 0
    )
    assert outbox.body == (
        "Dear Siti Rahma,\n\n"
        "The proposal “Flood sensors for Semarang” has moved from “Screening” to “Information requested”.\n\n"
        "Message:\nSend the budget.\n\n"
        "Next step due by 28 December 2026 (Seoul office day).\n\n"
        "See the details in your workspace:\n"
        f"\nhttp://127.0.0.1:8000/proposals/{proposal.pk}/\n"
    )


def test_notify_renders_in_the_recipients_language(moved_proposal):
    proposal, change = moved_proposal
    korean = UserFactory(language="ko", time_zone="Asia/Seoul")

    _notify_moved(proposal, change, [korean])

    # Django's Korean date format proves the template ran under the recipient's language.
    assert "2026년 12월 28일" in OutboxEmail.objects.get().body


def test_notify_rolled_back_with_the_callers_transaction(moved_proposal, django_capture_on_commit_callbacks):
    proposal, change = moved_proposal
    siti = UserFactory()

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        _notify_moved(proposal, change, [siti])
        raise RuntimeError("the service failed after notifying")

    assert (Notice.objects.count(), OutboxEmail.objects.count(), len(callbacks)) == (0, 0, 0)


def test_notify_enqueues_delivery_only_on_commit(moved_proposal, django_capture_on_commit_callbacks):
    proposal, change = moved_proposal

    with django_capture_on_commit_callbacks() as callbacks:
        _notify_moved(proposal, change, [UserFactory(), UserFactory()])

    assert len(callbacks) == 1
    assert OutboxEmail.objects.filter(state="pending").count() == 2


def test_notify_email_opt_out_keeps_notice_but_writes_no_email(moved_proposal, django_capture_on_commit_callbacks):
    proposal, change = moved_proposal
    quiet = UserFactory(email_opt_out=["proposal_status_changed"])

    with django_capture_on_commit_callbacks() as callbacks:
        _notify_moved(proposal, change, [quiet])

    assert (Notice.objects.filter(user=quiet).count(), OutboxEmail.objects.count(), len(callbacks)) == (1, 0, 0)


def test_notify_opt_out_of_another_kind_still_emails(moved_proposal):
    proposal, change = moved_proposal
    user = UserFactory(email_opt_out=["proposal_message"])

    _notify_moved(proposal, change, [user])

    assert OutboxEmail.objects.filter(user=user).count() == 1


def test_notify_skips_inactive_none_and_duplicate_recipients(moved_proposal):
    proposal, change = moved_proposal
    active, inactive = UserFactory(), UserFactory(is_active=False)

    notices = _notify_moved(proposal, change, [active, None, inactive, active])

    assert [n.user for n in notices] == [active]
    assert list(OutboxEmail.objects.values_list("to_email", flat=True)) == [active.email]


def test_notify_per_recipient_attachments(moved_proposal):
    proposal, change = moved_proposal
    siti, kim = UserFactory(time_zone="Asia/Jakarta"), UserFactory(time_zone="Asia/Seoul")

    _notify_moved(
        proposal, change, [siti, kim],
        attachments_for=lambda user: [EmailAttachment("note.txt", "text/plain", f"For {user.time_zone}")],
    )

    assert OutboxEmail.objects.get(user=siti).attachments == [
        {"filename": "note.txt", "mimetype": "text/plain", "content": "For Asia/Jakarta"}
    ]
    assert OutboxEmail.objects.get(user=kim).attachments[0]["content"] == "For Asia/Seoul"


# --- sending ---------------------------------------------------------------------------------------------


def _pending(**kwargs):
    return OutboxEmail.objects.create(
        to_email=kwargs.pop("to_email", "siti@example.org"), event="proposal_acknowledged",
        subject="Proposal received: KCN-2026-0001", body="Thank you.\n", **kwargs,
    )


def test_outbox_send_sends_exactly_once():
    outbox = _pending(attachments=[{"filename": "a.ics", "mimetype": "text/calendar", "content": "BEGIN:VCALENDAR"}])

    first = outbox_send(outbox_id=outbox.pk)
    second = outbox_send(outbox_id=outbox.pk)

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.to, sent.subject, sent.body, sent.from_email) == (
        ["siti@example.org"], "Proposal received: KCN-2026-0001", "Thank you.\n",
        "K-City Network <no-reply@kcity-network.example>",
    )
    assert sent.attachments[0][:2] == ("a.ics", "BEGIN:VCALENDAR")
    outbox.refresh_from_db()
    assert (outbox.state, outbox.attempts, outbox.last_error, outbox.sent_at is not None) == ("sent", 1, "", True)


def test_outbox_send_smtp_failure_is_recorded_and_raised(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    outbox = _pending()

    with pytest.raises(ConnectionRefusedError):
        outbox_send(outbox_id=outbox.pk)

    outbox.refresh_from_db()
    assert (outbox.state, outbox.attempts, outbox.sent_at) == ("pending", 1, None)
    assert outbox.last_error.startswith("ConnectionRefusedError: ")


def test_outbox_send_gives_up_after_max_attempts(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    settings.OUTBOX_MAX_ATTEMPTS = 2
    outbox = _pending()

    for _ in range(2):
        with pytest.raises(ConnectionRefusedError):
            outbox_send(outbox_id=outbox.pk)

    outbox.refresh_from_db()
    assert (outbox.state, outbox.attempts) == ("failed", 2)
    assert outbox_send(outbox_id=outbox.pk) is False


def test_outbox_redrive_sends_pending_older_than_the_cutoff_only():
    pending = [_pending(to_email="a@example.org"), _pending(to_email="b@example.org")]
    already = _pending(to_email="c@example.org", state="sent")

    skipped_as_recent = outbox_redrive(older_than_seconds=3600)
    sent = outbox_redrive(older_than_seconds=0)

    assert (skipped_as_recent, sent) == (0, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert set(OutboxEmail.objects.filter(pk__in=[p.pk for p in pending]).values_list("state", flat=True)) == {"sent"}
    already.refresh_from_db()
    assert already.attempts == 0


def test_outbox_redrive_keeps_going_past_a_failure(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    _pending(to_email="a@example.org"), _pending(to_email="b@example.org")

    sent = outbox_redrive(older_than_seconds=0)

    assert sent == 0
    assert list(OutboxEmail.objects.order_by("to_email").values_list("attempts", "state")) == [
        (1, "pending"), (1, "pending")
    ]


def test_invitation_to_someone_without_an_account_is_an_outbox_email_without_notice():
    from proposals.services import invitation_create

    proposal = ProposalFactory()
    proposal.owner.full_name = "Dewi Lestari"
    proposal.owner.save()

    invitation = invitation_create(proposal=proposal, by=proposal.owner, email="New.Colleague@Example.org")

    outbox = OutboxEmail.objects.get()
    assert (outbox.user, outbox.to_email, outbox.event, outbox.state) == (
        None, "new.colleague@example.org", "collaborator_invited", "pending"
    )
    assert outbox.subject == "Dewi Lestari invites you to work on a K-City Network proposal"
    assert outbox.body.endswith(f"http://127.0.0.1:8000/proposals/invitations/{invitation.token}/\n")
    assert Notice.objects.count() == 0
