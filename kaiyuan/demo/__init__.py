"""Deterministic demo data: ``manage.py seed_demo --households N --seed S``.

Each app contributes a seeder (a function taking a ``DemoContext``), run in dependency order. All
randomness comes from ``context.random``, so the same seed gives the same county every time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

SEEDERS = [
    "kaiyuan.demo.villages.seed",
    "kaiyuan.demo.users.seed",
    "monitoring.demo.households.seed",
    "monitoring.demo.cases.seed",
    "projects.demo.projects.seed",
    "funds.demo.funds.seed",
    "assets.demo.ledger.seed",
    "employment.demo.employment.seed",
]


@dataclass
class DemoContext:
    households: int
    seed: int
    password: str
    log: Callable[[str], None] = print
    random: random.Random = field(init=False)
    # What earlier seeders made, for later ones (villages, grids, users by name ...).
    made: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)  # noqa: S311  (deterministic, not secret)


def run(context: DemoContext) -> None:
    for dotted in SEEDERS:
        import_string(dotted)(context)
