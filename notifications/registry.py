"""The kinds of notice: each app declares its own in `<app>/notices.py`, imported from its `AppConfig.ready()`.

notifications knows no other app. A kind names the e-mail templates `notifications/email/<name>.subject.txt` and
`.body.txt`, which live in the declaring app's own `templates/` (found by the app directories loader), and the
label a person sees on their account settings page when choosing which kinds also come by e-mail. `notify()`
refuses a kind nobody declared, so a typo fails in the caller's test, not in a recipient's inbox.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field


class UnknownNoticeKind(LookupError):
    """notify() was asked for a kind no app declared (a programming error, not a user's)."""


@dataclass(frozen=True)
class NoticeKind:
    name: str
    label: str  # usually a gettext_lazy string, shown in the reader's language
    _: KW_ONLY
    app_label: str  # the declaring app, which also holds the kind's e-mail templates
    # Roles that ever receive this kind; empty means everyone. Only the settings page reads it: who is told is the
    # caller's business.
    roles: frozenset[str] = field(default_factory=frozenset)

    def offered_to(self, user) -> bool:
        """Whether this person's settings page offers the kind (superusers see every kind)."""
        if getattr(user, "is_superuser", False) or not self.roles:
            return True
        return getattr(user, "role", None) in self.roles


_KINDS: dict[str, NoticeKind] = {}


def register_kinds(*kinds: NoticeKind) -> None:
    """Declare kinds (idempotent: declaring the very same kind again is a no-op; another under its name raises)."""
    for kind in kinds:
        known = _KINDS.get(kind.name)
        if known is not None and known != kind:
            raise ValueError(f"notice kind {kind.name!r} is already declared by {known.app_label!r}")
        _KINDS[kind.name] = kind


def kind_for(name: str) -> NoticeKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownNoticeKind(f"no app declares the notice kind {name!r} (see notifications.registry)") from None


def kinds() -> tuple[NoticeKind, ...]:
    """Every declared kind, in declaration order (apps in INSTALLED_APPS order, each in its own order)."""
    return tuple(_KINDS.values())
