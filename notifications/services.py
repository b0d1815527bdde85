"""`notify()`: one call that tells people something, in their own language and time zone.

It writes an in-app Notice and (unless the person turned e-mail off for that kind) an OutboxEmail in the
caller's transaction, and asks Celery to deliver the e-mail once that transaction commits. If the broker is
down the row simply waits: `notifications.tasks.outbox_redrive` picks it up later. The kind must be declared
(`notifications.registry`, from the sending app's `notices.py`); its templates are that app's.
"""

import logging
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.db import IntegrityError, NotSupportedError, transaction
from django.db.models import CharField, Exists, Func, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.utils import timezone, translation

from audit.services import audit_record
from notifications.delivery import outbox_send as outbox_send  # re-exported: callers send a row they just wrote
from notifications.models import Notice, OutboxEmail, SentReminder, validate_notice_link
from notifications.preferences import email_enabled
from notifications.registry import kind_for
from notifications.tasks import outbox_deliver

logger = logging.getLogger(__name__)
_SPACES = re.compile(r"[ \t\r\n]+")  # not str.split(): it takes a no-break space for a space too


@dataclass(frozen=True)
class EmailAttachment:
    filename: str
    mimetype: str
    content: str


def _user_zone(user):
    tz = getattr(user, "time_zone", None) or "UTC"
    return zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz


def wants_email(user, event: str) -> bool:
    """Whether this person gets e-mail for this kind of notice (in-app notices always go out)."""
    return email_enabled(user=user, event=event)


def _language_of(user) -> str:
    return getattr(user, "language", None) or settings.LANGUAGE_CODE


def render_for(user, event: str, context: dict, *, language: str | None = None) -> tuple[str, str]:
    """Subject and body of `event` in the user's language (or `language`), with times in the user's time zone."""
    ctx = {"recipient": user, "site_url": settings.SITE_URL, **context}
    with translation.override(language or _language_of(user)), timezone.override(_user_zone(user)):
        subject = render_to_string(f"notifications/email/{event}.subject.txt", ctx, using="text").strip()
        body = render_to_string(f"notifications/email/{event}.body.txt", ctx, using="text").strip() + "\n"
    # Line breaks and runs of spaces from the template go; a no-break space (French "reçue :") stays.
    return _SPACES.sub(" ", subject).strip(), body


