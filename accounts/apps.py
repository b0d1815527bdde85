from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from accounts import signals  # noqa: F401, PLC0415  (connects token revokers once models are loaded)
        from accounts.sites import site_sync  # noqa: PLC0415  (uses models: only after the registry is ready)

        post_migrate.connect(site_sync, sender=self, dispatch_uid="accounts.site_sync")
