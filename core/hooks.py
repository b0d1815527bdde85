"""A small typed hook registry: how a lower layer asks or tells a higher one without importing it.

A lower app declares a hook in its own ``hooks.py``; a higher app registers a receiver in ``AppConfig.ready()``.
Unlike Django signals, a receiver's exception is never swallowed: a guard vetoes by raising, and the caller's
transaction rolls back. Receivers answer or react; they never change state on their own (a reaction that writes
calls a service of its own app, which keeps the audit row and the transaction).

    moved: Hook[Callable[..., None]] = Hook("proposals.moved", "A proposal changed status.")
    moved.register(my_receiver)          # in the higher app's ready()
    moved.send(proposal=p, ...)          # in the lower app's service: every receiver, in registration order
    answers = providers.collect(user=u)  # every receiver's answer, in order

Every hook is listed in ``HOOKS`` by name (docs/architecture.md lists them all; a test holds the two together).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

HOOKS: dict[str, Hook[Any]] = {}


class Hook(Generic[F]):
    """One named extension point. ``F`` is the receiver's signature; receivers take keyword arguments only."""

    def __init__(self, name: str, doc: str, *, single: bool = False):
        if name in HOOKS:
            raise ValueError(f"hook {name!r} is declared twice")
        self.name = name
        self.doc = doc
        # A single-receiver hook (e.g. "who answers this question") refuses a second registration.
        self.single = single
        self._receivers: list[F] = []
        HOOKS[name] = self

    def register(self, receiver: F) -> F:
        """Add a receiver (idempotent, so a repeated ``ready()`` does not call it twice). Usable as a decorator."""
        if receiver in self._receivers:
            return receiver
        if self.single and self._receivers:
            raise ValueError(f"hook {self.name!r} takes one receiver")
        self._receivers.append(receiver)
        return receiver

    def unregister(self, receiver: F) -> None:
        self._receivers.remove(receiver)

    @property
    def receivers(self) -> tuple[F, ...]:
        return tuple(self._receivers)

    def send(self, **kwargs: Any) -> None:
        """Tell every receiver; the first exception propagates (a veto, or a bug the caller must not hide)."""
        for receiver in self._receivers:
            receiver(**kwargs)

    def collect(self, **kwargs: Any) -> list[Any]:
        """Ask every receiver; their answers in registration order (``None`` answers are left out)."""
        answers = []
        for receiver in self._receivers:
            answer = receiver(**kwargs)
            if answer is not None:
                answers.append(answer)
        return answers

    def __repr__(self) -> str:
        return f"<Hook {self.name} ({len(self._receivers)} receivers)>"
