"""The results framework: staff set up objectives, indicators and their target per period, then mark the framework
agreed (Project.results_agreed_at). After that a target moves only with a reason (period_target_change); the
implementing contractors or staff record each period's actual with a comment and, where there is one, evidence."""

import json
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from cooperation.models import DocumentCategory, Indicator, IndicatorPeriod, Objective, Project
from cooperation.rules import REFUSALS, may_record_actual, require, side_of
from cooperation.services.workplan import plan_document_add
from cooperation.timeline import declare, event_record
from core.errors import TransitionRefused
from proposals.attachments import inspect_upload

declare({
    "results.objective_added": gettext_lazy("Objective added: %(title)s."),
    "results.indicator_added": gettext_lazy("Indicator added: %(title)s (%(unit)s)."),
    "results.indicator_changed": gettext_lazy("Indicator changed: %(title)s."),
    "results.period_added": gettext_lazy("Target set for %(indicator)s, %(start)s to %(end)s: %(target)s."),
    "results.agreed": gettext_lazy("The results framework is agreed."),
    "results.target_changed": gettext_lazy(
        "Target of %(indicator)s for %(start)s to %(end)s changed from %(old)s to %(new)s: %(reason)s"),
    "results.actual_recorded": gettext_lazy("Actual recorded for %(indicator)s, %(start)s to %(end)s: %(value)s."),
})

INDICATOR_FIELDS = ("title", "unit", "is_percentage", "ascending", "baseline_value", "baseline_date",
                    "baseline_comment")


def _plain(data: dict) -> dict:
    """Dates and decimals as the JSON of an audit row holds them (ISO text, exact digits)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _results_link(project_id: int, anchor: str = "") -> str:
    return reverse("cooperation:results", args=[project_id]) + (f"#{anchor}" if anchor else "")


def _locked_project(project: Project) -> Project:
    current = Project.objects.select_for_update().get(pk=project.pk)
    if not current.is_open:
        raise TransitionRefused(_("The project is closed: its results framework no longer changes."))
    return current


def _reason_after_agreement(project: Project, reason: str) -> str:
    """Before agreement staff shape the framework freely; after it every change carries its reason."""
    reason = (reason or "").strip()
    if project.results_agreed_at and not reason:
        raise ValidationError({"reason": _("The results framework is agreed: give the reason for this change.")})
    return reason


def objective_create(*, project: Project, title: str, description: str = "", reason: str = "", by) -> Objective:
    require(by, "cooperation.manage_project")
    with transaction.atomic():
        project = _locked_project(project)
        reason = _reason_after_agreement(project, reason)
        order = (project.objectives.aggregate(top=Max("order"))["top"] or 0) + 1
        objective = Objective(project=project, title=title, description=description, order=order)
        objective.full_clean()
        objective.save()
        audit_record(actor=by, action="objective.create", target=objective,
                     data={"project": project.pk, "title": title, "reason": reason})
        event_record(project=project, by=by, kind="results.objective_added", params={"title": title},
                     link=_results_link(project.pk))
    return objective


def indicator_create(*, objective: Objective, title: str, unit: str, baseline_value: Decimal, baseline_date: date,
                     is_percentage: bool = False, ascending: bool = True, baseline_comment: str = "",
                     reason: str = "", by) -> Indicator:
    require(by, "cooperation.manage_project")
    with transaction.atomic():
        project = _locked_project(objective.project)
        reason = _reason_after_agreement(project, reason)
        order = (objective.indicators.aggregate(top=Max("order"))["top"] or 0) + 1
        indicator = Indicator(objective=objective, title=title, unit=unit, baseline_value=baseline_value,
                              baseline_date=baseline_date, is_percentage=is_percentage, ascending=ascending,
                              baseline_comment=baseline_comment, order=order)
        indicator.full_clean()
        indicator.save()
        audit_record(actor=by, action="indicator.create", target=indicator,
                     data={"objective": objective.pk, "title": title, "unit": unit,
                           "baseline_value": str(baseline_value), "baseline_date": baseline_date.isoformat(),
                           "reason": reason})
        event_record(project=project, by=by, kind="results.indicator_added", params={"title": title, "unit": unit},
                     link=_results_link(project.pk, f"indicator-{indicator.pk}"))
    return indicator


def indicator_update(*, indicator: Indicator, reason: str = "", by, **changes) -> Indicator:
    require(by, "cooperation.manage_project")
    unknown = sorted(set(changes) - set(INDICATOR_FIELDS))
    if unknown:
        raise ValidationError(_("These do not change here: %(fields)s.") % {"fields": ", ".join(unknown)})
    with transaction.atomic():
        project = _locked_project(indicator.objective.project)
        reason = _reason_after_agreement(project, reason)
        current = Indicator.objects.select_for_update().get(pk=indicator.pk)
        before = {name: getattr(current, name) for name in changes}
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()
        changed = sorted(name for name in changes if before[name] != getattr(current, name))
        if not changed:
            return current
        current.save(update_fields=changed)
        audit_record(actor=by, action="indicator.update", target=current,
                     data=_plain({"before": {n: before[n] for n in changed},
                                 "after": {n: getattr(current, n) for n in changed}, "reason": reason}))
        event_record(project=project, by=by, kind="results.indicator_changed", params={"title": current.title},
                     link=_results_link(project.pk, f"indicator-{current.pk}"))
    return current


def period_add(*, indicator: Indicator, period_start: date, period_end: date, target_value: Decimal,
               reason: str = "", by) -> IndicatorPeriod:
    require(by, "cooperation.manage_project")
    with transaction.atomic():
        project = _locked_project(indicator.objective.project)
        reason = _reason_after_agreement(project, reason)
        if period_end < period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})
        overlapping = indicator.periods.filter(period_start__lte=period_end, period_end__gte=period_start)
        if overlapping.exists():
            raise ValidationError({"period_start": _("This period overlaps one the indicator already has.")})
        period = IndicatorPeriod(indicator=indicator, period_start=period_start, period_end=period_end,
                                 target_value=target_value)
        period.full_clean()
        period.save()
        params = {"indicator": indicator.title, "start": period_start.isoformat(), "end": period_end.isoformat(),
                  "target": str(target_value)}
        audit_record(actor=by, action="indicator_period.create", target=period, data={**params, "reason": reason})
        event_record(project=project, by=by, kind="results.period_added", params=params,
                     link=_results_link(project.pk, f"indicator-{indicator.pk}"))
    return period


def results_agree(*, project: Project, by) -> Project:
    """Mark the framework agreed by the parties (at project start). Every indicator needs a target first."""
    require(by, "cooperation.manage_project")
    with transaction.atomic():
        current = _locked_project(project)
        if current.results_agreed_at:
            raise TransitionRefused(_("The results framework is already agreed."))
        indicators = Indicator.objects.filter(objective__project=current)
        if not indicators.exists():
            raise TransitionRefused(_("Add at least one indicator before marking the framework agreed."))
        without = list(indicators.filter(periods__isnull=True).values_list("title", flat=True))
        if without:
            raise TransitionRefused(_("Set a target for every indicator first: %(titles)s.")
                                    % {"titles": ", ".join(without)})
        current.results_agreed_at = timezone.now()
        current.save(update_fields=["results_agreed_at", "updated_at"])
        audit_record(actor=by, action="results.agree", target=current,
                     data={"indicators": list(indicators.values_list("pk", flat=True))})
        event_record(project=current, by=by, kind="results.agreed", link=_results_link(current.pk))
    project.results_agreed_at = current.results_agreed_at
    return current


def period_target_change(*, period: IndicatorPeriod, target_value: Decimal, reason: str, by) -> IndicatorPeriod:
    """Change a period's target, with the reason; the only way a target moves once the framework is agreed."""
    require(by, "cooperation.manage_project")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for changing the target.")})
    with transaction.atomic():
        project = _locked_project(period.indicator.objective.project)
        current = IndicatorPeriod.objects.select_for_update().select_related("indicator").get(pk=period.pk)
        old = current.target_value
        if Decimal(str(target_value)) == old:
            raise ValidationError({"target_value": _("The new target is the same as the current one.")})
        current.target_value = target_value
        current.full_clean()
        current.save(update_fields=["target_value"])
        params = {"indicator": current.indicator.title, "start": current.period_start.isoformat(),
                  "end": current.period_end.isoformat(), "old": str(old), "new": str(current.target_value),
                  "reason": reason[:200]}
        audit_record(actor=by, action="indicator_period.target_change", target=current,
                     data={**params, "reason": reason})
        event_record(project=project, by=by, kind="results.target_changed", params=params,
                     link=_results_link(project.pk, f"indicator-{current.indicator_id}"))
    return current


