"""Consultants, their availability, session types, bookings and pre-consulting reports.

Free slots are never stored: `consulting.slots` computes them from the rules, overrides and bookings below.
Two bookings of one consultant can never overlap: on PostgreSQL an exclusion constraint (migration 0002) refuses
overlapping `blocked` ranges (the session plus its buffers); everywhere the booking service also locks the
consultant's row before checking.
"""

import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from timezone_field import TimeZoneField

from core.dates import time_in
from core.textfields import BoundedTextField
from core.translated import InReadersLanguage
from proposals.models import CooperationCentre, Proposal, SolutionCategory, Track

# Languages a consultant may speak in a session (ISO 639-1). Wider than the portal's own interface languages.
SESSION_LANGUAGES = [
    ("en", _("English")),
    ("ko", _("Korean")),
    ("id", _("Indonesian")),
    ("es", _("Spanish")),
    ("pl", _("Polish")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("th", _("Thai")),
    ("sw", _("Swahili")),
    ("vi", _("Vietnamese")),
]
SESSION_LANGUAGE_LABELS = dict(SESSION_LANGUAGES)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Consultant(models.Model):
    """A person who holds pre-consulting sessions (expert, secretariat or cooperation-centre staff)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultant_profile", verbose_name=_("user")
    )
    expertise = models.JSONField(
        _("expertise"), default=list, blank=True, help_text=_("Solution categories this consultant advises on.")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_("Languages spoken in sessions."))
    time_zone = TimeZoneField(_("time zone"), default="Asia/Seoul", use_pytz=False)
    cooperation_centre = models.ForeignKey(
        CooperationCentre, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultants",
        verbose_name=_("cooperation centre"),
    )
    bio = BoundedTextField(_("about"), max_length=4000, blank=True)
    ics_token = models.CharField(_("calendar feed secret"), max_length=64, unique=True, default=_new_token)
    meeting_url = models.URLField(
        _("default online meeting link"), max_length=300, blank=True,
        help_text=_("Used for your sessions that have no link of their own; shown only to the people in a session."),
    )
    is_active = models.BooleanField(_("taking bookings"), default=True)

    class Meta:
        ordering = ["user__full_name", "id"]
        verbose_name = _("consultant")
        verbose_name_plural = _("consultants")

    def __str__(self):
        return self.user.get_full_name()

    def get_absolute_url(self):
        return reverse("consulting:consultant-detail", args=[self.pk])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        tz = self.time_zone
        return zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz

    def expertise_labels(self) -> list[str]:
        return [SolutionCategory(c).label for c in self.expertise if c in SolutionCategory.values]

    def language_labels(self) -> list[str]:
        return [str(SESSION_LANGUAGE_LABELS.get(code, code)) for code in self.languages]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AvailabilityRule(models.Model):
    """A weekly range of working hours in the consultant's own time zone; several per day are fine."""

    consultant = models.ForeignKey(Consultant, on_delete=models.CASCADE, related_name="rules")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))

    class Meta:
        ordering = ["consultant", "weekday", "start_time"]
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        constraints = [
            models.CheckConstraint(condition=Q(start_time__lt=F("end_time")), name="availability_rule_start_before_end")
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {time_in(self.start_time)}-{time_in(self.end_time)}"


class DateOverride(models.Model):
    """Other hours on one date, or the whole day off. Any override on a date replaces that date's weekly rules."""

    consultant = models.ForeignKey(Consultant, on_delete=models.CASCADE, related_name="overrides")
    date = models.DateField(_("date"))
    unavailable = models.BooleanField(_("unavailable all day"), default=False)
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("e.g. public holiday, mission abroad"))

    class Meta:
        ordering = ["consultant", "date", "start_time"]
        verbose_name = _("date override")
        verbose_name_plural = _("date overrides")
        constraints = [
            models.CheckConstraint(
                condition=Q(unavailable=True) | Q(start_time__isnull=False, end_time__isnull=False,
                                                  start_time__lt=F("end_time")),
                name="date_override_day_off_or_range",
            )
        ]

    def __str__(self):
        if self.unavailable:
            return f"{self.date}: {_('unavailable')}"
        return f"{self.date} {time_in(self.start_time)}-{time_in(self.end_time)}"


class LocationKind(models.TextChoices):
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone call")
    OFFICE = "office", _("In person at the office")


