"""The API's login and logout: POST /api/v1/auth/token/ and /api/v1/auth/token/revoke/."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from kaiyuan.accounts.authentication import ApiTokenAuthentication
from kaiyuan.accounts.exceptions import LoginFailed
from kaiyuan.accounts.services import api_token_issue, api_token_revoke
from kaiyuan.common.api import ClientAddressThrottle, ErrorSerializer


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )


class TokenIssuedSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Shown once; send it as `Authorization: Bearer …`."))
    expires_at = serializers.DateTimeField(
        help_text=_("The token ends at this time at the latest.")
    )
    idle_timeout_minutes = serializers.IntegerField(
        help_text=_("The token also ends after this many minutes without use.")
    )


@extend_schema(tags=["auth"])
class TokenObtainView(APIView):
    """Exchange a user name and password for an API token. Failures count towards the same
    lock-out as the login page (per user name and address), every refusal has the same answer,
    and each address may ask only ``API_TOKEN_REQUESTS_PER_MINUTE`` times a minute."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "api_token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            201: TokenIssuedSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description=_("Login failed (one answer for all).")
            ),
            429: OpenApiResponse(ErrorSerializer, description=_("Too many requests from here.")),
        },
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The Django request, as the login page passes it: django-axes reads the address from it
        # and records the failure, and the signals audit it.
        django_request = request._request
        user = authenticate(
            django_request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise LoginFailed
        token, secret = api_token_issue(user=user)
        # A token is a login: the same signal as the login page, so the trail records it, the
        # failures of that name at this address are cleared and last_login is kept.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        body = TokenIssuedSerializer(
            {
                "token": secret,
                "expires_at": token.expires_at,
                "idle_timeout_minutes": settings.API_TOKEN_IDLE.total_seconds() // 60,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["auth"])
class TokenRevokeView(APIView):
    """End the token this request is made with (the API's logout). Other tokens of the same
    user, on other devices, keep working; logging out of the site ends them all."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        api_token_revoke(token=request.auth, actor=request.user, reason="api_logout")
        return Response(status=status.HTTP_204_NO_CONTENT)
