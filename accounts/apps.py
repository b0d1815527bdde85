from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from accounts import signals  # noqa: F401  (connects the receivers that revoke API tokens)
        from accounts.sites import site_sync

        post_migrate.connect(site_sync, sender=self, dispatch_uid="accounts.site_sync")
