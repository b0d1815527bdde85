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
