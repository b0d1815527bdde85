"""The results framework, agreed at project start: objectives, their indicators (unit, baseline) and, per period,
the target and the actual with a comment and its evidence."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation.models.projects import Project, ProjectDocument
from core.textfields import BoundedTextField


class Objective(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=300)
    description = BoundedTextField(_("description"), max_length=4000, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self):
        return self.title


class Indicator(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("For example: people trained, %, km."))
    # IATI measure: 1 unit, 2 percentage
    is_percentage = models.BooleanField(_("measured in per cent"), default=False)
    ascending = models.BooleanField(_("higher is better"), default=True)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=16, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"))
    baseline_comment = BoundedTextField(_("baseline comment"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.title


class IndicatorPeriod(models.Model):
    """A reporting period of an indicator: the target agreed for it and, once measured, the actual value."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    actual_value = models.DecimalField(_("actual"), max_digits=16, decimal_places=2, null=True, blank=True)
    actual_comment = BoundedTextField(_("comment on the actual"), max_length=2000, blank=True)
    evidence = models.ForeignKey(ProjectDocument, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="evidence_for", verbose_name=_("evidence"))
    actual_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    actual_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["period_start", "id"]
        verbose_name = _("indicator period")
        verbose_name_plural = _("indicator periods")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start"], name="indicator_period_unique"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="indicator_period_order"),
        ]

    def __str__(self):
        return f"{self.period_start}–{self.period_end}"
