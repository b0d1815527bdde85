"""Every write of pre-consulting, one module per concept: bookings, availability (and the profile), reports.

Callers outside the package import from here (`from consulting import services`); the package's own modules
import from the concrete submodules, so this file never takes part in an import cycle. The beat sweeps live in
consulting.reminders.
"""

from consulting.services.availability import (
    availability_rule_check,
    availability_rule_delete,
    availability_rule_save,
    availability_rules_set,
    consultant_create,
    consultant_profile_update,
    date_override_check,
    date_override_delete,
    date_override_remove,
    date_override_save,
    date_override_set,
)
from consulting.services.bookings import (
    SlotUnavailable,
    booking_accept,
    booking_cancel,
    booking_create,
    booking_mark,
    booking_parties_notify,
    booking_reschedule,
    booking_schedule,
)
from consulting.services.queue import AlreadyTaken, proposal_give_back, proposal_take
from consulting.services.report_templates import report_template_delete, report_template_save
from consulting.services.reports import report_file
from consulting.services.session_types import session_type_delete, session_type_save

__all__ = [
    "AlreadyTaken",
    "SlotUnavailable",
    "availability_rule_check",
    "availability_rule_delete",
    "availability_rule_save",
    "availability_rules_set",
    "booking_accept",
    "booking_cancel",
    "booking_create",
    "booking_mark",
    "booking_parties_notify",
    "booking_reschedule",
    "booking_schedule",
    "consultant_create",
    "consultant_profile_update",
    "date_override_check",
    "date_override_delete",
    "date_override_remove",
    "date_override_save",
    "date_override_set",
    "proposal_give_back",
    "proposal_take",
    "report_file",
    "report_template_delete",
    "report_template_save",
    "session_type_delete",
    "session_type_save",
]
