"""The rules of DOMAIN.md §2 that monitoring enforces, each defined once, by sub-domain:
``members`` and ``households`` (MON-DQ), ``incomes`` (MON-INC, the income bands, MON-FOCUS-1),
``cases`` (MON-CAT, MON-RISK, MON-ID, MON-ELIM), ``measures`` (MON-MEAS) and ``visits``
(MON-VISIT)."""