class SessionType(models.Model):
    """A kind of session any consultant offers: length, buffers, notice, window, daily limit, place."""

    title = models.CharField(_("title"), max_length=150)
    description = BoundedTextField(_("description"), max_length=2000, blank=True)
    length_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    slot_interval_minutes = models.PositiveSmallIntegerField(
        _("start times every (minutes)"), default=30, help_text=_("Distance between offered start times.")
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(_("buffer before (minutes)"), default=0)
    buffer_after_minutes = models.PositiveSmallIntegerField(_("buffer after (minutes)"), default=0)
    minimum_notice_hours = models.PositiveSmallIntegerField(_("minimum notice (hours)"), default=24)
    booking_window_days = models.PositiveSmallIntegerField(_("bookable up to (days ahead)"), default=21)
    daily_limit = models.PositiveSmallIntegerField(
        _("sessions per consultant per day"), null=True, blank=True,
        help_text=_("At most this many sessions a day with one consultant; empty for no limit."),
    )
    location_kind = models.CharField(_("meeting place"), max_length=10, choices=LocationKind.choices,
                                     default=LocationKind.VIDEO)
    location_details = models.CharField(
        _("link, number or address"), max_length=300, blank=True,
    )
    link_after_booking_only = models.BooleanField(_("show the link only after booking"), default=True)
    cancellation_notice_hours = models.PositiveSmallIntegerField(_("minimum cancellation notice (hours)"), default=12)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["-length_minutes", InReadersLanguage("title").asc()]
        verbose_name = _("session type")
        verbose_name_plural = _("session types")
        constraints = [
            models.CheckConstraint(condition=Q(length_minutes__gt=0), name="session_type_length_positive"),
            models.CheckConstraint(condition=Q(slot_interval_minutes__gt=0), name="session_type_interval_positive"),
        ]

    def __str__(self):
        return _("%(title)s (%(minutes)s min)") % {"title": self.title, "minutes": self.length_minutes}


class BookingStatus(models.TextChoices):
    # Scheduled by a consultant, a cooperation centre or the secretariat: the time is held (the no-overlap
    # constraint counts it) until the applicant's team accepts it or picks another free time.
    INVITED = "invited", _("Awaiting the applicant's answer")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("No-show")


class Booking(models.Model):
    """One session with one consultant, in UTC. Written only by consulting.services."""

    consultant = models.ForeignKey(Consultant, on_delete=models.PROTECT, related_name="bookings",
                                   verbose_name=_("consultant"))
    session_type = models.ForeignKey(SessionType, on_delete=models.PROTECT, related_name="bookings",
                                     verbose_name=_("session type"))
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings", verbose_name=_("proposal")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consulting_bookings",
        verbose_name=_("booked by"),
    )
    questions = BoundedTextField(_("questions to discuss"), max_length=4000, blank=True)
    # Who the session is with on the applicant's side: the booker themselves (False), or the team of `proposal`
    # when a consultant, a cooperation centre or the secretariat scheduled it for them (True).
    scheduled_for_team = models.BooleanField(_("scheduled for the applicant's team"), default=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("accepted by"),
    )
    meeting_url = models.URLField(
        _("online meeting link"), max_length=300, blank=True,
        help_text=_("Empty: the consultant's default link. Shown only to the people in the session."),
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    # The session plus its buffers: what the exclusion constraint keeps apart.
    blocked_start = models.DateTimeField(editable=False)
    blocked_end = models.DateTimeField(editable=False)
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices,
                              default=BookingStatus.CONFIRMED, db_index=True)
    ics_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    manage_token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)
    # When the current start time was chosen (booking or last reschedule): decides which reminders still make sense.
    scheduled_at = models.DateTimeField(_("time chosen"))
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reason = BoundedTextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="booking_start_before_end"),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=F("start"), blocked_end__gte=F("end")), name="booking_blocked_covers"
            ),
        ]
        indexes = [models.Index(fields=["consultant", "start"])]

    def __str__(self):
        return f"{self.consultant} {self.start:%Y-%m-%d %H:%M} UTC ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("consulting:booking-detail", args=[self.pk])

    def get_manage_url(self):
        return reverse("consulting:booking-manage", args=[self.manage_token])

    @property
    def is_active(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def meeting_link(self) -> str:
        """The session's own online meeting link, else the consultant's default (for the participants only)."""
        return self.meeting_url or self.consultant.meeting_url


# A session still ahead of its people: it holds the consultant's time, gets reminders and can be moved.
LIVE_STATUSES = (BookingStatus.INVITED, BookingStatus.CONFIRMED)


class Recommendation(models.TextChoices):
    READY = "ready", _("Ready for committee")
    REVISE = "revise", _("Revise first")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


class PreConsultingReport(models.Model):
    """The consultant's report after a held session. The applicant sees the recommendation; the committee all."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="report",
                                   verbose_name=_("session"))
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="pre_consulting_reports",
        verbose_name=_("proposal"),
    )
    summary = BoundedTextField(_("summary"), max_length=10000)
    recommendation = models.CharField(_("recommendation"), max_length=20, choices=Recommendation.choices)
    suggested_changes = BoundedTextField(_("suggested changes"), max_length=10000, blank=True)
    filed_at = models.DateTimeField(_("filed"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("pre-consulting report")
        verbose_name_plural = _("pre-consulting reports")

    def __str__(self):
        return f"{self.booking}: {self.get_recommendation_display()}"


class ProposalClaim(models.Model):
    """A consultant took a proposal from the pre-consulting queue. One live claim per proposal (the partial unique
    constraint is the last word under concurrency); giving it back sets `released_at`. Written only by
    consulting.services.queue."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="consulting_claims",
                                 verbose_name=_("proposal"))
    consultant = models.ForeignKey(Consultant, on_delete=models.PROTECT, related_name="claims",
                                   verbose_name=_("consultant"))
    taken_at = models.DateTimeField(_("taken"))
    released_at = models.DateTimeField(_("given back"), null=True, blank=True)

    class Meta:
        ordering = ["-taken_at", "-id"]
        verbose_name = _("proposal taken from the queue")
        verbose_name_plural = _("proposals taken from the queue")
        constraints = [
            models.UniqueConstraint(fields=["proposal"], condition=Q(released_at__isnull=True),
                                    name="proposal_claim_one_live"),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.consultant}"


class ReportTemplate(models.Model):
    """What a consultant's report form starts with on a track (kept by staff in the back office)."""

    track = models.OneToOneField(Track, on_delete=models.CASCADE, related_name="report_template",
                                 verbose_name=_("track"))
    summary = BoundedTextField(_("summary"), max_length=10000, blank=True,
                               help_text=_("The headings or questions the summary should answer."))
    suggested_changes = BoundedTextField(_("suggested changes"), max_length=10000, blank=True)

    class Meta:
        ordering = ["track__programme__name", "track__order", "track__name"]
        verbose_name = _("pre-consulting report template")
        verbose_name_plural = _("pre-consulting report templates")

    def __str__(self):
        return str(self.track)
