"""The submission checklist: everything that must be true before a proposal can be submitted.

Each problem names the form step where it is fixed, so the checklist page can link straight to it.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from proposals.cycles import cycle_for_date
from proposals.models import Proposal
from proposals.workflow import Status


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    step: str  # the form step (see proposals.forms.STEPS) where it is fixed


REQUIRED_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "basics"),
    ("country", "basics"),
    ("region_city", "basics"),
    ("jurisdiction_level", "basics"),
    ("lead_organisation", "basics"),
    ("population", "context"),
    ("city_context", "context"),
    ("problem_statement", "solutions"),
    ("solution_categories", "solutions"),
    ("proposed_solutions", "solutions"),
    ("objectives", "solutions"),
    ("expected_outcomes", "solutions"),
    ("duration_months", "budget"),
    ("requested_support_krw", "budget"),
    ("national_plan_fit", "budget"),
)

# Proposals in these states do not count against "one per jurisdiction per cycle".
_NOT_COUNTED = (Status.DRAFT, Status.WITHDRAWN)


def jurisdiction_key(proposal: Proposal) -> tuple[str, str, str]:
    return (str(proposal.country), proposal.jurisdiction_level, " ".join(proposal.region_city.lower().split()))


def competing_proposal(proposal: Proposal, cycle) -> Proposal | None:
    """Another counted proposal of the same jurisdiction in the cycle this one would join."""
    if cycle is None or not proposal.country or not proposal.region_city:
        return None
    key = jurisdiction_key(proposal)
    # The place is compared in Python (case and spacing normalised); a cycle holds few proposals per country.
    candidates = (
        Proposal.objects.filter(cycle=cycle, country=proposal.country, jurisdiction_level=proposal.jurisdiction_level)
        .exclude(pk=proposal.pk)
        .exclude(status__in=_NOT_COUNTED)
        .only("pk", "country", "jurisdiction_level", "region_city", "reference")
    )
    for other in candidates:
        if jurisdiction_key(other) == key:
            return other
    return None


def proposal_checklist(proposal: Proposal, *, cycle=None) -> list[Problem]:
    """What is still missing or not allowed. An empty list means the proposal can be submitted."""
    problems: list[Problem] = []
    for field_name, step in REQUIRED_FIELDS:
        value = getattr(proposal, field_name)
        if value in (None, "", []):
            label = Proposal._meta.get_field(field_name).verbose_name
            problems.append(
                Problem(f"missing:{field_name}", _("%(field)s is missing.") % {"field": capfirst(label)}, step)
            )
    if not proposal.contacts.exists():
        problems.append(Problem("missing:contacts", _("Add at least one contact person."), "basics"))
    if not proposal.consent:
        problems.append(
            Problem("missing:consent", _("Confirm the declaration and consent before submitting."), "review")
        )

    track = proposal.track
    present = set(proposal.attachments.values_list("kind", flat=True))
    for kind, label in zip(track.required_attachment_kinds, track.required_attachment_labels(), strict=False):
        if kind not in present:
            problems.append(
                Problem(f"attachment:{kind}", _("Attach the required document: %(kind)s.") % {"kind": label},
                        "documents")
            )

    if proposal.organisation.kind not in track.eligible_organisation_kinds:
        problems.append(
            Problem(
                "eligibility:organisation_kind",
                _("%(kind)s organisations cannot apply to the %(track)s track. Eligible: %(eligible)s.")
                % {
                    "kind": proposal.organisation.get_kind_display(),
                    "track": track.name,
                    "eligible": ", ".join(str(x) for x in track.eligible_kind_labels()),
                },
                "basics",
            )
        )

    if proposal.requested_support_krw and proposal.requested_support_krw > track.support_cap_krw:
        problems.append(
            Problem(
                "eligibility:cap",
                _("The requested support (KRW %(requested)s) is above the track's cap of KRW %(cap)s.")
                % {"requested": f"{proposal.requested_support_krw:,}", "cap": f"{track.support_cap_krw:,}"},
                "budget",
            )
        )

    if cycle is None:
        cycle = cycle_for_date(programme=track.programme, when=timezone.now(), create=False)
    other = competing_proposal(proposal, cycle)
    if other is not None:
        problems.append(
            Problem(
                "eligibility:one_per_jurisdiction",
                _(
                    "%(place)s already has a proposal in the %(year)s cycle (%(reference)s). "
                    "Only one proposal per jurisdiction is accepted per cycle."
                )
                % {
                    "place": " ".join(proposal.region_city.split()),
                    "year": cycle.year,
                    "reference": other.reference or "",
                },
                "basics",
            )
        )
    return problems
