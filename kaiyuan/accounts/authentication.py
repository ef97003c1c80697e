"""DRF authentication by the platform's own API tokens (see ``ApiToken``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions

from kaiyuan.accounts.services import api_token_use

# "Bearer" is the standard word; "Token" is what DRF's authtoken used, kept so that existing
# scripts only need a new token, not new code.
KEYWORDS = frozenset({b"bearer", b"token"})


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>``. Sets ``request.auth`` to the ``ApiToken``."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header.")) from None
        token = api_token_use(secret=secret)
        if token is None or not token.user.is_active:
            # One answer for unknown, revoked and expired tokens alike.
            raise exceptions.AuthenticationFailed(
                _("The API token is not valid or has expired; request a new one.")
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular cannot guess a custom class)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106  (the scheme's name, not a secret)
        )
