"""Account changes that must end API access, whichever path makes them.

A password can change through allauth (change and reset), the admin, `changepassword` or any `set_password()` +
`save()`; an account is deactivated in the admin or a service. Watching the saved row catches every one of them,
so no path can forget to revoke the person's API tokens.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts.models import User
from accounts.services import user_credentials_changed


@receiver(pre_save, sender=User, dispatch_uid="accounts.remember_credentials")
def _remember_credentials(sender, instance: User, raw=False, update_fields=None, **kwargs):
    instance._credentials_before = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login on every sign-in: nothing to compare, no extra query
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    instance._credentials_before = before


@receiver(post_save, sender=User, dispatch_uid="accounts.revoke_tokens_on_credentials")
def _revoke_tokens_when_credentials_change(sender, instance: User, created=False, raw=False, **kwargs):
    before = getattr(instance, "_credentials_before", None)
    instance._credentials_before = None
    if raw or created or before is None:
        return
    reasons = []
    if before["password"] != instance.password:
        reasons.append("password_changed")
    if before["is_active"] and not instance.is_active:
        reasons.append("deactivated")
    if reasons:
        user_credentials_changed(user=instance, reasons=reasons)
