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

# --- plan ---
# isort: split
from cooperation.services.finance import (  # noqa: F401
    budget_revise,
    disbursement_plan,
    oda_add,
    oda_move,
    related_add,
    transaction_record,
)
from cooperation.services.results import (  # noqa: F401
    actual_record,
    indicator_create,
    indicator_update,
    objective_create,
    period_add,
    period_target_change,
    results_agree,
)
from cooperation.services.workplan import (  # noqa: F401
    deliverable_create,
    deliverable_submit,
    due_date_decide,
    due_date_request,
    milestone_create,
    milestone_submit,
    work_item_move,
    work_item_update,
    work_review,
)
