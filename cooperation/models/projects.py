"""A cooperation project: what an approved proposal becomes, shared by the partner government, MOLIT, the Korean
contractors and the cooperation centre until it closes. Shaped after IATI 2.03 (identifier, activity status,
participating organisations with roles, sector), so the open-data file reads it as it is."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.textfields import BoundedTextField


class ActivityStatus(models.IntegerChoices):
    """IATI ActivityStatus codelist."""

    PIPELINE = 1, _("Pipeline / identification")
    IMPLEMENTATION = 2, _("Implementation")
    FINALISATION = 3, _("Finalisation")
    CLOSED = 4, _("Closed")
    CANCELLED = 5, _("Cancelled")
    SUSPENDED = 6, _("Suspended")


class ReportFrequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Every quarter")
    HALF_YEARLY = "half_yearly", _("Every six months")
    MILESTONES = "milestones", _("At each milestone's due date")


class Side(models.TextChoices):
    """The parties to a project, as they appear on work items, delegations and action items."""

    PARTNER = "partner", _("Partner government")
    MOLIT = "molit", _("MOLIT / secretariat")
    CONTRACTOR = "contractor", _("Korean contractor")
    CENTRE = "centre", _("Cooperation centre")


class Project(models.Model):
    """An approved proposal's project, opened when the committee's decision is released."""

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="project", verbose_name=_("proposal")
    )
    partner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="projects",
        verbose_name=_("partner organisation"),
    )
    # reporting-organisation reference + "-" + the proposal reference (IATI activity identifier)
    iati_identifier = models.CharField(_("IATI identifier"), max_length=100, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    description = BoundedTextField(_("description"), max_length=8000, blank=True)
    # Titles and descriptions in other languages: {"ko": {"title": "...", "description": "..."}}; English above.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    recipient_country = CountryField(_("recipient country"), blank=True)
    recipient_city = models.CharField(_("recipient city or region"), max_length=150, blank=True)
    sector_code = models.CharField(
        _("sector (OECD DAC purpose code)"), max_length=5, default="43030",
        help_text=_("43030 is urban development and management."),
    )
    activity_status = models.PositiveSmallIntegerField(
        _("activity status"), choices=ActivityStatus.choices, default=ActivityStatus.PIPELINE, db_index=True
    )
    cooperation_centre = models.ForeignKey(
        "proposals.CooperationCentre", on_delete=models.SET_NULL, null=True, blank=True, related_name="projects",
        verbose_name=_("cooperation centre"),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    support_amount_krw = models.PositiveBigIntegerField(_("approved budget (KRW)"))
    conditions = BoundedTextField(_("conditions"), max_length=4000, blank=True)
    report_frequency = models.CharField(
        _("progress reports"), max_length=20, choices=ReportFrequency.choices, default=ReportFrequency.QUARTERLY
    )
    results_agreed_at = models.DateTimeField(_("results framework agreed"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("opened by"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")
        indexes = [models.Index(fields=["-opened_at", "-id"], name="project_list_order"),
                   models.Index(fields=["recipient_country", "activity_status"], name="project_country_status")]

    def __str__(self):
        return _("Project %(id)s: %(title)s") % {"id": self.pk, "title": self.title or self.proposal.title}

    def get_absolute_url(self):
        return reverse("cooperation:project", args=[self.pk])

    def text(self, field: str, language: str | None = None) -> str:
        """`title` or `description` in `language` (the active one by default), falling back to English."""
        language = (language or get_language() or "en").split("-")[0]
        return (self.translations.get(language) or {}).get(field) or getattr(self, field)

    @property
    def is_open(self) -> bool:
        return self.activity_status in (ActivityStatus.PIPELINE, ActivityStatus.IMPLEMENTATION,
                                        ActivityStatus.FINALISATION, ActivityStatus.SUSPENDED)


class OrganisationRole(models.IntegerChoices):
    """IATI OrganisationRole codelist."""

    FUNDING = 1, _("Funding")
    ACCOUNTABLE = 2, _("Accountable")
    EXTENDING = 3, _("Extending")
    IMPLEMENTING = 4, _("Implementing")


class Participant(models.Model):
    """A participating organisation with its IATI role: MOLIT funding, the partner government accountable, the
    secretariat or cooperation centre extending, the Korean contractors and consortium members implementing.
    `organisation` links a portal organisation where there is one (the partner, a contractor)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    role = models.PositiveSmallIntegerField(_("role"), choices=OrganisationRole.choices)
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="project_roles",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    iati_ref = models.CharField(_("IATI organisation reference"), max_length=100, blank=True)
    # A consortium member's share of the work (regulatory-sandbox demonstrations report it per member).
    share_krw = models.PositiveBigIntegerField(_("share (KRW)"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["role", "order", "id"]
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        constraints = [models.UniqueConstraint(fields=["project", "role", "name"], name="participant_unique_role")]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class ProjectMember(models.Model):
    """A person working on a project beyond the partner organisation's own members (who take part through their
    membership): the implementing contractors' staff, whom staff invite, each for the participant they work for."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="people", verbose_name=_("works for")
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="project_member_unique")]

    def __str__(self):
        return f"{self.user} – {self.participant.name}"


class ProjectEvent(models.Model):
    """One line of the project's timeline, written by the service that made the change (in its transaction).
    `kind` names a text in cooperation.timeline.EVENT_TEXT, rendered in the viewer's language from `params`."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=50)
    params = models.JSONField(default=dict, blank=True)
    # Where the line points: a path inside the project (e.g. the milestone's page); blank for none.
    link = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["project", "-at", "-id"], name="project_event_timeline")]

    def __str__(self):
        return self.kind


class ProjectMessage(models.Model):
    """The project's shared thread (all parties that see the project read it)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = BoundedTextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at", "-id"], name="project_message_thread")]

    def __str__(self):
        return self.body[:60]


def document_path(instance, filename):
    # Random name: the original is kept in the database, never trusted on disk.
    return f"projects/{instance.project_id}/{secrets.token_hex(16)}"


class DocumentCategory(models.TextChoices):
    GENERAL = "general", _("General")
    DELIVERABLE = "deliverable", _("Deliverable")
    REPORT = "report", _("Progress report")
    PHOTO = "photo", _("Photo")
    EVIDENCE = "evidence", _("Evidence for an indicator")
    MINUTES = "minutes", _("Meeting papers and minutes")


class ProjectDocument(models.Model):
    """A file kept on the project. Deliverables, report photos and indicator evidence are documents too, so the
    documents tab lists everything, and `public` marks what the open register may show."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    category = models.CharField(_("category"), max_length=20, choices=DocumentCategory.choices,
                                default=DocumentCategory.GENERAL)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=document_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    public = models.BooleanField(_("public"), default=False,
                                 help_text=_("Shown on the public project register and in the open data."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        indexes = [models.Index(fields=["project", "-uploaded_at", "-id"], name="project_document_list")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:document-download", args=[self.project_id, self.pk])
