"""Writes the planned proposals (bench.planner) as rows, a chunk at a time, with everything they carry.

Per proposal: contacts, attachments (rows that all point at ONE shared small PDF in MEDIA_ROOT, with its real size
and SHA-256: downloads work, and 20,000 files are not worth writing), collaborators, a few invitations, status
changes, messages (each information request is also a message, as proposal_request_info writes it), the owner's
notices, the acknowledgment e-mail, audit rows, consulting sessions and reports, and the keys of the reminders
already sent (bench.reminder_keys). Committee rows come from bench.rows_committee.
"""

import datetime
import random
from decimal import Decimal

from audit.models import AuditEntry
from bench import reminder_keys
from bench.history import DAY, HOUR, SEOUL, Plan
from bench.rows_committee import CommitteeWriter
from bench.text import Prose
from consulting.models import Booking, BookingStatus, PreConsultingReport, Recommendation
from notifications.models import Notice, OutboxEmail, SentReminder
from proposals.models import (
    Attachment,
    AttachmentKind,
    ContactPerson,
    Holiday,
    Invitation,
    Message,
    Proposal,
    ServiceLevel,
    SolutionCategory,
    StatusChange,
)
from proposals.workflow import COMMITTEE, OWNER, STAFF, Status

BATCH = 2000
CHUNK = 1000
SECOND = datetime.timedelta(seconds=1)
SHARED_FILE = "attachments/bench/shared.pdf"


