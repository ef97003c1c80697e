"""两公示一公告 on the pages: the publicity steps of a project's page (``STEPS``), and the
county's announcements: their list, a new one for a year's decided projects, and one with its
projects."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form
from projects.forms import publicity as forms
from projects.models import Project, PublicityObjection
from projects.selectors import publicity as selectors
from projects.services import publicity as services
from projects.views.steps import PageStep, who_proposes

Status = Project.Status
PUBLICITY_STATES = (Status.VILLAGE_PUBLICITY, Status.TOWNSHIP_PUBLICITY, Status.COUNTY_PUBLICITY)


def _acting(project: Project) -> str:
    return services._acting_level(project)


def _who_posts(project: Project) -> str:
    if _acting(project) == "township":
        return _("the township")
    return who_proposes(project)


def _has_open_records(project: Project) -> bool:
    """A publicity is running (the township's of a village proposal is recorded only after its
    review: until then there is nothing to object to or to end)."""
    return project.publicity_records.filter(
        closed_on__isnull=True, announcement__isnull=True
    ).exists()


def _has_unhandled(project: Project) -> bool:
    return PublicityObjection.objects.filter(
        record__project=project,
        record__closed_on__isnull=True,
        record__announcement__isnull=True,
        upheld__isnull=True,
    ).exists()


def _record(project, form, user):
    data = form.cleaned_data
    services.publicity_record(
        project=project,
        level=data["level"],
        medium=data["medium"],
        place=data["place"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        photos=data["photos"],
        expected_version=data["version"],
        actor=user,
    )


def _objection(project, form, user):
    data = form.cleaned_data
    services.objection_record(
        publicity=form.publicity(), received_on=data["received_on"], text=data["text"], actor=user
    )


def _handle(project, form, user):
    data = form.cleaned_data
    services.objection_handle(
        objection=form.chosen(),
        upheld=data["upheld"],
        handling=data["handling"],
        expected_version=data["version"],
        actor=user,
    )


def _close(project, form, user):
    services.publicity_close(
        project=project, expected_version=form.cleaned_data["version"], actor=user
    )


STEPS = (
    PageStep(
        "publicity_record",
        gettext_lazy("Record a publicity"),
        forms.PublicityRecordForm,
        (Status.PROPOSED, *PUBLICITY_STATES),
        _record,
        action=lambda p: services.ACTING[_acting(p)][0],
        who=_who_posts,
        main=True,
    ),
    PageStep(
        "objection_record",
        gettext_lazy("Record an objection"),
        forms.ObjectionRecordForm,
        PUBLICITY_STATES,
        _objection,
        action="publicity_objection",
        applies=_has_open_records,
    ),
    PageStep(
        "objection_handle",
        gettext_lazy("Handle an objection"),
        forms.ObjectionHandleForm,
        PUBLICITY_STATES,
        _handle,
        action="objection_handled",
        applies=_has_unhandled,
        confirm=True,
    ),
    PageStep(
        "publicity_close",
        gettext_lazy("End the publicity"),
        forms.PublicityCloseForm,
        PUBLICITY_STATES,
        _close,
        action=lambda p: services.ACTING[_acting(p)][1],
        applies=_has_open_records,
        who=_who_posts,
        main=True,
        confirm=True,
    ),
)


# ---- the county's announcements --------------------------------------------------------------


@capability_required("projects.use")
def announcement_list(request):
    page = probe_page(
        selectors.announcement_rows(request.user).order_by("-start_date", "-id"),
        request.GET.get("page"),
    )
    return render(
        request,
        "projects/publicity/announcement_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "decided_years": selectors.decided_years(request.user),
        },
    )


def _year(raw: str | None, years: list[int]) -> int:
    if raw and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return years[0] if years else today().year + 1


@capability_required("projects.county_review")
def announcement_new(request):
    """The bureau announces the decided projects of a library year (all of them chosen by
    default)."""
    years = selectors.decided_years(request.user)
    year = _year(request.GET.get("year"), years)
    decided = selectors.decided_projects(request.user, year)
    form = forms.AnnouncementForm(request.POST or None, decided=decided)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            announcement = services.announcement_create(
                year=year,
                title=data["title"],
                number=data["number"],
                medium=data["medium"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                projects=list(data["projects"]),
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(
                request,
                _("The announcement of %(count)s projects was recorded.")
                % {"count": len(data["projects"])},
            )
            return redirect("projects:announcement_detail", pk=announcement.pk)
    return render(
        request,
        "projects/publicity/announcement_form.html",
        {"form": form, "year": year, "years": years},
    )


@capability_required("projects.use")
def announcement_detail(request, pk: int):
    announcement = selectors.announcement_get_for_user(request.user, pk)
    return render(
        request,
        "projects/publicity/announcement_detail.html",
        {
            "announcement": announcement,
            "records": selectors.announcement_records(announcement),
        },
    )
