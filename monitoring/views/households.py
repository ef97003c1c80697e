"""Household pages: the registry home and search, the household page, edits and typed changes,
living conditions, and the national system's Excel import and list exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assets.selectors.distributions import household_receipts
from employment.selectors.records import household_employment
from funds.selectors.microcredit import household_loans
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common import exports
from kaiyuan.common.errors import DomainError
from kaiyuan.common.idcard import looks_like_id_number
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form, save_with_every_error
from kaiyuan.common.scoping import get_for_user
from kaiyuan.common.views import lenient_filterset
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.views import export_started
from kaiyuan.policy.models import line_label
from monitoring.codes import HouseholdType, MonitoringCategory
from monitoring.exports.households import TEMPLATE_NAME, export_start, template_workbook
from monitoring.filters import HouseholdFilter
from monitoring.forms.households import (
    ExportForm,
    HeadChangeForm,
    HouseholdCreateForm,
    HouseholdForm,
    ImportUploadForm,
    LivingConditionForm,
    MergeForm,
    SearchForm,
    SplitForm,
    ValidRowsForm,
)
from monitoring.imports.households.jobs import IMPORT_JOB, import_start, store_upload
from monitoring.imports.households.writer import INVALID
from monitoring.models import Household
from monitoring.rules import incomes as income_rules
from monitoring.selectors import households as selectors
from monitoring.selectors.cards import year_line
from monitoring.services import households as household_services
from monitoring.services import members as member_services

RECENT_IMPORTS = 10


@capability_required("monitoring.use")
def monitoring_home(request):
    """The monitoring grid's entry: a search box and the user's tasks."""
    return render(
        request,
        "monitoring/home.html",
        {"form": SearchForm(), "may_register": user_can(request.user, "households.edit")},
    )


@capability_required("monitoring.use")
def household_search(request):
    """Search by name or household number (GET or POST), or by a full ID number (POST only:
    a number in the address would stay in the browser's history and the access logs)."""
    form = SearchForm(request.POST if request.method == "POST" else request.GET or None)
    result, id_in_address = None, False
    if form.is_valid():
        query = form.cleaned_data["q"]
        if request.method != "POST" and looks_like_id_number(query):
            id_in_address = True
        else:
            result = selectors.household_search(user=request.user, query=query)
    return render(
        request,
        "monitoring/household_search.html",
        {"form": form, "result": result, "id_in_address": id_in_address},
    )


@capability_required("monitoring.use")
def household_list(request):
    """The households of the user's area (a clerk's township, a grid worker's village, the
    county), with the shared filters; department staff, who see only their sector's households,
    search instead."""
    require(request.user, "households.browse")
    filterset = lenient_filterset(
        HouseholdFilter,
        request.GET,
        queryset=selectors.household_list(user=request.user),
        user=request.user,
    )
    page = probe_page(filterset.qs, request.GET.get("page"))
    return render(
        request,
        "monitoring/household_list.html",
        {
            "page": page,
            "pick": filterset.pick,
            "household_types": HouseholdType.choices,
            "categories": MonitoringCategory.choices,
            "chosen": filterset.form.cleaned_data,
            "query": query_without_page(request),
        },
    )


@capability_required("monitoring.use")
def household_detail(request, pk: int):
    household = selectors.household_get_for_user(request.user, pk)
    detail = selectors.household_detail(household, user=request.user)
    bands = None
    if household.per_capita_income is not None and household.income_year:
        bands = income_rules.income_band(household.per_capita_income, year=household.income_year)
    return render(
        request,
        "monitoring/household_detail.html",
        {
            "detail": detail,
            "household": household,
            "band": bands,
            "line_check": _line_check(household),
            "may_edit": user_can(request.user, "households.edit"),
            "may_act": user_can(request.user, "cases.village_step"),
            "may_reveal": member_services.may_see_full_ids(request.user),
            # 小额信贷: one query more, for the roles of the linkage funds.
            "loans": (
                list(household_loans(household, request.user))
                if user_can(request.user, "funds.use")
                else None
            ),
            # 资产收益分配: what the household received from asset income, from any township's
            # assets (AST-7); None for the roles without the asset ledger.
            "asset_receipts": household_receipts(household, request.user),
            # 务工就业: this year's jobs member by member, one query; None for the roles
            # without employment.
            "employment": household_employment(household, detail.members, request.user),
        },
    )


def _line_check(household: Household) -> dict:
    """The household's income against the year's monitoring line, or why it cannot be compared."""
    if household.per_capita_income is None or not household.income_year:
        return {}
    try:
        below = income_rules.is_below_monitoring_line(
            household.per_capita_income, year=household.income_year
        )
    except DomainError as exc:
        return {"missing": exc.message}
    # The figure itself, and 演示数据 when it is the demo's (the demo must not pass for policy).
    line = year_line(household.income_year)
    return {"below": below, "line": line_label(line.amount, demo=line.demo) if line else ""}


@capability_required("monitoring.use")
def household_create(request):
    """Register a new household with its head, in its grid; then its other members, if it
    declared more (their first registration, ``member_add``)."""
    require(request.user, "households.edit")
    form = HouseholdCreateForm(request.POST or None, user=request.user)

    def arguments() -> dict:
        data = form.cleaned_data  # on a form with errors, the fields that parsed
        return {
            "actor": request.user,
            "area": data.get("village"),
            "household_number": data.get("household_number", ""),
            "head": form.head_data(),
            "id_number": data.get("id_number"),
            "certificate": data.get("disability_certificate", ""),
            **form.household_fields(),
        }

    if request.method == "POST":
        household = save_with_every_error(
            form,
            save=lambda: household_services.household_create(**arguments()),
            problems=lambda: household_services.household_create_problems(**arguments()),
            user=request.user,
        )
        if household is not None:
            messages.success(request, _("The household was registered."))
            if member_services.registration_open(household):
                return redirect("monitoring:member_add", pk=household.pk)
            return redirect("monitoring:household_detail", pk=household.pk)
    return render(request, "monitoring/household_create.html", {"form": form})


@capability_required("monitoring.use")
def household_edit(request, pk: int):
    require(request.user, "households.edit")
    household = selectors.household_get_for_user(request.user, pk, write=True)
    form = HouseholdForm(
        request.POST or None,
        instance=household,
        village=household.area,
        initial={"version": household.version},
    )
    if request.method == "POST":
        saved = save_with_every_error(
            form,
            save=lambda: household_services.household_update(
                household=household,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            ),
            problems=lambda: household_services.household_edit_problems(
                household=household, changes=form.changes()
            ),
            user=request.user,
        )
        if saved is not None:
            messages.success(request, _("The household was saved."))
            return redirect("monitoring:household_detail", pk=household.pk)
    return render(request, "monitoring/household_form.html", {"form": form, "household": household})


@capability_required("monitoring.use")
def head_change(request, pk: int):
    require(request.user, "households.edit")
    household = selectors.household_get_for_user(request.user, pk, write=True)
    form = HeadChangeForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            household_services.household_change_head(
                household=household, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The head of household was changed."))
            return redirect("monitoring:household_detail", pk=household.pk)
    return render(
        request,
        "monitoring/change_form.html",
        {
            "form": form,
            "household": household,
            "title": _("Change the head of household"),
            "confirm": True,
        },
    )


@capability_required("monitoring.use")
def household_split(request, pk: int):
    require(request.user, "households.edit")
    household = selectors.household_get_for_user(request.user, pk, write=True)
    form = SplitForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = household_services.household_split(
                household=household,
                actor=request.user,
                members=list(data["members"]),
                new_household_number=data["new_household_number"],
                happened_on=data["happened_on"],
                reason=data["reason"],
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The household was split."))
            return redirect("monitoring:household_detail", pk=new.pk)
    return render(
        request,
        "monitoring/change_form.html",
        {"form": form, "household": household, "title": _("Split the household"), "confirm": True},
    )


@capability_required("monitoring.use")
def household_merge(request, pk: int):
    require(request.user, "households.edit")
    household = selectors.household_get_for_user(request.user, pk, write=True)
    form = MergeForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = (
            Household.objects.visible_to(request.user, action="change")
            .filter(household_number=data["into"].strip())
            .first()
        )
        if target is None:
            form.add_error("into", _("No household with this number in your area."))
        else:
            try:
                household_services.household_merge(
                    household=household,
                    into=target,
                    actor=request.user,
                    happened_on=data["happened_on"],
                    reason=data["reason"],
                    relations=form.relations(),
                )
            except DomainError as exc:
                add_refusal_to_form(form, exc, user=request.user)
            else:
                messages.success(request, _("The household was merged."))
                return redirect("monitoring:household_detail", pk=target.pk)
    return render(
        request,
        "monitoring/change_form.html",
        {
            "form": form,
            "household": household,
            "title": _("Merge into another household"),
            "confirm": True,
        },
    )


@capability_required("monitoring.use")
def conditions_edit(request, pk: int):
    """Production and living conditions of one year."""
    require(request.user, "households.edit")
    household = selectors.household_get_for_user(request.user, pk, write=True)
    year = request.GET.get("year") or request.POST.get("year")
    existing = household.conditions.filter(year=int(year)).first() if str(year).isdigit() else None
    form = LivingConditionForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household_services.living_condition_save(
                household=household, actor=request.user, year=data["year"], values=data
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The production and living conditions were saved."))
            return redirect("monitoring:household_detail", pk=household.pk)
    return render(
        request,
        "monitoring/change_form.html",
        {
            "form": form,
            "household": household,
            "title": _("Production and living conditions"),
        },
    )


@capability_required("households.import")
def import_upload(request):
    """Upload page: refusals that need no parsing are answered at once; the file is then kept
    and validated (and, if every row is good, imported) in this request or in the background."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        path = store_upload(uploaded)
        try:
            job = import_start(
                actor=request.user,
                path=path,
                file_name=uploaded.name,
                rows=form.inspection.data_rows,
                background=form.inspection.background,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("monitoring:import_upload")
        return redirect("monitoring:import_result", pk=job.pk)
    recent = (
        Job.objects.visible_to(request.user)
        .filter(kind=IMPORT_JOB)
        .order_by("-created_at")[:RECENT_IMPORTS]
    )
    context = {
        "form": form,
        "recent": recent,
        "max_upload_mb": settings.MAX_UPLOAD_MB,
        "max_rows": settings.IMPORT_MAX_ROWS,
    }
    return render(request, "monitoring/transfer/import_upload.html", context)


@capability_required("households.import")
def import_result(request, pk: int):
    """The outcome of one import run: progress while it runs, then the counts, or the problems
    with the marked workbook and the choice to import only the valid households."""
    job = get_for_user(Job.objects.filter(kind=IMPORT_JOB), request.user, pk=pk)
    result = job.result or {}
    context = {
        "job": job,
        "result": result,
        "may_import_valid": _may_import_valid(job),
        "valid_form": ValidRowsForm(),
    }
    template = "monitoring/transfer/import_result.html"
    if request.headers.get("HX-Request"):
        template = "monitoring/transfer/_import_result.html"
    return render(request, template, context)


def _may_import_valid(job: Job) -> bool:
    result = job.result or {}
    return (
        job.status == Job.Status.DONE
        and result.get("state") == INVALID
        and not job.params.get("valid_only")
        and result.get("valid_households", 0) > 0
    )


@require_POST
@capability_required("households.import")
def import_valid_rows(request, pk: int):
    """The explicit, audited choice to import only the households whose rows are all valid."""
    job = get_for_user(Job.objects.filter(kind=IMPORT_JOB), request.user, write=True, pk=pk)
    if not _may_import_valid(job):
        return HttpResponseBadRequest(_("This import has no valid households left to import."))
    form = ValidRowsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that the other households are skipped."))
        return redirect("monitoring:import_result", pk=job.pk)
    try:
        new = import_start(
            actor=request.user,
            path=job.params["path"],
            file_name=job.params.get("file_name", ""),
            rows=job.params.get("rows", 0),
            background=job.params.get("background", True),
            valid_only=True,
            after=job.pk,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("monitoring:import_result", pk=job.pk)
    return redirect("monitoring:import_result", pk=new.pk)


@capability_required("households.import")
def import_template(request):
    return exports.export_response(
        template_workbook(),
        name=TEMPLATE_NAME,
        content_type=exports.XLSX,
        actor=request.user,
        audit_object=None,
        area=request.user.area,
        what="monitoring_import_template",
        filters={},
    )


@capability_required("households.export")
def export_lists(request):
    """Choose a list and an area; the export runs as a job and the user waits on its page."""
    form = ExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        return export_started(
            request,
            lambda: export_start(
                actor=request.user,
                list_key=form.cleaned_data["list"],
                area=form.cleaned_data["area"],
            ),
            back="monitoring:export_lists",
        )
    return render(request, "monitoring/transfer/export.html", {"form": form})
