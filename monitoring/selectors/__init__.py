"""Reads of the monitoring grid for pages, exports and the API, by sub-domain. Every one starts
from ``visible_to(user)`` and joins what its page shows."""
