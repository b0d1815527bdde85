"""Every write on the cooperation platform, one module per concept (each: one transaction, an audit row, a
timeline event, notices). The names are re-exported here."""

# --- project ---
from cooperation.services.project_exchange import (  # noqa: F401
    document_add,
    document_publish,
    message_post,
)
from cooperation.services.project_people import contractor_invite, member_remove  # noqa: F401
from cooperation.services.projects import (  # noqa: F401
    PROJECT_EDITABLE,
    STATUS_TRANSITIONS,
    participant_add,
    project_open,
    project_save,
    project_status_change,
    status_moves_for,
)

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

# --- meetings ---
# isort: split
from cooperation.services.meetings import (  # noqa: F401
    MEETING_MOVES,
    agenda_item_add,
    agenda_outcome_record,
    delegate_add,
    delegate_remove,
    meeting_move,
    meeting_reschedule,
    meeting_schedule,
)
from cooperation.services.meetings_actions import ACTION_MOVES, action_item_add, action_item_move  # noqa: F401
from cooperation.services.meetings_minutes import (  # noqa: F401
    MINUTES_MOVES,
    minutes_acknowledge,
    minutes_move,
    minutes_save,
)
