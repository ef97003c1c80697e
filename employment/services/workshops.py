"""Recording employment-assistance workshops; their workers are the employment records that
name them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields, replace

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from employment.codes import WorkshopType
from employment.exceptions import EmploymentError
from employment.models import Workshop
from employment.rules import workshops as rules
from kaiyuan import audit
from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import changes, snapshot
from kaiyuan.common import uscc
from kaiyuan.common.errors import ConcurrentUpdate
from kaiyuan.common.rules import refuse_errors
from kaiyuan.common.scoping import ensure_may_change


@dataclass(frozen=True)
class WorkshopDetails:
    name: str
    workshop_type: str
    operator: str
    operator_uscc: str
    opened_on: datetime.date
    closed_on: datetime.date | None = None
    products: str = ""
    total_workers: int = 0
    contact: str = ""
    phone: str = ""

    def cleaned(self) -> WorkshopDetails:
        text = {
            name: (getattr(self, name) or "").strip()
            for name in ("name", "operator", "products", "contact", "phone")
        }
        if not text["name"]:
            raise EmploymentError(_("Enter the workshop's name."), field="name")
        if not text["operator"]:
            raise EmploymentError(_("Enter the operating entity."), field="operator")
        if self.workshop_type not in WorkshopType.values:
            raise EmploymentError(_("Choose the workshop type."), field="workshop_type")
        if self.closed_on is not None and self.closed_on < self.opened_on:
            raise EmploymentError(_("A workshop closes after it opens."), field="closed_on")
        code = uscc.normalise(self.operator_uscc)
        if not code:
            raise EmploymentError(
                _("Enter the operating entity's unified social credit code."),
                field="operator_uscc",
            )
        return replace(self, **text, operator_uscc=code, total_workers=int(self.total_workers or 0))


FIELDS = [f.name for f in fields(WorkshopDetails)]


def _save(workshop: Workshop) -> None:
    try:
        with transaction.atomic():
            workshop.save()
    except IntegrityError:
        raise EmploymentError(
            _("The village already has a workshop of that name."), field="name"
        ) from None


@transaction.atomic
def workshop_create(*, village, details: WorkshopDetails, actor) -> Workshop:
    require(actor, "employment.workshops")
    ensure_may_change(actor, village)
    details = details.cleaned()
    refuse_errors(rules.operator_problems(operator_uscc=details.operator_uscc))
    workshop = Workshop(area=village, created_by=actor, **{n: getattr(details, n) for n in FIELDS})
    _save(workshop)
    audit.record(workshop, action="create", actor=actor, data={"name": workshop.name})
    return workshop


@transaction.atomic
def workshop_change(*, workshop, details: WorkshopDetails, expected_version, actor) -> Workshop:
    require(actor, "employment.workshops")
    ensure_may_change(actor, workshop)
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if locked.version != int(expected_version):
        raise ConcurrentUpdate(
            _("Someone else changed this workshop since you opened it. Reload the page.")
        )
    details = details.cleaned()
    refuse_errors(rules.operator_problems(operator_uscc=details.operator_uscc))
    before = snapshot(locked, FIELDS)
    for name in FIELDS:
        setattr(locked, name, getattr(details, name))
    locked.version += 1
    _save(locked)
    audit.record(locked, action="change", actor=actor, data={"changes": changes(before, locked)})
    return locked
