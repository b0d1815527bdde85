"""Every write that matters on a proposal. One transaction each, with its audit row and on-commit notices."""

import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_staff_member
from audit.services import audit_record
from core.errors import Conflict, TransitionRefused
from notifications.services import notify, notify_address
from proposals import rules
from proposals.models import (
    Attachment,
    ContactPerson,
    CooperationCentre,
    Cycle,
    Invitation,
    Message,
    Programme,
    Proposal,
    ReferenceCounter,
    StatusChange,
    Track,
)
from proposals.selectors import applicant_team
from proposals.service_levels import due_at_for
from proposals.workflow import COMMITTEE, EDITABLE_STATES, OWNER, STAFF, Status, move_for

SEOUL = zoneinfo.ZoneInfo(settings.TIME_ZONE)

# Fields an applicant edits through the form and the API. Workflow fields are never in here.
EDITABLE_FIELDS = (
    "title", "track", "country", "region_city", "jurisdiction_level", "lead_organisation", "partner_organisations",
    "population", "area_km2", "city_context", "problem_statement", "solution_categories", "proposed_solutions",
    "objectives", "expected_outcomes", "duration_months", "requested_support_krw", "co_financing_krw",
    "co_financing_description", "national_plan_fit", "priority_rank", "earlier_projects", "consent",
)


def _get_or_create_race_safe(model, *, defaults=None, **lookup):
    """get_or_create that survives two transactions creating the same row at once."""
    try:
        with transaction.atomic():
            return model.objects.get_or_create(defaults=defaults, **lookup)[0]
    except IntegrityError:
        return model.objects.get(**lookup)


# --- cycles and references -------------------------------------------------------------------------------


def cycle_year_for(*, programme: Programme, day: datetime.date) -> int:
    """DOMAIN rule: received by the cycle's cut-off (April 30 by default) -> this year's cycle; later -> next."""
    existing = Cycle.objects.filter(programme=programme, year=day.year).values_list("cutoff", flat=True).first()
    cutoff = existing or programme.default_cutoff(day.year)
    return day.year if day <= cutoff else day.year + 1


def cycle_for_date(*, programme: Programme, when: datetime.datetime, create: bool = True) -> Cycle | None:
    day = when.astimezone(SEOUL).date()
    year = cycle_year_for(programme=programme, day=day)
    if not create:
        return Cycle.objects.filter(programme=programme, year=year).first()
    return _get_or_create_race_safe(
        Cycle, programme=programme, year=year, defaults={"cutoff": programme.default_cutoff(year)}
    )