class Writer:
    def __init__(self, *, rng: random.Random, now: datetime.datetime, prose: Prose, people, consultants,
                 session_types, committee: CommitteeWriter, shared_pdf: tuple[int, str]):
        self.rng, self.now, self.prose = rng, now, prose
        self.people, self.consultants, self.committee = people, consultants, committee
        self.session_type = session_types[0]
        self.staff = people.staff
        self.pdf_size, self.pdf_sha = shared_pdf
        self.levels = {level.status: level for level in ServiceLevel.objects.all()}
        self.holidays = set(Holiday.objects.values_list("date", flat=True))
        self.centres = [(c, set(c.covered_countries) | {str(c.country)}) for c in people.centres]
        self.counts: dict[str, int] = {}

    def write(self, plans: list[Plan]) -> None:
        for first in range(0, len(plans), CHUNK):
            self._chunk(plans[first: first + CHUNK])

    def _save(self, model, rows: list) -> list:
        for row in rows:
            if hasattr(row, "refresh_search_text"):
                row.refresh_search_text()  # bulk_create skips save(), which keeps the search column
        model.objects.bulk_create(rows, batch_size=BATCH)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(rows)
        return rows

    # --- one chunk ---------------------------------------------------------------------------------------------

    def _chunk(self, plans: list[Plan]) -> None:
        proposals = self._save(Proposal, [self._proposal(plan) for plan in plans])
        rows: dict[type, list] = {model: [] for model in (
            ContactPerson, Attachment, StatusChange, Message, Invitation, Notice, OutboxEmail, AuditEntry,
            SentReminder,
        )}
        collaborators = []
        bookings: list[tuple[Booking, bool, Plan]] = []
        for plan, proposal in zip(plans, proposals, strict=True):
            self._children(plan, proposal, rows, collaborators)
            bookings.extend(self._bookings(plan, proposal))
        for model, items in rows.items():
            self._save(model, items)
        Proposal.collaborators.through.objects.bulk_create(collaborators, batch_size=BATCH)
        self._save(Booking, [b for b, _report, _plan in bookings])
        self._save(PreConsultingReport, [
            PreConsultingReport(
                booking=booking, proposal=booking.proposal, summary=self.prose.text(600, 10000),
                recommendation=self.rng.choice(Recommendation.values), suggested_changes=self.prose.text(300, 10000),
                filed_at=booking.end + HOUR, filed_by=booking.consultant.user,
            )
            for booking, report, _plan in bookings if report
        ])
        self._save(SentReminder, [
            SentReminder(key=key, sent_at=at) for booking, report, _plan in bookings
            for key, at in reminder_keys.booking(booking, self.now, reported=report)
        ])
        self.committee.write(plans, proposals)

    # --- the proposal itself -----------------------------------------------------------------------------------

    def _proposal(self, plan: Plan) -> Proposal:
        rng, prose = self.rng, self.prose
        organisation = plan.applicant.organisation
        submitted = plan.submitted_at is not None

        def some(text: str) -> str:  # a draft has only part of its content yet
            return text if submitted or rng.random() < 0.6 else ""

        cap = plan.track.support_cap_krw
        released = None
        if plan.final in (Status.APPROVED, Status.REJECTED):
            letter_sent = plan.steps[-1].at + (7 + rng.random() * 23) * DAY
            released = letter_sent if letter_sent < self.now - HOUR else None
        return Proposal(
            track=plan.track, organisation=organisation, owner=plan.applicant.owner, status=plan.final,
            reference=plan.reference, cycle=plan.cycle, version=len(plan.steps) + rng.randint(2, 9),
            cooperation_centre=self._centre(plan.country) if submitted else None,
            assigned_to=self.staff[plan.assigned_staff] if plan.assigned_staff is not None else None,
            title=f"{prose.line(80)} for {plan.region}"[:200], country=plan.country, region_city=plan.region,
            jurisdiction_level=plan.level if submitted or rng.random() < 0.7 else "",
            lead_organisation=organisation.name, partner_organisations=some(prose.text(150, 2000)),
            population=rng.randrange(50_000, 12_000_000) if submitted or rng.random() < 0.5 else None,
            area_km2=Decimal(rng.randrange(2_000, 900_000)) / 100,
            city_context=some(prose.text(900, 6000)), problem_statement=some(prose.text(1500, 6000)),
            solution_categories=rng.sample(SolutionCategory.values, rng.randint(1, 3)),
            proposed_solutions=some(prose.text(2000, 8000)), objectives=some(prose.text(700, 4000)),
            expected_outcomes=some(prose.text(700, 4000)), duration_months=rng.randint(6, 36),
            requested_support_krw=rng.randrange(100, cap // 1_000_000 + 1) * 1_000_000,
            co_financing_krw=rng.randrange(0, 300) * 1_000_000, co_financing_description=some(prose.text(300, 3000)),
            national_plan_fit=some(prose.text(500, 4000)), priority_rank=rng.randint(1, 5),
            earlier_projects=prose.text(200, 3000) if rng.random() < 0.2 else "", consent=submitted,
            created_at=plan.created_at, updated_at=plan.updated_at, submitted_at=plan.submitted_at,
            status_changed_at=plan.status_changed_at, due_at=self._due(plan), decision_released_at=released,
        )

    def _centre(self, country: str):
        # proposals.services.centre_for_country: the first centre (by name) covering the country.
        return next((centre for centre, covered in self.centres if country in covered), None)

    def _due(self, plan: Plan) -> datetime.datetime | None:
        """proposals.service_levels.due_at_for: end of the due day in Seoul, working days where configured."""
        level = self.levels.get(plan.final)
        if level is None or not plan.steps:
            return None
        day = plan.status_changed_at.astimezone(SEOUL).date()
        if level.working_days:
            remaining = level.days
            while remaining:
                day += DAY
                if day.weekday() < 5 and day not in self.holidays:
                    remaining -= 1
        else:
            day += level.days * DAY
        return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=SEOUL)

    # --- what it carries -----------------------------------------------------------------------------------

    def _by(self, plan: Plan, actor: str):
        if actor == OWNER:
            return plan.applicant.owner
        if actor == STAFF and plan.assigned_staff is not None:
            return self.staff[plan.assigned_staff]
        return self.staff[plan.index % len(self.staff)]  # the committee's moves are recorded by staff

    def _children(self, plan: Plan, proposal: Proposal, rows: dict, collaborators: list) -> None:
        rng, prose, now = self.rng, self.prose, self.now
        owner = plan.applicant.owner
        submitted_at = plan.submitted_at
        for number in range(rng.randint(1, 2) if submitted_at else rng.randint(0, 1)):
            rows[ContactPerson].append(ContactPerson(
                proposal=proposal, name=f"Contact {number + 1} of {plan.region}", position="Planning officer",
                email=f"contact{plan.index}.{number}@example.org", phone="+00 000 0000"))
        kinds = list(plan.track.required_attachment_kinds)
        if not submitted_at:
            kinds = [k for k in kinds if rng.random() < 0.5]
        if rng.random() < 0.1:
            kinds.append(AttachmentKind.OTHER)
        if plan.sample:
            kinds += [AttachmentKind.BUDGET, AttachmentKind.SITE_INFORMATION, AttachmentKind.OTHER]
        uploaded_until = submitted_at or plan.updated_at
        for kind in kinds:
            rows[Attachment].append(Attachment(
                proposal=proposal, kind=kind, file=SHARED_FILE, original_name=f"{kind}.pdf",
                content_type="application/pdf", size=self.pdf_size, sha256=self.pdf_sha, uploaded_by=owner,
                uploaded_at=plan.created_at + (uploaded_until - plan.created_at) * rng.random()))
        team = plan.applicant.members
        if team and rng.random() < 0.3:
            collaborators.append(Proposal.collaborators.through(proposal_id=proposal.pk, user_id=team[0].pk))
        if rng.random() < 0.02:
            rows[Invitation].append(Invitation(proposal=proposal, email=f"invitee{plan.index}@example.org",
                                               invited_by=owner, created_at=plan.created_at + HOUR))
        rows[AuditEntry].append(AuditEntry(actor=owner, action="proposal.create", target_type="proposals.proposal",
                                           target_id=str(proposal.pk), data={"track": plan.track.slug},
                                           at=plan.created_at))
        source = Status.DRAFT
        for step in plan.steps:
            by = self._by(plan, step.actor)
            rows[StatusChange].append(StatusChange(proposal=proposal, from_status=source, to_status=step.to, by=by,
                                                   at=step.at, note=step.note, note_internal=step.internal))
            rows[AuditEntry].append(AuditEntry(actor=by, action="proposal.transition",
                                               target_type="proposals.proposal", target_id=str(proposal.pk),
                                               data={"from": source, "to": step.to}, at=step.at))
            if step.to == Status.INFO_REQUESTED:
                rows[Message].append(Message(proposal=proposal, author=by, body=step.note, created_at=step.at))
            if step.to == Status.SUBMITTED:
                rows[Notice].append(self._notice(owner, "proposal_acknowledged", proposal, step.at))
                rows[OutboxEmail].append(OutboxEmail(
                    user=owner, to_email=owner.email, event="proposal_acknowledged",
                    subject=f"[K-City Network] {plan.reference}: proposal received", body=prose.text(600, 5000),
                    state=OutboxEmail.State.SENT, attempts=1, created_at=step.at, sent_at=step.at + 30 * SECOND))
            elif step.actor != COMMITTEE:
                rows[Notice].append(self._notice(owner, "proposal_status_changed", proposal, step.at))
            source = step.to
        if submitted_at:
            end = max(plan.updated_at, min(now - HOUR, plan.updated_at + 30 * DAY))
            for _ in range(plan.messages):
                staff_side = rng.random() < 0.45
                author = self._by(plan, STAFF) if staff_side else rng.choice(plan.applicant.team)
                rows[Message].append(Message(
                    proposal=proposal, author=author, body=prose.text(rng.choice((80, 250, 600)), 10000),
                    internal=staff_side and rng.random() < 0.3, created_at=submitted_at + (end - submitted_at) *
                    rng.random()))
        rows[SentReminder].extend(SentReminder(key=key, sent_at=at) for key, at in reminder_keys.proposal(
            proposal, plan, now))

    def _notice(self, user, event: str, proposal: Proposal, at: datetime.datetime) -> Notice:
        return Notice(user=user, event=event, title=f"{proposal.reference or 'Draft'}: {event.replace('_', ' ')}",
                      body=self.prose.line(200), url=f"/proposals/{proposal.pk}/", created_at=at,
                      read_at=at + DAY if at < self.now - 10 * DAY else None)

    def _bookings(self, plan: Plan, proposal: Proposal) -> list[tuple[Booking, bool, Plan]]:
        made = []
        kind = self.session_type
        for session in plan.sessions:
            consultant = self.consultants[session.consultant]
            end = session.start + datetime.timedelta(minutes=kind.length_minutes)
            cancelled = session.status == BookingStatus.CANCELLED
            made.append((Booking(
                consultant=consultant, session_type=kind, proposal=proposal, booked_by=plan.applicant.owner,
                questions=self.prose.text(200, 4000), start=session.start, end=end,
                blocked_start=session.start - datetime.timedelta(minutes=kind.buffer_before_minutes),
                blocked_end=end + datetime.timedelta(minutes=kind.buffer_after_minutes), status=session.status,
                created_at=session.scheduled_at, scheduled_at=session.scheduled_at,
                cancelled_by=plan.applicant.owner if cancelled else None,
                cancelled_at=session.scheduled_at + HOUR if cancelled else None,
                reason="Another date suits the team better." if cancelled else "",
            ), session.report, plan))
        return made

