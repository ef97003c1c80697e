"""Timing helpers shared by the benchmarks: medians, same-run baselines, peak memory."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    name: str
    median_s: float
    baseline_name: str
    baseline_median_s: float
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.median_s / self.baseline_median_s if self.baseline_median_s else float("inf")

    def line(self) -> str:
        extras = "".join(f"  {key}={value}" for key, value in self.extra.items())
        return (
            f"{self.name:<44} median {self.median_s * 1000:9.1f} ms   "
            f"baseline ({self.baseline_name}) {self.baseline_median_s * 1000:9.1f} ms   "
            f"ratio {self.ratio:5.2f}{extras}"
        )


def median_time(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def interleaved_medians(
    fn: Callable[[], object], baseline: Callable[[], object], *, repeat: int = 3
) -> tuple[float, float]:
    """(median of ``fn``, median of ``baseline``), timed in turns (baseline, fn, baseline, fn …)
    so that whatever else the machine is doing weighs on both alike."""
    baseline()  # warm the file cache for both
    fn_times, base_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        baseline()
        base_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        fn()
        fn_times.append(time.perf_counter() - started)
    return statistics.median(fn_times), statistics.median(base_times)


def peak_memory(fn: Callable[[], object]) -> tuple[float, int]:
    """(seconds, peak bytes allocated by Python) of one call."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        fn()
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return elapsed, peak


def megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f}MB"
