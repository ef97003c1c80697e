"""An announcement's projects as Excel, and the printed announcement (PDF)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaiyuan.common import exports as files
from kaiyuan.common.pdf import render_pdf
from projects.exports.library.layout import library_sheet, place_of, user_scope
from projects.models import Announcement, Project, ProjectVillage
from projects.models.projects import LINKAGE_FUNDING_FIELDS
from projects.selectors.library import announcement_rows, with_export_parts

ANNOUNCEMENT_EXPORT = "projects_announcement"
ANNOUNCEMENT_PDF = "projects_announcement_pdf"
ANNOUNCEMENT_TEMPLATE = "projects/library/announcement_pdf.html"


@dataclass(frozen=True)
class AnnouncedProject:
    """A line of the printed announcement."""

    number: int
    code: str
    name: str
    category: str
    place: str
    content: str
    entity: str
    period: str
    total: Decimal
    linkage: Decimal


@dataclass(frozen=True)
class AnnouncementPaper:
    """What the printed announcement shows: the announcement, its lines and their totals, and,
    when the reader sees only part of it, the area of the extract."""

    announcement: Announcement
    county: str
    lines: Sequence[AnnouncedProject]
    total: Decimal
    linkage: Decimal
    extract_of: str = ""

    @property
    def days(self) -> int:
        return (self.announcement.end_date - self.announcement.start_date).days + 1


def _period(project: Project) -> str:
    return f"{project.start_date:%Y-%m-%d}至{project.end_date:%Y-%m-%d}"


def announcement_paper(
    announcement: Announcement, projects: Iterable[Project], *, extract_of: str = ""
) -> AnnouncementPaper:
    lines = [
        AnnouncedProject(
            number=n,
            code=p.code,
            name=p.name,
            category=p.category,
            place=place_of(p),
            content=p.content,
            entity=p.entity_name,
            period=_period(p),
            total=p.total_investment,
            linkage=sum((getattr(p, f) for f in LINKAGE_FUNDING_FIELDS), Decimal("0")),
        )
        for n, p in enumerate(projects, start=1)
    ]
    return AnnouncementPaper(
        announcement=announcement,
        county=announcement.area.name,
        lines=lines,
        total=sum((line.total for line in lines), Decimal("0")),
        linkage=sum((line.linkage for line in lines), Decimal("0")),
        extract_of=extract_of,
    )


def build_announcement_pdf(paper: AnnouncementPaper) -> bytes:
    return render_pdf(ANNOUNCEMENT_TEMPLATE, {"paper": paper})


def _extract_of(user, announcement: Announcement) -> str:
    """The area named on an extract: "" when the user reads the whole announcement."""
    scope = user_scope(user)
    if scope.contains(announcement.area):
        return ""
    return files.scope_name(scope)


def _announcement_filters(announcement: Announcement) -> list[tuple[str, str]]:
    return [
        (_("Document number"), announcement.number),
        (
            _("Announcement period"),
            f"{announcement.start_date:%Y-%m-%d}至{announcement.end_date:%Y-%m-%d}",
        ),
    ]


def announcement_workbook(
    announcement: Announcement, projects: Iterable[Project], *, scope: str, as_of
) -> files.ExportBytes:
    caption = files.caption(
        announcement.title, scope=scope, filters=_announcement_filters(announcement), as_of=as_of
    )
    return files.workbook_bytes([library_sheet(projects, caption=caption)])


def _file_stem(announcement: Announcement) -> str:
    return (announcement.number or announcement.title).replace("/", "-").replace("\\", "-")


def announcement_export_response(announcement: Announcement, *, actor) -> FileResponse:
    """The projects of ``announcement`` that ``actor`` may see, as Excel, recorded."""
    as_of = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        projects = with_export_parts(announcement_rows(actor, announcement))
        written = announcement_workbook(
            announcement, projects, scope=files.scope_name(user_scope(actor)), as_of=as_of
        )
    return files.export_response(
        written,
        name=f"{_file_stem(announcement)}-公告项目.xlsx",
        content_type=files.XLSX,
        actor=actor,
        audit_object=announcement,
        what=ANNOUNCEMENT_EXPORT,
        filters={"announcement": announcement.pk, "area": user_scope(actor).code},
        as_of=as_of,
    )


def announcement_pdf_response(announcement: Announcement, *, actor) -> FileResponse:
    """The printed announcement (the extract of ``actor``'s area for a township), recorded."""
    projects = announcement_rows(actor, announcement).prefetch_related(
        Prefetch("villages", queryset=ProjectVillage.objects.select_related("village__parent"))
    )
    paper = announcement_paper(announcement, projects, extract_of=_extract_of(actor, announcement))
    written = files.ExportBytes(content=build_announcement_pdf(paper), rows=len(paper.lines))
    return files.export_response(
        written,
        name=f"{_file_stem(announcement)}.pdf",
        content_type=files.PDF,
        actor=actor,
        audit_object=announcement,
        what=ANNOUNCEMENT_PDF,
        filters={"announcement": announcement.pk, "area": user_scope(actor).code},
    )
