"""The consultant's row lock every write of their bookings, availability or profile takes first."""

from django.db import connection
from django.db.models import F

from consulting.models import Consultant


def consultant_lock(pk: int) -> Consultant:
    """Lock the consultant's row for the rest of the transaction: bookings of one consultant are made one at a time.

    SQLite has no row locks; writing first takes its database write lock, so a second booking waits here instead of
    failing later when it tries to write after reading.
    """
    if connection.vendor == "sqlite":
        Consultant.objects.filter(pk=pk).update(is_active=F("is_active"))
    return Consultant.objects.select_for_update(of=("self",)).select_related("user").get(pk=pk)
