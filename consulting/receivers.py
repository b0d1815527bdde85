"""What consulting plugs into the proposals app (proposals.hooks); registered in ConsultingConfig.ready().

Each receiver only reads and answers (or vetoes by raising): none changes state.
"""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from consulting.models import LIVE_STATUSES, Booking, PreConsultingReport, ProposalClaim
from consulting.selectors import proposal_has_filed_report, proposal_ids_with_filed_report
from core.errors import TransitionRefused
from proposals.hooks import Facet
from proposals.workflow import Status


def report_filed_before_committee_review(*, proposal, target, by, decision) -> None:
    """proposals.transition_guard: a track that requires pre-consulting goes to the committee only with the
    consultant's filed report (the committee reads it)."""
    if target != Status.COMMITTEE_REVIEW or not proposal.track.pre_consulting_required:
        return
    if not proposal_has_filed_report(proposal=proposal):
        raise TransitionRefused(
            _("The %(track)s track requires a filed pre-consulting report before committee review.")
            % {"track": proposal.track.name}
        )


def booked_consultant_sees_proposal(*, user) -> Q | None:
    """proposals.visibility: a consultant sees the proposals people booked sessions with them about, the ones they
    scheduled a session for, and the ones they took from the pre-consulting queue (and have not given back)."""
    if user.role != Role.CONSULTANT:
        return None
    sessions = Booking.objects.filter(Q(consultant__user_id=user.pk) | Q(booked_by_id=user.pk),
                                      proposal_id=OuterRef("pk"))
    taken = ProposalClaim.objects.filter(proposal_id=OuterRef("pk"), consultant__user_id=user.pk,
                                         released_at__isnull=True)
    return Q(Exists(sessions)) | Q(Exists(taken))


def report_filed_facet() -> Facet:
    """proposals.staff_list_facets: "has a filed pre-consulting report" (admin changelist, staff API)."""
    return Facet(
        name="has_report", label=gettext_lazy("pre-consulting report"),
        q_true=lambda: Q(pk__in=proposal_ids_with_filed_report()),
        yes_label=gettext_lazy("Filed"), no_label=gettext_lazy("Not filed"),
    )


def pre_consulting_page_columns() -> dict:
    """proposals.page_columns: whether the proposal has a report, and when its last live session ends, so that the
    page (templatetags.consulting.proposal_pre_consulting) asks for its reports and upcoming sessions only when
    there are some: most proposals have neither. The end, not "any upcoming": whether a session is still to come
    is judged at the page's own moment, as selectors.proposal_page_upcoming judges it."""
    live = Booking.objects.filter(proposal=OuterRef("pk"), status__in=LIVE_STATUSES)
    return {
        "consulting_has_reports": Exists(PreConsultingReport.objects.filter(proposal=OuterRef("pk"))),
        "consulting_last_live_end": Subquery(live.order_by("-end").values("end")[:1]),
    }
