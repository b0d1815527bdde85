import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from accounts.models import Organisation, OrganisationKind
from core.search import search_text
from core.textfields import BoundedTextField
from core.translated import InReadersLanguage
from proposals.workflow import DECIDED_BY_COMMITTEE, OPEN_STATES, Status, status_label_for


class Programme(models.Model):
    """A funding scheme run through the portal (K-City Network; the regulatory sandbox)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    reference_prefix = models.CharField(
        _("reference prefix"), max_length=8, unique=True, help_text=_("Start of every reference, e.g. KCN.")
    )
    description = BoundedTextField(_("description"), max_length=4000, blank=True)
    cutoff_month = models.PositiveSmallIntegerField(
        _("cut-off month"), default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    cutoff_day = models.PositiveSmallIntegerField(
        _("cut-off day"), default=30, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    is_active = models.BooleanField(_("accepting proposals"), default=True)

    class Meta:
        ordering = [InReadersLanguage("name").asc()]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name

    def default_cutoff(self, year: int) -> datetime.date:
        # Feb 29 and similar: fall back to the month's last day.
        day = self.cutoff_day
        while True:
            try:
                return datetime.date(year, self.cutoff_month, day)
            except ValueError:
                day -= 1


class SolutionCategory(models.TextChoices):
    MOBILITY = "mobility", _("Mobility and transport")
    ENERGY = "energy", _("Energy")
    WATER = "water", _("Water")
    SAFETY = "safety", _("Safety and security")
    DATA_PLATFORM = "data_platform", _("Data platform and digital twin")
    ENVIRONMENT = "environment", _("Environment and waste")
    GOVERNANCE = "governance", _("E-government and administration")
    HOUSING = "housing", _("Housing and land use")
    HEALTH = "health", _("Health and welfare")
    OTHER = "other", _("Other")


class AttachmentKind(models.TextChoices):
    OFFICIAL_LETTER = "official_letter", _("Official request letter")
    CONCEPT_NOTE = "concept_note", _("Concept note")
    BUDGET = "budget", _("Budget sheet")
    SITE_INFORMATION = "site_information", _("Site information and photos")
    CONSORTIUM_AGREEMENT = "consortium_agreement", _("Consortium agreement")
    OTHER = "other", _("Other document")


class CountryRule(models.TextChoices):
    ANY = "any", _("Any country")
    KOREA_ONLY = "korea_only", _("Korea only")
    OUTSIDE_KOREA = "outside_korea", _("Outside Korea only")
    LISTED = "listed", _("Only the countries listed")


KOREA = "KR"


class Track(models.Model):
    """A project type within a programme, with its own eligibility, cap and required documents."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="tracks")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"))
    description = BoundedTextField(_("description"), max_length=4000, blank=True)
    eligible_organisation_kinds = models.JSONField(
        _("eligible organisation kinds"), default=list, help_text=_("Organisation kinds that may apply.")
    )
    # Eligibility as data (proposals.eligibility reads it when the track is chosen, on every step and at submit).
    applicant_country_rule = models.CharField(
        _("where the applicant organisation is"), max_length=20, choices=CountryRule.choices, default=CountryRule.ANY,
        help_text=_("The country the applicant organisation is registered in."),
    )
    eligible_countries = models.JSONField(
        _("countries allowed"), default=list, blank=True,
        help_text=_("ISO codes, e.g. [\"CO\", \"ID\"]; used when the rule is \"Only the countries listed\"."),
    )
    site_country_rule = models.CharField(
        _("where the project takes place"), max_length=20, choices=CountryRule.choices, default=CountryRule.ANY,
        help_text=_("The proposal's country (the site of the plan or demonstration)."),
    )
    consortium_required = models.BooleanField(
        _("consortium required"), default=False,
        help_text=_("The proposal must name its partner organisations before it is submitted."),
    )
    consortium_description = models.CharField(
        _("consortium rule in plain words"), max_length=300, blank=True,
        help_text=_("Shown to applicants, e.g. \"A Korean local government with at least one company.\""),
    )
    support_cap_krw = models.PositiveBigIntegerField(_("support cap (KRW)"))
    required_attachment_kinds = models.JSONField(_("required attachments"), default=list, blank=True)
    pre_consulting_required = models.BooleanField(_("pre-consulting required before committee review"), default=True)
    default_reviewer_count = models.PositiveSmallIntegerField(_("reviewers per proposal"), default=3)
    is_active = models.BooleanField(_("open"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", InReadersLanguage("name").asc()]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [models.UniqueConstraint(fields=["programme", "slug"], name="track_unique_slug")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        codes = self.eligible_countries
        known = dict(countries)
        if not isinstance(codes, list) or any(not isinstance(c, str) or c.upper() not in known for c in codes):
            raise ValidationError({"eligible_countries": _("List countries by their two-letter ISO codes.")})
        self.eligible_countries = sorted({c.upper() for c in codes})
        if self.applicant_country_rule == CountryRule.LISTED and not self.eligible_countries:
            raise ValidationError({"eligible_countries": _("List at least one country for this rule.")})
        kinds = self.eligible_organisation_kinds
        if not isinstance(kinds, list) or any(k not in OrganisationKind.values for k in kinds):
            raise ValidationError({"eligible_organisation_kinds": _(
                "Choose organisation kinds from the list: %(kinds)s.") % {"kinds": ", ".join(OrganisationKind.values)}})

    def eligible_kind_labels(self):
        return [OrganisationKind(k).label for k in self.eligible_organisation_kinds if k in OrganisationKind.values]

    def required_attachment_labels(self):
        return [AttachmentKind(k).label for k in self.required_attachment_kinds if k in AttachmentKind.values]


class Cycle(models.Model):
    """A yearly selection round. Intake never closes; the cut-off decides which round a proposal joins."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cycles")
    year = models.PositiveSmallIntegerField(_("year"))
    cutoff = models.DateField(_("cut-off date"))
    # The committee decides the cycle's proposals after its cut-off: applicants in committee review are told
    # this date (proposals.service_levels.due_at_for), not a fixed number of days.
    decision_date = models.DateField(
        _("expected decision date"), null=True, blank=True,
        help_text=_("The committee meeting that decides this cycle (after the cut-off). Empty: the committee "
                    "review target in working days after the cut-off."),
    )

    class Meta:
        ordering = ["programme", "-year"]
        verbose_name = _("selection cycle")
        verbose_name_plural = _("selection cycles")
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="cycle_unique_year")]

    def __str__(self):
        return _("%(programme)s %(year)s cycle") % {"programme": self.programme.reference_prefix, "year": self.year}

    def clean(self):
        super().clean()
        if self.decision_date and self.cutoff and self.decision_date <= self.cutoff:
            raise ValidationError({"decision_date": _("The decision comes after the cut-off date.")})


class CooperationCentre(models.Model):
    """A local cooperation centre (KOTRA trade centre) that discovers projects in its region."""

    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    covered_countries = models.JSONField(
        _("countries covered"), default=list, blank=True, help_text=_("ISO codes of the countries it follows.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cooperation_centres", verbose_name=_("staff")
    )

    class Meta:
        ordering = [InReadersLanguage("name").asc()]
        verbose_name = _("cooperation centre")
        verbose_name_plural = _("cooperation centres")

    def __str__(self):
        return f"{self.name} ({self.city})"


class ServiceLevel(models.Model):
    """How long a proposal should wait in a state before the next step is due (editable by staff)."""

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("target in days"))
    working_days = models.BooleanField(_("count working days only"), default=True)
    next_step = models.CharField(_("next step (shown to the applicant)"), max_length=200)

    class Meta:
        ordering = ["status"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    def __str__(self):
        return f"{Status(self.status).label}: {self.days}"


class JurisdictionLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional / provincial")
    CITY = "city", _("City / municipal")


class Proposal(models.Model):
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("track"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("applicant organisation")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_proposals",
        verbose_name=_("authorised submitter"),
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="shared_proposals", verbose_name=_("collaborators")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals", verbose_name=_("cycle")
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised on every save; guards against concurrent edits.")
    )
    cooperation_centre = models.ForeignKey(
        CooperationCentre, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals",
        verbose_name=_("cooperation centre"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_proposals",
        verbose_name=_("assigned staff member"),
    )

    # Basics
    title = models.CharField(_("project title"), max_length=200)
    country = CountryField(_("country"), blank=True)
    region_city = models.CharField(_("region or city"), max_length=150, blank=True)
    jurisdiction_level = models.CharField(
        _("jurisdiction level"), max_length=20, choices=JurisdictionLevel.choices, blank=True
    )
    lead_organisation = models.CharField(_("lead organisation"), max_length=200, blank=True)
    partner_organisations = BoundedTextField(_("partner organisations"), max_length=2000, blank=True)
    # City context
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    city_context = BoundedTextField(_("city context"), max_length=6000, blank=True)
    # Substance
    problem_statement = BoundedTextField(_("problem statement"), max_length=6000, blank=True)
    solution_categories = models.JSONField(_("solution categories"), default=list, blank=True)
    proposed_solutions = BoundedTextField(_("proposed solutions"), max_length=8000, blank=True)
    objectives = BoundedTextField(_("objectives"), max_length=4000, blank=True)
    expected_outcomes = BoundedTextField(_("expected outcomes"), max_length=4000, blank=True)
    # Plan and money
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    requested_support_krw = models.PositiveBigIntegerField(_("requested support (KRW)"), null=True, blank=True)
    co_financing_krw = models.PositiveBigIntegerField(_("co-financing (KRW)"), null=True, blank=True)
    co_financing_description = BoundedTextField(_("co-financing sources"), max_length=3000, blank=True)
    national_plan_fit = BoundedTextField(_("fit with national plans"), max_length=4000, blank=True)
    priority_rank = models.PositiveSmallIntegerField(
        _("priority rank within the country"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    earlier_projects = BoundedTextField(_("earlier K-City Network projects"), max_length=3000, blank=True)
    consent = models.BooleanField(_("consent"), default=False)

    # Workflow bookkeeping (written only by proposals.services)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("in this status since"), null=True, blank=True)
    # Indexed with the id in Meta.indexes (the staff list's order); that index serves "due before" alone too.
    due_at = models.DateTimeField(_("next step due"), null=True, blank=True)
    # Set when staff release the reviewed decision letter: until then only staff see the committee's outcome
    # (proposals.selectors.with_viewer_status and timeline_for read it).
    decision_released_at = models.DateTimeField(_("decision released"), null=True, blank=True)
    # The staff inbox's "answered": the applicant's side acted (resubmitted, wrote) after staff last did (a move,
    # a reply). Set by proposals.services (proposal_transition, message_post).
    applicant_activity_at = models.DateTimeField(_("applicant last acted"), null=True, blank=True)
    staff_activity_at = models.DateTimeField(_("staff last acted"), null=True, blank=True)
    # Folded (accent- and case-free) reference, title, place and lead organisation, kept on every save: the admin
    # search (proposals.triage.search_q) reads it the same way on PostgreSQL and SQLite (core.search).
    search_text = models.CharField(max_length=1200, blank=True, editable=False)

    SEARCHED_FIELDS = ("reference", "title", "region_city", "lead_organisation")

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        permissions = [("triage_proposal", "Can triage proposals")]
        indexes = [
            # The workspace and the API list newest saved first (selectors.workspace_rows, proposal_list).
            models.Index(fields=["-updated_at", "-id"], name="proposal_updated_id_desc"),
            # The same order over what staff see (everything but the never submitted: selectors.never_submitted_q):
            # their workspace's and the API list's page, and every count of what staff see (those lists', the
            # admin changelist's paginator) as an index-only scan of narrow entries, not of the wide table.
            models.Index(
                fields=["-updated_at", "-id"], name="proposal_submitted_updated",
                condition=~(models.Q(status=Status.DRAFT)
                            | models.Q(status=Status.WITHDRAWN, submitted_at__isnull=True)),
            ),
            # An applicant's side (selectors.team_proposal_ids: owned, and their organisations'), read from the
            # index alone for the workspace's count and its page of ids in that order.
            models.Index(fields=["owner", "-updated_at", "-id"], name="proposal_owner_updated"),
            models.Index(fields=["organisation", "-updated_at", "-id"], name="proposal_org_updated"),
            # The committee workspace's order (cycle, then reference) read from the index alone for its page of ids.
            models.Index(fields=["cycle", "reference", "id"], name="proposal_cycle_reference"),
            # The staff list and the admin changelist: due first, undated last (PostgreSQL's ASC is NULLS LAST).
            models.Index(fields=["due_at", "-id"], name="proposal_due_id"),
            # eligibility.competing_proposal: one proposal per jurisdiction per cycle, asked on every submit.
            models.Index(fields=["cycle", "country", "jurisdiction_level"], name="proposal_jurisdiction"),
            # The admin's country filter and search by country name.
            models.Index(fields=["country"], name="proposal_country"),
            # The admin search's trigram indexes are PostgreSQL-only and made by migration 0007 (RunSQL), not here.
            # The beat sweeps' "what is due" (proposals.reminders): quiet drafts, oldest saved first, and requests
            # waiting for the applicant's answer, longest first. Partial, so they hold only the rows a sweep reads.
            models.Index(fields=["updated_at", "id"], condition=models.Q(status=Status.DRAFT),
                         name="proposal_draft_quiet"),
            models.Index(fields=["status_changed_at", "id"], condition=models.Q(status=Status.INFO_REQUESTED),
                         name="proposal_info_waiting"),
            # The staff navigation's inbox badge (proposals.inbox.needs_me_count), counted on every staff page: the
            # open proposals' few columns it reads, from this index alone instead of a table page per proposal.
            models.Index(fields=["assigned_to"], include=["status", "staff_activity_at", "applicant_activity_at",
                                                          "due_at"],
                         condition=models.Q(status__in=OPEN_STATES), name="proposal_open_inbox"),
        ]

    def __str__(self):
        return f"{self.reference or _('Draft')}: {self.title}"

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCHED_FIELDS):
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("proposals:detail", args=[self.pk])

    def get_staff_url(self):
        """The proposal's page in the back office, where staff make its moves."""
        return reverse("admin:proposals_proposal_change", args=[self.pk])

    def refresh_search_text(self) -> None:
        """Fill the folded search column from the searched fields (save() does; call it before bulk_create)."""
        self.search_text = search_text(*(getattr(self, name) for name in self.SEARCHED_FIELDS))[:1200]

    @property
    def programme(self):
        return self.track.programme

    def solution_category_labels(self):
        return [SolutionCategory(c).label for c in self.solution_categories if c in SolutionCategory.values]

    @property
    def decision_undisclosed(self) -> bool:
        """Approved or rejected by the committee, and the letter not released yet."""
        return self.status in DECIDED_BY_COMMITTEE and self.decision_released_at is None

    @property
    def shown_status(self) -> str:
        """The status this page's viewer sees: proposals.selectors annotates `viewer_status` per viewer; a
        proposal loaded without it shows what the applicant sees, so a forgotten annotation never leaks."""
        seen = getattr(self, "viewer_status", None)
        if seen is not None:
            return seen
        return Status.COMMITTEE_REVIEW if self.decision_undisclosed else self.status

    @property
    def shown_status_label(self) -> str:
        return status_label_for(self.shown_status, undisclosed=self.decision_undisclosed)


class ContactPerson(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self):
        return self.name


def attachment_path(instance, filename):
    # Random name: the original is kept in the database, never trusted on disk.
    return f"attachments/{instance.proposal_id}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("document type"), max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("proposals:attachment-download", args=[self.proposal_id, self.pk])


class HistoryKind(models.TextChoices):
    TRANSITION = "transition", _("Move in the workflow")
    # The committee deferred the proposal to the next yearly cycle: it stays in committee review.
    DEFERRAL = "deferral", _("Deferral to the next cycle")


class StatusChange(models.Model):
    """Append-only history of a proposal: its moves in the workflow, and deferrals to the next cycle."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="status_changes")
    kind = models.CharField(_("kind"), max_length=12, choices=HistoryKind.choices, default=HistoryKind.TRANSITION)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = BoundedTextField(_("note"), max_length=10000, blank=True)
    # Chosen when the move is made: a note to the applicant (shown in their history, API and e-mail) or an
    # internal note for staff only. Applicants' own notes (withdrawal, resubmission) are always theirs to see.
    note_internal = models.BooleanField(_("internal note (staff only)"), default=False)
    # A deferral's new cycle (the proposal's status stays what it was: from_status == to_status).
    cycle_year = models.PositiveSmallIntegerField(_("deferred to the cycle of"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [
            # The dashboard's response times read the moves into and out of "submitted" and the decisions, a
            # fraction of the history: a bitmap of these two instead of a scan of every row (proposals.dashboard).
            models.Index(fields=["to_status"], name="statuschange_to_status"),
            models.Index(fields=["from_status"], name="statuschange_from_status"),
        ]

    def __str__(self):
        if self.kind == HistoryKind.DEFERRAL:
            return f"{self.to_status}: deferred to {self.cycle_year or 'the next'} cycle"
        return f"{self.from_status or '-'} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Status changes are append-only.")
        super().save(*args, **kwargs)

    @property
    def deferral_label(self) -> str:
        if self.cycle_year:
            return gettext("Deferred to the %(year)s cycle.") % {"year": self.cycle_year}
        return gettext("Deferred to the next cycle.")


class Message(models.Model):
    """The thread between applicants and staff on one proposal; internal notes are for staff only."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = BoundedTextField(_("message"), max_length=10000)
    internal = models.BooleanField(_("internal note (staff only)"), default=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class Invitation(models.Model):
    """An owner's invitation to a colleague to edit a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return self.email


class ReferenceCounter(models.Model):
    """Last reference number handed out per prefix and year; locked row keeps references unique and gap-free."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"


class Holiday(models.Model):
    """A public holiday in Korea: not a working day for the secretariat's service levels (editable)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self):
        return f"{self.date}: {self.name}"


class AssignmentRule(models.Model):
    """Who in the secretariat follows new proposals of a track, a cooperation centre's region, or both (staff keep
    these in the admin). At submission, a proposal nobody follows yet goes to the most specific active rule that
    matches: track and centre, then track alone, then centre alone, then a rule naming neither (the default)."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                              verbose_name=_("track"), help_text=_("Empty: any track."))
    cooperation_centre = models.ForeignKey(
        CooperationCentre, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("cooperation centre"), help_text=_("Empty: any centre, or none."),
    )
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("assign to"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["track", "cooperation_centre", "id"]
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")

    def __str__(self):
        track = self.track.name if self.track_id else gettext("any track")
        centre = self.cooperation_centre.name if self.cooperation_centre_id else gettext("any centre")
        return f"{track} · {centre} → {self.staff}"

    def clean(self):
        # One rule per scope (asked here, not by a constraint: SQLite cannot treat "any" (NULL) as one value).
        same = AssignmentRule.objects.filter(track_id=self.track_id, cooperation_centre_id=self.cooperation_centre_id)
        if same.exclude(pk=self.pk).exists():
            raise ValidationError(_("There is already a rule for this track and centre; change that one instead."))

    @property
    def specificity(self) -> int:
        return (2 if self.track_id else 0) + (1 if self.cooperation_centre_id else 0)


class InfoRequestTemplate(models.Model):
    """A request for information staff often send (missing letter, census figures...): picked when requesting
    information and edited before it goes out."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    body = BoundedTextField(_("text"), max_length=10000)
    is_active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("information request template")
        verbose_name_plural = _("information request templates")

    def __str__(self):
        return self.name


class HelpTopic(models.TextChoices):
    ELIGIBILITY = "eligibility", _("Who may apply")
    EVALUATION = "evaluation", _("How proposals are evaluated")
    TEMPLATES = "templates", _("Templates and documents")
    FAQ = "faq", _("Frequently asked questions")
    CONTACTS = "contacts", _("Contacts")
    PRIVACY = "privacy", _("Privacy notice")
    TERMS = "terms", _("Terms of use")


class HelpPage(models.Model):
    """One language's text of an applicant help page, kept by staff; a missing language falls back to English."""

    topic = models.CharField(_("page"), max_length=20, choices=HelpTopic.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = BoundedTextField(
        _("text"), max_length=20000,
        help_text=_("Plain text. A blank line starts a new paragraph; a line starting with \"## \" is a heading; "
                    "addresses and links are made clickable."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["topic", "language"]
        verbose_name = _("help page")
        verbose_name_plural = _("help pages")
        constraints = [models.UniqueConstraint(fields=["topic", "language"], name="help_page_unique_language")]

    def __str__(self):
        return f"{self.get_topic_display()} ({self.language})"

    def get_absolute_url(self):
        return reverse("help:page", args=[self.topic])
