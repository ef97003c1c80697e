"""PDF builders of the 明白卡 and 明白纸: data in, PDF bytes out (no queries in here); a village's
cards are an audited export (kaiyuan.common.exports) like any list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.areas.models import Area
from kaiyuan.common import exports
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
    """A village's cards as one PDF, with what was asked for (the export's filter)."""

    pdf: exports.ExportBytes
    village: Area
    year: int
    include_exited: bool
    size: str
    note: str

    @property
    def households(self) -> int:
        return self.pdf.rows

    @property
    def file_name(self) -> str:
        return card_file_name(self.village, self.year)

    def filters(self) -> dict[str, object]:
        return {
            "village": self.village.code,
            "year": self.year,
            "include_exited": self.include_exited,
            "size": self.size,
            "note": self.note,
        }

    def audit_data(self) -> dict[str, object]:
        return {
            "village": self.village.code,
            "households": self.households,
            "year": self.year,
            "size": self.size,
            "include_exited": self.include_exited,
        }


def may_print_cards(user) -> bool:
    return user_can(user, "cards.print")


def card_file_name(village: Area, year: int) -> str:
    return f"明白卡-{village.name}-{year}.pdf"


def village_card_batch(
    *,
    actor,
    village: Area,
    year: int,
    include_exited: bool = False,
    size: str = A5,
    note: str = "",
) -> CardBatch:
    """The village's cards, one per page; recorded by whoever hands the PDF out
    (``village_cards_response`` or the job)."""
    cards = village_cards(
        user=actor, village=village, year=year, include_exited=include_exited, note=note
    )
    size = page_size(size)
    pdf = exports.ExportBytes(content=build_cards_pdf(cards, size=size), rows=len(cards))
    return CardBatch(pdf, village, year, bool(include_exited), size, note)


def village_cards_response(batch: CardBatch, *, actor) -> FileResponse:
    """A small village's cards, served while the user waits and recorded as an export."""
    return exports.export_response(
        batch.pdf,
        name=batch.file_name,
        content_type=exports.PDF,
        actor=actor,
        audit_object=batch.village,
        what=AUDIT_WHAT,
        filters=batch.filters(),
        data=batch.audit_data(),
    )


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
    as_of = timezone.now()
    batch = village_card_batch(
        actor=user,
        village=village,
        year=int(params["year"]),
        include_exited=include_exited,
        size=params.get("size", A5),
        note=params.get("note", ""),
    )
    exports.export_to_job(
        job,
        batch.pdf,
        stored_name=f"cards-{village.code}-{job.pk}.pdf",
        name=batch.file_name,
        what=AUDIT_WHAT,
        filters=batch.filters(),
        as_of=as_of,
        audit_object=village,
        data=batch.audit_data(),
        result={"households": batch.households, "village": village.code},
    )
    job.message = _("%(n)s cards of %(village)s are ready.") % {
        "n": batch.households,
        "village": village.name,
    }
