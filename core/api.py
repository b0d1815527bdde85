"""Shared pieces of the REST API: the error format, and turning domain refusals into 4xx answers."""

import copy
import logging
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict, DomainError

logger = logging.getLogger("django.request")


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            data = {"detail": [str(m) for m in exc.messages]}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or "Permission denied."}, status=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    # Anything else is a bug: the caller gets JSON like every other API answer, without internals; the
    # traceback goes to the log (the "django.request" logger, as Django's own 500 handling would).
    request = context.get("request")
    logger.error("Internal Server Error: %s", getattr(request, "path", "?"), exc_info=exc)
    set_rollback()
    return Response(_server_error_body(), status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def _server_error_body() -> dict:
    return {"detail": _("Server error. The portal's team has been told; please try again later."), "code": "error"}


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


# handler403 / handler404 / handler500 (kcity.urls): under /api/ an error outside a DRF view (an unknown URL, a
# failing middleware) is JSON too; elsewhere the portal's own pages, in the reader's language (the locale and
# user-preference middleware have run by then), with a way on and without internals (no exception text but a
# refusal's own reason, which the rules write for the reader).
def _back_url(request) -> str:
    """Where the reader came from, when that was a page of this site (never another site's address)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        path = urlsplit(referer)
        if path.path != request.path:
            return referer
    return ""


def handler403(request, exception=None):
    if _is_api(request):
        return JsonResponse(
            {"detail": _("You do not have permission to perform this action."), "code": "permission_denied"}, status=403
        )
    reason = exception.args[0] if exception is not None and exception.args else ""
    return render(
        request,
        "403.html",
        {"reason": reason if isinstance(reason, str | Promise) else "", "back_url": _back_url(request)},
        status=403,
    )


def handler404(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return render(request, "404.html", {"back_url": _back_url(request)}, status=404)


def handler500(request):
    if _is_api(request):
        return JsonResponse(_server_error_body(), status=500)
    # A plain context, no RequestContext: the context processors read the database, which may be what failed.
    try:
        back_url = _back_url(request)
    except Exception:
        back_url = ""
    return HttpResponseServerError(loader.get_template("500.html").render({"back_url": back_url}))


class ErrorSerializer(serializers.Serializer):
    """The body of a refusal (403, 404, 409, 429, and 400s that are not about one field)."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


def _field_copy(field):
    """A built field for one serializer instance. DRF's deep copy builds a field again from its arguments (a country
    field orders and translates its 250 choices each time); a field of its own (no nested serializer, no child
    field) is copied as it is instead: binding sets only attributes of the copy (its name, parent, source), and
    what it shares with the built one (choices, validators, a queryset it clones to use) is never changed in
    place. A nested serializer, or a field with a child, is deep-copied as DRF copies declared fields."""
    if (isinstance(field, serializers.BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation")
            or type(field).__deepcopy__ is not serializers.Field.__deepcopy__):
        return copy.deepcopy(field)
    twin = object.__new__(type(field))  # copy.copy without its __reduce_ex__ round
    twin.__dict__.update(field.__dict__)
    return twin


class FieldsBuiltOnce:
    """For a ModelSerializer: its fields worked out from the model once per class and language, not per instance.

    DRF's ModelSerializer builds every field from the model on each instance (labels, choices, validators: for a
    proposal's ~50 fields with their nested serializers, two thirds of a detail answer's cost). The built set is
    kept per language (labels, and the names of the countries a country field offers, are translated when built)
    and each instance gets a deep copy, as DRF copies the declared fields. Only for serializers whose fields
    depend on their class alone (no get_fields that reads the request, context or instance)."""

    _built: dict = {}

    def get_fields(self):
        return fields_built_once(self, super().get_fields)


def fields_built_once(serializer, build) -> dict:
    """FieldsBuiltOnce's get_fields, for a serializer that cannot take the mixin (drf-spectacular would publish the
    mixin's docstring as the serializer's description): `build` is its own get_fields."""
    key = (type(serializer), translation.get_language())
    built = FieldsBuiltOnce._built.get(key)
    if built is None:
        built = FieldsBuiltOnce._built[key] = build()
    return {name: _field_copy(field) for name, field in built.items()}


def datetime_text(value, tz) -> str | None:
    """What DRF's DateTimeField answers for a stored (aware) datetime: ISO 8601 in `tz`, the reader's time zone
    (timezone.get_current_timezone()), "Z" for UTC. For read-only serializers that build their rows by hand."""
    if not value:
        return None
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class UserPreferencesMixin:
    # Answers a token-authenticated request in the person's language and time zone. accounts.middleware does
    # this for browser sessions, but a token is only read inside DRF's view, after the middleware ran; so the
    # view applies the same rule once it knows who is calling. (A comment, not a docstring: drf-spectacular
    # would publish a docstring as every operation's description.)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        if user is not None and user.is_authenticated:
            tz = user.time_zone
            timezone.activate(zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz)
            if not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) and user.language:
                translation.activate(user.language)
                request._request.LANGUAGE_CODE = translation.get_language()


# --- the one base every API view derives from ------------------------------------------------------------
#
# Every viewset is `class XViewSet(<DRF mixins>..., PortalViewSet)` and every plain view `PortalAPIView`, so a
# token caller is answered in their language and time zone everywhere (tests/test_architecture.py checks it).


class PortalViewSet(UserPreferencesMixin, viewsets.GenericViewSet):
    """GenericViewSet answering in the caller's language and time zone; add DRF's mixins in front of it."""


class PortalAPIView(UserPreferencesMixin, APIView):
    """APIView answering in the caller's language and time zone."""


class RulePermission(permissions.BasePermission):
    # Asks django-rules by the names registered in each app's rules.py, the same names views and admin ask.
    # A view sets `rule_permissions = {"list": "app.perm", "create": "app.perm", "default": ...}` (action names;
    # for an APIView the lower-case HTTP method). The permission is checked without an object in
    # has_permission (lists, creates) and with the object in has_object_permission (detail actions) when the
    # view names it in `rule_object_permissions` instead. An action the maps do not name is allowed here and
    # left to the view's other permission classes. An app's subclass names its `refusals` ({name: reason},
    # written once in its rules.py) so a refusal answers with the rule's own words, and may change `allows`
    # (how a name is asked) or `refuse` (what a refusal raises). (A comment: drf-spectacular publishes
    # docstrings.)

    refusals: dict = {}

    def _name(self, view, mapping_attr):
        mapping = getattr(view, mapping_attr, None) or {}
        action = getattr(view, "action", None) or view.request.method.lower()
        return mapping.get(action, mapping.get("default"))

    def allows(self, user, name: str, obj=None) -> bool:
        return user.has_perm(name) if obj is None else user.has_perm(name, obj)

    def refuse(self, request, name: str, obj=None) -> bool:
        reason = self.refusals.get(name)
        if reason is not None:
            self.message = reason
        return False

    def _check(self, request, name, obj=None) -> bool:
        return name is None or self.allows(request.user, name, obj) or self.refuse(request, name, obj)

    def has_permission(self, request, view):
        return self._check(request, self._name(view, "rule_permissions"))

    def has_object_permission(self, request, view, obj):
        return self._check(request, self._name(view, "rule_object_permissions"), obj)
