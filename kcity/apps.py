from django.apps import AppConfig


class KcityConfig(AppConfig):
    # The composition root wires a lower app into a higher app's hook when the lower one may not import it.
    name = "kcity"

    def ready(self):
        # notifications sits below accounts, so it cannot register on accounts' hook itself.
        from accounts.hooks import profile_sections  # noqa: PLC0415  (hooks are wired once every app is loaded)
        from notifications.profile import email_preferences_section  # noqa: PLC0415  (it imports forms and models)

        profile_sections.register(email_preferences_section)

        # The home page keeps the rendering of what these rows show; a change to any of them forgets it.
        from django.db.models.signals import post_delete, post_save  # noqa: PLC0415  (with the receivers below)

        from kcity.site_views import CATALOGUE_MODELS, home_catalogue_forget  # noqa: PLC0415  (imports models)

        for model in CATALOGUE_MODELS:
            post_save.connect(home_catalogue_forget, sender=model, dispatch_uid=f"home-catalogue-{model.__name__}")
            post_delete.connect(home_catalogue_forget, sender=model, dispatch_uid=f"home-catalogue-{model.__name__}")
