"""Where the support goes. It is never paid to the partner: the approved budget (with revisions, each with its
reason and approver), planned disbursements and transactions (commitments and disbursements to the contractors)
say who receives it. All amounts are KRW."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation.models.projects import Participant, Project
from core.textfields import BoundedTextField


class BudgetRevision(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_revisions")
    previous_krw = models.PositiveBigIntegerField(_("budget before (KRW)"))
    amount_krw = models.PositiveBigIntegerField(_("revised budget (KRW)"))
    reason = BoundedTextField(_("reason"), max_length=2000)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-approved_at", "-id"]
        verbose_name = _("budget revision")
        verbose_name_plural = _("budget revisions")

    def __str__(self):
        return f"{self.previous_krw:,} -> {self.amount_krw:,} KRW"


class PlannedDisbursement(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="planned_disbursements")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    amount_krw = models.PositiveBigIntegerField(_("amount (KRW)"))
    receiver = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("receiving organisation"))

    class Meta:
        ordering = ["period_start", "id"]
        verbose_name = _("planned disbursement")
        verbose_name_plural = _("planned disbursements")

    def __str__(self):
        return f"{self.period_start}–{self.period_end}: {self.amount_krw:,} KRW"


class TransactionKind(models.IntegerChoices):
    """IATI TransactionType codes used here."""

    OUTGOING_COMMITMENT = 2, _("Commitment")
    DISBURSEMENT = 3, _("Disbursement")


class Transaction(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transactions")
    kind = models.PositiveSmallIntegerField(_("kind"), choices=TransactionKind.choices)
    date = models.DateField(_("date"))
    amount_krw = models.PositiveBigIntegerField(_("amount (KRW)"))
    receiver = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("receiving organisation"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        indexes = [models.Index(fields=["project", "-date", "-id"], name="transaction_list")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}: {self.amount_krw:,} KRW"


class OdaStage(models.TextChoices):
    IDEA = "idea", _("Idea")
    CONCEPT_NOTE = "concept_note", _("Concept note submitted")
    APPRAISAL = "appraisal", _("Under appraisal")
    FUNDED = "funded", _("Funded")
    DROPPED = "dropped", _("Not pursued")


# Forward one stage at a time; any stage before "funded" may end as "not pursued".
ODA_MOVES = {
    (OdaStage.IDEA, OdaStage.CONCEPT_NOTE), (OdaStage.CONCEPT_NOTE, OdaStage.APPRAISAL),
    (OdaStage.APPRAISAL, OdaStage.FUNDED),
    (OdaStage.IDEA, OdaStage.DROPPED), (OdaStage.CONCEPT_NOTE, OdaStage.DROPPED),
    (OdaStage.APPRAISAL, OdaStage.DROPPED),
}


class OdaPartner(models.TextChoices):
    KOICA = "koica", _("KOICA")
    EDCF = "edcf", _("EDCF (Korea Eximbank)")
    DEVELOPMENT_BANK = "development_bank", _("A multilateral development bank")
    OTHER = "other", _("Other")


class OdaFollowUp(models.Model):
    """The project's path toward official development assistance: one row per follow-on idea, moved along its
    stages (idea -> concept note -> appraisal -> funded)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="oda_follow_ups")
    title = models.CharField(_("follow-on project"), max_length=200)
    partner = models.CharField(_("funding partner"), max_length=30, choices=OdaPartner.choices)
    partner_name = models.CharField(_("partner's name"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=OdaStage.choices, default=OdaStage.IDEA)
    amount_krw = models.PositiveBigIntegerField(_("amount (KRW)"), null=True, blank=True)
    stage_date = models.DateField(_("stage reached on"))
    note = BoundedTextField(_("note"), max_length=2000, blank=True)
    # The follow-on activity's IATI identifier once it has one (KOICA, EDCF and the banks publish theirs).
    iati_identifier = models.CharField(_("IATI identifier of the follow-on"), max_length=100, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-stage_date", "-id"]
        verbose_name = _("ODA follow-up")
        verbose_name_plural = _("ODA follow-ups")

    def __str__(self):
        return self.title


class RelationKind(models.IntegerChoices):
    """IATI RelatedActivityType codes."""

    PARENT = 1, _("Parent (comes before)")
    CHILD = 2, _("Child (follows on)")
    SIBLING = 3, _("Sibling")
    CO_FUNDED = 4, _("Co-funded")
    THIRD_PARTY = 5, _("Third party")


class RelatedProject(models.Model):
    """A link between projects (planning -> demonstration -> ODA follow-up), carried into IATI related-activity.
    `to_project` when the other is in the portal, else only its IATI identifier."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="relations")
    kind = models.PositiveSmallIntegerField(_("relation"), choices=RelationKind.choices)
    to_project = models.ForeignKey(Project, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                   verbose_name=_("related project"))
    iati_identifier = models.CharField(_("IATI identifier"), max_length=100)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "iati_identifier"], name="related_project_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.iati_identifier}"
