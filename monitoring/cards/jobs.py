"""A village's 明白卡 in one PDF: built in the request for a small village, as a background job
(kaiyuan.jobs) above CARD_JOB_THRESHOLD households. Either way the export is audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from kaiyuan.areas.models import Area
from kaiyuan.audit import record
from kaiyuan.common.errors import DomainError
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start
from kaiyuan.web.navigation import COUNTY_READERS, FIELD_ROLES
from monitoring.cards.builders import build_cards_pdf, page_size
from monitoring.selectors.cards import card_households, village_cards

CARD_BATCH_JOB = "monitoring_cards"
# Up to this many cards the PDF is built while the user waits (well under a few seconds).
CARD_JOB_THRESHOLD = 30
# Who prints cards: the field roles of the area and the county readers (not departments, finance).
CARD_ROLES = FIELD_ROLES | COUNTY_READERS
AUDIT_WHAT = "明白卡"


@dataclass(frozen=True)
class CardBatch:
    pdf: bytes
    households: int
    file_name: str


def may_print_cards(user) -> bool:
    return user.is_superuser or user.role in CARD_ROLES


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
