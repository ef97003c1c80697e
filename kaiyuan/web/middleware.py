from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from kaiyuan.common.errors import CONCURRENT_SAVE_MESSAGE, is_database_locked


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


class DatabaseLockedMiddleware:
    """A page whose save found the embedded SQLite database locked past its busy timeout answers
    409 with the conflict message of a simultaneous save, as PostgreSQL's row lock would have
    made it; nothing was saved (the transaction rolled back). The API does the same in
    kaiyuan.common.api.exception_handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_locked(exception):
            return None
        return render(request, "409.html", {"message": CONCURRENT_SAVE_MESSAGE}, status=409)
