"""Every benchmark runs at a tiny size, so that none of them rots between county-scale runs."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils.module_loading import import_string

from benchmarks import BENCHMARKS

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]


@pytest.mark.parametrize("dotted", BENCHMARKS)
def test_the_benchmark_runs_and_reports_a_ratio(dotted, reference_data, capsys):
    call_command("seed_demo", households=30, seed=5)
    results = import_string(f"{dotted}.run")(30)
    assert results
    for result in results:
        assert result.median_s > 0
        assert result.baseline_median_s > 0
        assert "ratio" in result.line()
