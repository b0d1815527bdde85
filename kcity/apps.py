from django.apps import AppConfig


class KcityConfig(AppConfig):
    # The composition root wires a lower app into a higher app's hook when the lower one may not import it.
    name = "kcity"

    def ready(self):
        # notifications sits below accounts, so it cannot register on accounts' hook itself.
        from accounts.hooks import profile_sections  # noqa: PLC0415  (hooks are wired once every app is loaded)
        from notifications.profile import email_preferences_section  # noqa: PLC0415  (it imports forms and models)

        profile_sections.register(email_preferences_section)
