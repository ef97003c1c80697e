from monitoring.models.codes import CodeItem
from monitoring.models.household import Household, HouseholdChange, LivingCondition
from monitoring.models.income import IncomeRecord
from monitoring.models.member import Member
from monitoring.models.visit import GuaranteeCheck, RiskLead, Visit

__all__ = [
    "CodeItem",
    "GuaranteeCheck",
    "Household",
    "HouseholdChange",
    "IncomeRecord",
    "LivingCondition",
    "Member",
    "RiskLead",
    "Visit",
]
