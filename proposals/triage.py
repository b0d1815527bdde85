"""Reads behind the staff back office: the admin changelist, the staff API, the dashboard and the digest
share these, so "overdue" or "has a pre-consulting report" (a facet consulting contributes, proposals.hooks)
means the same thing everywhere."""

import datetime

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Now
from django.utils import timezone

from accounts.models import Organisation, Role, User
from core.compiled import CompiledRows
from core.search import country_codes_named, fold
from proposals.hooks import facets
from proposals.models import Proposal
from proposals.selectors import never_submitted_q
from proposals.workflow import OPEN_STATES, Status

STAFF_LIST_RELATED = ("track", "track__programme", "organisation", "owner", "cycle", "cycle__programme",
                      "cooperation_centre", "assigned_to")


def overdue_q(now: datetime.datetime | Now | None = None) -> Q:
    """Past its next step's due date: at `now` (the database's clock when it is Now()), else this moment."""
    return Q(status__in=OPEN_STATES, due_at__lt=now or timezone.now())


def is_overdue(proposal: Proposal, now: datetime.datetime | None = None) -> bool:
    return bool(proposal.status in OPEN_STATES and proposal.due_at and proposal.due_at < (now or timezone.now()))


def staff_proposal_queryset() -> QuerySet[Proposal]:
    """Every proposal staff work on: submitted ones only (drafts are counted by draft_count, never shown)."""
    return Proposal.objects.exclude(never_submitted_q()).select_related(*STAFF_LIST_RELATED)


# The drafts as one group of their status (none: no row), its SQL compiled once (core.compiled.CompiledRows): the
# admin list asks it on every view, and building the count cost several times the database's answer.
_DRAFTS = CompiledRows(Proposal, lambda: Proposal.objects.filter(status=Status.DRAFT).order_by()
                       .values("status").annotate(drafts=Count("*")).values("drafts"))


def draft_count() -> int:
    """How many proposals applicants are drafting: staff may know that, not what the drafts say."""
    rows = _DRAFTS()
    return rows[0]["drafts"] if rows else 0


# One probe of the country index per country: DISTINCT would read every entry (10,000 proposals for 40 countries),
# and PostgreSQL has no skip scan to do this by itself. SQLite runs the same statement.
_COUNTRIES_IN_USE = """
    WITH RECURSIVE found (code) AS (
        SELECT MIN(country) FROM proposals_proposal WHERE country > ''
        UNION ALL
        SELECT (SELECT MIN(country) FROM proposals_proposal WHERE country > found.code) FROM found
        WHERE found.code IS NOT NULL
    )
    SELECT code FROM found WHERE code IS NOT NULL
"""


def countries_in_use() -> list[str]:
    """The country codes some proposal has, in order: the admin's country filter offers these only."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNTRIES_IN_USE)
        return [code for (code,) in cursor.fetchall()]


def staff_proposal_list(
    *, user, status: str = "", track: int | None = None, country: str = "", cycle: int | None = None,
    cooperation_centre: int | None = None, overdue: bool | None = None, mine: bool = False, search: str = "",
    now: datetime.datetime | None = None, **facet_values: bool | None,
) -> QuerySet[Proposal]:
    """The staff list with the admin's filters (every argument optional). `facet_values` are the other apps'
    yes/no filters by facet name (e.g. `has_report=True`, from consulting); an unknown name is a TypeError."""
    qs = staff_proposal_queryset()
    if status:
        qs = qs.filter(status=status)
    if track:
        qs = qs.filter(track_id=track)
    if country:
        qs = qs.filter(country=country.upper())
    if cycle:
        qs = qs.filter(cycle_id=cycle)
    if cooperation_centre:
        qs = qs.filter(cooperation_centre_id=cooperation_centre)
    if overdue is True:
        qs = qs.filter(overdue_q(now))
    elif overdue is False:
        qs = qs.exclude(overdue_q(now))
    qs = facets_filter(qs, facet_values)
    if mine:
        qs = qs.filter(assigned_to=user)
    if search:
        qs = qs.filter(search_q(search))
    return qs.order_by(F("due_at").asc(nulls_last=True), "-id")


def facets_filter(qs: QuerySet[Proposal], values: dict[str, bool | None]) -> QuerySet[Proposal]:
    """Apply facet answers: True keeps the proposals the facet holds for, False the others, None leaves it."""
    known = facets()
    unknown = set(values) - set(known)
    if unknown:
        raise TypeError(f"unknown staff list facets: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        if value is True:
            qs = qs.filter(known[name].q_true())
        elif value is False:
            qs = qs.exclude(known[name].q_true())
    return qs


def search_q(term: str) -> Q:
    """Reference, title, place, organisation name or country, whatever the accents, case or language of the
    country's name ("Bogota" finds "Bogotá", "콜롬비아" finds Colombia). The text fields are read from the folded
    search columns (core.search, kept on save); country names are matched in Python against django-countries'
    names in every portal language. A UNION of one lookup per table, each able to use its own index (the trigram
    indexes of migration 0008 on PostgreSQL); an OR across the joined organisation could not."""
    folded = fold(term)
    if not folded:
        return Q()
    ids = Proposal.objects.filter(search_text__contains=folded).order_by().values("pk").union(
        Proposal.objects.filter(
            organisation_id__in=Organisation.objects.filter(search_text__contains=folded).values("pk")
        ).order_by().values("pk"),
    )
    codes = country_codes_named(term)
    if codes:
        ids = ids.union(Proposal.objects.filter(country__in=codes).order_by().values("pk"))
    return Q(pk__in=ids)


def staff_members() -> QuerySet[User]:
    return User.objects.filter(Q(role=Role.STAFF) | Q(is_superuser=True), is_active=True).order_by("email")


def secretariat_to_tell(proposal: Proposal) -> list[User]:
    """Whom new work on a proposal is announced to: the staff member following it, or, while nobody does (or the
    one assigned left), every active staff member. notify() then honours each person's e-mail choices."""
    assigned = proposal.assigned_to if proposal.assigned_to_id else None
    if assigned is not None and assigned.is_active and (assigned.is_superuser or assigned.role == Role.STAFF):
        return [assigned]
    return list(staff_members())
