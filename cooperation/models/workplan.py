"""The work plan: milestones and the deliverables under them, each due on a date with an owner side, moving
pending -> submitted -> accepted | changes requested. Deliverable files keep every version; a due date moves only
by a revision staff approve (history kept); a late delivery carries its justification."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation.models.projects import Project, ProjectDocument, Side
from core.textfields import BoundedTextField


class WorkStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUBMITTED = "submitted", _("Submitted for acceptance")
    ACCEPTED = "accepted", _("Accepted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


# The work plan's one transition table: (from, to) -> who moves it. "owner" is the item's owner side (or staff on
# its behalf when the owner is MOLIT); "staff" is MOLIT staff. cooperation.rules asks it, the services apply it.
WORK_MOVES = {
    (WorkStatus.PENDING, WorkStatus.SUBMITTED): "owner",
    (WorkStatus.CHANGES_REQUESTED, WorkStatus.SUBMITTED): "owner",
    (WorkStatus.SUBMITTED, WorkStatus.ACCEPTED): "staff",
    (WorkStatus.SUBMITTED, WorkStatus.CHANGES_REQUESTED): "staff",
}


class WorkItem(models.Model):
    """What milestones and deliverables share."""

    title = models.CharField(_("title"), max_length=200)
    description = BoundedTextField(_("description"), max_length=4000, blank=True)
    due_date = models.DateField(_("due date"))
    owner_side = models.CharField(_("owner"), max_length=20, choices=Side.choices)
    status = models.CharField(_("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.PENDING)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    # Required when submitted after the due date.
    late_justification = BoundedTextField(_("reason for the delay"), max_length=2000, blank=True)
    review_note = BoundedTextField(_("reviewer's note"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == WorkStatus.ACCEPTED


class Milestone(WorkItem):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")

    class Meta:
        ordering = ["due_date", "order", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["project", "due_date", "id"], name="milestone_plan"),
                   models.Index(fields=["status", "due_date"], name="milestone_due")]


class Deliverable(WorkItem):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="deliverables")

    class Meta:
        ordering = ["due_date", "order", "id"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        indexes = [models.Index(fields=["status", "due_date"], name="deliverable_due")]


class DeliverableVersion(models.Model):
    """One uploaded version of a deliverable's file; versions are numbered from 1 and never replaced."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    document = models.OneToOneField(ProjectDocument, on_delete=models.PROTECT, related_name="deliverable_version")
    note = BoundedTextField(_("what changed"), max_length=2000, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["deliverable", "number"], name="deliverable_version_unique")]

    def __str__(self):
        return f"v{self.number}"


class RevisionState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


# A due-date revision is requested once and decided once, by staff.
REVISION_MOVES = {
    (RevisionState.REQUESTED, RevisionState.APPROVED): "staff",
    (RevisionState.REQUESTED, RevisionState.REFUSED): "staff",
}


class DueDateRevision(models.Model):
    """A request to move a milestone's or deliverable's due date, with its reason; the date changes only when
    staff approve it (possibly as a joint committee's decision, linked from the agenda item)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="revisions")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="revisions")
    old_date = models.DateField(_("due date before"))
    new_date = models.DateField(_("proposed due date"))
    reason = BoundedTextField(_("reason"), max_length=2000)
    state = models.CharField(_("state"), max_length=20, choices=RevisionState.choices,
                             default=RevisionState.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = BoundedTextField(_("note on the decision"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("due date revision")
        verbose_name_plural = _("due date revisions")
        constraints = [models.CheckConstraint(
            condition=models.Q(milestone__isnull=False, deliverable__isnull=True)
            | models.Q(milestone__isnull=True, deliverable__isnull=False),
            name="revision_one_item",
        )]

    def __str__(self):
        return f"{self.old_date} -> {self.new_date}"

    @property
    def item(self):
        return self.milestone or self.deliverable
