"""Selection cycles and references: which yearly cycle a proposal joins, and its unique reference number.

Its own module because both the submission service and the eligibility checklist (one proposal per jurisdiction
per cycle) need the cut-off rule, and neither may import the other.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction

from proposals.models import Cycle, Programme, ReferenceCounter

SEOUL = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def get_or_create_race_safe(model, *, defaults=None, **lookup):
    """get_or_create that survives two transactions creating the same row at once."""
    try:
        with transaction.atomic():
            return model.objects.get_or_create(defaults=defaults, **lookup)[0]
    except IntegrityError:
        return model.objects.get(**lookup)


def _year_by_cutoff(day: datetime.date, cutoff: datetime.date) -> int:
    """DOMAIN rule: received by the cycle's cut-off (April 30 by default) -> this year's cycle; later -> next."""
    return day.year if day <= cutoff else day.year + 1


def cycle_year_for(*, programme: Programme, day: datetime.date) -> int:
    """The cycle a proposal received on `day` joins (_year_by_cutoff, with this year's cut-off)."""
    # Unordered: one row at most (cycle_unique_year), and Meta's order by programme would join the programme.
    existing = (Cycle.objects.filter(programme=programme, year=day.year).order_by()
                .values_list("cutoff", flat=True).first())
    return _year_by_cutoff(day, existing or programme.default_cutoff(day.year))


def cycle_years_for(*, programmes, day: datetime.date) -> dict[int, tuple[int, datetime.date]]:
    """cycle_year_for for several programmes in one query: programme id -> (the cycle's year, its cut-off)."""
    rows = (
        Cycle.objects.filter(programme__in=programmes, year__in=(day.year, day.year + 1))
        .order_by()  # Meta.ordering joins the programme to sort by its name; a dict needs no order
        .values_list("programme_id", "year", "cutoff")
    )
    cutoffs = {(programme_id, year): cutoff for programme_id, year, cutoff in rows}
    years = {}
    for programme in programmes:
        year = _year_by_cutoff(day, cutoffs.get((programme.pk, day.year)) or programme.default_cutoff(day.year))
        years[programme.pk] = (year, cutoffs.get((programme.pk, year)) or programme.default_cutoff(year))
    return years


def cycle_of_year(*, programme: Programme, year: int) -> Cycle:
    """The programme's cycle of `year`, made with the default cut-off if nobody set it up yet."""
    return get_or_create_race_safe(
        Cycle, programme=programme, year=year, defaults={"cutoff": programme.default_cutoff(year)}
    )


def cycle_for_date(*, programme: Programme, when: datetime.datetime, create: bool = True) -> Cycle | None:
    day = when.astimezone(SEOUL).date()
    year = cycle_year_for(programme=programme, day=day)
    if not create:
        return Cycle.objects.filter(programme=programme, year=year).order_by().first()
    return cycle_of_year(programme=programme, year=year)


def cycle_locked_for_date(*, programme: Programme, when: datetime.datetime) -> Cycle:
    """cycle_for_date's cycle (made if nobody set it up yet), its row locked until the transaction ends: the
    submission's lock, so two proposals of one jurisdiction cannot both pass the one-per-cycle check."""
    year = cycle_year_for(programme=programme, day=when.astimezone(SEOUL).date())
    locked = Cycle.objects.select_for_update().filter(programme=programme, year=year).order_by()
    cycle = locked.first()
    if cycle is None:  # the first submission of a year nobody set up: made once, then locked like any other
        cycle_of_year(programme=programme, year=year)
        cycle = locked.get()
    return cycle


def reference_next(*, programme: Programme, when: datetime.datetime) -> str:
    """`KCN-2026-0042`: the counter row is locked, so concurrent submissions never share a number."""
    year = when.astimezone(SEOUL).year
    locked = ReferenceCounter.objects.select_for_update().filter(prefix=programme.reference_prefix, year=year)
    counter = locked.first()
    if counter is None:  # the year's first reference: the row is made once (race-safe), then locked
        get_or_create_race_safe(ReferenceCounter, prefix=programme.reference_prefix, year=year)
        counter = locked.get()
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{programme.reference_prefix}-{year}-{counter.last_number:04d}"
