"""The e-mail preferences as a section of the account settings page.

Shaped as accounts' ProfileSection (accounts.hooks) without importing accounts, which is a higher layer; the
composition root (kcity.apps) registers `email_preferences_section` on the "accounts.profile_sections" hook.
"""

from django.utils.translation import gettext_lazy as _

from notifications.forms import NotificationPreferencesForm
from notifications.preferences import email_preferences_set


class EmailPreferencesSection:
    key = "notifications"
    title = _("Notifications")
    template = "notifications/profile_section.html"
    saved_message = _("Your notification settings are saved.")

    def form(self, *, user, data=None) -> NotificationPreferencesForm:
        return NotificationPreferencesForm(data, user=user, submit_name=f"save_{self.key}")

    def save(self, *, user, form: NotificationPreferencesForm) -> None:
        email_preferences_set(user=user, by=user, email_events=form.cleaned_data["email_events"])


EMAIL_PREFERENCES = EmailPreferencesSection()


def email_preferences_section(*, user) -> EmailPreferencesSection:
    """Everyone who signs in receives notices, so everyone chooses which also come by e-mail."""
    return EMAIL_PREFERENCES
