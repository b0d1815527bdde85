from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.response import Response

from accounts import services
from accounts.models import Organisation
from core.api import ErrorSerializer, PortalAPIView, fields_built_once


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.EmailField(label=_("E-mail"), max_length=254)
    password = serializers.CharField(
        label=_("Password"), style={"input_type": "password"}, trim_whitespace=False, max_length=4096
    )

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"), username=attrs["username"].lower(), password=attrs["password"]
        )
        if not user:
            raise serializers.ValidationError(_("Unable to sign in with these credentials."), code="authorization")
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


def _locked_out_response() -> Response:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    body = {
        "detail": _(
            "Too many failed sign-in attempts: signing in to this account is paused for %(minutes)s minutes. "
            "Try again later, or reset your password."
        )
        % {"minutes": minutes},
        "code": "locked_out",
    }
    response = Response(body, status=settings.AXES_HTTP_RESPONSE_CODE)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


class TokenObtainView(PortalAPIView):
    """Exchange your e-mail address (as `username`) and password for an API token.

    Send it as `Authorization: Token <token>`. A token expires after a while (then ask again) and ends when your
    password changes; `DELETE` revokes it. Repeated failures lock the account for a while.
    """

    # As DRF's ObtainAuthToken: anyone may ask (the credentials are the check), JSON answers only. The parsers
    # are the portal's defaults (JSON with a nesting limit, see core.parsers).
    permission_classes = ()
    throttle_classes = ()
    renderer_classes = (renderers.JSONRenderer,)
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Wrong e-mail address or password.")),
            429: OpenApiResponse(ErrorSerializer, description=_("Locked after too many failed attempts.")),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        valid = serializer.is_valid()
        # django-axes flags the request it was given (DRF's Request, not Django's), so AxesMiddleware does not
        # swap this JSON answer for the HTML lockout page; the flag is set both on the attempt that reaches the
        # limit and on every later attempt while the account is locked.
        if getattr(request, "axes_locked_out", False):
            return _locked_out_response()
        if not valid:
            raise ValidationError(serializer.errors)
        token = services.api_token_issue(user=serializer.validated_data["user"])
        return Response({"token": token.key, "expires_at": services.api_token_expires_at(token)})

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description=_("Your API tokens are revoked.")),
            401: OpenApiResponse(ErrorSerializer, description=_("Not signed in.")),
        },
    )
    def delete(self, request, *args, **kwargs):
        """Revoke your API token (sign out of the API); ask for a new one with POST."""
        if not request.user.is_authenticated:
            raise NotAuthenticated(_("Sign in (or send your token) to revoke it."))
        services.api_tokens_revoke(user=request.user, by=request.user, reason="revoked_by_owner")
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "country", "kind", "region_city"]

    def get_fields(self):
        # Once per language, as core.api.FieldsBuiltOnce (a proposal's answer nests this: its country field offers
        # 250 choices); not the mixin itself, whose docstring the API schema would publish as this one's.
        return fields_built_once(self, super().get_fields)

