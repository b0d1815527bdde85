from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.textfields import BoundedTextField


def validate_notice_link(value: str) -> None:
    """A notice links to a path on this site or to an https:// address, nothing else.

    The one check for every notice (the model field, notify() and the admin form all run it): a `javascript:` or
    `data:` link would run in the reader's session, and `//host` or `/\\host` is another site in disguise.
    """
    if not value:
        return
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value) or "\\" in value:
        raise ValidationError(_("A link cannot contain spaces, control characters or backslashes."),
                              code="invalid_link")
    if value.startswith("/") and not value.startswith("//"):
        return
    parts = urlsplit(value)
    if parts.scheme == "https" and value[:8].lower() == "https://" and parts.hostname:
        return
    raise ValidationError(
        _("A link must be a path on this site (starting with /) or an https:// address."), code="invalid_link"
    )


class Notice(models.Model):
    """An in-app notice. Always written; e-mail is the extra channel.

    It is shown in the language its reader has when they look at it, not the one they had when it was written:
    notify() renders the kind's templates in every offered language at once, in the recipient's time zone, into
    `texts` ({language: {"title", "body"}}). Rendering then, not when it is read, keeps what it says true to the
    moment (a proposal's status, a session's time), and the list costs no template per row. `title` and `body`
    hold the text in `language` (the recipient's at the time): what is shown where `texts` lacks the reader's
    language (notices written before, a staff member's notice in the language they wrote it in)."""

    # No index of its own: the two below start with the user and serve every lookup by user (deletes included).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices",
                             db_index=False)
    event = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=255)
    body = BoundedTextField(_("text"), max_length=20000, blank=True)
    language = models.CharField(_("language of the text"), max_length=10, blank=True,
                                help_text=_("Empty when not known (a notice written by staff)."))
    texts = models.JSONField(_("text in every language"), default=dict, blank=True, editable=False)
    url = models.CharField(
        _("link"), max_length=500, blank=True, validators=[validate_notice_link],
        help_text=_("A path on this site (for example /proposals/) or an https:// address."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            # A person's notices newest first (the notice list's order, a page at a time).
            models.Index(fields=["user", "-created_at", "-id"], name="notice_user_newest"),
            # The unread count on every page, and "mark all as read": only unread rows, a small index.
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notice_user_unread"),
        ]

    def __str__(self):
        return self.title


class OutboxEmail(models.Model):
    """An e-mail written in the caller's transaction and delivered by Celery; nothing is lost if the broker is down."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="outbox_emails"
    )
    to_email = models.EmailField(_("to"))
    event = models.CharField(_("kind"), max_length=60)
    subject = models.CharField(_("subject"), max_length=255)
    body = BoundedTextField(_("text"), max_length=100000)  # written by the portal from templates
    attachments = models.JSONField(
        default=list, blank=True, help_text="List of {filename, mimetype, content} with text content."
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = BoundedTextField(_("last error"), max_length=2000, blank=True)  # services cut it to this
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The redrive sweep (notifications.tasks.outbox_redrive) reads only what is still waiting, oldest first.
        indexes = [models.Index(fields=["created_at", "id"], condition=Q(state="pending"), name="outbox_pending")]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return f"{self.to_email}: {self.subject}"


class SentReminder(models.Model):
    """One row per reminder occasion: the unique key makes every reminder go out exactly once,
    however often (or concurrently) a sweep runs."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")

    def __str__(self):
        return self.key
