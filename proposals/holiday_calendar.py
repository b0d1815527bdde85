"""Korean public holidays as editable data: loaded from the `holidays` package, then kept in the Holiday table
where staff can add or remove days (a substitute holiday announced late, an office closure)."""

import holidays as holiday_data
from django.db import transaction

from audit.services import audit_record
from proposals.models import Holiday


def holidays_load(*, years: list[int], by=None) -> int:
    """Add Korea's public holidays of `years`; days already in the table (and staff edits) are left alone."""
    calendar = holiday_data.country_holidays("KR", years=years, language="en_US")
    created = 0
    with transaction.atomic():
        for day, name in sorted(calendar.items()):
            _holiday, was_created = Holiday.objects.get_or_create(date=day, defaults={"name": name[:150]})
            created += was_created
        if created:
            marker = Holiday.objects.filter(date__year__in=years).order_by("date").first()
            audit_record(actor=by, action="holiday.load", target=marker, data={"years": years, "created": created})
    return created
