"""Every write of the monitoring grid. Import from the sub-modules:
``households``, ``members``, ``incomes``, ``identity`` (and later ``visits``, ``imports``)."""
