"""Demo data of the linkage funds for ``manage.py seed_demo`` (``funds``)."""