def actual_record(*, period: IndicatorPeriod, value: Decimal, comment: str = "", evidence=None, by) -> IndicatorPeriod:
    """The implementing side or staff record what the indicator reached in a period that has started, with a
    comment and (optionally) an evidence file kept as a project document. Recording again replaces the value;
    the audit trail keeps the earlier one."""
    checked = inspect_upload(evidence) if evidence is not None else None
    with transaction.atomic():
        current = (IndicatorPeriod.objects.select_for_update(of=("self",))
                   .select_related("indicator", "indicator__objective__project").get(pk=period.pk))
        project = current.indicator.objective.project
        if not by.has_perm("cooperation.record_actual", current):
            if not may_record_actual(side_of(by, project)):
                raise PermissionDenied(REFUSALS["cooperation.record_actual"])
            if not project.is_open:
                raise TransitionRefused(_("The project is closed: its results framework no longer changes."))
            raise TransitionRefused(_("Actual values are recorded once the results framework is agreed."))
        if current.period_start > timezone.localdate():
            raise ValidationError({"period": _("This period starts on %(start)s: record its actual once it has begun.")
                                   % {"start": current.period_start.isoformat()}})
        before = {"value": str(current.actual_value) if current.actual_value is not None else None,
                  "comment": current.actual_comment, "evidence": current.evidence_id}
        if checked is not None:
            current.evidence = plan_document_add(
                project=project, upload=evidence, checked=checked, by=by, category=DocumentCategory.EVIDENCE,
                title=_("Evidence: %(indicator)s, %(start)s") % {"indicator": current.indicator.title,
                                                                 "start": current.period_start.isoformat()})
        current.actual_value = value
        current.actual_comment = (comment or "").strip()
        current.actual_by = by
        current.actual_at = timezone.now()
        current.full_clean()
        current.save(update_fields=["actual_value", "actual_comment", "evidence", "actual_by", "actual_at"])
        params = {"indicator": current.indicator.title, "start": current.period_start.isoformat(),
                  "end": current.period_end.isoformat(), "value": str(current.actual_value)}
        audit_record(actor=by, action="indicator_period.actual", target=current,
                     data={**params, "comment": current.actual_comment, "evidence": current.evidence_id,
                           "before": before})
        event_record(project=project, by=by, kind="results.actual_recorded", params=params,
                     link=_results_link(project.pk, f"indicator-{current.indicator_id}"))
    return current
