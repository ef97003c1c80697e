"""PDF builders of the 明白卡 and 明白纸: data in, PDF bytes out (no queries in here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.areas.models import Area
from kaiyuan.audit import record
from kaiyuan.common.errors import DomainError
from kaiyuan.common.pdf import render_pdf
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start
from monitoring.selectors.cards import Card, PolicySheet, card_households, village_cards

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


CARD_BATCH_JOB = "monitoring_cards"


# Up to this many cards the PDF is built while the user waits (well under a few seconds).
CARD_JOB_THRESHOLD = 30


# Who prints cards: the field roles of the area and the county readers (not departments, finance).


AUDIT_WHAT = "明白卡"


@dataclass(frozen=True)
class CardBatch:
    pdf: bytes
    households: int
    file_name: str


def may_print_cards(user) -> bool:
    return user_can(user, "cards.print")


def card_file_name(village: Area, year: int) -> str:
    return f"明白卡-{village.name}-{year}.pdf"


def village_cards_export(
    *,
    actor,
    village: Area,
    year: int,
    include_exited: bool = False,
    size: str = "A5",
    note: str = "",
    source: str = "web",
    job: Job | None = None,
) -> CardBatch:
    """Build the village's cards (one per page) and audit the export."""
    cards = village_cards(
        user=actor, village=village, year=year, include_exited=include_exited, note=note
    )
    pdf = build_cards_pdf(cards, size=size)
    data = {
        "what": AUDIT_WHAT,
        "village": village.code,
        "households": len(cards),
        "year": year,
        "size": page_size(size),
        "include_exited": include_exited,
    }
    if job is not None:
        data["job"] = job.pk
    record(village, action="export", actor=actor, source=source, data=data)
    return CardBatch(pdf=pdf, households=len(cards), file_name=card_file_name(village, year))


def needs_job(households: int) -> bool:
    return households > CARD_JOB_THRESHOLD


def card_batch_start(
    *, actor, village: Area, year: int, include_exited: bool, size: str, note: str
) -> Job:
    params = {
        "village": village.pk,
        "year": year,
        "include_exited": include_exited,
        "size": page_size(size),
        "note": note,
    }
    return job_start(kind=CARD_BATCH_JOB, actor=actor, params=params)


@register(CARD_BATCH_JOB)
def run_card_batch(job: Job, progress) -> None:
    user = job.created_by
    params = job.params
    village = Area.objects.visible_to(user).villages().filter(pk=params.get("village")).first()
    if village is None or not may_print_cards(user):
        raise DomainError(_("The cards of this village cannot be printed from your account."))
    include_exited = bool(params.get("include_exited"))
    progress.total(
        card_households(user=user, village=village, include_exited=include_exited).count()
    )
    batch = village_cards_export(
        actor=user,
        village=village,
        year=int(params["year"]),
        include_exited=include_exited,
        size=params.get("size", "A5"),
        note=params.get("note", ""),
        source="task",
        job=job,
    )
    job.result_file.save(f"cards-{village.code}-{job.pk}.pdf", ContentFile(batch.pdf), save=False)
    job.result_name = batch.file_name
    job.progress = batch.households
    job.result = {"households": batch.households, "village": village.code}
    job.message = _("%(n)s cards of %(village)s are ready.") % {
        "n": batch.households,
        "village": village.name,
    }
