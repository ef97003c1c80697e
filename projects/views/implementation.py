"""The implementation steps of a project's page (``STEPS``): start, progress, completion, the
管护 arrangements, the bureau's acceptance, the handover of the assets, the operating agreement
and the start of operation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from projects.codes import Category
from projects.forms import implementation as forms
from projects.models import OperatingAgreement, Project
from projects.services import implementation as services
from projects.views.steps import PageStep

Status = Project.Status
WHO_IMPLEMENTS = gettext_lazy("whoever implements it (the township, or the bureau for the county)")
WHO_ACCEPTS = gettext_lazy("the county bureau, which organises the acceptance")


def _version(form) -> int:
    return form.cleaned_data["version"]


def _start(project, form, user):
    services.project_start(
        project=project,
        started_on=form.cleaned_data["started_on"],
        expected_version=_version(form),
        actor=user,
    )


def _progress(project, form, user):
    data = form.cleaned_data
    services.progress_report(
        project=project,
        reported_on=data["reported_on"],
        percent=data["percent"],
        text=data["text"],
        photos=data["photos"],
        actor=user,
    )


def _complete(project, form, user):
    services.project_complete(project=project, expected_version=_version(form), actor=user)


def _maintenance(project, form, user):
    services.maintenance_set(project=project, arrangements=form.arrangements(), actor=user)


def _accept(project, form, user):
    data = form.cleaned_data
    services.acceptance_record(
        project=project,
        accepted_on=data["accepted_on"],
        result=data["result"],
        findings=data["findings"],
        inspectors=data["inspectors"],
        documents=data["documents"],
        expected_version=_version(form),
        actor=user,
    )


def _hand_over(project, form, user):
    data = form.cleaned_data
    services.project_hand_over(
        project=project,
        handed_over_on=data["handed_over_on"],
        asset_formed=data["asset_formed"],
        assets=data["assets"],
        value=data["value"],
        recipient=data["recipient"],
        no_asset_reason=data["no_asset_reason"],
        expected_version=_version(form),
        actor=user,
    )


def _agreement(project, form, user):
    services.agreement_record(project=project, values=form.values(), actor=user)


def _operate(project, form, user):
    services.project_operate(
        project=project, mode=form.cleaned_data["mode"], expected_version=_version(form), actor=user
    )


def _rural_construction(project: Project) -> bool:
    return project.category == Category.RURAL_CONSTRUCTION


def _no_agreement_yet(project: Project) -> bool:
    return not OperatingAgreement.objects.filter(project=project).exists()


STEPS = (
    PageStep(
        "start",
        gettext_lazy("Start of implementation"),
        forms.StartForm,
        (Status.PLANNED,),
        _start,
        action="start",
        who=WHO_IMPLEMENTS,
        main=True,
        confirm=True,
    ),
    PageStep(
        "progress_report",
        gettext_lazy("Report progress"),
        forms.ProgressReportForm,
        (Status.IMPLEMENTING,),
        _progress,
        action="progress_report",
        who=WHO_IMPLEMENTS,
        main=True,
    ),
    PageStep(
        "complete",
        gettext_lazy("Completion"),
        forms.CompleteForm,
        (Status.IMPLEMENTING,),
        _complete,
        action="complete",
        who=WHO_IMPLEMENTS,
        confirm=True,
    ),
    PageStep(
        "acceptance",
        gettext_lazy("Completion acceptance"),
        forms.AcceptanceForm,
        (Status.COMPLETED,),
        _accept,
        action="accept",
        who=WHO_ACCEPTS,
        main=True,
        confirm=True,
    ),
    PageStep(
        "maintenance",
        gettext_lazy("Maintenance arrangements (管护)"),
        forms.MaintenanceForm,
        (Status.IN_LIBRARY, Status.PLANNED, Status.IMPLEMENTING, Status.COMPLETED),
        _maintenance,
        capability="projects.implement",
        applies=_rural_construction,
        template="projects/steps/_maintenance.html",
    ),
    PageStep(
        "handover",
        gettext_lazy("Handover of the assets"),
        forms.HandoverForm,
        (Status.ACCEPTED,),
        _hand_over,
        action="hand_over",
        who=WHO_IMPLEMENTS,
        main=True,
        confirm=True,
    ),
    PageStep(
        "agreement",
        gettext_lazy("Operating agreement"),
        forms.AgreementForm,
        (Status.ACCEPTED, Status.HANDED_OVER),
        _agreement,
        capability="projects.implement",
        applies=_no_agreement_yet,
    ),
    PageStep(
        "operate",
        gettext_lazy("Start of operation"),
        forms.OperateForm,
        (Status.HANDED_OVER,),
        _operate,
        action="operate",
        who=WHO_IMPLEMENTS,
        main=True,
        confirm=True,
    ),
)
