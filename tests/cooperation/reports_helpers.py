"""Reports in each state, reached through the services."""

from cooperation.models import ReportingPeriod, ReportStatus
from cooperation.services import reports as services


def periods(parties):
    if not ReportingPeriod.objects.filter(project=parties.project).exists():
        services.reporting_periods_rebuild(project=parties.project, by=parties.staff)
    return list(ReportingPeriod.objects.filter(project=parties.project).order_by("period_start"))


def ready_draft(parties, *, period=None, ratings=(5, 4, 3), actual=None):
    period = period or periods(parties)[0]
    report = services.report_start(period=period, by=parties.contractor)
    indicator_periods = list(services.indicator_periods_for(period))
    services.report_save(
        report=report, by=parties.contractor, summary="Surveys done; two workshops held.",
        issues_and_needs="Traffic data from the city is late.",
        rating_objectives=ratings[0], rating_implementation=ratings[1], rating_risk=ratings[2],
        milestones=[{"milestone": m.pk, "percent_complete": 40, "note": "On track"}
                    for m in parties.project.milestones.all()],
        indicators=[{"period": p.pk, "actual_value": actual if actual is not None else 8, "comment": "Two sessions"}
                    for p in indicator_periods],
        risks=[{"description": "Data sharing agreement delayed", "state": "open", "mitigation": "Escalate"}],
    )
    return report


def report_in(state, parties, **kwargs):
    report = ready_draft(parties, **kwargs)
    if state == ReportStatus.DRAFT:
        return report
    services.report_submit(report=report, by=parties.contractor)
    if state == ReportStatus.SUBMITTED:
        return _fresh(report)
    if state == ReportStatus.ACKNOWLEDGED:
        services.report_acknowledge(report=report, comment="Seen; thank you.", by=parties.partner)
        return _fresh(report)
    if state == ReportStatus.ACCEPTED:
        services.report_accept(report=report, by=parties.staff)
        return _fresh(report)
    services.report_request_changes(report=report, note="Add the survey numbers.", by=parties.staff)
    if state == ReportStatus.CHANGES_REQUESTED:
        return _fresh(report)
    services.report_revise(report=report, by=parties.contractor)  # superseded
    return _fresh(report)


def _fresh(report):
    return type(report).objects.select_related("project", "period").get(pk=report.pk)
