"""The submission checklist: everything that must be true before a proposal can be submitted.

Each problem names the form step where it is fixed, so the checklist page can link straight to it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.amounts import krw
from proposals.cycles import cycle_for_date
from proposals.models import KOREA, CountryRule, Proposal, Track
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


class ChecklistIncomplete(ValidationError):
    """proposal_submit's refusal when the checklist is not met, under the proposal's lock: a ValidationError of
    the problems' messages (what the pages list) that keeps the problems themselves (code, step) for the API."""

    def __init__(self, problems: list[Problem]):
        super().__init__([p.message for p in problems])
        self.problems = problems


# Proposals in these states do not count against "one per jurisdiction per cycle".
_NOT_COUNTED = (Status.DRAFT, Status.WITHDRAWN)


def place_key(region_city: str) -> str:
    """A place as the rule compares it: case and spacing do not make another jurisdiction."""
    return " ".join(region_city.lower().split())


def competing_proposal(proposal: Proposal, cycle) -> Proposal | None:
    """Another counted proposal of the same jurisdiction in the cycle this one would join."""
    if cycle is None or not proposal.country or not proposal.region_city:
        return None
    place = place_key(proposal.region_city)
    # The place is compared in Python (place_key) over the places alone: a popular country's cycle holds hundreds
    # of proposals of one level (index proposal_jurisdiction), and a model instance for each cost more than the
    # rest of the submission. Only the one that matches is loaded.
    candidates = (
        Proposal.objects.filter(cycle=cycle, country=proposal.country, jurisdiction_level=proposal.jurisdiction_level)
        .exclude(pk=proposal.pk)
        .exclude(status__in=_NOT_COUNTED)
        .values_list("pk", "region_city")
    )
    for pk, region_city in candidates:
        if place_key(region_city) == place:
            return Proposal.objects.only(
                "pk", "country", "jurisdiction_level", "region_city", "reference", "title", "organisation_id"
            ).get(pk=pk)
    return None


# --- who may use a track: the track's rules as data, in plain words -----------------------------------------


def _country_name(code) -> str:
    return str(dict(countries).get(str(code), str(code))) if code else ""


def country_allowed(rule: str, code, listed=()) -> bool:
    code = str(code or "")
    if rule == CountryRule.KOREA_ONLY:
        return code == KOREA
    if rule == CountryRule.OUTSIDE_KOREA:
        return bool(code) and code != KOREA
    if rule == CountryRule.LISTED:
        return code in set(listed)
    return True


def track_rules(track: Track) -> list[str]:
    """The track's eligibility in plain words, one sentence each (the start page, help and the API show them)."""
    lines = [gettext("Who may apply: %(kinds)s.") % {"kinds": ", ".join(str(k) for k in track.eligible_kind_labels())}]
    applicant = {
        CountryRule.KOREA_ONLY: gettext("The applicant organisation is registered in Korea."),
        CountryRule.OUTSIDE_KOREA: gettext("The applicant organisation is from a country other than Korea."),
        CountryRule.LISTED: gettext("The applicant organisation is from one of: %(countries)s.")
        % {"countries": ", ".join(_country_name(c) for c in track.eligible_countries)},
    }.get(track.applicant_country_rule)
    site = {
        CountryRule.KOREA_ONLY: gettext("The project takes place in Korea."),
        CountryRule.OUTSIDE_KOREA: gettext("The project takes place outside Korea."),
        CountryRule.LISTED: gettext("The project takes place in one of: %(countries)s.")
        % {"countries": ", ".join(_country_name(c) for c in track.eligible_countries)},
    }.get(track.site_country_rule)
    lines += [line for line in (applicant, site) if line]
    if track.consortium_required:
        lines.append(track.consortium_description or gettext("The proposal names its consortium partners."))
    return lines


