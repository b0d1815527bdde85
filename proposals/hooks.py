"""What higher apps plug into the proposals app (core.hooks). Receivers register in their AppConfig.ready().

Proposals never imports consulting, committee or cooperation: where the workflow, the visibility rule or the
staff list must respect something those apps own, it asks through one of these hooks.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.expressions import BaseExpression

from core.hooks import Hook

transition_guard: Hook[Callable[..., None]] = Hook(
    "proposals.transition_guard",
    "Before a move is applied, under the proposal's row lock. Receivers get proposal=, target= (a Status), by= "
    "and decision= (the committee decision of a committee move, else None), and veto by raising "
    "core.errors.TransitionRefused with the reason. proposals.workflow.moves_for asks them too, to offer only "
    "moves that would pass, so a guard must be a read without side effects.",
)

visibility: Hook[Callable[..., Q | None]] = Hook(
    "proposals.visibility",
    "Who else may see a proposal. Receivers get user= (an active, signed-in person who is not staff) and answer "
    "a Q over Proposal selecting the extra proposals that person may see through the receiver's app, or None. "
    "proposals.selectors.proposals_visible_to ORs the answers into its rule (lists, pages and the API).",
)

staff_list_facets: Hook[Callable[..., "Facet | None"]] = Hook(
    "proposals.staff_list_facets",
    "Yes/no filters of the staff proposal list that another app owns. Receivers take no arguments and answer a "
    "proposals.hooks.Facet; the admin changelist, proposals.triage.staff_proposal_list and the staff API offer "
    "each one under its name.",
)

moved: Hook[Callable[..., None]] = Hook(
    "proposals.moved",
    "A proposal moved in the workflow. Sent inside the transaction, after the StatusChange is written, with "
    "proposal=, source=, target=, by= and change= (the StatusChange). A receiver that writes calls a service of "
    "its own app (the transaction rolls back together if it raises).",
)


@dataclass(frozen=True)
class Facet:
    """A named yes/no filter of the staff list: `q_true()` selects the proposals for which it holds."""

    name: str  # the query parameter (admin changelist, staff API)
    label: str  # the filter's title
    q_true: Callable[[], Q]
    yes_label: str = ""
    no_label: str = ""


def facets() -> dict[str, Facet]:
    """Every staff list facet the installed apps contribute, by name, in registration order."""
    return {facet.name: facet for facet in staff_list_facets.collect()}


help_sections: Hook[Callable[..., "HelpSection | list[HelpSection] | None"]] = Hook(
    "proposals.help_sections",
    "Live content another app adds under an applicant help page's text. Receivers get topic= (a "
    "proposals.models.HelpTopic value) and answer a proposals.hooks.HelpSection, a list of them, or None. Read only.",
)


@dataclass(frozen=True)
class HelpItem:
    name: str
    text: str = ""
    note: str = ""  # e.g. a weight ("20%")
    # The language of `name` / `text` when it is not the page's (English shown for want of a translation:
    # core.translated.fallback_language), so the page marks it with its own lang; "" when it is the page's.
    name_lang: str = ""
    text_lang: str = ""


@dataclass(frozen=True)
class HelpSection:
    """A titled list shown on a help page (e.g. the committee's scoring criteria of one programme)."""

    title: str
    items: tuple[HelpItem, ...]
    intro: str = ""


proposal_downloads: Hook[Callable[..., "Download | None"]] = Hook(
    "proposals.proposal_downloads",
    "Documents about a proposal another app offers its viewer (e.g. committee: the released decision letter). "
    "Receivers get user= and proposal= (already visible to that user) and answer a proposals.hooks.Download, or "
    "None. The proposal page lists them next to the proposal's own PDF. Read only.",
)


@dataclass(frozen=True)
class Download:
    label: str
    url: str
    key: str  # a stable name for the link (tests, page ids)


page_columns: Hook[Callable[..., "dict[str, BaseExpression] | None"]] = Hook(
    "proposals.page_columns",
    "Columns another app adds to the proposal page's own query (proposals.selectors.proposal_page), so that a "
    "question its part of the page asks of every proposal (is there a sent letter, any report) is answered there, "
    "not by a query of its own. Receivers take no arguments and answer a dict of annotation names (prefixed with "
    "the app's name) to expressions over Proposal, e.g. an Exists, or None. The query is built once per language "
    "and side: an answer must not depend on the request. A proposal read otherwise lacks the columns, so each "
    "reader asks its query when the attribute is missing.",
)
