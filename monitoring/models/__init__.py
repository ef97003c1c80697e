from monitoring.models.cases import AssistanceMeasure, CaseAttachment, CaseStep, MonitoringCase
from monitoring.models.codes import CodeItem
from monitoring.models.household import Household, HouseholdChange, LivingCondition
from monitoring.models.income import IncomeRecord
from monitoring.models.member import Member
from monitoring.models.visit import GuaranteeCheck, RiskLead, Visit
from monitoring.models.warnings import CardDelivery, DeptWarning, WarningUpload

__all__ = [
    "AssistanceMeasure",
    "CardDelivery",
    "CaseAttachment",
    "CaseStep",
    "CodeItem",
    "DeptWarning",
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