def track_refusals(track: Track, *, organisation, proposal: Proposal | None = None) -> list[Problem]:
    """Why `organisation` may not use `track` (empty: it may). Without a proposal (choosing a track, starting a
    draft) only the organisation is judged; with one, also where the project is and its consortium."""
    problems: list[Problem] = []
    names = {"track": track.name, "organisation": organisation.name,
             "country": _country_name(organisation.country)}
    if not track.is_active or not track.programme.is_active:
        problems.append(Problem("eligibility:closed", _("The %(track)s track is not accepting proposals.") % names,
                                "basics"))
    if organisation.kind not in track.eligible_organisation_kinds:
        problems.append(Problem(
            "eligibility:organisation_kind",
            _("%(kind)s organisations cannot apply to the %(track)s track. Eligible: %(eligible)s.")
            % {**names, "kind": organisation.get_kind_display(),
               "eligible": ", ".join(str(x) for x in track.eligible_kind_labels())},
            "basics",
        ))
    if not country_allowed(track.applicant_country_rule, organisation.country, track.eligible_countries):
        message = {
            CountryRule.KOREA_ONLY: _("The %(track)s track is for organisations registered in Korea; "
                                      "%(organisation)s is registered in %(country)s."),
            CountryRule.OUTSIDE_KOREA: _("The %(track)s track is for governments and organisations outside Korea; "
                                         "%(organisation)s is registered in %(country)s."),
        }.get(track.applicant_country_rule, _("The %(track)s track is open to organisations from %(countries)s; "
                                              "%(organisation)s is registered in %(country)s."))
        countries_text = ", ".join(_country_name(c) for c in track.eligible_countries)
        problems.append(Problem("eligibility:applicant_country", message % {**names, "countries": countries_text},
                                "basics"))
    if proposal is not None:
        if proposal.country and not country_allowed(track.site_country_rule, proposal.country,
                                                    track.eligible_countries):
            message = {
                CountryRule.KOREA_ONLY: _("Projects of the %(track)s track take place in Korea; this proposal's "
                                          "country is %(site)s."),
                CountryRule.OUTSIDE_KOREA: _("Projects of the %(track)s track take place outside Korea: choose the "
                                             "partner country where the project takes place."),
            }.get(track.site_country_rule, _("Projects of the %(track)s track take place in %(countries)s; this "
                                             "proposal's country is %(site)s."))
            problems.append(Problem(
                "eligibility:site_country",
                message % {**names, "site": _country_name(proposal.country),
                           "countries": ", ".join(_country_name(c) for c in track.eligible_countries)},
                "basics",
            ))
        if track.consortium_required and not proposal.partner_organisations.strip():
            problems.append(Problem(
                "eligibility:consortium",
                _("The %(track)s track needs a consortium (%(rule)s): name the partner organisations.")
                % {**names, "rule": (track.consortium_description or gettext("partners named in the proposal"))
                   .rstrip(".")},
                "basics",
            ))
    return problems


def open_tracks():
    return Track.objects.filter(is_active=True, programme__is_active=True).select_related("programme")


def eligible_tracks(organisation, *, exclude: Track | None = None) -> list[Track]:
    """The open tracks this organisation may use, in the programmes' order: offered instead of a refused one."""
    return [t for t in open_tracks() if (exclude is None or t.pk != exclude.pk)
            and not track_refusals(t, organisation=organisation)]


# --- one proposal per jurisdiction per cycle -----------------------------------------------------------


@dataclass(frozen=True)
class JurisdictionHolder:
    """The proposal that already holds this jurisdiction in the cycle. Another organisation's proposal is named
    by its reference only (the rule needs no more: the applicant can quote it to the secretariat); its title and
    organisation are shown only to the holder's own organisation."""

    proposal: Proposal
    cycle: object
    same_organisation: bool
    message: str


def jurisdiction_holder(proposal: Proposal, *, cycle=None) -> JurisdictionHolder | None:
    if cycle is None:
        cycle = cycle_for_date(programme=proposal.track.programme, when=timezone.now(), create=False)
    other = competing_proposal(proposal, cycle)
    if other is None:
        return None
    same = other.organisation_id == proposal.organisation_id
    names = {"place": " ".join(proposal.region_city.split()), "year": cycle.year, "reference": other.reference or "",
             "title": other.title}
    if same:
        message = _("%(place)s already has a proposal in the %(year)s cycle: %(reference)s “%(title)s”, from your "
                    "organisation. Only one proposal per jurisdiction is accepted per cycle.") % names
    else:
        message = _("%(place)s already has a proposal in the %(year)s cycle (%(reference)s). "
                    "Only one proposal per jurisdiction is accepted per cycle.") % names
    return JurisdictionHolder(proposal=other, cycle=cycle, same_organisation=same, message=str(message))


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
    # The documents as proposal_submit read them under its lock (prefetched), or their kinds alone.
    if "attachments" in getattr(proposal, "_prefetched_objects_cache", {}):
        present = {attachment.kind for attachment in proposal.attachments.all()}
    else:
        present = set(proposal.attachments.values_list("kind", flat=True))
    for kind, label in zip(track.required_attachment_kinds, track.required_attachment_labels(), strict=False):
        if kind not in present:
            problems.append(
                Problem(f"attachment:{kind}", _("Attach the required document: %(kind)s.") % {"kind": label},
                        "documents")
            )

    problems.extend(track_refusals(track, organisation=proposal.organisation, proposal=proposal))

    if proposal.requested_support_krw and proposal.requested_support_krw > track.support_cap_krw:
        problems.append(
            Problem(
                "eligibility:cap",
                _("The requested support (%(requested)s) is above the track's cap of %(cap)s.")
                % {"requested": krw(proposal.requested_support_krw), "cap": krw(track.support_cap_krw)},
                "budget",
            )
        )

    if cycle is None:
        cycle = cycle_for_date(programme=track.programme, when=timezone.now(), create=False)
    holder = jurisdiction_holder(proposal, cycle=cycle)
    if holder is not None:
        problems.append(Problem("eligibility:one_per_jurisdiction", holder.message, "basics"))
    return problems
