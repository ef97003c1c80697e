"""PDF builders of the 明白卡 and 明白纸: data in, PDF bytes out (no queries in here)."""

from __future__ import annotations

from collections.abc import Sequence

from kaiyuan.common.pdf import render_pdf
from monitoring.selectors.cards import Card, PolicySheet

A5 = "A5"
A4 = "A4"
PAGE_SIZES = (A5, A4)

CARDS_TEMPLATE = "monitoring/cards/cards_pdf.html"
POLICY_SHEET_TEMPLATE = "monitoring/cards/policy_sheet_pdf.html"


def page_size(raw: str | None) -> str:
    """A5 (the wall card) unless A4 is asked for."""
    return A4 if (raw or "").strip().upper() == A4 else A5


def build_cards_pdf(cards: Sequence[Card], *, size: str = A5) -> bytes:
    """One card per page, in the order given."""
    return render_pdf(CARDS_TEMPLATE, {"cards": cards, "size": page_size(size)})


def build_policy_sheet_pdf(sheet: PolicySheet) -> bytes:
    """The A4 明白纸 on who may apply, how, and which measures apply."""
    return render_pdf(POLICY_SHEET_TEMPLATE, {"sheet": sheet})
