"""Pre-consulting reports: the consultant files (or corrects) the report of a held session."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from consulting import rules, selectors
from consulting.models import Booking, BookingStatus, PreConsultingReport, Recommendation
from consulting.services.secretariat import secretariat_notify
from core.errors import TransitionRefused
from notifications.services import notify


def report_file(
    *, booking: Booking, by, summary: str, recommendation: str, suggested_changes: str = "",
    now: datetime.datetime | None = None,
) -> PreConsultingReport:
    """File (or correct) the pre-consulting report of a held session; the applicant is told the recommendation."""
    now = now or timezone.now()
    summary = (summary or "").strip()
    errors = {}
    if not summary:
        errors["summary"] = _("Please write a summary of the session.")
    if recommendation not in Recommendation.values:
        errors["recommendation"] = _("Choose one of the recommendations.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = (
            Booking.objects.select_for_update(of=("self",)).select_related(*selectors.BOOKING_RELATED).get(pk=booking.pk)
        )
        rules.require(by, "consulting.file_report", current)
        if current.status != BookingStatus.HELD:
            raise TransitionRefused(_("Mark the session as held before filing its report."))
        report, created = PreConsultingReport.objects.update_or_create(
            booking=current,
            defaults={"proposal": current.proposal, "summary": summary, "recommendation": recommendation,
                      "suggested_changes": (suggested_changes or "").strip(), "filed_at": now, "filed_by": by},
        )
        audit_record(actor=by, action="report.file" if created else "report.update", target=report,
                     data={"booking": current.pk, "recommendation": recommendation})
        notify(
            event="booking_report_filed",
            recipients=[current.booked_by],
            context={"booking": current, "report": report},
            url=current.get_absolute_url(),
        )
        if created:
            secretariat_notify(event="report_filed_staff", booking=current, by=by, context={"report": report})
    return report
