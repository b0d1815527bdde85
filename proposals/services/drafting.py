"""Drafting a proposal: starting it, saving the applicant's edits, its contact people."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from audit.services import audit_entry, audit_record, audit_records
from core.errors import Conflict
from proposals import rules
from proposals.eligibility import country_allowed, track_refusals
from proposals.models import ContactPerson, JurisdictionLevel, Proposal, Track

# A government applies for its own jurisdiction: the draft starts at that level (the applicant can change it).
_LEVEL_OF_KIND = {OrganisationKind.NATIONAL: JurisdictionLevel.NATIONAL,
                  OrganisationKind.REGIONAL: JurisdictionLevel.REGIONAL, OrganisationKind.CITY: JurisdictionLevel.CITY}

# Fields an applicant edits through the form and the API. Workflow fields are never in here.
EDITABLE_FIELDS = (
    "title", "track", "country", "region_city", "jurisdiction_level", "lead_organisation", "partner_organisations",
    "population", "area_km2", "city_context", "problem_statement", "solution_categories", "proposed_solutions",
    "objectives", "expected_outcomes", "duration_months", "requested_support_krw", "co_financing_krw",
    "co_financing_description", "national_plan_fit", "priority_rank", "earlier_projects", "consent",
)


def proposal_create(*, by, track: Track, title: str, organisation=None) -> Proposal:
    rules.check("proposals.create_proposal", by)
    if organisation is None:
        organisation = by.organisation  # the one they act for, through their membership
        if organisation is None:
            raise ValidationError(_("Register your organisation before starting a proposal."))
    elif not organisation.memberships.filter(user=by).exists():
        raise PermissionDenied(_("You are not a member of this organisation."))
    # The track's eligibility (programme open, organisation kind, where the organisation is) before anything is
    # made: the page and the API show these reasons and the tracks this organisation may use instead.
    refusals = track_refusals(track, organisation=organisation)
    if refusals:
        raise ValidationError([p.message for p in refusals], code="ineligible")
    # The project's country starts as the organisation's own, unless the track's projects take place elsewhere
    # (a Korean company's overseas demonstration): then the applicant names the partner country.
    site = organisation.country if country_allowed(track.site_country_rule, organisation.country,
                                                   track.eligible_countries) else ""
    with transaction.atomic():
        proposal = Proposal.objects.create(
            track=track, organisation=organisation, owner=by, title=title.strip(),
            country=site, region_city=organisation.region_city if site else "",
            jurisdiction_level=_LEVEL_OF_KIND.get(organisation.kind, "") if site else "",
            lead_organisation=organisation.name, status_changed_at=timezone.now(),
        )
        audit_record(actor=by, action="proposal.create", target=proposal, data={"track": track.slug})
    return proposal


def proposal_update(
    *, proposal: Proposal, by, data: dict[str, Any], expected_version: int,
    contacts: list[dict[str, str]] | None = None,
) -> Proposal:
    """Save applicant edits. A stale `expected_version` means someone else saved first: Conflict, nothing lost.

    With `contacts` the contact people are replaced in the same transaction, under the same lock (the API's one
    request for both), each part raising the version and writing its audit row as proposal_contacts_set does.
    Only the changed fields are validated and written: the others were valid when they were saved."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    with transaction.atomic():
        # Only its own row is locked (of "self"); its track, organisation, owner and cycle come along, read not
        # written, for what the caller shows next (adopt_written), the track's eligibility and the rule.
        current = (Proposal.objects.select_for_update(of=("self",))
                   .select_related("track", "organisation", "owner", "cycle").get(pk=proposal.pk))
        rules.check("proposals.change_proposal", by, current)
        if current.version != expected_version:
            raise Conflict(
                _(
                    "Someone else saved this proposal while you were editing it. Your text has been kept in the form: "
                    "compare it with the latest version below and save again."
                )
            )
        track = data.get("track")
        if track is not None and track.pk != current.track_id:
            refusals = track_refusals(track, organisation=current.organisation)
            if refusals:
                raise ValidationError({"track": [p.message for p in refusals]})
        changed = []
        for name, value in data.items():
            if getattr(current, name) != value:
                setattr(current, name, value)
                changed.append(name)
        if changed:
            current.version += 1
            current.full_clean(exclude=[f.name for f in Proposal._meta.fields if f.name not in changed])
        if contacts is not None:
            current.version += 1
        if changed or contacts is not None:
            current.save(update_fields=[*changed, "version", "updated_at"])
        entries = []
        if changed:
            entries.append(audit_entry(actor=by, action="proposal.update", target=current, data={"fields": changed}))
        if contacts is not None:
            created = _contacts_replace(current, contacts)
            entries.append(audit_entry(actor=by, action="proposal.contacts", target=current,
                                       data={"count": len(created)}))
        audit_records(entries)
    adopt_written(proposal, current)
    if contacts is not None:
        known_rows(proposal, "contacts", created)  # as written, in the order (of ids) they are read
    return proposal


def adopt_written(proposal: Proposal, current: Proposal) -> None:
    """What proposal.refresh_from_db() would read once a service has written `current`, the proposal's row it
    locked and changed in place (every change saved): its values and the related rows it holds (and the rows it
    prefetched under the lock and left unchanged), without reading them again. Annotations of `proposal` (a
    viewer's status) are dropped, as they may be stale now."""
    for field in Proposal._meta.concrete_fields:
        setattr(proposal, field.attname, getattr(current, field.attname))
    proposal._state.fields_cache = dict(current._state.fields_cache)
    proposal._state.db = current._state.db
    proposal.__dict__.pop("viewer_status", None)
    proposal.__dict__.pop("_prefetched_objects_cache", None)
    if getattr(current, "_prefetched_objects_cache", None):
        proposal._prefetched_objects_cache = dict(current._prefetched_objects_cache)


def known_rows(instance, name: str, rows: list) -> None:
    """Hand `instance` the rows of its relation `name` as prefetch_related would (`rows` in the relation's order),
    when the caller just wrote them: reading them would give the same rows."""
    queryset = getattr(instance, name).all()
    queryset._result_cache, queryset._prefetch_done = list(rows), True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[getattr(type(instance), name).rel.cache_name] = queryset


def _contacts_replace(proposal: Proposal, contacts: list[dict[str, str]]) -> list[ContactPerson]:
    proposal.contacts.all().delete()
    return ContactPerson.objects.bulk_create([ContactPerson(proposal=proposal, **c) for c in contacts])


def proposal_contacts_set(*, proposal: Proposal, by, contacts: list[dict[str, str]]) -> list[ContactPerson]:
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        rules.check("proposals.change_proposal", by, current)
        created = _contacts_replace(current, contacts)
        Proposal.objects.filter(pk=current.pk).update(version=current.version + 1, updated_at=timezone.now())
        audit_record(actor=by, action="proposal.contacts", target=current, data={"count": len(created)})
    proposal.refresh_from_db()
    return created
