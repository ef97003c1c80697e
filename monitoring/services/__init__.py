"""Every write of the monitoring grid, by sub-domain: ``households``, ``members``, ``incomes``,
``visits``, ``cases``, ``measures``, ``warnings``, ``cards``."""
