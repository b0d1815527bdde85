from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.textfields import BoundedTextField


class Project(models.Model):
    """An approved proposal's project, opened when the committee's decision is released; the cooperation platform
    builds on it."""

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="project", verbose_name=_("proposal")
    )
    partner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="projects",
        verbose_name=_("partner organisation"),
    )
    support_amount_krw = models.PositiveBigIntegerField(_("support amount (KRW)"))
    conditions = BoundedTextField(_("conditions"), max_length=4000, blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("opened by"),
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")

    def __str__(self):
        return _("Project %(id)s: %(title)s") % {"id": self.pk, "title": self.proposal.title}
