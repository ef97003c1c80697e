"""Where the current request comes from: the client's address and the channel (web page, API,
admin), for the audit trail, the lock-out and the API's throttle alike.

The address trusts ``X-Forwarded-For`` only from the proxies named in ``TRUSTED_PROXIES``:
anyone can write that header, so from any other peer it would let a client pick the address the
trail records and the lock-out counts.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def _parse(value: str) -> Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket shows as ::ffff:a.b.c.d; count it as a.b.c.d.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """The client's address: the direct peer, unless that peer is a trusted proxy; then the
    right-most address of ``X-Forwarded-For`` that is not a trusted proxy (each proxy appends
    the address it saw, so everything left of that was written by the client and proves
    nothing)."""
    if request is None:
        return None
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    client = peer
    if _trusted(peer):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            address = _parse(hop)
            if address is None:
                # Not written by a proxy we trust: stop at the last address we could check.
                break
            client = address
            if not _trusted(address):
                break
    return str(client)


# =============================================================================================
# The request's channel, for audit.record() calls that do not name one
# =============================================================================================


@dataclass(frozen=True)
class RequestSource:
    source: str
    ip: str | None


_current: ContextVar[RequestSource | None] = ContextVar("audit_request_source", default=None)


def current_source() -> RequestSource | None:
    """The channel and address of the request being served, or None outside a request."""
    return _current.get()


def source_of(request) -> str:
    path = request.path_info
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "web"


class RequestSourceMiddleware:
    """Sets the channel and client address for the length of one request, so that services
    (which never see the request) still leave an audit row saying the API made the change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(RequestSource(source=source_of(request), ip=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
