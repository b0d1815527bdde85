"""The pre-consulting report template of each track, kept by staff: it pre-fills the consultant's report form."""

from django.db import transaction

from audit.services import audit_record
from consulting.models import ReportTemplate
from consulting.rules import require


def report_template_save(*, template: ReportTemplate, by) -> ReportTemplate:
    require(by, "consulting.manage_report_templates")
    created = template.pk is None
    with transaction.atomic():
        template.full_clean()
        template.save()
        audit_record(actor=by, action="report_template.create" if created else "report_template.update",
                     target=template, data={"track": template.track_id})
    return template


def report_template_delete(*, template: ReportTemplate, by) -> None:
    require(by, "consulting.manage_report_templates")
    with transaction.atomic():
        audit_record(actor=by, action="report_template.delete", target=template, data={"track": template.track_id})
        template.delete()
