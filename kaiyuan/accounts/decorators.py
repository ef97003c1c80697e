from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied


def role_required(roles: Iterable[str]):
    """Only users with one of ``roles`` (or the superuser) may open the view; others get 403."""
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not (user.is_superuser or user.role in allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
