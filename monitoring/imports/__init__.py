"""Excel coming in: the national system's household/member export (``households``) and the
departments' screening lists (``warnings``)."""
