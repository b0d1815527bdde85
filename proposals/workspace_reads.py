"""The workspace's reads (proposals.views.workspace, the cooperation platform's list of proposals): the rows a
person's `/proposals/` lists, a page at a time, and how many there are.

A page is read by SQL the ORM writes once per process, language and page position (core.compiled.CompiledQuery),
sent again with each viewer's id: building and compiling the page's UNION and its count cost the Python of several
times what the database takes to answer them from their indexes. The querysets below are still the one statement
of each read; people whom an app above lets see more (proposals.hooks.visibility) are read by them as built.
"""

import datetime
from typing import NamedTuple

from django.db.models import Exists, OuterRef, QuerySet
from modeltranslation.utils import build_localized_fieldname

from accounts.models import Role
from core.compiled import CompiledQuery
from core.translated import FALLBACK_LANGUAGE, active_language, translation_columns
from proposals.hooks import visibility
from proposals.models import Proposal
from proposals.selectors import (
    never_submitted_q,
    proposals_visible_to,
    sees_every_submitted,
    sees_undisclosed_decisions,
    submitted_count,
    team_ids,
    with_viewer_status,
)

# What a row of the workspace shows (templates/proposals/workspace.html) and what its status and edit button are
# worked out from: a page of these, not of whole proposals with their texts.
WORKSPACE_COLUMNS = (
    "reference", "title", "status", "decision_released_at", "due_at", "updated_at", "owner_id",
    "track", *translation_columns("track__name"), "organisation", "organisation__name", "cycle", "cycle__year",
)


def workspace_rows(*, user) -> QuerySet[Proposal]:
    """The proposals a person sees in their workspace, newest saved first (index proposal_updated_id_desc), with
    only the shown columns; `is_collaborator` says whether the person is one of each proposal's collaborators."""
    shared = Proposal.collaborators.through.objects.filter(proposal_id=OuterRef("pk"), user_id=user.pk)
    return (
        with_viewer_status(proposals_visible_to(user), user)
        .select_related("track", "organisation", "cycle")
        .only(*WORKSPACE_COLUMNS)
        .annotate(is_collaborator=Exists(shared))
        .order_by("-updated_at", "-id")
    )


class WorkspaceRow(NamedTuple):
    """A row of the workspace (workspace_page): what it shows of a proposal, its track's name in the reader's
    language (as `track.name` reads it), and whether the reader is one of its collaborators. A tuple, not a model
    instance, which is built field by field for all of a proposal's fields, loaded or not; the status the reader
    sees and its label come from the model's own rules, read from these columns."""

    pk: int
    reference: str | None
    title: str
    status: str
    decision_released_at: datetime.datetime | None
    due_at: datetime.datetime | None
    updated_at: datetime.datetime
    owner_id: int
    is_collaborator: bool
    organisation_name: str
    cycle_year: int | None
    track_name: str
    # What with_viewer_status annotates: staff see the status itself; None for anyone else, for whom
    # Proposal.shown_status works out what the applicant sees.
    viewer_status: str | None

    decision_undisclosed = Proposal.decision_undisclosed
    shown_status = Proposal.shown_status
    shown_status_label = Proposal.shown_status_label


_WORKSPACE_ROW = ("pk", "reference", "title", "status", "decision_released_at", "due_at", "updated_at", "owner_id",
                  "is_collaborator", "organisation__name", "cycle__year")
_STATUS = _WORKSPACE_ROW.index("status")


