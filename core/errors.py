"""Domain errors raised by services. Views, forms and the API turn them into messages in the user's language."""


class DomainError(Exception):
    """A refused action with a message meant for the person who tried it."""

    code = "refused"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code


class TransitionRefused(DomainError):
    code = "transition_refused"


class Conflict(DomainError):
    """Someone else changed or took the thing first (stale draft, slot just taken)."""

    code = "conflict"
