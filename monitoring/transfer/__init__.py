"""Excel import of the national system's household/member export and the standard list exports
in the national layouts (DOMAIN.md §2.12)."""
