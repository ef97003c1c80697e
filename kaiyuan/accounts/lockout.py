"""What django-axes answers when a login is refused for the lock-out."""

from __future__ import annotations


def lockout_response(request, original_response, credentials):
    """The page the login view already rendered, with the same message as any other refusal:
    a distinct page or status would tell the attacker that the name is being paused."""
    return original_response
