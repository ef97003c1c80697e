from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class ChineseByDefaultLocaleMiddleware(DjangoLocaleMiddleware):
    """Simplified Chinese for everyone unless the user has chosen another language (the
    language cookie). The browser's Accept-Language is not followed: county PCs and phones often
    run an English system, and their users still work in Chinese."""

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
