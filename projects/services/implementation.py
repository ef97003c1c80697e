"""From the funded plan to operation: start, progress reports, completion, acceptance organised
by the bureau (PRJ-7), the 管护 arrangements (建管用), the handover of the assets and the
operating agreement (PRJ-10, PRJ-11)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import record
from kaiyuan.common.rules import RulesBroken
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.common.uscc import normalise as normalise_uscc
from kaiyuan.common.uscc import uscc_problems
from projects.exceptions import ProjectError
from projects.models import (
    Acceptance,
    Handover,
    MaintenanceArrangement,
    OperatingAgreement,
    ProgressReport,
    Project,
    ProjectAttachment,
)
from projects.models.projects import PROJECT_WORKFLOW
from projects.rules import implementation as rules
from projects.services.projects import attachment_add, date_not_future, lock_project

Status = Project.Status


def _check(problems) -> None:
    errors = [v for v in problems if v.is_error]
    if errors:
        raise RulesBroken(errors)


@transaction.atomic
def project_start(
    *, project: Project, started_on: datetime.date, expected_version: int, actor
) -> Project:
    locked = lock_project(
        project,
        action="start",
        actor=actor,
        expected_version=expected_version,
        states=[Status.PLANNED],
    )
    started_on = date_not_future(started_on, "started_on")
    return PROJECT_WORKFLOW.transition(
        locked,
        action="start",
        actor=actor,
        to=Status.IMPLEMENTING,
        data={"started_on": str(started_on)},
    )


def latest_progress(project: Project) -> Decimal | None:
    return (
        project.progress_reports.order_by("-reported_on", "-id")
        .values_list("percent", flat=True)
        .first()
    )


@transaction.atomic
def progress_report(
    *,
    project: Project,
    reported_on: datetime.date,
    percent: Decimal,
    text: str,
    photos: Iterable[UploadedFile] = (),
    actor,
) -> ProgressReport:
    """A dated report of physical progress, with its site photos. Progress does not go
    backwards: a lower figure than the last report's needs saying why in the text, and is
    refused without one."""
    locked = lock_project(
        project,
        action="progress_report",
        actor=actor,
        expected_version=None,
        states=[Status.IMPLEMENTING],
    )
    reported_on = date_not_future(reported_on, "reported_on")
    if percent is None or not (Decimal("0") <= percent <= Decimal("100")):
        raise ProjectError(_("Progress is between 0 and 100%."), field="percent")
    if not (text or "").strip():
        raise ProjectError(_("Describe the progress."), field="text")
    last = locked.progress_reports.order_by("-reported_on", "-id").first()
    if last is not None and reported_on < last.reported_on:
        raise ProjectError(
            _("The last report is of %(day)s; a new report cannot be dated earlier.")
            % {"day": last.reported_on},
            field="reported_on",
        )
    report = ProgressReport.objects.create(
        project=locked,
        reported_on=reported_on,
        percent=percent,
        text=text.strip(),
        reported_by=actor,
    )
    for photo in photos:
        attachment_add(
            project=locked,
            kind=ProjectAttachment.Kind.PROGRESS_PHOTO,
            upload=photo,
            actor=actor,
            progress_report=report,
        )
    PROJECT_WORKFLOW.transition(
        locked,
        action="progress_report",
        actor=actor,
        to=None,
        data={"percent": str(percent), "as_of": str(reported_on)},
    )
    return report


@transaction.atomic
def project_complete(*, project: Project, expected_version: int, actor) -> Project:
    locked = lock_project(
        project,
        action="complete",
        actor=actor,
        expected_version=expected_version,
        states=[Status.IMPLEMENTING],
    )
    _check(rules.completion_problems(latest_progress(locked)))
    return PROJECT_WORKFLOW.transition(locked, action="complete", actor=actor, to=Status.COMPLETED)


@transaction.atomic
def maintenance_set(
    *, project: Project, arrangements: list[dict], actor
) -> list[MaintenanceArrangement]:
    """Who maintains the project, with what responsibility, how and with what money (replaced
    whole, until the project is accepted)."""
    require(actor, "projects.implement")
    ensure_may_change(actor, project)
    if project.status in (Status.ACCEPTED, Status.HANDED_OVER, Status.OPERATING):
        raise ProjectError(
            _("The project has been accepted; its maintenance arrangements are kept as accepted.")
        )
    fields = ("maintainer", "responsibility", "method", "funding_source")
    for row in arrangements:
        missing = [name for name in fields if not (row.get(name) or "").strip()]
        if missing:
            raise ProjectError(
                _("Fill in who maintains it, the responsibility, how and the funding."),
                field="maintenance",
            )
    project.maintenance.all().delete()
    rows = MaintenanceArrangement.objects.bulk_create(
        MaintenanceArrangement(project=project, **{name: row[name].strip() for name in fields})
        for row in arrangements
    )
    record(project, action="change", actor=actor, data={"maintenance": len(rows)})
    return rows


@transaction.atomic
def acceptance_record(
    *,
    project: Project,
    accepted_on: datetime.date,
    result: str,
    findings: str,
    inspectors: str,
    documents: Iterable[UploadedFile] = (),
    expected_version: int,
    actor,
) -> Acceptance:
    """The bureau's acceptance (PRJ-7), with its report: 合格 takes the project to accepted;
    不合格 sends it back to rectification, with the findings."""
    passed = result == "合格"
    action = "accept" if passed else "accept_failed"
    locked = lock_project(
        project,
        action=action,
        actor=actor,
        expected_version=expected_version,
        states=[Status.COMPLETED],
    )
    accepted_on = date_not_future(accepted_on, "accepted_on")
    if passed:
        _check(rules.maintenance_problems(locked, list(locked.maintenance.all())))
    elif not (findings or "").strip():
        raise ProjectError(_("Write down what must be rectified."), field="findings")
    acceptance = Acceptance.objects.create(
        project=locked,
        accepted_on=accepted_on,
        result=result,
        findings=findings.strip(),
        inspectors=inspectors.strip(),
        organised_by=actor,
    )
    for document in documents:
        attachment_add(
            project=locked,
            kind=ProjectAttachment.Kind.ACCEPTANCE,
            upload=document,
            actor=actor,
            acceptance=acceptance,
        )
    PROJECT_WORKFLOW.transition(
        locked,
        action=action,
        actor=actor,
        to=Status.ACCEPTED if passed else Status.IMPLEMENTING,
        reason=findings.strip(),
        data={"result": result},
    )
    return acceptance


@transaction.atomic
def project_hand_over(
    *,
    project: Project,
    handed_over_on: datetime.date,
    asset_formed: bool,
    assets: str = "",
    value: Decimal | None = None,
    recipient: str = "",
    no_asset_reason: str = "",
    expected_version: int,
    actor,
) -> Handover:
    """The accepted project's assets handed over to the asset ledger (the assets app receives
    them), or the record that it formed none, with the reason."""
    locked = lock_project(
        project,
        action="hand_over",
        actor=actor,
        expected_version=expected_version,
        states=[Status.ACCEPTED],
    )
    _check(rules.passed_acceptance_problems(list(locked.acceptances.all())))
    handed_over_on = date_not_future(handed_over_on, "handed_over_on")
    if asset_formed and (value is None or value < 0 or not assets.strip() or not recipient.strip()):
        raise ProjectError(_("Give the assets, their value and who receives them."), field="assets")
    if not asset_formed and not no_asset_reason.strip():
        raise ProjectError(_("Say why no asset was formed."), field="no_asset_reason")
    handover = Handover.objects.create(
        project=locked,
        handed_over_on=handed_over_on,
        asset_formed=asset_formed,
        assets=assets.strip(),
        value=value if asset_formed else None,
        recipient=recipient.strip(),
        no_asset_reason="" if asset_formed else no_asset_reason.strip(),
        recorded_by=actor,
    )
    PROJECT_WORKFLOW.transition(locked, action="hand_over", actor=actor, to=Status.HANDED_OVER)
    return handover


@transaction.atomic
def handover_summarise(*, project: Project, assets: str, value: Decimal, recipient: str, actor):
    """The handover's summary follows the asset ledger as later assets of the project join it
    (the assets app calls this; the ledger's own rows are the record)."""
    handover = Handover.objects.select_for_update().get(project=project)
    before = {"assets": handover.assets, "value": str(handover.value)}
    handover.assets, handover.value, handover.recipient = assets, value, recipient
    handover.save(update_fields=["assets", "value", "recipient"])
    record(
        project,
        action="change",
        actor=actor,
        data={"handover": {"before": before, "after": {"assets": assets, "value": str(value)}}},
    )
    return handover


@transaction.atomic
def agreement_record(*, project: Project, values: dict, actor) -> OperatingAgreement:
    """The signed operating agreement (PRJ-10), before operation starts."""
    require(actor, "projects.implement")
    ensure_may_change(actor, project)
    if project.status not in (Status.ACCEPTED, Status.HANDED_OVER):
        raise ProjectError(
            _("The operating agreement is recorded after acceptance, before operation.")
        )
    if OperatingAgreement.objects.filter(project=project).exists():
        raise ProjectError(_("This project already has its operating agreement."))
    values = dict(values)
    values["operator_uscc"] = normalise_uscc(values.get("operator_uscc", ""))
    _check(uscc_problems(values["operator_uscc"], field="operator_uscc"))
    _check(rules.operating_problems(values.get("mode", ""), agreement=True))
    if values["term_end"] <= values["term_start"]:
        raise ProjectError(_("The term must end after it starts."), field="term_end")
    date_not_future(values["signed_on"], "signed_on")
    agreement = OperatingAgreement.objects.create(project=project, recorded_by=actor, **values)
    record(project, action="change", actor=actor, data={"operating_agreement": agreement.mode})
    return agreement


@transaction.atomic
def project_operate(*, project: Project, mode: str, expected_version: int, actor) -> Project:
    """Operation starts, in one of the plan's modes (PRJ-11); any mode but the village
    collective's own needs the signed agreement (PRJ-10)."""
    locked = lock_project(
        project,
        action="operate",
        actor=actor,
        expected_version=expected_version,
        states=[Status.HANDED_OVER],
    )
    agreement = OperatingAgreement.objects.filter(project=locked).first()
    _check(rules.operating_problems(mode, agreement))
    if agreement is not None and agreement.mode != mode:
        raise ProjectError(
            _("The signed agreement is for “%(mode)s”.") % {"mode": agreement.mode}, field="mode"
        )
    locked.operating_mode = mode
    return PROJECT_WORKFLOW.transition(
        locked,
        action="operate",
        actor=actor,
        to=Status.OPERATING,
        fields=["operating_mode"],
        data={"mode": mode},
    )