def notice_texts(user, event: str, context: dict, *, own: tuple[str, str] | None = None) -> dict[str, dict]:
    """The notice's title and text in every offered language ({language: {"title", "body"}}), each in the user's
    time zone, so it can be shown in whichever language its reader has when they read it (`own`: the user's own
    language's rendering, already made for the e-mail)."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        subject, body = own if own and language == _language_of(user) else render_for(user, event, context,
                                                                                   language=language)
        texts[language] = {"title": subject[:255], "body": body}
    return texts


def notify(
    *,
    event: str,
    recipients: Iterable,
    context: dict,
    url: str = "",
    attachments: Iterable[EmailAttachment] | Iterable[dict] = (),
    attachments_for=None,
) -> list[Notice]:
    """Tell each recipient about `event`. Call inside the service's transaction.

    `attachments_for(user)` may build per-recipient attachments (an ICS file in the recipient's language).
    """
    kind_for(event)  # a kind no app declared is the caller's bug: refuse it before anything is written
    validate_notice_link(url)  # before anything is written: a bad link is the caller's bug, not the reader's risk
    notices: list[Notice] = []
    outbox_ids: list[int] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        subject, body = render_for(user, event, context)
        texts = notice_texts(user, event, context, own=(subject, body))
        notices.append(Notice.objects.create(user=user, event=event, title=subject[:255], body=body, url=url,
                                             language=_language_of(user), texts=texts))
        if not wants_email(user, event):
            continue
        files = list(attachments_for(user)) if attachments_for else list(attachments)
        outbox_ids.append(_outbox_write(user=user, to_email=user.email, event=event, subject=subject, body=body,
                                        url=url, attachments=files))
    if outbox_ids:
        transaction.on_commit(lambda: _enqueue(outbox_ids))
    return notices


def notify_address(*, event: str, email: str, context: dict, url: str = "") -> OutboxEmail:
    """E-mail someone who has no account yet (an invitation). Rendered in the site's language and zone,
    since nothing is known of them; no in-app notice, as there is no one to show it to."""
    kind_for(event)
    validate_notice_link(url)
    stranger = SimpleNamespace(email=email, language=settings.LANGUAGE_CODE, time_zone="UTC", full_name="")
    subject, body = render_for(stranger, event, context)
    outbox_id = _outbox_write(user=None, to_email=email, event=event, subject=subject, body=body, url=url)
    transaction.on_commit(lambda: _enqueue([outbox_id]))
    return OutboxEmail.objects.get(pk=outbox_id)


def _outbox_write(*, user, to_email: str, event: str, subject: str, body: str, url: str, attachments=()) -> int:
    outbox = OutboxEmail.objects.create(
        user=user,
        to_email=to_email,
        event=event,
        subject=subject[:255],
        body=body + (f"\n{_absolute(url)}\n" if url else ""),
        attachments=[f.__dict__ if isinstance(f, EmailAttachment) else dict(f) for f in attachments],
    )
    return outbox.pk


def _absolute(url: str) -> str:
    return url if url.startswith("https://") else f"{settings.SITE_URL}{url}"


def _enqueue(outbox_ids: list[int]) -> None:
    for position, outbox_id in enumerate(outbox_ids):
        try:
            outbox_deliver.delay(outbox_id)
        except Exception:  # broker down: the rows stay pending and the redrive sweep sends them later
            # One failed publish already cost the retry policy's wait; don't pay it again for every recipient.
            logger.warning(
                "Broker unavailable; outbox e-mails %s left for the redrive sweep", outbox_ids[position:], exc_info=True
            )
            return


def reminder_claim(*, key: str) -> bool:
    """Claim a reminder occasion. True exactly once per key, even when two sweeps race (unique constraint)."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key)
    except IntegrityError:
        return False
    return True


class ReminderKeyTime(Func):
    """A datetime column spelled in SQL as the sweeps' keys spell it in Python, `value.astimezone(UTC).isoformat()`
    ("2026-03-03T00:00:00+00:00", with ".ffffff" only when there are microseconds): a key built in the query must
    match, character for character, the one claimed before (by this code or by the Python f-strings before it)."""

    arity = 1
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"Reminder keys are not spelled for {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        utc = f"(({sql}) AT TIME ZONE 'UTC')"
        return (
            f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            f"CASE WHEN to_char({utc}, 'US') = '000000' THEN '' ELSE to_char({utc}, '.US') END || '+00:00')",
            (*params, *params, *params),
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores an aware datetime on SQLite as str() of its naive UTC value: "2026-03-03 00:00:00[.ffffff]".
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(REPLACE({sql}, ' ', 'T') || '+00:00')", params


def reminder_key_sql(*parts) -> Concat:
    """The SQL twin of a reminder key's f-string: str parts are literal text, every other part an expression
    (F("pk"), ReminderKeyTime("start"), a Case) cast to text."""
    return Concat(
        *(Value(part) if isinstance(part, str) else Cast(part, CharField()) for part in parts), output_field=CharField()
    )


def reminders_unclaimed(queryset: QuerySet, *, key) -> QuerySet:
    """The rows of `queryset` whose reminder is not claimed yet, each carrying its key (`key`, see reminder_key_sql)
    as `reminder_key`. A sweep that filters in the query this way costs the same few queries however many rows are
    past their occasion already; reminder_claim still decides, so two sweeps racing send it once."""
    return queryset.annotate(reminder_key=key).filter(
        ~Exists(SentReminder.objects.filter(key=OuterRef("reminder_key")))
    )


def reminder_rows(queryset: QuerySet, *, key, limit: int) -> list:
    """Up to `limit` rows of `queryset` (in its order) whose reminder is unclaimed, each with `reminder_key`.

    Asked in two steps: a narrow query (no joins of the queryset's select_related, nothing prefetched) names them,
    and only when there are some are they loaded with everything the notices need, their keys spelled again from
    the rows as loaded (a session moved in between is reminded under its new time's key). With nothing due that is
    one cheap query: on PostgreSQL, planning the wide join alone costs more than running the narrow one."""
    pending = list(
        reminders_unclaimed(queryset.select_related(None).prefetch_related(None), key=key)
        .values_list("pk", flat=True)[:limit]
    )
    if not pending:
        return []
    return list(reminders_unclaimed(queryset.filter(pk__in=pending), key=key))


def notice_mark_read(*, user, notice_ids: Iterable[int] | None = None) -> int:
    qs = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=list(notice_ids))
    return qs.update(read_at=timezone.now())


def notice_create(*, by, user, title: str, body: str = "", url: str = "", event: str = "staff_notice") -> Notice:
    """A notice written by staff in the back office to one person (the link is checked like every notice's)."""
    with transaction.atomic():
        notice = Notice(user=user, event=event or "staff_notice", title=title, body=body, url=url)
        notice.full_clean()
        notice.save()
        audit_record(actor=by, action="notice.create", target=notice, data={"user": user.pk, "url": url})
    return notice


def notice_delete(*, by, notice: Notice) -> None:
    """Take back a notice (written to the wrong person, or with a wrong link); the audit row says which it was."""
    with transaction.atomic():
        audit_record(actor=by, action="notice.delete", target=notice,
                     data={"user": notice.user_id, "event": notice.event, "title": notice.title})
        notice.delete()
