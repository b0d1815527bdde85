"""The sign-in backends of AUTHENTICATION_BACKENDS: Django's and allauth's, reading the signed-in user on every
request through one compiled statement (core.compiled.CompiledInstances) instead of a queryset built and compiled
each time. The ORM's own `_default_manager.get(pk=...)` cost about 0.27 ms of Python per request against 0.10 ms
(timeit, on the bench's PostgreSQL); everything else, authenticate() and the permissions included, is theirs
unchanged. The session's auth hash is still checked by django.contrib.auth.get_user on what this returns."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from core.compiled import CompiledInstances

_USER = CompiledInstances(get_user_model(), lambda pk: get_user_model()._default_manager.filter(pk=pk))


def _signed_in(backend: DjangoModelBackend, user_id):
    if type(user_id) is not int:  # not what the session's key reads as (the pk's to_python): Django's own read
        return DjangoModelBackend.get_user(backend, user_id)
    found = _USER(user_id)
    if not found:
        return None
    return found[0] if backend.user_can_authenticate(found[0]) else None


class ModelBackend(DjangoModelBackend):
    """django.contrib.auth's ModelBackend; the request's user read by a compiled statement."""

    def get_user(self, user_id):
        return _signed_in(self, user_id)


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (sign-in by e-mail address); the request's user read by a compiled statement."""

    def get_user(self, user_id):
        return _signed_in(self, user_id)
