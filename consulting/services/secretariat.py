"""What the secretariat hears from pre-consulting: a session booked about a proposal, a report filed on one.

Told here, in consulting's own services (proposals knows nothing of bookings), to the staff member following the
proposal or, while nobody does, the whole secretariat (proposals.triage.secretariat_to_tell). A session linked to
a draft is the applicant's own business until they submit: staff are not told of it.
"""

from consulting.models import Booking
from notifications.services import notify
from proposals.triage import secretariat_to_tell


def secretariat_notify(*, event: str, booking: Booking, by, context: dict | None = None) -> None:
    """Call inside the booking service's transaction."""
    proposal = booking.proposal
    if proposal is None or proposal.submitted_at is None:  # a draft, or one withdrawn before it was submitted
        return
    notify(
        event=event,
        recipients=[r for r in secretariat_to_tell(proposal) if r.pk != by.pk],
        context={"booking": booking, "proposal": proposal, **(context or {})},
        url=proposal.get_staff_url(),
    )
