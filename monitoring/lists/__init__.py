"""The bureau's lists of the monitoring grid (DOMAIN.md §2.12): monitored households by category
and risk, identification and elimination cases, overdue cases and leads (MON-ID-4), the focus list
(MON-FOCUS-1) and households breaking MON-MEAS-1/2, with their Excel exports.

``selectors`` reads (scoped by the user's area, filtered by township and village), ``exports``
turns the rows into workbooks, ``jobs`` runs the exports in the background and audits them.
"""
