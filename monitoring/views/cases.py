"""Pages of risk leads and of identification and elimination cases. Each step's form is shown
only to the roles that may take it; the services check again and decide."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaiyuan.accounts.capabilities import require
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form, shown_to
from kaiyuan.common.scoping import get_for_user, user_may_write
from monitoring.forms import cases as forms
from monitoring.models import CaseAttachment, MonitoringCase, RiskLead
from monitoring.models.cases import CASE_WORKFLOW
from monitoring.selectors.households import household_get_for_user
from monitoring.services import cases as services

Status = MonitoringCase.Status


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    form_class: type

    @property
    def action(self) -> str:
        """The workflow step that decides who may see this form (its positive outcome)."""
        return {"township_review": "township_pass", "county_decide": "county_approve"}.get(
            self.name, self.name
        )


def _steps(case: MonitoringCase) -> list[Step]:
    identification = case.kind == MonitoringCase.Kind.IDENTIFICATION
    by_status = {
        Status.APPLICATION: [
            Step(
                "submit_application",
                gettext_lazy("Application and authorisation"),
                forms.ApplicationForm,
            )
        ],
        Status.VERIFYING: (
            [
                Step("crosscheck", gettext_lazy("Data cross-check (county)"), forms.CrosscheckForm),
                Step("verify", gettext_lazy("On-site verification"), forms.VerificationForm),
            ]
            if identification
            else [
                Step(
                    "indicators", gettext_lazy("Post-elimination indicators"), forms.IndicatorsForm
                ),
                Step("verify", gettext_lazy("On-site verification"), forms.VerificationForm),
            ]
        ),
        Status.VILLAGE_APPRAISAL: [
            Step("appraise", gettext_lazy("Village democratic appraisal"), forms.AppraisalForm)
        ],
        Status.VILLAGE_PUBLICITY: [
            Step("objection", gettext_lazy("Record an objection"), forms.ObjectionForm),
            Step("close_publicity", gettext_lazy("End of publicity"), forms.PublicityCloseForm),
        ],
        Status.TOWNSHIP_REVIEW: [
            Step("township_review", gettext_lazy("Township review"), forms.ReviewForm)
        ],
        Status.COUNTY_APPROVAL: [
            Step("county_decide", gettext_lazy("County approval"), forms.DecisionForm)
        ],
    }
    return by_status.get(case.status, [])


def _may_take(user, case: MonitoringCase, step: Step) -> bool:
    """Only the people who may take the step see its form: the role, the level and the
    separation of duties of the case workflow, asked as the service will ask it."""
    return user_may_write(user) and CASE_WORKFLOW.may_take(case, step.action, user)


def _why_waiting(user, case: MonitoringCase) -> str:
    """Why the user sees no step of an open case: whose step it is, or the separation of
    duties (the clerk who entered the village's steps leaves the township review to another)."""
    for step in _steps(case):
        refusal = CASE_WORKFLOW.refusal(case, step.action, user)
        if refusal is not None:
            return refusal.message
    return ""


def _run_step(step: Step, case: MonitoringCase, form, user):
    """Call the service of ``step`` with the form's data; returns the flags to show."""
    data = form.cleaned_data
    version = data.get("version")
    if step.name == "submit_application":
        _case, flags = services.case_submit_application(
            case=case,
            actor=user,
            application_date=data["application_date"],
            authorisation=data["authorisation"],
            category=data["category"],
            risks=form.risks(),
            disaster_subitem=data["disaster_subitem"],
            income_unstable_reason=data["income_unstable_reason"],
            guarantees=form.guarantees(),
            expected_version=version,
        )
        return flags
    if step.name == "crosscheck":
        services.case_record_crosscheck(
            case=case, actor=user, result=data["result"], expected_version=version
        )
    elif step.name == "indicators":
        return services.case_record_elimination_indicators(
            case=case, actor=user, income=form.income(), guarantees=form.guarantees()
        )
    elif step.name == "verify":
        services.case_complete_verification(
            case=case,
            actor=user,
            verifiers=form.names(),
            verified_on=data["verified_on"],
            findings=data["findings"],
            form=data["form"],
            expected_version=version,
        )
    elif step.name == "appraise":
        services.case_appraise(
            case=case,
            actor=user,
            eligible=data["eligible"],
            appraisal_on=data["appraisal_on"],
            reason=data["reason"],
            minutes=data["minutes"],
            expected_version=version,
        )
    elif step.name == "objection":
        services.case_record_objection(case=case, actor=user, text=data["text"])
    elif step.name == "close_publicity":
        services.case_close_publicity(
            case=case,
            actor=user,
            objection_upheld=data["objection_upheld"],
            reason=data["reason"],
            expected_version=version,
        )
    elif step.name == "township_review":
        services.case_township_review(
            case=case,
            actor=user,
            passed=data["passed"],
            reason=data["reason"],
            expected_version=version,
        )
    elif step.name == "county_decide":
        _case, flags = services.case_county_decide(
            case=case,
            actor=user,
            approved=data["approved"],
            reason=data["reason"],
            expected_version=version,
        )
        return flags
    return []


@capability_required("monitoring.use")
def case_detail(request, pk: int):
    case = get_for_user(
        MonitoringCase.objects.select_related(
            "household", "area", "area__parent", "lead", "opened_by"
        ),
        request.user,
        pk=pk,
    )
    steps = [s for s in _steps(case) if _may_take(request.user, case, s)]
    forms_by_step = {}
    for step in steps:
        bound = request.method == "POST" and request.POST.get("step") == step.name
        form = step.form_class(
            request.POST if bound else None,
            request.FILES if bound else None,
            initial={"version": case.version},
            prefix=step.name,
        )
        forms_by_step[step.name] = form
        if bound and form.is_valid():
            try:
                flags = _run_step(step, case, form, request.user)
            except DomainError as exc:
                add_refusal_to_form(form, exc, user=request.user)
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": step.title})
                for flag in flags:
                    messages.warning(request, shown_to(request.user, flag))
                return redirect("monitoring:case_detail", pk=case.pk)
    if request.method == "POST" and request.POST.get("step") not in forms_by_step:
        raise PermissionDenied
    return render(
        request,
        "monitoring/cases/case_detail.html",
        {
            "case": case,
            "step_forms": [(step, forms_by_step[step.name]) for step in steps],
            "waiting": _why_waiting(request.user, case) if not steps else "",
            "history": case.steps.select_related("actor"),
            "attachments": case.attachments.select_related("uploaded_by"),
            "today": today(),
        },
    )


@capability_required("monitoring.use")
def attachment_download(request, pk: int):
    attachment = get_for_user(CaseAttachment.objects.all(), request.user, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@capability_required("monitoring.use")
def lead_create(request, pk: int):
    """A household's own application (or a cadre's finding) entered as a risk lead."""
    household = household_get_for_user(request.user, pk, write=True)
    form = forms.LeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lead_create(household=household, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The risk lead was recorded."))
            return redirect("monitoring:lead_list")
    return render(
        request,
        "monitoring/change_form.html",
        {"form": form, "household": household, "title": _("Record a risk lead")},
    )


@capability_required("monitoring.use")
def lead_list(request):
    """Open risk leads of the user's area, oldest deadline first."""
    require(request.user, "cases.view")
    leads = (
        RiskLead.objects.visible_to(request.user)
        .filter(status=RiskLead.Status.OPEN)
        .select_related("household", "area", "area__parent")
        .order_by("deadline", "id")
    )
    page = probe_page(leads, request.GET.get("page"))
    return render(
        request,
        "monitoring/cases/lead_list.html",
        {"page": page, "query": query_without_page(request), "today": today()},
    )


@require_POST
@capability_required("monitoring.use")
def lead_open_case(request, pk: int):
    lead = get_for_user(
        RiskLead.objects.select_related("household"), request.user, pk=pk, write=True
    )
    try:
        case = services.case_open_identification(
            household=lead.household, actor=request.user, lead=lead
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("monitoring:lead_list")
    messages.success(request, _("The identification case was opened."))
    return redirect("monitoring:case_detail", pk=case.pk)


@capability_required("monitoring.use")
def lead_close(request, pk: int):
    lead = get_for_user(
        RiskLead.objects.select_related("household"), request.user, pk=pk, write=True
    )
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lead_close_no_risk(
                lead=lead, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The lead was closed: no risk."))
            return redirect("monitoring:lead_list")
    return render(
        request,
        "monitoring/change_form.html",
        {
            "form": form,
            "household": lead.household,
            "title": _("Close the lead: verified, no risk"),
            "confirm": True,
        },
    )


@require_POST
@capability_required("monitoring.use")
def case_open(request, pk: int):
    """Open an identification case straight from the household page."""
    household = household_get_for_user(request.user, pk, write=True)
    try:
        case = services.case_open_identification(household=household, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("monitoring:household_detail", pk=household.pk)
    messages.success(request, _("The identification case was opened."))
    return redirect("monitoring:case_detail", pk=case.pk)


@capability_required("monitoring.use")
def elimination_open(request, pk: int):
    household = household_get_for_user(request.user, pk, write=True)
    form = forms.EliminationOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open_elimination(
                household=household, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The risk elimination was proposed."))
            return redirect("monitoring:case_detail", pk=case.pk)
    return render(
        request,
        "monitoring/change_form.html",
        {"form": form, "household": household, "title": _("Propose risk elimination")},
    )
