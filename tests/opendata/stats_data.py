"""Built data for the statistics tests: public projects in two tracks and three countries, with indicators, and
proposals in every public status, including decisions whose letter is not released (which must not count).

    world = stats_world()   # the figures below, see each test for what it expects
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from cooperation.models import Indicator, IndicatorPeriod, Objective, Project
from proposals.models import Cycle, Proposal, Track
from proposals.workflow import Status
from tests.factories import ProgrammeFactory, ProposalFactory, TrackFactory
from tests.factories.cooperation import ProjectFactory

RELEASED = timezone.now() - datetime.timedelta(days=3)


@dataclass
class World:
    planning: Track
    pilots: Track
    projects: dict[str, Project]
    hidden: Project  # approved, project open, letter not released


def _cycle(programme, year):
    return Cycle.objects.get_or_create(programme=programme, year=year, defaults={"cutoff": datetime.date(year, 4, 30)})[
        0
    ]


def public_project(*, track, country, amount, year, released=True) -> Project:
    project = ProjectFactory(track=track, country=country, support_amount_krw=amount)
    Proposal.objects.filter(pk=project.proposal_id).update(
        cycle=_cycle(track.programme, year),
        submitted_at=RELEASED - datetime.timedelta(days=90),
        decision_released_at=RELEASED if released else None,
    )
    return project


def proposal(*, track, year, status, released=False) -> Proposal:
    return ProposalFactory(
        track=track,
        status=status,
        cycle=_cycle(track.programme, year),
        submitted_at=RELEASED - datetime.timedelta(days=60),
        decision_released_at=RELEASED if released else None,
    )


def indicator(project, title, unit, periods, *, is_percentage=False) -> Indicator:
    objective = Objective.objects.create(project=project, title="Plan adopted")
    found = Indicator.objects.create(
        objective=objective,
        title=title,
        unit=unit,
        is_percentage=is_percentage,
        baseline_value=0,
        baseline_date=datetime.date(2025, 1, 1),
    )
    for index, (target, actual) in enumerate(periods):
        start = datetime.date(2025, 1 + 3 * index, 1)
        IndicatorPeriod.objects.create(
            indicator=found,
            period_start=start,
            period_end=start + datetime.timedelta(days=80),
            target_value=Decimal(target),
            actual_value=None if actual is None else Decimal(actual),
        )
    return found


def stats_world() -> World:
    programme = ProgrammeFactory()
    planning = TrackFactory(programme=programme, name="Smart city planning", slug="planning", order=1)
    pilots = TrackFactory(programme=programme, name="Pilot projects", slug="pilots", order=2)
    projects = {
        "id-1": public_project(track=planning, country="ID", amount=300_000_000, year=2025),
        "id-2": public_project(track=pilots, country="ID", amount=200_000_000, year=2025),
        "ke": public_project(track=planning, country="KE", amount=500_000_000, year=2026),
        "sg": public_project(track=pilots, country="SG", amount=100_000_000, year=2026),  # no 1:110m shape
    }
    hidden = public_project(track=planning, country="BR", amount=900_000_000, year=2026, released=False)
    proposal(track=planning, year=2025, status=Status.REJECTED, released=True)
    proposal(track=planning, year=2025, status=Status.REJECTED)  # decided, not released: under review
    proposal(track=pilots, year=2026, status=Status.COMMITTEE_REVIEW)
    proposal(track=pilots, year=2026, status=Status.SCREENING)
    proposal(track=pilots, year=2026, status=Status.WITHDRAWN)
    ProposalFactory(track=planning, status=Status.DRAFT)  # never submitted: not counted

    indicator(projects["id-1"], "Officials trained", "people", [(20, 18), (30, None)])
    indicator(projects["id-2"], " officials trained", "People", [(10, 12)])
    indicator(projects["ke"], "Officials trained", "people", [(40, 35)])
    indicator(projects["ke"], "Households with piped water", "%", [(60, 55)], is_percentage=True)
    indicator(projects["sg"], "Households with piped water", "%", [(80, None)], is_percentage=True)
    indicator(hidden, "Officials trained", "people", [(1000, 999)])
    return World(planning, pilots, projects, hidden)
