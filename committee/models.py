"""The National Smart City Committee: members, meetings, reviews and decisions.

Writes go through committee.services; the models hold the data and the invariants the database can keep.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.errors import DomainError
from core.textfields import BoundedTextField
from proposals.workflow import Status


class MemberKind(models.TextChoices):
    GOVERNMENT = "government", _("Government member")
    PRIVATE = "private", _("Private member")


class CommitteeMember(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_member", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MemberKind.choices)
    affiliation = models.CharField(_("affiliation"), max_length=200)
    is_co_chair = models.BooleanField(_("co-chair"), default=False)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    expertise = models.CharField(_("expertise"), max_length=300, blank=True)
    # Used to avoid suggesting a reviewer from the proposal's own country or organisation.
    country = CountryField(_("country"), blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-is_co_chair", "kind", "user__full_name"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")

    def __str__(self):
        return self.user.get_full_name()

    def serves_on(self, day) -> bool:
        return self.is_active and self.term_start <= day and (self.term_end is None or day <= self.term_end)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


# The moves a meeting makes (committee.services.meeting_open / meeting_close; final minutes close it too).
MEETING_MOVES = {
    MeetingStatus.SCHEDULED: {MeetingStatus.OPEN},
    MeetingStatus.OPEN: {MeetingStatus.CLOSED},
    MeetingStatus.CLOSED: set(),
}

# The committee sits in Seoul: "on or after its date" is the meeting's calendar day there.
COMMITTEE_TIME_ZONE = "Asia/Seoul"


class RuleBasis(models.TextChoices):
    VOTES_CAST = "votes_cast", _("Majority of votes cast (for and against; abstentions do not count)")
    MEMBERS_PRESENT = "members_present", _("Majority of the eligible members present")
    THRESHOLD = "threshold", _("A set number of votes")


class DecisionRule(models.Model):
    """How a meeting decides: the quorum it needs and the votes an approval or a rejection needs. Editable data,
    kept in the back office (committee.services.decision_rule_save); a decision keeps the words of the rule it
    met, so a later edit never rewrites the record."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    basis = models.CharField(_("votes needed"), max_length=20, choices=RuleBasis.choices,
                             default=RuleBasis.MEMBERS_PRESENT)
    threshold_votes = models.PositiveSmallIntegerField(
        _("set number of votes"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Only for the rule “a set number of votes”: the votes an outcome needs."),
    )
    # Quorum: more than this share of serving members present, and a co-chair if required.
    quorum_fraction = models.DecimalField(
        _("quorum: more than this share of serving members"), max_digits=3, decimal_places=2, default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.99"))],
    )
    require_co_chair = models.BooleanField(_("quorum needs a co-chair present"), default=True)
    is_default = models.BooleanField(
        _("default rule"), default=False, help_text=_("Used by meetings that do not choose a rule of their own."),
    )

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("decision rule")
        verbose_name_plural = _("decision rules")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True),
                                    name="decision_rule_one_default"),
            models.CheckConstraint(
                condition=~models.Q(basis="threshold") | models.Q(threshold_votes__isnull=False),
                name="decision_rule_threshold_given",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.basis == RuleBasis.THRESHOLD and not self.threshold_votes:
            raise ValidationError({"threshold_votes": _("Give the number of votes this rule needs.")})
        if self.basis != RuleBasis.THRESHOLD:
            self.threshold_votes = None

    def votes_needed(self, *, present: int, cast: int) -> int:
        """The votes an outcome needs: present = eligible members present (recused ones left out), cast = votes
        for plus votes against."""
        if self.basis == RuleBasis.THRESHOLD:
            return self.threshold_votes or 1
        base = cast if self.basis == RuleBasis.VOTES_CAST else present
        return base // 2 + 1

    def describe(self) -> str:
        """The rule in words, as the meeting page and the minutes show it."""
        quorum = _("quorum: more than %(share)s%% of serving members") % {
            "share": int(self.quorum_fraction * 100)
        }
        if self.require_co_chair:
            quorum = _("%(quorum)s, with a co-chair") % {"quorum": quorum}
        if self.basis == RuleBasis.THRESHOLD:
            votes = _("at least %(n)s votes") % {"n": self.threshold_votes}
        elif self.basis == RuleBasis.VOTES_CAST:
            votes = _("a majority of the votes cast (abstentions do not count)")
        else:
            votes = _("a majority of the eligible members present")
        return _("%(name)s: an outcome needs %(votes)s; %(quorum)s.") % {
            "name": self.name, "votes": votes, "quorum": quorum,
        }


class VotingMode(models.TextChoices):
    IN_ROOM = "in_room", _("Counted in the room (recorded by staff)")
    ONLINE = "online", _("Cast by members online")


class Meeting(models.Model):
    programme = models.ForeignKey("proposals.Programme", on_delete=models.PROTECT, related_name="committee_meetings")
    cycle = models.ForeignKey(
        "proposals.Cycle", on_delete=models.PROTECT, related_name="committee_meetings", verbose_name=_("cycle")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    decision_rule = models.ForeignKey(
        DecisionRule, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings",
        verbose_name=_("decision rule"), help_text=_("Leave empty for the default rule."),
    )
    voting_mode = models.CharField(_("votes"), max_length=10, choices=VotingMode.choices, default=VotingMode.IN_ROOM)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]  # to the id: two meetings at the same hour page in one order
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        indexes = [models.Index(fields=["-starts_at", "-id"], name="meeting_starts_desc")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("committee:meeting", args=[self.pk])


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [models.UniqueConstraint(fields=["meeting", "proposal"], name="agenda_unique_proposal")]

    def __str__(self):
        return f"{self.order}. {self.proposal}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="attendances")
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member")]

    def __str__(self):
        return f"{self.member}: {self.present}"


class Assignment(models.Model):
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="assignments")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT, related_name="reviewer_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "assigned_at"]
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [models.UniqueConstraint(fields=["member", "proposal"], name="assignment_unique_member")]

    def __str__(self):
        return f"{self.member} → {self.proposal}"


class ConflictDeclaration(models.Model):
    """Made before a member sees a proposal. A declared conflict is never withdrawn: the record keeps it."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="declarations")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT, related_name="conflict_declarations")
    has_conflict = models.BooleanField(_("I have a conflict of interest"))
    reason = BoundedTextField(_("reason"), max_length=2000, blank=True)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        ordering = ["declared_at"]
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")
        constraints = [models.UniqueConstraint(fields=["member", "proposal"], name="declaration_unique_member")]

    def __str__(self):
        return f"{self.member} / {self.proposal}: {'conflict' if self.has_conflict else 'none'}"


class Rubric(models.Model):
    programme = models.OneToOneField("proposals.Programme", on_delete=models.PROTECT, related_name="rubric")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("scoring rubric")
        verbose_name_plural = _("scoring rubrics")

    def __str__(self):
        return self.name


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    description = BoundedTextField(_("description"), max_length=2000, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Relative weight; weights are normalised over the rubric's criteria."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["rubric", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive")]

    def __str__(self):
        return self.name


class Review(models.Model):
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="reviews")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT, related_name="committee_reviews")
    comment = BoundedTextField(_("overall comment"), max_length=5000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    weighted_total = models.DecimalField(_("weighted total"), max_digits=4, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["proposal", "submitted_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["member", "proposal"], name="review_unique_member")]

    def __str__(self):
        return f"{self.member} / {self.proposal}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = BoundedTextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_criterion"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="score_value_1_to_5"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    """A member's own vote on an agenda item (optional: staff may also record a show of hands as counts)."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["agenda_item", "member"], name="vote_unique_member")]

    def __str__(self):
        return f"{self.member}: {self.choice}"


class Outcome(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    DEFER = "defer", _("Defer to the next cycle")


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT, related_name="committee_decisions")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    support_amount_krw = models.PositiveBigIntegerField(_("support amount (KRW)"), null=True, blank=True)
    conditions = BoundedTextField(_("conditions"), max_length=4000, blank=True)
    reasons = BoundedTextField(_("reasons for the applicant"), max_length=4000, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    members_present = models.PositiveSmallIntegerField(_("members present and eligible to vote"))
    # The rule as it stood when the decision was recorded (a later edit of the rule does not rewrite the record).
    rule_text = models.CharField(_("decision rule"), max_length=500, blank=True)
    votes_needed = models.PositiveSmallIntegerField(_("votes needed"), null=True, blank=True)
    voting_mode = models.CharField(_("votes"), max_length=10, choices=VotingMode.choices, blank=True)
    quorum_required = models.PositiveSmallIntegerField(_("quorum required"))
    co_chair_present = models.BooleanField(_("co-chair present"))
    recused = models.ManyToManyField(
        CommitteeMember, blank=True, related_name="recusals", verbose_name=_("recused (conflict of interest)")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "recorded_at"]
        verbose_name = _("committee decision")
        verbose_name_plural = _("committee decisions")
        constraints = [models.UniqueConstraint(fields=["meeting", "proposal"], name="decision_unique_per_meeting")]

    def __str__(self):
        return f"{self.proposal}: {self.get_outcome_display()}"

    @property
    def target_status(self) -> str | None:
        """The workflow status this decision moves its proposal to (proposals.workflow.CommitteeDecision); a
        deferral moves it to none: it stays in committee review, in the next cycle."""
        return {Outcome.APPROVE: Status.APPROVED, Outcome.REJECT: Status.REJECTED}.get(self.outcome)


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class MinutesFinal(DomainError):
    code = "minutes_final"


MINUTES_ARE_FINAL = _("These minutes are final and cannot be changed.")


class Minutes(models.Model):
    """Generated from the meeting, edited by staff while draft; final minutes never change again."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    body = BoundedTextField(_("minutes"), max_length=50000)
    status = models.CharField(_("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.meeting)

    def save(self, *args, **kwargs):
        # The last line of defence: whatever path tries it, a final record stays as it was.
        if self.pk and Minutes.objects.filter(pk=self.pk, status=MinutesStatus.FINAL).exists():
            raise MinutesFinal(MINUTES_ARE_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Minutes.objects.filter(pk=self.pk, status=MinutesStatus.FINAL).exists():
            raise MinutesFinal(_("These minutes are final and cannot be deleted."))
        return super().delete(*args, **kwargs)


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (waiting for staff review)")
    SENT = "sent", _("Approved and sent")


class DecisionLetter(models.Model):
    """The applicant's letter for a decision: staff review the draft before it goes out."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="letter")
    # The staff's own words, shown apart from the committee's conditions or reasons (which the decision keeps).
    message = BoundedTextField(
        _("message from the secretariat"),
        max_length=10000, blank=True,
        help_text=_("Your own message to the applicant, shown apart from the committee's conditions or reasons."),
    )
    status = models.CharField(_("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["status", "-id"]
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        indexes = [models.Index(fields=["status", "-id"], name="letter_status_newest")]  # the letters list's order

    def __str__(self):
        return str(self.decision)
