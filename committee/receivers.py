"""What the committee app plugs into the proposals app (proposals.hooks); registered in CommitteeConfig.ready().

Each receiver only reads and answers: none changes state.
"""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from committee.models import DecisionLetter, LetterStatus, Rubric
from committee.selectors import committee_cleared_q
from core.translated import InReadersLanguage, fallback_language
from proposals.hooks import Download, HelpItem, HelpSection
from proposals.models import HelpTopic


def cleared_member_sees_proposal(*, user) -> Q | None:
    """proposals.visibility: a member sees the proposals assigned to them or on a committee agenda, and only once
    they have declared no conflict of interest."""
    if user.role != Role.COMMITTEE_MEMBER:
        return None
    return committee_cleared_q(user)


def rubric_help_sections(*, topic) -> list[HelpSection] | None:
    """proposals.help_sections: the evaluation help page lists each programme's scoring criteria, as members
    score them, with each criterion's share of the total."""
    if topic != HelpTopic.EVALUATION:
        return None
    sections = []
    rubrics = (Rubric.objects.select_related("programme").prefetch_related("criteria")
               .order_by(InReadersLanguage("programme__name").asc()))
    for rubric in rubrics:
        criteria = list(rubric.criteria.all())
        total = sum(c.weight for c in criteria) or 1
        sections.append(HelpSection(
            title=_("%(programme)s: scoring criteria") % {"programme": rubric.programme.name},
            items=tuple(HelpItem(name=c.name, text=c.description, note=f"{round(100 * c.weight / total)}%",
                                 name_lang=fallback_language(c, "name"), text_lang=fallback_language(c, "description"))
                        for c in criteria),
        ))
    return sections


def _sent_letters():
    return DecisionLetter.objects.filter(status=LetterStatus.SENT)


def letter_sent_column() -> dict:
    """proposals.page_columns: whether the proposal's decision letter has been sent, for the page's download link
    (released_letter_download) without a query of its own."""
    return {"committee_letter_sent": Exists(_sent_letters().filter(decision__proposal=OuterRef("pk")))}


def released_letter_download(*, user, proposal) -> Download | None:
    """proposals.proposal_downloads: the decision letter as a PDF, once it has been sent (the page's column
    letter_sent_column, or a query for a proposal read without it)."""
    sent = getattr(proposal, "committee_letter_sent", None)
    if sent is None:
        sent = _sent_letters().filter(decision__proposal=proposal).exists()
    if not sent:
        return None
    return Download(label=_("Decision letter (PDF)"), key="decision-letter",
                    url=reverse("committee:decision-letter-pdf", args=[proposal.pk]))
