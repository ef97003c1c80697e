from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a login unless its view is marked ``login_not_required``.

    The API is left to DRF, which also accepts token authentication (invisible to this middleware)
    and answers 401/403 instead of redirecting a program to an HTML login page.
    """

    # The API's documentation pages are for people in a browser: they get the login page.
    browser_pages = ("/api/docs/", "/api/redoc/")

    def process_view(self, request, view_func, view_args, view_kwargs):
        path = request.path_info
        if path.startswith(self.browser_pages):
            # DRF marks its views login_not_required, so the parent would let these through.
            if request.user.is_authenticated:
                return None
            return self.handle_no_permission(request, view_func)
        if path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
