"""The figures of the public statistics page and of its downloads (/open-data/stats.csv, stats.json).

Every figure is public in the portal's one sense (proposals.selectors.released_q, opendata.selectors): a
committee decision counts only once its letter is released, so an approved proposal whose letter has not gone
out is still "under review" here, and its project is not counted anywhere. Each table is one aggregate query,
whatever the data: five queries for the whole page.

- years: MOLIT's official 2020-2023 figures, then the portal's cycle years (proposals.track_record);
- pipeline: proposals submitted through the portal per cycle year, by public status;
- countries and tracks: the public projects (released approvals) of the K-City Network, with their approved
  budget;
- indicators: the results indicators of those projects rolled up (see `indicator_rollups`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, F, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Lower, NullIf, Trim
from django_countries import countries

from cooperation.models import IndicatorPeriod, Project
from opendata.selectors import released
from proposals import track_record
from proposals.models import Proposal
from proposals.selectors import released_q
from proposals.workflow import Status

PROGRAMME = track_record.PROGRAMME_PREFIX


def public_q(prefix: str = "") -> Q:
    """Projects the public may count, K-City Network only (the regulatory sandbox keeps its own figures).

    opendata.selectors.released (an approved proposal whose decision letter is released), limited to the
    programme, as a Q the indicator query can reach through its joins.
    """
    return released(prefix) & Q(**{f"{prefix}proposal__track__programme__reference_prefix": PROGRAMME})


def public_projects() -> QuerySet[Project]:
    return Project.objects.filter(public_q())


def _country(prefix: str = ""):
    """The project's recipient country, or the proposal's where the project does not name one."""
    return Coalesce(
        NullIf(F(f"{prefix}recipient_country"), Value("")), F(f"{prefix}proposal__country"), output_field=CharField()
    )


# --- the proposal pipeline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineYear:
    year: int
    submitted: int
    under_review: int  # every proposal without a released decision, an approved-but-unreleased one included
    approved: int
    declined: int
    withdrawn: int


def pipeline() -> list[PipelineYear]:
    """Proposals submitted through the portal, per cycle year, by the status the public may know."""
    released_decision = released_q()
    rows = (
        Proposal.objects.filter(
            submitted_at__isnull=False, cycle__isnull=False, track__programme__reference_prefix=PROGRAMME
        )
        .values(year=F("cycle__year"))
        .annotate(
            submitted=Count("id"),
            approved=Count("id", filter=Q(status=Status.APPROVED) & released_decision),
            declined=Count("id", filter=Q(status=Status.REJECTED) & released_decision),
            withdrawn=Count("id", filter=Q(status=Status.WITHDRAWN)),
        )
        .order_by("year")
    )
    return [
        PipelineYear(
            year=row["year"],
            submitted=row["submitted"],
            approved=row["approved"],
            declined=row["declined"],
            withdrawn=row["withdrawn"],
            under_review=row["submitted"] - row["approved"] - row["declined"] - row["withdrawn"],
        )
        for row in rows
    ]


# --- public projects by country and by track -----------------------------------------------------------------


@dataclass(frozen=True)
class CountryFigures:
    code: str  # ISO 3166-1 alpha-2
    projects: int
    support_krw: int

    @property
    def name(self) -> str:
        return str(countries.name(self.code)) or self.code  # in the active language


@dataclass(frozen=True)
class TrackFigures:
    track_id: int
    name: str
    projects: int
    support_krw: int


def by_country() -> list[CountryFigures]:
    rows = (
        public_projects()
        .annotate(code=_country())
        .values("code")
        .annotate(projects=Count("id"), support=Sum("support_amount_krw"))
        .order_by()
    )
    figures = [CountryFigures(row["code"], row["projects"], row["support"] or 0) for row in rows if row["code"]]
    # Most projects first; the name (active language) orders the ties, as a reader looks them up.
    return sorted(figures, key=lambda c: (-c.projects, c.name))


def by_track() -> list[TrackFigures]:
    rows = (
        public_projects()
        .values(track_id=F("proposal__track_id"), name=F("proposal__track__name"), order=F("proposal__track__order"))
        .annotate(projects=Count("id"), support=Sum("support_amount_krw"))
        .order_by("order", "name", "track_id")
    )
    return [TrackFigures(row["track_id"], row["name"], row["projects"], row["support"] or 0) for row in rows]


# --- indicator rollups ---------------------------------------------------------------------------------------


@dataclass
class Rollup:
    """One indicator measured by several projects, in one track or one country.

    Indicators are the same measure when their title and unit are the same once case and surrounding spaces are
    set aside ("People trained" in "people" and " people trained" in "People" are one), and both or neither are
    in per cent. The model has no indicator code, so the wording the projects agreed is what there is to go by;
    a different wording stays a different row, which understates a rollup rather than adding unlike things.

    Targets and actuals are added up over the projects' reporting periods for counts (people trained, km); per
    cent is never added (two projects at 50 % are not 100 %), so those rows show only how many projects report.
    `projects` counts the projects with the indicator, `reporting` those with at least one actual value.
    """

    title: str
    unit: str
    is_percentage: bool
    projects: int = 0
    reporting: int = 0
    target: Decimal | None = None
    actual: Decimal | None = None

    @property
    def additive(self) -> bool:
        return not self.is_percentage

    def add(self, *, projects: int, reporting: int, target, actual) -> None:
        self.projects += projects
        self.reporting += reporting
        if self.additive:
            self.target = (self.target or Decimal(0)) + (target or Decimal(0))
            if actual is not None:
                self.actual = (self.actual or Decimal(0)) + actual


@dataclass
class RollupGroup:
    key: str  # the track's id or the country code
    label: str
    rows: list[Rollup] = field(default_factory=list)


@dataclass(frozen=True)
class IndicatorRollups:
    by_track: list[RollupGroup]
    by_country: list[RollupGroup]


def indicator_rollups() -> IndicatorRollups:
    """The results indicators of the public projects, added up by track and by country (see Rollup).

    One query groups the periods by track, country and measure; a project is in one track and one country, so
    the per-track and per-country rows are exact sums of those groups (no project is counted twice).
    """
    project = "indicator__objective__project__"
    rows = (
        IndicatorPeriod.objects.filter(public_q(project))
        .values(
            track_id=F(f"{project}proposal__track_id"),
            track_name=F(f"{project}proposal__track__name"),
            track_order=F(f"{project}proposal__track__order"),
            country=_country(project),
            measure=Lower(Trim("indicator__title")),
            unit_key=Lower(Trim("indicator__unit")),
            is_percentage=F("indicator__is_percentage"),
        )
        .annotate(
            title=Min(Trim("indicator__title")),
            unit=Min(Trim("indicator__unit")),
            target=Sum("target_value"),
            actual=Sum("actual_value"),
            projects=Count(f"{project}id", distinct=True),
            reporting=Count(f"{project}id", distinct=True, filter=Q(actual_value__isnull=False)),
        )
        .order_by()
    )
    tracks: dict[int, RollupGroup] = {}
    track_order: dict[int, tuple] = {}
    by_country: dict[str, RollupGroup] = {}
    track_rows: dict[tuple, Rollup] = {}
    country_rows: dict[tuple, Rollup] = {}
    for row in rows:
        measure = (row["measure"], row["unit_key"], row["is_percentage"])
        values = {
            "projects": row["projects"],
            "reporting": row["reporting"],
            "target": row["target"],
            "actual": row["actual"],
        }
        track = tracks.setdefault(row["track_id"], RollupGroup(str(row["track_id"]), row["track_name"]))
        track_order[row["track_id"]] = (row["track_order"], row["track_name"], row["track_id"])
        _rollup(track_rows, track, (row["track_id"], *measure), row).add(**values)
        if row["country"]:
            country = by_country.setdefault(
                row["country"], RollupGroup(row["country"], str(countries.name(row["country"])) or row["country"])
            )
            _rollup(country_rows, country, (row["country"], *measure), row).add(**values)
    for group in [*tracks.values(), *by_country.values()]:
        group.rows.sort(key=lambda r: (-r.projects, r.title.lower(), r.unit.lower()))
    return IndicatorRollups(
        by_track=[tracks[t] for t in sorted(tracks, key=track_order.__getitem__)],
        by_country=sorted(by_country.values(), key=lambda g: g.label),
    )


def _rollup(seen: dict, group: RollupGroup, key: tuple, row: dict) -> Rollup:
    if key not in seen:
        seen[key] = Rollup(title=row["title"], unit=row["unit"], is_percentage=row["is_percentage"])
        group.rows.append(seen[key])
    return seen[key]


# --- everything together -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statistics:
    years: list[track_record.YearFigures]
    pipeline: list[PipelineYear]
    countries: list[CountryFigures]
    tracks: list[TrackFigures]
    indicators: IndicatorRollups

    @property
    def portal_years(self) -> list[track_record.YearFigures]:
        return [y for y in self.years if not y.official]

    @property
    def total_projects(self) -> int:
        return sum(y.projects for y in self.years)

    @property
    def total_support_krw(self) -> int:
        """The published 2020-2023 total (not the sum of its rounded rows) plus every later year."""
        return track_record.OFFICIAL_TOTAL_KRW + sum(y.support_krw for y in self.portal_years)


def statistics() -> Statistics:
    return Statistics(
        years=track_record.track_record(),
        pipeline=pipeline(),
        countries=by_country(),
        tracks=by_track(),
        indicators=indicator_rollups(),
    )
