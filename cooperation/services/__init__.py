"""Every write on the cooperation platform, one module per concept (each: one transaction, an audit row, a
timeline event, notices). The names are re-exported here."""

from cooperation.services.projects import PROJECT_EDITABLE, project_open, project_save  # noqa: F401

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