def _reader(user) -> str | None:
    """Which compiled read serves this person's workspace: "team" (proposals_visible_to is their team_proposal_ids
    alone: not staff, and no app above lets them see more), "staff" (every submitted proposal), or None (someone an
    app above lets see more, or no active person: read as built)."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if sees_every_submitted(user):
        return "staff"
    return None if visibility.collect(user=user) else "team"


def _submitted() -> QuerySet[Proposal]:
    """proposals_visible_to(staff), which depends on nothing of theirs."""
    return Proposal.objects.exclude(never_submitted_q())


# Counted from indexes alone: a team's UNION of distinct ids by itself (each is a proposal's, by foreign key), not
# looked up in proposals one by one; staff's from the partial index proposal_submitted_updated
# (selectors.submitted_count, which the staff's API list counts with too).
_TEAM_COUNT = CompiledQuery(Proposal, lambda viewer, centre_staff: team_ids(viewer, centre_staff=centre_staff))


def workspace_count(*, user) -> int:
    """How many proposals the person's workspace lists (proposals_visible_to)."""
    reader = _reader(user)
    if reader == "team":
        return _TEAM_COUNT.count(user.pk, user.role == Role.CENTRE_STAFF)
    if reader == "staff":
        return submitted_count()
    return proposals_visible_to(user).count()


def _page(candidates: QuerySet[Proposal], viewer: int, page: slice) -> QuerySet:
    """The page's rows of `candidates` in the workspace's order, as values by _WORKSPACE_ROW's names and the
    track's name in the reader's language and in English."""
    shared = Proposal.collaborators.through.objects.filter(proposal_id=OuterRef("pk"), user_id=viewer)
    return (
        candidates.annotate(is_collaborator=Exists(shared))
        .order_by("-updated_at", "-id").values(*_WORKSPACE_ROW, *_track_names())[page]
    )


def _track_names() -> tuple[str, ...]:
    return tuple(dict.fromkeys(build_localized_fieldname("track__name", language)
                               for language in (active_language(), FALLBACK_LANGUAGE)))


def _team_page(viewer: int, centre_staff: bool, start: int, stop: int) -> QuerySet:
    """A team's page: its rows are among the newest `stop` of each part of its UNION (team_proposal_ids)."""
    ids = team_ids(viewer, centre_staff=centre_staff, newest=stop)
    return _page(Proposal.objects.filter(pk__in=ids), viewer, slice(start, stop))


def _ids_page(visible: QuerySet[Proposal], viewer: int, start: int, stop: int) -> QuerySet:
    """Anyone else's page: the page's slice of the ids they see in order (staff's from proposal_submitted_updated),
    then only those rows read whole, joined to their track, organisation and cycle."""
    ids = visible.order_by("-updated_at", "-id").values("pk")[start:stop]
    return _page(Proposal.objects.filter(pk__in=ids), viewer, slice(None))


def _names() -> tuple[str, ...]:
    """The columns of a page's row, in this order (the track's names are the reader's language's)."""
    return (*_WORKSPACE_ROW, *_track_names())


_TEAM_PAGE = CompiledQuery(Proposal, _team_page, names=_names)
_STAFF_PAGE = CompiledQuery(Proposal, lambda viewer, start, stop: _ids_page(_submitted(), viewer, start, stop),
                            names=_names)


def workspace_page(*, user, start: int, stop: int) -> list[WorkspaceRow]:
    """Rows `start` to `stop` of the person's workspace (proposals_visible_to), newest saved first.

    The page's rows are found from indexes alone, so the cost is the page's depth, not how many proposals the
    person sees."""
    reader = _reader(user)
    if reader == "team":
        rows = _TEAM_PAGE.rows(user.pk, user.role == Role.CENTRE_STAFF, start, stop)
    elif reader == "staff":
        rows = _STAFF_PAGE.rows(user.pk, start, stop)
    else:
        visible = proposals_visible_to(user)
        names = _names()
        rows = [tuple(row[name] for name in names) for row in _ids_page(visible, user.pk, start, stop)]
    viewer_sees = sees_undisclosed_decisions(user)
    columns = len(_WORKSPACE_ROW)
    return [
        WorkspaceRow(
            *row[:columns],
            # modeltranslation's fallback: the reader's language's name, else the English one.
            track_name=next((name for name in row[columns:] if name), ""),
            viewer_status=row[_STATUS] if viewer_sees else None,
        )
        for row in rows
    ]
