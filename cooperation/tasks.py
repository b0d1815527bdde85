"""The cooperation platform's Celery tasks, found by the worker's autodiscovery (kcity.celery); each concept keeps
its own in tasks_<concept>.py and is imported here."""

# --- meetings ---
from cooperation.tasks_meetings import action_item_reminders  # noqa: F401
