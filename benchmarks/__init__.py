"""County-scale benchmarks. ``make benchmark`` (``python -m benchmarks``) builds the demo county at
``--households`` on a dedicated PostgreSQL database and runs every benchmark in ``BENCHMARKS``;
each prints its median beside a baseline measured in the same run. The test suite runs them at a
tiny size (tests/test_benchmarks.py) so that they never rot."""

BENCHMARKS = [
    "benchmarks.audit_log",
    "benchmarks.monitoring_transfer",
    "benchmarks.monitoring_registry",
    "benchmarks.monitoring_visits",
    "benchmarks.monitoring_warnings",
    "benchmarks.monitoring_cases",
    "benchmarks.monitoring_cards",
    "benchmarks.inbox",
    "benchmarks.projects_library",
    "benchmarks.funds_progress",
    "benchmarks.assets_chain",
    "benchmarks.employment_count",
    "benchmarks.employment_import",
]
