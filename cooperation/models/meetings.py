"""Joint committees, bilateral talks, centre consultations and site visits: delegations from both sides, an agenda
whose items end in an outcome, action items with an owner on a side that carry over to the next session until
closed, and minutes that both sides acknowledge before they become final and immutable."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from timezone_field import TimeZoneField

from cooperation.models.projects import Project, Side
from core.textfields import BoundedTextField


class MeetingKind(models.TextChoices):
    JOINT_COMMITTEE = "joint_committee", _("Intergovernmental joint committee")
    BILATERAL = "bilateral", _("Bilateral talks")
    CENTRE_CONSULTATION = "centre_consultation", _("Cooperation-centre consultation")
    SITE_VISIT = "site_visit", _("Site visit")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class CooperationMeeting(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices)
    session_number = models.PositiveSmallIntegerField(_("session number"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The venue's time zone: the page shows the time there and in the viewer's own zone.
    time_zone = TimeZoneField(_("time zone of the venue"), default="Asia/Seoul", use_pytz=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    facilitating_centre = models.ForeignKey(
        "proposals.CooperationCentre", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("facilitating cooperation centre"),
    )
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Why it was cancelled (or a note on holding it); who moved it and when.
    status_note = BoundedTextField(_("note on the status"), max_length=2000, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                          blank=True, related_name="+")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("cooperation meeting")
        verbose_name_plural = _("cooperation meetings")
        constraints = [models.UniqueConstraint(fields=["project", "kind", "session_number"],
                                               name="cooperation_meeting_session_unique"),
                       models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="cooperation_meeting_order")]
        indexes = [models.Index(fields=["project", "-starts_at", "-id"], name="cooperation_meeting_list")]

    def __str__(self):
        return _("%(kind)s, session %(number)s") % {"kind": self.get_kind_display(), "number": self.session_number}


class Delegate(models.Model):
    meeting = models.ForeignKey(CooperationMeeting, on_delete=models.CASCADE, related_name="delegates")
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    is_head = models.BooleanField(_("head of delegation"), default=False)
    # The delegate's portal account, when they have one: an overdue action item of their side is escalated to the
    # head of that side's delegation too.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("portal account"))

    class Meta:
        ordering = ["side", "-is_head", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "side"], condition=models.Q(is_head=True),
                                               name="cooperation_delegate_one_head")]

    def __str__(self):
        return self.name


class OutcomeKind(models.TextChoices):
    INFORMATION = "information", _("For information")
    DECISION = "decision", _("Decision")
    ACTION = "action", _("Action item")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(CooperationMeeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("agenda item"), max_length=300)
    outcome_kind = models.CharField(_("outcome"), max_length=20, choices=OutcomeKind.choices, blank=True)
    outcome = BoundedTextField(_("outcome recorded"), max_length=4000, blank=True)
    # A decision that changed the work plan or the indicators links to the change it approved
    # (a DueDateRevision, an IndicatorPeriod, a budget revision...).
    approved_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_id = models.PositiveBigIntegerField(null=True, blank=True)
    approved_change = GenericForeignKey("approved_type", "approved_id")

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="cooperation_agenda_order")]

    def __str__(self):
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItem(models.Model):
    """An action a meeting agreed, owned by a side (and a person on it), tracked until it is done: an open item is
    carried into every later session of the project (`carried_into`) until it closes."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(CooperationMeeting, on_delete=models.PROTECT, related_name="action_items",
                                verbose_name=_("agreed at"))
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="action_items")
    title = models.CharField(_("action"), max_length=300)
    owner_side = models.CharField(_("owner side"), max_length=20, choices=Side.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="cooperation_actions", verbose_name=_("owner"))
    owner_name = models.CharField(_("owner's name"), max_length=150, blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    closing_note = BoundedTextField(_("how it was done"), max_length=2000, blank=True)
    carried_into = models.ManyToManyField(CooperationMeeting, blank=True, related_name="carried_actions")
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["status", "due_date"], name="action_item_due"),
                   models.Index(fields=["project", "status", "due_date"], name="action_item_project")]

    def __str__(self):
        return self.title


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FOR_ACKNOWLEDGMENT = "for_acknowledgment", _("Awaiting acknowledgment")
    FINAL = "final", _("Final")


class CooperationMinutes(models.Model):
    """A meeting's minutes: drafted, then put to both sides; each side's acknowledgment is recorded, and when both
    have acknowledged they are final and never change."""

    meeting = models.OneToOneField(CooperationMeeting, on_delete=models.CASCADE, related_name="minutes")
    body = BoundedTextField(_("minutes"), max_length=20000)
    status = models.CharField(_("status"), max_length=20, choices=MinutesStatus.choices,
                              default=MinutesStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    korean_ack_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    korean_ack_at = models.DateTimeField(null=True, blank=True)
    partner_ack_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    partner_ack_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes of a cooperation meeting")
        verbose_name_plural = _("minutes of cooperation meetings")

    def __str__(self):
        return str(self.meeting)

    def save(self, *args, **kwargs):
        # The services refuse first, with the reason; this is the floor under every other path (shell, admin, bulk
        # code that forgot): a final record is never rewritten or removed.
        if self.pk and CooperationMinutes.objects.filter(pk=self.pk, status=MinutesStatus.FINAL).exists():
            raise ValidationError(_("Final minutes cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and CooperationMinutes.objects.filter(pk=self.pk, status=MinutesStatus.FINAL).exists():
            raise ValidationError(_("Final minutes cannot be changed."))
        return super().delete(*args, **kwargs)
