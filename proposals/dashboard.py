"""Figures for the staff dashboard: where proposals stand, what is overdue, how fast the secretariat answers."""

import datetime
import statistics
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.translated import InReadersLanguage
from proposals import triage
from proposals.models import Proposal, StatusChange, Track
from proposals.workflow import Status

SEOUL = zoneinfo.ZoneInfo(settings.TIME_ZONE)
DECISIONS = (Status.APPROVED, Status.REJECTED)
# Numbers only (no labels or names), so the key needs no language; "v1" changes with their shape.
CACHE_KEY = "proposals:dashboard:v1"
CACHE_SECONDS = 60


@dataclass(frozen=True)
class MonthBar:
    month: datetime.date
    count: int
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class Dashboard:
    as_of: datetime.datetime  # when the numbers were counted
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


def _figures_counted(now: datetime.datetime, months: int) -> dict:
    """The dashboard's numbers, and nothing a reader's language or time zone changes: statuses by value, tracks
    by id (named at render, in the reader's language), so one cached copy serves every staff member."""
    submitted = Proposal.objects.exclude(status=Status.DRAFT)

    # One count per status, drafts included (how many, never which: triage.draft_count's figure).
    all_counts = dict(Proposal.objects.order_by().values_list("status").annotate(n=Count("id")))
    by_track = dict(submitted.order_by().values_list("track_id").annotate(n=Count("id")))
    by_cycle = list(
        submitted.values_list("cycle__programme__reference_prefix", "cycle__year")
        .annotate(n=Count("id"))
        .order_by("-cycle__year", "cycle__programme__reference_prefix")
        .values_list("cycle__programme__reference_prefix", "cycle__year", "n")
    )
    overdue = dict(
        submitted.filter(triage.overdue_q(now)).values_list("status").annotate(n=Count("id")).values_list(
            "status", "n"
        )
    )

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
    return {
        "as_of": now,
        "all_counts": all_counts,
        "by_track": by_track,
        "by_cycle": by_cycle,
        "overdue": overdue,
        "median_first": _median_days(times, "to_first", counted["first"]),
        "median_decision": _median_days(times, "to_decision", counted["decision"]),
        "per_month": [(month, per_month.get(month, 0)) for month in month_list],
    }


def _tracks_shown(counts: dict[int, int]) -> list[tuple[str, int]]:
    """Each track's count under its name as the reader sees it (their language, else English), ordered by that
    name in the database; tracks whose names read the same are counted together."""
    shown: dict[str, int] = {}
    for track_id, name in (
        Track.objects.filter(pk__in=counts).annotate(shown=InReadersLanguage("name"))
        .order_by("shown").values_list("pk", "shown")
    ):
        shown[name] = shown.get(name, 0) + counts[track_id]
    return list(shown.items())


def _dashboard(numbers: dict) -> Dashboard:
    """The page's figures from the counted numbers: labels and names in the active language."""
    all_counts = numbers["all_counts"]
    status_counts = {status: n for status, n in all_counts.items() if status != Status.DRAFT}
    overdue_counts = numbers["overdue"]
    month_max = max([count for _month, count in numbers["per_month"]] + [1])
    chart_height, bar_width, gap = 160, 36, 12
    bars = []
    for index, (month, count) in enumerate(numbers["per_month"]):
        height = round(count / month_max * chart_height)
        bars.append(MonthBar(month=month, count=count, x=index * (bar_width + gap), y=chart_height - height,
                             height=height))

    return Dashboard(
        as_of=numbers["as_of"],
        drafts=all_counts.get(Status.DRAFT, 0),
        total=sum(status_counts.values()),
        by_status=[(s.value, s.label, status_counts.get(s.value, 0)) for s in Status if s != Status.DRAFT],
        by_track=_tracks_shown(numbers["by_track"]),
        by_cycle=[(f"{prefix} {year}" if year else "-", n) for prefix, year, n in numbers["by_cycle"]],
        overdue_by_status=[
            (s, Status(s).label, overdue_counts[s]) for s in triage.OPEN_STATES if s in overdue_counts
        ],
        overdue_total=sum(overdue_counts.values()),
        median_days_to_first_response=numbers["median_first"],
        median_days_to_decision=numbers["median_decision"],
        months=bars,
        chart_height=chart_height,
        chart_width=len(bars) * (bar_width + gap),
        month_max=month_max,
    )


def dashboard_figures(*, now: datetime.datetime | None = None, months: int = 12) -> Dashboard:
    """Every figure is a GROUP BY or a count in the database: a fixed number of queries, none reading all rows."""
    return _dashboard(_figures_counted(now or timezone.now(), months))


def dashboard_figures_cached() -> Dashboard:
    """The figures as counted at most CACHE_SECONDS ago (the page says when). They are aggregates over every
    proposal and the whole status history (tens of milliseconds at 10,000 proposals), the same for every staff
    member, and a minute's delay changes no decision; staff's own queue (the inbox) is always read live."""
    return dashboard_figures_of(dashboard_numbers_cached())


def dashboard_numbers_cached() -> dict:
    """The counted numbers behind dashboard_figures_cached; their "as_of" names the copy."""
    numbers = cache.get(CACHE_KEY)
    if numbers is None:
        numbers = _figures_counted(timezone.now(), 12)
        cache.set(CACHE_KEY, numbers, CACHE_SECONDS)
    return numbers


def dashboard_figures_of(numbers: dict) -> Dashboard:
    """The page's figures from numbers counted before, with labels and names in the active language."""
    return _dashboard(numbers)


def dashboard_numbers_forget(**_kwargs) -> None:
    """Count again at the next look (a receiver of Track's saves): the page is kept rendered per copy of the
    numbers, with the tracks' names in it."""
    cache.delete(CACHE_KEY)
