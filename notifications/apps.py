from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications.beat import on_post_migrate  # noqa: PLC0415  (beat imports models: only once they are loaded)

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="notifications.outbox_redrive_schedule")