def reference_next(*, programme: Programme, when: datetime.datetime) -> str:
    """`KCN-2026-0042`: the counter row is locked, so concurrent submissions never share a number."""
    year = when.astimezone(SEOUL).year
    _get_or_create_race_safe(ReferenceCounter, prefix=programme.reference_prefix, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(prefix=programme.reference_prefix, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{programme.reference_prefix}-{year}-{counter.last_number:04d}"


def centre_for_country(country_code: str) -> CooperationCentre | None:
    if not country_code:
        return None
    for centre in CooperationCentre.objects.all():
        if country_code in centre.covered_countries or str(centre.country) == country_code:
            return centre
    return None


# --- drafting -------------------------------------------------------------------------------------------


def proposal_create(*, by, track: Track, title: str, organisation=None) -> Proposal:
    if not by.has_perm("proposals.create_proposal"):
        raise PermissionDenied(_("Only applicants can start a proposal."))
    organisation = organisation or by.organisation
    if organisation is None:
        raise ValidationError(_("Register your organisation before starting a proposal."))
    if not organisation.memberships.filter(user=by).exists():
        raise PermissionDenied(_("You are not a member of this organisation."))
    if not track.is_active or not track.programme.is_active:
        raise ValidationError(_("This track is not accepting proposals."))
    with transaction.atomic():
        proposal = Proposal.objects.create(
            track=track, organisation=organisation, owner=by, title=title.strip(),
            country=organisation.country, region_city=organisation.region_city,
            lead_organisation=organisation.name, status_changed_at=timezone.now(),
        )
        audit_record(actor=by, action="proposal.create", target=proposal, data={"track": track.slug})
    return proposal


def proposal_update(*, proposal: Proposal, by, data: dict[str, Any], expected_version: int) -> Proposal:
    """Save applicant edits. A stale `expected_version` means someone else saved first: Conflict, nothing lost."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not rules.can_edit_proposal(by, current):
            if current.status not in EDITABLE_STATES:
                raise PermissionDenied(
                    _("This proposal is %(status)s and can no longer be edited.")
                    % {"status": current.get_status_display().lower()}
                )
            raise PermissionDenied(_("You cannot edit this proposal."))
        if current.version != expected_version:
            raise Conflict(
                _(
                    "Someone else saved this proposal while you were editing it. Your text has been kept in the form: "
                    "compare it with the latest version below and save again."
                )
            )
        changed = []
        for name, value in data.items():
            if getattr(current, name) != value:
                setattr(current, name, value)
                changed.append(name)
        if changed:
            current.version += 1
            current.full_clean(exclude=["reference", "cycle", "owner", "organisation"])
            current.save()
            audit_record(actor=by, action="proposal.update", target=current, data={"fields": changed})
    proposal.refresh_from_db()
    return proposal


def proposal_contacts_set(*, proposal: Proposal, by, contacts: list[dict[str, str]]) -> list[ContactPerson]:
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not rules.can_edit_proposal(by, current):
            raise PermissionDenied(_("You cannot edit this proposal."))
        current.contacts.all().delete()
        created = [ContactPerson.objects.create(proposal=current, **c) for c in contacts]
        Proposal.objects.filter(pk=current.pk).update(version=current.version + 1, updated_at=timezone.now())
        audit_record(actor=by, action="proposal.contacts", target=current, data={"count": len(created)})
    proposal.refresh_from_db()
    return created


def attachment_add(*, proposal: Proposal, by, kind: str, upload) -> Attachment:
    from proposals.attachments import check_room_for_another, inspect_upload

    checked = inspect_upload(upload)  # raises ValidationError with the reason
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not rules.can_edit_proposal(by, current):
            raise PermissionDenied(_("You cannot add documents to this proposal now."))
        check_room_for_another(current)  # under the row lock, so two uploads at once cannot both take the last place
        attachment = Attachment(
            proposal=current, kind=kind, original_name=checked.name, content_type=checked.content_type,
            size=checked.size, sha256=checked.sha256, uploaded_by=by,
        )
        attachment.full_clean(exclude=["file"])
        attachment.file.save(checked.name, upload, save=False)
        attachment.save()
        Proposal.objects.filter(pk=current.pk).update(updated_at=timezone.now())
        audit_record(
            actor=by, action="attachment.add", target=current,
            data={"attachment": attachment.pk, "kind": kind, "sha256": checked.sha256, "size": checked.size},
        )
    return attachment


def attachment_remove(*, attachment: Attachment, by) -> None:
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=attachment.proposal_id)
        if not rules.can_edit_proposal(by, current):
            raise PermissionDenied(_("You cannot remove documents from this proposal now."))
        audit_record(
            actor=by, action="attachment.remove", target=current,
            data={"attachment": attachment.pk, "name": attachment.original_name, "sha256": attachment.sha256},
        )
        stored = attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: Attachment.file.field.storage.delete(stored))


# --- collaborators ---------------------------------------------------------------------------------------


def invitation_create(*, proposal: Proposal, by, email: str) -> Invitation:
    email = email.strip().lower()
    if not rules.can_invite_collaborator(by, proposal):
        raise PermissionDenied(_("Only the proposal's owner can invite colleagues while it is being drafted."))
    if email == by.email:
        raise ValidationError({"email": _("You are already the owner of this proposal.")})
    if proposal.collaborators.filter(email=email).exists():
        raise ValidationError({"email": _("%(email)s already works on this proposal.") % {"email": email}})
    with transaction.atomic():
        invitation = Invitation.objects.create(proposal=proposal, email=email, invited_by=by)
        audit_record(actor=by, action="invitation.create", target=proposal, data={"email": email})
        from accounts.models import User

        invitee = User.objects.filter(email=email).first()
        context = {"proposal": proposal, "inviter": by, "invitation": invitation}
        url = f"/proposals/invitations/{invitation.token}/"
        if invitee is not None:
            notify(event="collaborator_invited", recipients=[invitee], context=context, url=url)
        else:
            notify_address(event="collaborator_invited", email=email, context=context, url=url)
    return invitation


def invitation_accept(*, token: str, by) -> Proposal:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("proposal").filter(token=token).first()
        if invitation is None:
            raise ValidationError(_("This invitation link is not valid."))
        if invitation.email != by.email.lower():
            raise PermissionDenied(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": invitation.email}
            )
        if invitation.accepted_at is None:
            invitation.accepted_at = timezone.now()
            invitation.accepted_by = by
            invitation.save(update_fields=["accepted_at", "accepted_by"])
            invitation.proposal.collaborators.add(by)
            audit_record(actor=by, action="invitation.accept", target=invitation.proposal, data={"email": by.email})
    return invitation.proposal


# --- workflow --------------------------------------------------------------------------------------------


def _actor_allowed(actor_kind: str, by, proposal: Proposal) -> bool:
    if actor_kind == OWNER:
        return rules.is_proposal_owner(by, proposal)
    if actor_kind == STAFF:
        return is_staff_member(by)
    # Committee moves: only committee.services calls them (via_committee), after quorum and vote.
    return actor_kind == COMMITTEE


def _guard(*, proposal: Proposal, target: str) -> None:
    """Conditions of a move beyond the table (documented next to each check)."""
    # Submission needs the checklist, a reference and a cycle: proposal_submit sets them before this move.
    if target == Status.SUBMITTED and not proposal.reference:
        raise TransitionRefused(_("Submit the proposal from its checklist page so it gets a reference and a cycle."))
    if target == Status.COMMITTEE_REVIEW and proposal.track.pre_consulting_required:
        from proposals.guards import pre_consulting_report_filed

        if not pre_consulting_report_filed(proposal):
            raise TransitionRefused(
                _("The %(track)s track requires a filed pre-consulting report before committee review.")
                % {"track": proposal.track.name}
            )


def proposal_transition(
    *, proposal: Proposal, to: str, by, note: str = "", note_internal: bool = False, via_committee: bool = False
) -> Proposal:
    """Apply one move of the workflow table: lock, check, write the StatusChange and audit row, notify on commit.

    `note_internal` keeps a staff move's note from the applicant (history, API, e-mail); staff choose it when
    they make the move. Only staff moves may have one: an applicant's note and an information request are
    written for the applicant's side.
    """
    with transaction.atomic():
        current = Proposal.objects.select_for_update().select_related("track", "track__programme").get(pk=proposal.pk)
        move = move_for(current.status, to)
        if move is None:
            if current.decision_undisclosed and not is_staff_member(by):
                # The refusal must not reveal an unreleased decision: say what the applicant sees.
                raise TransitionRefused(
                    _("The committee's decision on this proposal is being prepared; it cannot be moved to %(target)s.")
                    % {"target": Status(to).label.lower()}
                )
            raise TransitionRefused(
                _("A proposal that is %(source)s cannot be moved to %(target)s.")
                % {"source": current.get_status_display().lower(), "target": Status(to).label.lower()}
            )
        if move.actor == COMMITTEE and not via_committee:
            raise TransitionRefused(_("Only a committee decision recorded in a meeting can approve or reject."))
        if not _actor_allowed(move.actor, by, current):
            raise TransitionRefused(
                _("You are not allowed to %(action)s this proposal.") % {"action": move.label.lower()}
            )
        note = (note or "").strip()
        if move.note_required and not note:
            raise TransitionRefused(_("Please give a reason or message for this step."))
        note_internal = bool(note_internal and note)
        if note_internal and (move.actor != STAFF or to == Status.INFO_REQUESTED):
            raise TransitionRefused(
                _("This step's note is always shown to the applicant; it cannot be an internal note.")
            )
        _guard(proposal=current, target=to)

        now = timezone.now()
        source = current.status
        current.status = to
        current.status_changed_at = now
        current.due_at = due_at_for(status=to, since=now)
        current.save(update_fields=["status", "status_changed_at", "due_at", "updated_at"])
        change = StatusChange.objects.create(proposal=current, from_status=source, to_status=to, by=by, note=note,
                                             note_internal=note_internal)
        audit_record(actor=by, action="proposal.transition", target=current,
                     data={"from": source, "to": to, **({"note_internal": True} if note_internal else {})})
        # A submission is announced by proposal_submit's acknowledgment (reference, cycle): one e-mail, not two.
        # A committee decision reaches the applicant only in the decision letter, after staff have reviewed it.
        if to != Status.SUBMITTED and move.actor != COMMITTEE:
            notify(
                event="proposal_status_changed",
                recipients=applicant_team(current),
                # An internal note stays out of the applicants' e-mail (the template prints change.note).
                context={"proposal": current, "change": None if change.note_internal else change,
                         "source_label": Status(source).label, "target_label": Status(to).label},
                url=current.get_absolute_url(),
            )
    proposal.refresh_from_db()
    return proposal


def proposal_decision_release(*, proposal: Proposal, by) -> Proposal:
    """The reviewed decision letter went out: from now on the applicant, members and public figures see the
    committee's outcome (proposals.selectors). Called by committee.decisions.letter_approve."""
    if not is_staff_member(by):
        raise PermissionDenied(_("Only MOLIT staff can release a decision."))
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if current.decision_released_at is None:
            current.decision_released_at = timezone.now()
            current.save(update_fields=["decision_released_at", "updated_at"])
            audit_record(actor=by, action="proposal.decision_release", target=current,
                         data={"status": current.status})
    proposal.refresh_from_db()
    return proposal


def proposal_submit(*, proposal: Proposal, by) -> Proposal:
    """Submit on any day: checklist, cycle by the cut-off rule, a unique reference, acknowledgment e-mails."""
    from proposals.eligibility import proposal_checklist

    with transaction.atomic():
        current = Proposal.objects.select_for_update().select_related("track__programme", "organisation").get(
            pk=proposal.pk
        )
        if current.status != Status.DRAFT:
            raise TransitionRefused(
                _("This proposal was already submitted (%(reference)s).") % {"reference": current.reference or "-"}
            )
        if not rules.can_submit_proposal(by, current):
            raise TransitionRefused(_("Only the proposal's owner can submit it."))
        now = timezone.now()
        programme = current.track.programme
        cycle = cycle_for_date(programme=programme, when=now)
        # Lock the cycle so two proposals of one jurisdiction cannot both pass the one-per-cycle check.
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        problems = proposal_checklist(current, cycle=cycle)
        if problems:
            raise ValidationError([p.message for p in problems])
        current.reference = reference_next(programme=programme, when=now)
        current.cycle = cycle
        current.submitted_at = now
        if current.cooperation_centre_id is None:
            current.cooperation_centre = centre_for_country(str(current.country))
        current.save(update_fields=["reference", "cycle", "submitted_at", "cooperation_centre", "updated_at"])
        proposal_transition(proposal=current, to=Status.SUBMITTED, by=by)
        current.refresh_from_db()
        audit_record(actor=by, action="proposal.submit", target=current,
                     data={"reference": current.reference, "cycle": cycle.year})
        notify(
            event="proposal_acknowledged",
            recipients=applicant_team(current),
            context={"proposal": current, "cycle": cycle},
            url=current.get_absolute_url(),
        )
    proposal.refresh_from_db()
    return proposal


def proposal_request_info(*, proposal: Proposal, by, message: str) -> Proposal:
    """Staff asks the applicant for more: the message goes into the thread and the proposal reopens for editing."""
    with transaction.atomic():
        proposal_transition(proposal=proposal, to=Status.INFO_REQUESTED, by=by, note=message)
        Message.objects.create(proposal=proposal, author=by, body=message.strip())
    return proposal


def proposal_resubmit(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """The applicant answers an information request: back to the stage that asked."""
    last_request = (
        StatusChange.objects.filter(proposal=proposal, to_status=Status.INFO_REQUESTED).order_by("-at", "-id").first()
    )
    back_to = last_request.from_status if last_request else Status.SCREENING
    with transaction.atomic():
        proposal_transition(proposal=proposal, to=back_to, by=by, note=note)
        if note.strip():
            Message.objects.create(proposal=proposal, author=by, body=note.strip())
    return proposal


def proposal_withdraw(*, proposal: Proposal, by, reason: str) -> Proposal:
    return proposal_transition(proposal=proposal, to=Status.WITHDRAWN, by=by, note=reason)


def message_post(*, proposal: Proposal, by, body: str, internal: bool = False) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    if not rules.can_post_message(by, proposal):
        raise PermissionDenied(_("You cannot write on this proposal."))
    if internal and not is_staff_member(by):
        raise PermissionDenied(_("Only staff can write internal notes."))
    with transaction.atomic():
        message = Message.objects.create(proposal=proposal, author=by, body=body, internal=internal)
        audit_record(
            actor=by, action="message.post", target=proposal, data={"message": message.pk, "internal": internal}
        )
        if not internal:
            if is_staff_member(by):
                recipients = applicant_team(proposal)
            else:
                recipients = [proposal.assigned_to] if proposal.assigned_to_id else []
            notify(
                event="proposal_message",
                recipients=[r for r in recipients if r.pk != by.pk],
                context={"proposal": proposal, "message": message},
                url=proposal.get_absolute_url() + "#messages",
            )
    return message


# --- staff assignment ------------------------------------------------------------------------------------


def proposal_assign(*, proposal: Proposal, by, staff=None, centre: CooperationCentre | None = None) -> Proposal:
    """Set who in the secretariat follows a proposal and which cooperation centre (None clears either)."""
    if not by.has_perm("proposals.triage_proposal", proposal):
        raise PermissionDenied(_("Only MOLIT staff can assign proposals."))
    if staff is not None and not is_staff_member(staff):
        raise ValidationError({"assigned_to": _("%(person)s is not a staff member.") % {"person": staff}})
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = {"assigned_to": current.assigned_to_id, "cooperation_centre": current.cooperation_centre_id}
        after = {"assigned_to": staff.pk if staff else None, "cooperation_centre": centre.pk if centre else None}
        if before == after:
            return current
        Proposal.objects.filter(pk=current.pk).update(assigned_to=staff, cooperation_centre=centre)
        audit_record(actor=by, action="proposal.assign", target=current, data={"before": before, "after": after})
        if staff is not None and staff.pk != by.pk and before["assigned_to"] != staff.pk:
            notify(
                event="proposal_assigned", recipients=[staff], context={"proposal": current, "by": by},
                url=f"/admin/proposals/proposal/{current.pk}/change/",
            )
    proposal.refresh_from_db()
    return proposal


def proposal_defer_to_next_cycle(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """A committee deferral: the proposal stays in committee review and joins the next yearly cycle.

    Called by committee.services.decision_record. The history shows it as a committee_review row with the note.
    """
    with transaction.atomic():
        current = Proposal.objects.select_for_update().select_related("track__programme").get(pk=proposal.pk)
        if current.status != Status.COMMITTEE_REVIEW or current.cycle is None:
            raise TransitionRefused(_("Only a proposal in committee review can be deferred to the next cycle."))
        programme = current.track.programme
        year = current.cycle.year + 1
        next_cycle = _get_or_create_race_safe(
            Cycle, programme=programme, year=year, defaults={"cutoff": programme.default_cutoff(year)}
        )
        source_year = current.cycle.year
        current.cycle = next_cycle
        current.save(update_fields=["cycle", "updated_at"])
        text = (note or "").strip() or _("Deferred to the %(year)s cycle.") % {"year": year}
        StatusChange.objects.create(
            proposal=current, from_status=Status.COMMITTEE_REVIEW, to_status=Status.COMMITTEE_REVIEW, by=by, note=text
        )
        audit_record(
            actor=by, action="proposal.defer", target=current, data={"from_cycle": source_year, "to_cycle": year}
        )
    proposal.refresh_from_db()
    return proposal
