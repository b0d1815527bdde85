"""The programme's track record for the public statistics page.

2020-2023 are MOLIT's official figures (October 2023); every later year is counted from the portal's own
approved proposals, so the page never needs a code change to grow.
"""

from dataclasses import dataclass

from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.db.models.functions import Coalesce

from core import amounts
from proposals.models import Proposal
from proposals.selectors import released_q
from proposals.workflow import Status

PROGRAMME_PREFIX = "KCN"  # the K-City Network programme; the sandbox has its own figures


@dataclass(frozen=True)
class YearFigures:
    year: int
    projects: int
    support_krw: int
    countries: int | None = None  # not published per year in the official figures
    official: bool = False
    estimated: bool = False  # True when some support comes from the requested, not the decided, amount


OFFICIAL_YEARS: tuple[YearFigures, ...] = (
    YearFigures(2020, 12, 4_800_000_000, official=True),
    YearFigures(2021, 11, 4_000_000_000, official=True),
    YearFigures(2022, 10, 4_100_000_000, official=True),
    YearFigures(2023, 8, 3_500_000_000, official=True),
)
OFFICIAL_COUNTRIES = 23  # over 2020-2023, as published
# As published. The yearly rows are rounded to 0.1 billion and add up to 16.4; the published total is kept.
OFFICIAL_TOTAL_KRW = 16_300_000_000
LAST_OFFICIAL_YEAR = OFFICIAL_YEARS[-1].year


def portal_years() -> list[YearFigures]:
    """Approved proposals per cycle year after the official figures, with the decided support where known."""
    # Only decisions whose letter is released: the public never learns an outcome before the applicant does.
    rows = (
        Proposal.objects.filter(
            released_q(), status=Status.APPROVED,
            track__programme__reference_prefix=PROGRAMME_PREFIX, cycle__year__gt=LAST_OFFICIAL_YEAR,
        )
        .values(year=F("cycle__year"))
        .annotate(
            projects=Count("id"),
            support=Sum(
                Coalesce("project__support_amount_krw", "requested_support_krw", 0, output_field=BigIntegerField())
            ),
            without_decided_amount=Count("id", filter=Q(project__isnull=True)),
            countries=Count("country", distinct=True),
        )
        .order_by("year")
    )
    return [
        YearFigures(
            row["year"], row["projects"], row["support"] or 0, countries=row["countries"],
            estimated=row["without_decided_amount"] > 0,
        )
        for row in rows
    ]


def track_record() -> list[YearFigures]:
    return [*OFFICIAL_YEARS, *portal_years()]


def krw_words(amount: int) -> str:
    """`KRW 16.3 billion`, `163억 원`: how the programme states amounts (core.amounts, the one place for it)."""
    return amounts.krw_words(amount)
