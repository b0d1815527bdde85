"""What other apps plug into accounts (core.hooks). Receivers are registered in an AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django import forms

from core.hooks import Hook


class ProfileSection(Protocol):
    """One part of the account settings page that another app adds: its own form, saved by its own service.

    accounts needs nothing but this shape, so the app providing a section need not import accounts (a lower
    layer, such as notifications, may provide one; the composition root registers it).
    """

    key: str  # the heading's id (a link target: /accounts/settings/#<key>); the form submits with name save_<key>
    title: str
    template: str  # renders the section; gets `section` and `form`
    saved_message: str  # shown after a successful save

    def form(self, *, user, data=None) -> forms.Form:
        """The section's form for `user`, bound to `data` when the section was submitted."""

    def save(self, *, user, form: forms.Form) -> None:
        """Store a valid form's choice by calling the owning app's service (which writes the audit row)."""


profile_sections: Hook[Callable[..., Any]] = Hook(
    "accounts.profile_sections",
    "Sections of the account settings page. Receiver: (*, user) -> ProfileSection, or None when the section is "
    "not for this person. Shown in registration order below the profile form.",
)
