"""Every write on the cooperation platform, one module per concept (each: one transaction, an audit row, a
timeline event, notices). The names are re-exported here."""

from cooperation.services.projects import PROJECT_EDITABLE, project_open, project_save  # noqa: F401
