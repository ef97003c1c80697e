"""Demo data of the monitoring grid for ``manage.py seed_demo``: the registry (``households``),
then the identification history, open cases, measures and warnings (``cases``)."""
