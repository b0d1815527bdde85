"""Figures for the staff dashboard: where proposals stand, what is overdue, how fast the secretariat answers."""

import datetime
import statistics
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.translated import InReadersLanguage
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


def _median_days(per_proposal: QuerySet, took: str, count: int) -> float | None:
    """The median of `took` (a duration per proposal) over `count` rows, in days: the database sorts them and
    hands back the middle one or two, so the dashboard never reads the history into Python."""
    if not count:
        return None
    middle = per_proposal.filter(**{f"{took}__isnull": False}).order_by(took, "proposal_id")
    values = list(middle.values_list(took, flat=True)[(count - 1) // 2: count // 2 + 1])
    return round(statistics.median(d.total_seconds() for d in values) / 86400, 1)


def _response_times() -> QuerySet:
    """Per proposal, from the append-only history: when it was first submitted, and how long the first move after
    "submitted" (other than a withdrawal) and the committee's decision took from then. Grouped in the database."""
    submitted = Q(to_status=Status.SUBMITTED)
    responded = Q(from_status=Status.SUBMITTED) & ~Q(to_status__in=[Status.WITHDRAWN, Status.SUBMITTED])
    decided = Q(to_status__in=DECISIONS)
    return (
        StatusChange.objects.filter(submitted | responded | decided)
        .order_by()
        .values("proposal_id")
        .annotate(
            submitted_at=Min("at", filter=submitted),
            responded_at=Min("at", filter=responded),
            decided_at=Min("at", filter=decided),
        )
        .annotate(
            to_first=ExpressionWrapper(F("responded_at") - F("submitted_at"), output_field=DurationField()),
            to_decision=ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField()),
        )
    )


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _months_back(last: datetime.date, count: int) -> list[datetime.date]:
    months = [last]
    while len(months) < count:
        previous = months[-1] - datetime.timedelta(days=1)
        months.append(previous.replace(day=1))
    return list(reversed(months))


def dashboard_figures(*, now: datetime.datetime | None = None, months: int = 12) -> Dashboard:
    """Every figure is a GROUP BY or a count in the database: a fixed number of queries, none reading all rows."""
    now = now or timezone.now()
    submitted = Proposal.objects.exclude(status=Status.DRAFT)

    # One count per status, drafts included (how many, never which: triage.draft_count's figure).
    all_counts = dict(Proposal.objects.order_by().values_list("status").annotate(n=Count("id")))
    status_counts = {status: n for status, n in all_counts.items() if status != Status.DRAFT}
    by_status = [(s.value, s.label, status_counts.get(s.value, 0)) for s in Status if s != Status.DRAFT]
    # Each track's name as the reader sees it (their language, else English), not the original column.
    by_track = list(
        submitted.annotate(track_shown=InReadersLanguage("track__name")).values_list("track_shown")
        .annotate(n=Count("id")).order_by("track_shown").values_list("track_shown", "n")
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

    # Response times: how many proposals have each duration (one query), then the middle of each (one each).
    times = _response_times().filter(submitted_at__isnull=False)
    counted = times.aggregate(first=Count("to_first"), decision=Count("to_decision"))

    # Submissions per month (Seoul calendar), the last `months` months including this one.
    month_list = _months_back(_month_start(now.astimezone(SEOUL).date()), months)
    first_month = datetime.datetime.combine(month_list[0], datetime.time(), tzinfo=SEOUL)
    per_month = dict(
        submitted.filter(submitted_at__gte=first_month)
        .annotate(month=TruncMonth("submitted_at", output_field=DateField(), tzinfo=SEOUL))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
    )
    month_max = max([per_month.get(m, 0) for m in month_list] + [1])
    chart_height, bar_width, gap = 160, 36, 12
    bars = []
    for index, month in enumerate(month_list):
        count = per_month.get(month, 0)
        height = round(count / month_max * chart_height)
        bars.append(MonthBar(month=month, count=count, x=index * (bar_width + gap), y=chart_height - height,
                             height=height))

    return Dashboard(
        drafts=all_counts.get(Status.DRAFT, 0),
        total=sum(status_counts.values()),
        by_status=by_status,
        by_track=by_track,
        by_cycle=by_cycle,
        overdue_by_status=overdue_by_status,
        overdue_total=sum(overdue_counts.values()),
        median_days_to_first_response=_median_days(times, "to_first", counted["first"]),
        median_days_to_decision=_median_days(times, "to_decision", counted["decision"]),
        months=bars,
        chart_height=chart_height,
        chart_width=len(month_list) * (bar_width + gap),
        month_max=month_max,
    )
