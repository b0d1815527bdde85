"""Per-person choice of which kinds of notice also come by e-mail. In-app notices always go out."""


def email_enabled(*, user, event: str) -> bool:
    opted_out = getattr(user, "email_opt_out", None) or []
    return event not in opted_out
