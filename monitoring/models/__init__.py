from monitoring.models.cards import CardDelivery
from monitoring.models.cases import CaseAttachment, CaseStep, MonitoringCase, RiskLead
from monitoring.models.codes import CodeItem
from monitoring.models.households import (
    GuaranteeAnswers,
    GuaranteeCheck,
    Household,
    HouseholdChange,
    LivingCondition,
)
from monitoring.models.incomes import IncomeRecord
from monitoring.models.measures import AssistanceMeasure
from monitoring.models.members import Member
from monitoring.models.visits import Visit
from monitoring.models.warnings import DeptWarning, WarningUpload

__all__ = [
    "AssistanceMeasure",
    "CardDelivery",
    "CaseAttachment",
    "CaseStep",
    "CodeItem",
    "DeptWarning",
    "GuaranteeAnswers",
    "GuaranteeCheck",
    "Household",
    "HouseholdChange",
    "IncomeRecord",
    "LivingCondition",
    "Member",
    "MonitoringCase",
    "RiskLead",
    "Visit",
    "WarningUpload",
]
