"""Demo asset ledger for ``manage.py seed_demo`` (``assets.demo.ledger.seed``), in the app's
sub-domains: ``assets`` (the collectives, the projects' handover, the assets of earlier years,
their 确权, 三资 entry and status), ``reviews`` (四个一批), ``incomes`` (清算), ``distributions``
(the plans, their publicity and payment) and ``disposals``; ``ledger`` puts them together and
resets them. The numbers they share are here."""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from projects.demo.projects import projects_for

YEARS = (2024, 2025)  # the income years settled and distributed
EARLIER_YEARS = (2014, 2020)  # assets formed before the project library, first and last year
DAY = datetime.timedelta(days=1)
CENT = Decimal("0.01")
YUAN = Decimal("1")
ZERO = Decimal("0.00")

# At the size of ``make run`` (2,000 households, 300 projects); a smaller county has fewer.
PV_STATIONS = 20
EARLIER_ASSETS = 180
COLLECTIVE_PERCENT = 90  # of the village committees, registered with their N2 code


def scale(households: int) -> Decimal:
    """The county's size against the demo's: the project library's count, as the funds demo
    follows it (300 projects from 2,000 households on)."""
    return Decimal(projects_for(households)) / projects_for(2000)


def pv_stations_for(households: int) -> int:
    """The PV stations the ledger aims at: 20 in the demo county, at least two in a small one
    (more only if the library's accepted PV projects alone are more)."""
    return max(2, int((PV_STATIONS * scale(households)).to_integral_value()))


def earlier_assets_for(households: int) -> int:
    return max(24, int((EARLIER_ASSETS * scale(households)).to_integral_value()))


def split(total: Decimal, weights: list) -> list[Decimal]:
    """``total`` in parts proportional to ``weights``, each cut to the fen, the remainder to the
    first, so the parts always add up to the total."""
    weight = sum(weights)
    parts = [(total * Decimal(w) / Decimal(weight)).quantize(CENT, ROUND_DOWN) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def percent_of(amount: Decimal, percent) -> Decimal:
    return (amount * Decimal(str(percent)) / 100).quantize(CENT, ROUND_DOWN)
