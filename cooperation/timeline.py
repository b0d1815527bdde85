"""The project's one timeline. Services write a ProjectEvent in their transaction through `event_record`; each
concept declares the texts of its kinds with `declare`, rendered later in the viewer's language from the params."""

import datetime
import re

from django.utils.translation import gettext_lazy as _

from cooperation.models import Project, ProjectEvent
from core.amounts import krw
from core.dates import date_in

EVENT_TEXT: dict = {}
# Params are stored as data (amounts as integers, days as ISO dates) and written out in the viewer's language
# when shown: "KRW 450,000,000" or "4억 5천만 원", "1 December 2026" or "2026년 12월 1일".
AMOUNT_PARAMS = frozenset({"amount", "old", "new", "share"})
DATE_PARAMS = frozenset({"date", "start", "end", "old_date", "new_date", "due"})
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+|\d+")  # amounts stored before 2026-12 as "450,000,000"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _shown(key: str, value):
    if key in AMOUNT_PARAMS and isinstance(value, str) and _GROUPED.fullmatch(value):
        value = int(value.replace(",", ""))
    if key in AMOUNT_PARAMS and isinstance(value, int) and not isinstance(value, bool):
        return krw(value)
    if key in DATE_PARAMS and isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return date_in(datetime.date.fromisoformat(value), "DATE_FORMAT")
    return value


def declare(texts: dict) -> None:
    """Add kinds and their texts (lazy, with %(name)s placeholders filled from the event's params)."""
    clash = set(texts) & set(EVENT_TEXT)
    if clash:
        raise ValueError(f"timeline kinds declared twice: {sorted(clash)}")
    EVENT_TEXT.update(texts)


def event_record(*, project: Project, by, kind: str, params: dict | None = None, link: str = "") -> ProjectEvent:
    if kind not in EVENT_TEXT:
        raise ValueError(f"undeclared timeline kind {kind!r}")
    return ProjectEvent.objects.create(project=project, actor=by if getattr(by, "pk", None) else None, kind=kind,
                                       params=params or {}, link=link)


def event_text(event: ProjectEvent) -> str:
    text = EVENT_TEXT.get(event.kind)
    if text is None:
        return event.kind
    try:
        return str(text) % {key: _shown(key, value) for key, value in event.params.items()}
    except (KeyError, TypeError, ValueError):
        return str(text)


declare({
    "project.opened": _("The project opened with the committee's approval (%(amount)s)."),
    "project.updated": _("Project details changed: %(fields)s."),
})
