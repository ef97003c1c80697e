"""Client addresses for tests that count per address (lock-out, throttling).

Each call gives an address no other test (or earlier run against the same Redis) has used, so
counters kept in Redis by one test never spill into another. They come from 2001:db8::/32, the
range set aside for documentation: nothing is ever sent to them.
"""

from __future__ import annotations

import ipaddress
import secrets

_DOCUMENTATION = int(ipaddress.ip_address("2001:db8::"))


def fresh_address() -> str:
    return str(ipaddress.ip_address(_DOCUMENTATION + secrets.randbits(96)))
