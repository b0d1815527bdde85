"""Every write on the cooperation platform, one module per concept (each: one transaction, an audit row, a
timeline event, notices). The names are re-exported here."""

from cooperation.services.projects import PROJECT_EDITABLE, project_open, project_save  # noqa: F401

# --- reports ---
from cooperation.services.reports import (  # noqa: F401
    REPORT_MOVES,
    report_accept,
    report_acknowledge,
    report_attachment_add,
    report_attachment_remove,
    report_request_changes,
    report_revise,
    report_save,
    report_start,
    report_submit,
    reporting_periods_rebuild,
    reporting_schedule_set,
)
