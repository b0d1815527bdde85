"""The staff export of the (filtered) proposal list, CSV or XLSX, headed in the staff member's language.

Cells that a spreadsheet would run as formulas are written as text (core.exports).
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields

from core.exports import SafeResource
from proposals import triage
from proposals.models import Proposal


def _local(value):
    return date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


class ProposalResource(SafeResource):
    reference = fields.Field(attribute="reference", column_name=_("Reference"))
    title = fields.Field(attribute="title", column_name=_("Project title"))
    country = fields.Field(column_name=_("Country"))
    track = fields.Field(column_name=_("Track"))
    organisation = fields.Field(column_name=_("Applicant organisation"))
    status = fields.Field(column_name=_("Status"))
    cycle = fields.Field(column_name=_("Cycle"))
    submitted_at = fields.Field(column_name=_("Submitted"))
    status_changed_at = fields.Field(column_name=_("In this status since"))
    due_at = fields.Field(column_name=_("Next step due"))
    overdue = fields.Field(column_name=_("Overdue"))
    cooperation_centre = fields.Field(column_name=_("Cooperation centre"))
    assigned_to = fields.Field(column_name=_("Assigned staff member"))
    requested_support_krw = fields.Field(attribute="requested_support_krw", column_name=_("Requested support (KRW)"))

    class Meta:
        model = Proposal
        fields = [
            "reference", "title", "country", "track", "organisation", "status", "cycle", "submitted_at",
            "status_changed_at", "due_at", "overdue", "cooperation_centre", "assigned_to", "requested_support_krw",
        ]
        export_order = fields

    def get_export_headers(self, selected_fields=None):
        # Lazy labels, resolved now: the request's language is the staff member's language.
        return [str(h) for h in super().get_export_headers(selected_fields=selected_fields)]

    def dehydrate_country(self, obj):
        return str(obj.country.name) if obj.country else ""

    def dehydrate_track(self, obj):
        return obj.track.name

    def dehydrate_organisation(self, obj):
        return obj.organisation.name

    def dehydrate_status(self, obj):
        return str(obj.get_status_display())

    def dehydrate_cycle(self, obj):
        return obj.cycle.year if obj.cycle_id else ""

    def dehydrate_submitted_at(self, obj):
        return _local(obj.submitted_at)

    def dehydrate_status_changed_at(self, obj):
        return _local(obj.status_changed_at)

    def dehydrate_due_at(self, obj):
        return _local(obj.due_at)

    def dehydrate_overdue(self, obj):
        return gettext("Yes") if triage.is_overdue(obj) else gettext("No")

    def dehydrate_cooperation_centre(self, obj):
        return obj.cooperation_centre.name if obj.cooperation_centre_id else ""

    def dehydrate_assigned_to(self, obj):
        return obj.assigned_to.get_full_name() if obj.assigned_to_id else ""
