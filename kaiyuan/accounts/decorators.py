"""View decorators of access control."""

from __future__ import annotations

from functools import wraps

from kaiyuan.accounts.capabilities import require


def capability_required(capability: str):
    """Only users whose role holds ``capability`` may open the view; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
