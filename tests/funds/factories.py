"""Funded projects and their money for the funds tests, built fast.

``funded_project(village)`` is a project of the year's funded plan (built directly in the state
``planned``: the project library's own tests walk the workflow), with its linkage funds assigned
from allocations and arrived at the township. Progress reports and acceptances are the project
library's rows. Payments go through the services, since they are what these tests are about.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from funds.codes import FundLevel, PayeeKind, Tranche
from funds.models import FundType
from funds.services import allocations, payments
from funds.services.payments import Inspection, Payee
from kaiyuan.accounts.roles import Role
from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today
from projects.codes import AcceptanceResult, FinanceMode
from projects.models import Acceptance, ProgressReport, Project, ProjectVillage
from tests.factories import UserFactory
from tests.projects.factories import VALID_USCC, proposal

_codes = itertools.count(1)
_documents = itertools.count(1)
D = Decimal
PAYEE = Payee(
    name="开原市稻香农民专业合作社",
    account="6228480012345678",
    kind=PayeeKind.ENTITY,
    uscc=VALID_USCC,
)


def linkage() -> FundType:
    return FundType.objects.get(code="linkage")


def allocation(actor, *, level=FundLevel.CENTRAL, amount="5000000.00", year=None, **fields):
    day = fields.pop("issued_on", today() - datetime.timedelta(days=60))
    return allocations.allocation_create(
        document_number=fields.pop("document_number", f"辽财农〔2026〕{next(_documents)}号"),
        issued_on=day,
        level=level,
        fund_type=fields.pop("fund_type", None) or linkage(),
        year=year or day.year,
        amount=amount,
        for_industry=fields.pop("for_industry", False),
        actor=actor,
    )


def project(village, creator, *, total="1000000.00", mode=FinanceMode.SELF_BUILT, **fields):
    """A project in the funded plan whose linkage funds are all central (``total``)."""
    year = fields.pop("year", today().year)
    values = proposal([village], year=year, finance_mode=mode).fields
    values.update(
        total_investment=D(total),
        central_funds=D(total),
        provincial_funds=D("0"),
        city_funds=D("0"),
        county_funds=D("0"),
        other_funds=D("0"),
        self_raised=D("0"),
    )
    values.pop("four_haves", None)
    values.update(fields)
    created = Project.objects.create(
        code=f"KY{year}-F{next(_codes):04d}",
        area=village,
        proposer_level="village",
        status=Project.Status.PLANNED,
        plan_year=year,
        created_by=creator,
        **values,
    )
    ProjectVillage.objects.create(
        project=created, village=village, share_percent=100, asset_share_percent=100
    )
    return created


def bureau_user():
    from kaiyuan.accounts.models import User

    return User.objects.filter(username="f_bureau").first() or UserFactory(
        username="f_bureau", role=Role.BUREAU, area=Area.objects.get(level="county")
    )


def fund(project, clerk, *, amount=None, level=FundLevel.CENTRAL, arrived_on=None, source=None):
    """Assign ``amount`` (by default the project's funds of ``level``) and record its arrival."""
    bureau = bureau_user()
    amount = D(amount) if amount is not None else getattr(project, f"{level}_funds")
    source = source or allocation(bureau, level=level, amount=amount * 5)
    day = arrived_on or today() - datetime.timedelta(days=20)
    entry = allocations.assignment_add(
        allocation=source, project=project, amount=amount, assigned_on=day, actor=bureau
    )
    return allocations.arrival_record(
        entry=entry, arrived_on=day, township_account="中固镇财政所专户", actor=clerk
    )


def progress(project, reporter, percent, *, on=None):
    return ProgressReport.objects.create(
        project=project,
        reported_on=on or today(),
        percent=D(percent),
        text="按计划推进",
        reported_by=reporter,
    )


def accept(project, *, on=None):
    return Acceptance.objects.create(
        project=project,
        accepted_on=on or today(),
        result=AcceptanceResult.PASSED,
        findings="",
        inspectors="县乡村振兴局验收组",
        organised_by=bureau_user(),
    )


def pay(project, clerk, amount, *, tranche=Tranche.ADVANCE, paid_on=None, payee=PAYEE, **extra):
    return payments.payment_record(
        project=project,
        tranche=tranche,
        amount=amount,
        paid_on=paid_on or today(),
        payee=payee,
        basis=extra.pop("basis", "施工合同 KY-HT-001"),
        actor=clerk,
        **extra,
    )


__all__ = ["Inspection", "Payee"]
