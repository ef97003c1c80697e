"""The households a project benefits, picked from the registry (联农带农)."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kaiyuan.audit import record
from kaiyuan.common.scoping import ensure_may_change
from projects.codes import BeneficiaryRole
from projects.exceptions import ProjectError
from projects.models import Project, ProjectBeneficiary

# Beneficiaries are named while the project is proposed and reviewed, and kept up to date while
# it is built and runs; a closed project's list stays as it was.
CLOSED_STATES = (Project.Status.REJECTED, Project.Status.WITHDRAWN, Project.Status.ROLLED_OVER)


def _ensure_open(project: Project) -> None:
    if project.status in CLOSED_STATES:
        raise ProjectError(_("This project is closed; its beneficiaries are kept as they were."))


@transaction.atomic
def beneficiary_add(
    *, project: Project, household, role: str, amount: Decimal | None = None, note: str = "", actor
) -> ProjectBeneficiary:
    ensure_may_change(actor, project)
    _ensure_open(project)
    if role not in BeneficiaryRole.values:
        raise ProjectError(_("Choose the household's role."), field="role")
    if amount is not None and amount < 0:
        raise ProjectError(_("Amounts cannot be negative."), field="amount")
    if household.merged_into_id is not None:
        raise ProjectError(_("This household has been merged into another."), field="household")
    try:
        with transaction.atomic():
            row = ProjectBeneficiary.objects.create(
                project=project, household=household, role=role, amount=amount, note=note
            )
    except IntegrityError:
        raise ProjectError(
            _("%(household)s is already a beneficiary of this project as “%(role)s”.")
            % {"household": household, "role": role},
            field="household",
        ) from None
    record(
        project,
        action="change",
        actor=actor,
        data={"beneficiary_added": household.household_number, "role": role},
    )
    return row


@transaction.atomic
def beneficiary_remove(*, beneficiary: ProjectBeneficiary, actor) -> None:
    project = beneficiary.project
    ensure_may_change(actor, project)
    _ensure_open(project)
    number = beneficiary.household.household_number
    beneficiary.delete()
    record(
        project,
        action="change",
        actor=actor,
        data={"beneficiary_removed": number, "role": beneficiary.role},
    )
