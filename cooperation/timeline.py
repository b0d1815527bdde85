"""The project's one timeline. Services write a ProjectEvent in their transaction through `event_record`; each
concept declares the texts of its kinds with `declare`, rendered later in the viewer's language from the params."""

from django.utils.translation import gettext_lazy as _

from cooperation.models import Project, ProjectEvent

EVENT_TEXT: dict = {}


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
        return str(text) % event.params
    except (KeyError, TypeError, ValueError):
        return str(text)


declare({
    "project.opened": _("The project opened with the committee's approval (KRW %(amount)s)."),
    "project.updated": _("Project details changed: %(fields)s."),
})
