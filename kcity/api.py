"""Shared pieces of the REST API: the error format, and turning domain refusals into 4xx answers."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone, translation
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kcity.errors import Conflict, DomainError


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
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    """The body of a refusal (403, 404, 409, 429, and 400s that are not about one field)."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


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
