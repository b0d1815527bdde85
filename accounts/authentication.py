"""How the API knows who calls. Kept apart from accounts.api: DRF imports this while it sets up its views."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused once it is older than API_TOKEN_TTL_DAYS (the client then asks for a new one)."""

    def authenticate_credentials(self, key):
        from accounts.services import api_token_is_expired  # noqa: PLC0415  (DRF reads this module before models load)

        user, token = super().authenticate_credentials(key)
        if api_token_is_expired(token):
            raise AuthenticationFailed(
                _("This API token has expired. Request a new one with your e-mail address and password at "
                  "/api/v1/auth/token/."),
                code="token_expired",
            )
        return user, token
