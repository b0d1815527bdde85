"""The committee's beat sweeps: reminders of pending reviews before a meeting (task committee.tasks, schedule
committee.schedules). Each reminder is claimed once, so a sweep may run as often as it likes.

One query finds what is due: the pending reviews of planned meetings in the next three days whose member has not
been reminded for that meeting and occasion yet (narrow: ids and keys only). A run with nothing due costs that one
query, however many members and agendas sit in the window.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Case, CharField, F, Value, When
from django.utils import timezone

from committee import selectors
from committee.models import CommitteeMember, Meeting, MeetingStatus
from notifications.services import notify, reminder_claim, reminder_key_sql, reminders_unclaimed
from proposals.models import Proposal

LEADS = (("1d", timedelta(days=1)), ("3d", timedelta(days=3)))


def _pending_unreminded(*, now):
    """Assignments with the review still to do, one row per agenda the proposal is on, for planned meetings within
    3 days; key "committee-review:<meeting>:<member>:<1d|3d>" (1d once the meeting is a day away or less).
    Conflicted members are left out, as are inactive ones."""
    (near_label, near), (far_label, far) = LEADS
    # One filter() call, so the agenda join below is the one these conditions are on.
    assignments = selectors.assignments_awaiting_review().filter(
        proposal__agenda_items__meeting__status=MeetingStatus.SCHEDULED,
        proposal__agenda_items__meeting__starts_at__gt=now,
        proposal__agenda_items__meeting__starts_at__lte=now + far,
    ).annotate(
        agenda_meeting_id=F("proposal__agenda_items__meeting_id"),
        occasion=Case(
            When(proposal__agenda_items__meeting__starts_at__lte=now + near, then=Value(near_label)),
            default=Value(far_label), output_field=CharField(),
        ),
    )
    return reminders_unclaimed(
        assignments,
        key=reminder_key_sql("committee-review:", F("agenda_meeting_id"), ":", F("member_id"), ":", F("occasion")),
    ).order_by("agenda_meeting_id", "member_id", "proposal__reference")


def review_reminders_send(*, now=None) -> int:
    """Remind members of unsubmitted reviews 3 days and 1 day before a meeting, each occasion exactly once.

    The narrow query names what is due; only then are the meetings, members and proposals loaded (three queries).
    """
    now = now or timezone.now()
    groups: dict[str, tuple] = {}  # key -> (meeting id, member id, occasion, proposal ids), in the query's order
    for key, meeting_id, member_id, occasion, proposal_id in _pending_unreminded(now=now).values_list(
        "reminder_key", "agenda_meeting_id", "member_id", "occasion", "proposal_id"
    ):
        groups.setdefault(key, (meeting_id, member_id, occasion, []))[3].append(proposal_id)
    if not groups:
        return 0
    meetings = Meeting.objects.in_bulk({meeting_id for meeting_id, *_rest in groups.values()})
    members = CommitteeMember.objects.select_related("user").in_bulk({member for _m, member, *_r in groups.values()})
    proposals = Proposal.objects.in_bulk({pk for *_rest, ids in groups.values() for pk in ids})
    sent = 0
    for key, (meeting_id, member_id, occasion, proposal_ids) in groups.items():
        with transaction.atomic():
            if not reminder_claim(key=key):
                continue
            notify(
                event="committee_review_reminder", recipients=[members[member_id].user],
                context={"meeting": meetings[meeting_id], "proposals": [proposals[pk] for pk in proposal_ids],
                         "occasion": occasion},
                url="/committee/",
            )
            sent += 1
    return sent
