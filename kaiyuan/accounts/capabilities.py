"""What each role may do: the one capability matrix of the platform (DESIGN.md §5, DOMAIN.md §7).

Services, views, templates (``{% if user|can:"cases.county_decide" %}``) and the API all ask
``user_can(user, capability)``; no module keeps its own set of roles. A capability is named
``<area>.<action>``. The matrix says *which roles* may do a thing; *where* they may do it is the
area scoping (``visible_to``, ``ensure_may_change``), and *whether this object allows it now* is the
workflow and the rules. Django's superuser flag opens the Django admin and gives nothing here: an
administrator acts with the administrator's capabilities like anyone else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.roles import Role

G, C, B, F, D, L, A, M = (
    Role.GRID_WORKER,
    Role.TOWNSHIP_CLERK,
    Role.BUREAU,
    Role.FINANCE,
    Role.DEPARTMENT,
    Role.LEADER,
    Role.AUDITOR,
    Role.ADMIN,
)


@dataclass(frozen=True)
class Capability:
    name: str
    roles: frozenset[str]
    description: Promise


def _cap(name: str, roles: Iterable[str], description: Promise) -> Capability:
    return Capability(name, frozenset(roles), description)


# The rows are grouped by app; the README shows this table (tests keep it in step).
CAPABILITIES: tuple[Capability, ...] = (
    # ---- every app -----------------------------------------------------------------------------
    _cap("records.change", [G, C, B, F, D, M], _("Change records (leaders, auditors read)")),
    _cap("monitoring.use", [G, C, B, D, L, A, M], _("Open the monitoring grid")),
    _cap("projects.use", [G, C, B, F, D, L, A, M], _("Open the project library")),
    _cap("funds.use", [C, B, F, L, A, M], _("Open the linkage funds")),
    _cap("assets.use", [C, B, F, L, A, M], _("Open the asset ledger")),
    _cap("employment.use", [G, C, B, D, L, A, M], _("Open employment")),
    _cap("reports.use", [G, C, B, F, D, L, A, M], _("Open reports")),
    _cap("audit.read_log", [B, A, M], _("Read and export the audit log")),
    _cap("rules.see_ids", [B, M], _("See the rule id beside each refusal and flag")),
    # ---- monitoring: registry --------------------------------------------------------------------
    _cap("households.browse", [G, C, B, L, A, M], _("Browse the household list of the area")),
    _cap("households.edit", [C, B, M], _("Register and edit households, members and incomes")),
    _cap("households.import", [C, B, M], _("Import the national system's household Excel")),
    _cap("households.export", [C, B, L, A, M], _("Export the national lists")),
    _cap("members.reveal_id", [C, B, A, M], _("See full ID numbers (each reveal audited)")),
    _cap("quality.view", [C, B, L, A, M], _("See the data-quality rules broken in the area")),
    # ---- monitoring: visits ----------------------------------------------------------------------
    _cap("visits.view", [G, C, B, L, A, M], _("See households' visits")),
    _cap("visits.record_village", [G], _("Record village-level (monthly) visits")),
    _cap("visits.record_township", [C], _("Record township-level (quarterly) visits")),
    _cap("visits.coverage", [C, B, L, A, M], _("See visit coverage by village and grid")),
    # ---- monitoring: leads and cases -------------------------------------------------------------
    _cap("cases.view", [G, C, B, L, A, M], _("See risk leads and cases")),
    _cap("cases.village_step", [G, C], _("Record leads and the village's steps of a case")),
    _cap("cases.township_review", [C], _("Take the township review of a case")),
    _cap("cases.crosscheck", [B], _("Record the county's data cross-check")),
    _cap("cases.county_decide", [B], _("Take the county decision on a case")),
    # ---- monitoring: measures, warnings, cards, lists --------------------------------------------
    _cap("measures.view", [G, C, B, D, L, A, M], _("See assistance measures")),
    _cap("measures.edit", [G, C, B, M], _("Record assistance measures and their status")),
    _cap("warnings.upload", [D], _("Upload a department's screening list")),
    _cap("warnings.verify", [G, C], _("Verify department warnings")),
    _cap("warnings.follow", [B, L, A, M], _("Follow the handling of warnings across townships")),
    _cap("cards.print", [G, C, B, L, A, M], _("Print 明白卡 and 明白纸")),
    _cap("cards.record_delivery", [G, C], _("Record the delivery of 明白卡")),
    _cap("lists.view", [C, B, L, A, M], _("See and export the bureau's lists")),
    # ---- project library -------------------------------------------------------------------------
    _cap("projects.propose", [G, C, D], _("Propose projects and record the proposer's publicity")),
    _cap("projects.publicity", [G, C, D, B], _("Record objections to a project's publicity")),
    _cap("projects.township_review", [C], _("Take the township review of a project")),
    _cap("projects.department_review", [D], _("Review the projects of the department's sector")),
    _cap("projects.county_review", [B], _("Review, decide, announce and admit projects")),
    _cap("projects.implement", [G, C, B], _("Report progress, completion, handover and operation")),
    _cap("projects.accept", [B], _("Organise the acceptance of completed projects")),
    _cap("projects.lists_edit", [B, M], _("Edit the 四有 checklist and the construction lists")),
    _cap("projects.export", [C, B, F, L, A, M], _("Export the library and its beneficiaries")),
    _cap("projects.import", [C, B], _("Import a township's proposals from Excel")),
    # ---- linkage funds ---------------------------------------------------------------------------
    _cap(
        "funds.county_view", [B, F, L, A, M], _("See allocations, spending progress and idle funds")
    ),
    _cap("funds.allocate", [B, F], _("Record allocations and assign them to projects")),
    _cap("funds.arrival", [C], _("Record the arrival of funds at the township")),
    _cap("funds.pay", [C], _("Record payments, their reversals and their 报账")),
    _cap("funds.reimbursement_accept", [F], _("Accept or return a payment's 报账")),
    _cap("funds.retention", [B], _("Deduct defects from a project's quality retention")),
    _cap("funds.reallocate", [B], _("Reallocate idle funds (调剂)")),
    _cap("funds.placements", [C], _("Record debt placements, returns, recoveries and 六清楚")),
    _cap("funds.consent_redeployment", [B], _("Consent to redeploying recovered principal")),
    _cap("funds.microcredit", [C, B], _("Record micro-credit loans, repayments and 贴息")),
    _cap("funds.reveal_payee", [C, B, F, A, M], _("See payees' full ID numbers (audited)")),
    _cap("funds.export", [C, B, F, L, A, M], _("Export the fund ledgers")),
    # ---- assets --------------------------------------------------------------------------------
    _cap(
        "assets.record",
        [C, B],
        _("Record assets and their handover, 确权, 三资 entry, status and 四个一批 review"),
    ),
    _cap("assets.settle", [C, B], _("Settle an asset's yearly income (清算)")),
    _cap("assets.distribute", [C, B], _("Draw up and publicise income distributions")),
    _cap("assets.pay", [C], _("Record an income distribution as paid")),
    _cap("assets.dispose", [C], _("Propose a disposal, record the owner's decision and proceeds")),
    _cap("assets.approve_disposal", [B], _("Approve or refuse the disposal of an asset")),
    _cap("assets.export", [C, B, F, L, A, M], _("Export the asset ledgers")),
    # ---- employment ------------------------------------------------------------------------------
    _cap("employment.record", [G, C, B, M], _("Record people's jobs and confirm them at visits")),
    _cap("employment.review", [C, B], _("Review jobs of people registered without labour")),
    _cap("employment.posts", [C, B], _("Create public-welfare posts and record their pay")),
    _cap("employment.workshops", [C, B], _("Record employment-assistance workshops")),
    _cap("employment.training", [C, B], _("Record skills courses and their trainees")),
    _cap("employment.import", [C, B], _("Upload the monthly employment file")),
    _cap("employment.export", [C, B, L, A, M], _("Export the employment rosters and reports")),
)
MATRIX: dict[str, Capability] = {capability.name: capability for capability in CAPABILITIES}
if len(MATRIX) != len(CAPABILITIES):
    raise ImproperlyConfigured("a capability is listed twice")


def _capability(name: str) -> Capability:
    try:
        return MATRIX[name]
    except KeyError:
        # A typo must fail loudly, not quietly deny (or allow) something.
        raise ImproperlyConfigured(f"unknown capability {name!r}") from None


def user_can(user: Any, capability: str) -> bool:
    """True when ``user``'s role holds ``capability``."""
    cap = _capability(capability)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in cap.roles


def require(user: Any, capability: str) -> None:
    """403 for a view or API call the user's role may not make."""
    if not user_can(user, capability):
        raise PermissionDenied


def roles_with(capability: str) -> frozenset[str]:
    return _capability(capability).roles


def matrix_table() -> str:
    """The matrix as a Markdown table: a row per capability, a column per role."""
    roles = list(Role)
    head = "| capability | " + " | ".join(str(role.label) for role in roles) + " |"
    rule = "|---|" + "---|" * len(roles)
    rows = [
        f"| `{cap.name}` {cap.description} | "
        + " | ".join("✓" if role in cap.roles else "" for role in roles)
        + " |"
        for cap in CAPABILITIES
    ]
    return "\n".join([head, rule, *rows])
