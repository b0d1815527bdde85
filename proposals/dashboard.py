"""Figures for the staff dashboard: where proposals stand, what is overdue, how fast the secretariat answers."""

import datetime
import statistics
import zoneinfo
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from proposals import triage
from proposals.models import Proposal, StatusChange
from proposals.workflow import Status

SEOUL = zoneinfo.ZoneInfo(settings.TIME_ZONE)
DECISIONS = (Status.APPROVED, Status.REJECTED)


@dataclass(frozen=True)
class MonthBar:
    month: datetime.date
    count: int
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class Dashboard:
    total: int
    by_status: list[tuple[str, str, int]]
    by_track: list[tuple[str, int]]
    by_cycle: list[tuple[str, int]]
    overdue_by_status: list[tuple[str, str, int]]
    overdue_total: int
    median_days_to_first_response: float | None
    median_days_to_decision: float | None
    months: list[MonthBar]
    chart_height: int
    chart_width: int
    month_max: int
    drafts: int = 0  # only how many: a draft's content is the applicant's own until submitted


def _median_days(durations: list[datetime.timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() for d in durations) / 86400, 1)


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _months_back(last: datetime.date, count: int) -> list[datetime.date]:
    months = [last]
    while len(months) < count:
        previous = months[-1] - datetime.timedelta(days=1)
        months.append(previous.replace(day=1))
    return list(reversed(months))


def dashboard_figures(*, now: datetime.datetime | None = None, months: int = 12) -> Dashboard:
    now = now or timezone.now()
    submitted = Proposal.objects.exclude(status=Status.DRAFT)

    status_counts = dict(submitted.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    by_status = [(s.value, s.label, status_counts.get(s.value, 0)) for s in Status if s != Status.DRAFT]
    by_track = list(
        submitted.values_list("track__name").annotate(n=Count("id")).order_by("track__name").values_list(
            "track__name", "n"
        )
    )
    by_cycle = [
        (f"{prefix} {year}" if year else "-", n)
        for prefix, year, n in submitted.values_list("cycle__programme__reference_prefix", "cycle__year")
        .annotate(n=Count("id"))
        .order_by("-cycle__year", "cycle__programme__reference_prefix")
        .values_list("cycle__programme__reference_prefix", "cycle__year", "n")
    ]
    overdue_counts = dict(
        submitted.filter(triage.overdue_q(now)).values_list("status").annotate(n=Count("id")).values_list(
            "status", "n"
        )
    )
    overdue_by_status = [(s, Status(s).label, overdue_counts[s]) for s in triage.OPEN_STATES if s in overdue_counts]

    # Response times, from the append-only history: first move after "submitted", and the decision.
    submitted_at: dict[int, datetime.datetime] = {}
    first_response: dict[int, datetime.datetime] = {}
    decided: dict[int, datetime.datetime] = {}
    for proposal_id, from_status, to_status, at in StatusChange.objects.order_by("at", "id").values_list(
        "proposal_id", "from_status", "to_status", "at"
    ):
        if to_status == Status.SUBMITTED:
            submitted_at.setdefault(proposal_id, at)
        elif from_status == Status.SUBMITTED and to_status != Status.WITHDRAWN:
            first_response.setdefault(proposal_id, at)
        if to_status in DECISIONS:
            decided.setdefault(proposal_id, at)
    to_first = [first_response[p] - submitted_at[p] for p in first_response if p in submitted_at]
    to_decision = [decided[p] - submitted_at[p] for p in decided if p in submitted_at]

    # Submissions per month (Seoul calendar), the last `months` months including this one.
    per_month = Counter(
        _month_start(at.astimezone(SEOUL).date())
        for at in submitted.filter(submitted_at__isnull=False).values_list("submitted_at", flat=True)
    )
    month_list = _months_back(_month_start(now.astimezone(SEOUL).date()), months)
    month_max = max([per_month.get(m, 0) for m in month_list] + [1])
    chart_height, bar_width, gap = 160, 36, 12
    bars = []
    for index, month in enumerate(month_list):
        count = per_month.get(month, 0)
        height = round(count / month_max * chart_height)
        bars.append(MonthBar(month=month, count=count, x=index * (bar_width + gap), y=chart_height - height,
                             height=height))

    return Dashboard(
        drafts=triage.draft_count(),
        total=submitted.count(),
        by_status=by_status,
        by_track=by_track,
        by_cycle=by_cycle,
        overdue_by_status=overdue_by_status,
        overdue_total=sum(overdue_counts.values()),
        median_days_to_first_response=_median_days(to_first),
        median_days_to_decision=_median_days(to_decision),
        months=bars,
        chart_height=chart_height,
        chart_width=len(month_list) * (bar_width + gap),
        month_max=month_max,
    )
