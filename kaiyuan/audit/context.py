from __future__ import annotations


def client_ip(request) -> str | None:
    """The client's address. Behind nginx the first X-Forwarded-For hop is the browser."""
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
