"""Demo progress reports (seed_demo; the cooperation demo builder calls `seed_reports`). For the "midway" project:
its reporting periods, an accepted report for the first period and a submitted one for the second, waiting for
staff's review (so the report page shows previous vs current ratings). Everything goes through the services;
every step looks before it acts, so a second run changes nothing."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cooperation.models import (
    Indicator,
    IndicatorPeriod,
    Milestone,
    Objective,
    ReportFrequency,
    ReportingPeriod,
    Side,
)
from cooperation.rules import side_of
from cooperation.services import reports as services


def _plan_minimum(project) -> None:
    """A few milestones and an indicator if the work plan and results have none yet (the plan's own demo usually
    made them)."""
    start = project.planned_start or timezone.localdate()
    if not Milestone.objects.filter(project=project).exists():
        for n, (title, months) in enumerate((("Inception report", 2), ("Draft master plan", 6),
                                            ("Final master plan", 11))):
            Milestone.objects.create(project=project, title=title, owner_side=Side.CONTRACTOR, order=n,
                                     due_date=start + relativedelta(months=months))
    if not Objective.objects.filter(project=project).exists():
        objective = Objective.objects.create(project=project, title="A smart-city master plan the city adopts")
        indicator = Indicator.objects.create(objective=objective, title="City officials trained", unit="people",
                                             baseline_value=0, baseline_date=start)
        for q in range(4):
            IndicatorPeriod.objects.create(indicator=indicator, period_start=start + relativedelta(months=3 * q),
                                           period_end=start + relativedelta(months=3 * q + 3)
                                           - datetime.timedelta(days=1),
                                           target_value=Decimal(10 * (q + 1)))


def _filled(period, *, by, staff, ratings, summary, actual):
    report = services.report_start(period=period, by=by)
    services.report_save(
        report=report, by=by, summary=summary,
        issues_and_needs="Traffic counts from the city's transport office arrive late; a data-sharing note would "
                         "help.",
        rating_objectives=ratings[0], rating_implementation=ratings[1], rating_risk=ratings[2],
        milestones=[{"milestone": m.pk, "percent_complete": p, "note": note} for m, (p, note) in
                    zip(Milestone.objects.filter(project=period.project).order_by("due_date", "id"),
                        ((100, "Delivered and accepted"), (actual * 4, "Workshops under way"), (0, "Not started")),
                        strict=False)],
        indicators=[{"period": p.pk, "actual_value": actual, "comment": "Two training sessions held"}
                    for p in services.indicator_periods_for(period)],
        risks=[{"description": "Data-sharing agreement with the transport office delayed", "state": "mitigated",
                "mitigation": "Raised at the joint committee; a memorandum is being drafted."}],
    )
    # Each implementing member reports its share; staff write them all at once here (a contractor writes only its own).
    shares = [{"participant": p.pk, "narrative": f"{p.name}: fieldwork and analysis as planned.",
               "spent_krw": 20_000_000} for p in services.implementing_participants(period.project)]
    if len(shares) > 1:
        services.report_save(report=report, by=staff, contributions=shares)
    services.report_submit(report=report, by=by)
    return report


def seed_reports(projects: dict, staff, contractor, partner_user) -> None:
    project = projects.get("midway")
    if project is None:
        return
    drafter = contractor if side_of(contractor, project) == Side.CONTRACTOR else staff
    _plan_minimum(project)
    if not ReportingPeriod.objects.filter(project=project).exists():
        services.reporting_schedule_set(project=project, frequency=project.report_frequency
                                        or ReportFrequency.QUARTERLY, by=staff)
    periods = list(ReportingPeriod.objects.filter(project=project).order_by("period_start")[:2])
    if len(periods) < 2:
        return
    first, second = periods
    if not first.reports.exists():
        report = _filled(first, by=drafter, staff=staff, ratings=(4, 4, 4), actual=8,
                         summary="Inception phase completed: stakeholder interviews, site visits and a baseline "
                                 "survey of 1,200 households.")
        if side_of(partner_user, project) == Side.PARTNER:
            services.report_acknowledge(report=report, comment="The city confirms the inception findings.",
                                        by=partner_user)
        services.report_accept(report=report, note="Thank you: a clear baseline.", by=staff)
    if not second.reports.exists():
        _filled(second, by=drafter, staff=staff, ratings=(5, 4, 3), actual=17,
                summary="Analysis of mobility and flood data; two planning workshops with city departments.")
