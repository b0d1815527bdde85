"""The secretariat's inbox: what needs this staff member now.

A proposal is theirs when it is assigned to them or to nobody (then the whole secretariat is told of it, see
triage.secretariat_to_tell). Its sections:

- new: submitted and not yet picked up (no staff move yet);
- answered: the applicant's side resubmitted or wrote after staff last acted (a move or a reply;
  Proposal.applicant_activity_at / staff_activity_at, kept by the services);
- overdue: the next step's due date has passed (triage.overdue_q);
- waiting: staff owe the next move (submitted, screening, pre-consulting).

The navigation's count (and the tabs') is one aggregate query, asked afresh on every page: nothing cached, so it
is never stale.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.compiled import CompiledCount
from proposals.models import Proposal
from proposals.triage import OPEN_STATES, overdue_q, staff_proposal_queryset
from proposals.workflow import Status

WAITING_ON_STAFF = (Status.SUBMITTED, Status.SCREENING, Status.PRE_CONSULTING)


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    help: str


SECTIONS = (
    Section("new", _("New submissions"), _("Submitted and not yet picked up.")),
    Section("answered", _("Answered"), _("The applicant resubmitted or wrote since staff last acted.")),
    Section("overdue", _("Overdue"), _("The next step's due date has passed.")),
    Section("waiting", _("Waiting on staff"), _("Staff owe the next move.")),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)

ORDER = {
    "new": (F("submitted_at").asc(nulls_last=True), "id"),
    "answered": (F("applicant_activity_at").asc(), "id"),
    "overdue": (F("due_at").asc(), "id"),
    "waiting": (F("due_at").asc(nulls_last=True), "id"),
}


def scope_q(user, *, everyone: bool = False) -> Q:
    """Mine (assigned to me, or to nobody), or every staff member's."""
    if everyone:
        return Q(status__in=OPEN_STATES)
    return Q(status__in=OPEN_STATES) & (Q(assigned_to=user) | Q(assigned_to__isnull=True))


def section_q(key: str, now: datetime.datetime | Now | None = None) -> Q:
    if key == "new":
        return Q(status=Status.SUBMITTED, staff_activity_at__isnull=True)
    if key == "answered":
        return Q(status__in=OPEN_STATES, staff_activity_at__isnull=False,
                 applicant_activity_at__gt=F("staff_activity_at"))
    if key == "overdue":
        return overdue_q(now)
    if key == "waiting":
        return Q(status__in=WAITING_ON_STAFF)
    raise ValueError(f"unknown inbox section {key!r}")


def needs_me_q(now: datetime.datetime | Now | None = None) -> Q:
    """What the navigation's badge counts: new, answered or overdue."""
    return section_q("new", now) | section_q("answered", now) | section_q("overdue", now)


_NEEDS_ME = CompiledCount(Proposal, lambda viewer: Proposal.objects.filter(scope_q(viewer) & needs_me_q(Now())))


def inbox_counts(user, *, everyone: bool = False, now: datetime.datetime | None = None) -> dict[str, int]:
    """Each section's count and `needs_me`, in one query."""
    now = now or timezone.now()
    return Proposal.objects.filter(scope_q(user, everyone=everyone)).aggregate(
        **{key: Count("pk", filter=section_q(key, now)) for key in SECTION_KEYS},
        needs_me=Count("pk", filter=needs_me_q(now)),
    )


def needs_me_count(user) -> int:
    """The navigation badge's number alone (inbox_counts' `needs_me`): every staff page asks for it, and the other
    sections' counts would double the query's cost. Compiled once (core.compiled), overdue by the database's clock;
    its condition stands in WHERE, where PostgreSQL reads it from the partial index proposal_open_inbox alone (as a
    FILTER aggregate it fetched every open proposal's row)."""
    return _NEEDS_ME(user.pk)


def inbox_rows(user, *, section: str, everyone: bool = False, now: datetime.datetime | None = None
               ) -> QuerySet[Proposal]:
    """The proposals of one section, oldest waiting first, with what the list shows fetched up front."""
    return (
        staff_proposal_queryset()
        .filter(scope_q(user, everyone=everyone) & section_q(section, now))
        .order_by(*ORDER[section])
    )
