"""Administration of the linkage funds: the money is read-only here (it changes only through
``funds.services``, whose rules, locks and audit events an admin form would pass by, and the
database refuses an edit of a money row anyway); the two code tables an administrator keeps, the
fund types (with the idle-rule flag of Q-14) and the uses (with the prohibited ones of Q-8), are
edited here, Django's admin log being mirrored into the audit trail (``kaiyuan.audit.signals``)."""

from __future__ import annotations

from django.contrib import admin

from funds.models import (
    DebtPlacement,
    FundAllocation,
    FundType,
    FundUse,
    MicrocreditLoan,
    Payment,
    ProjectFund,
    Reallocation,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundType)
class FundTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_linkage", "idle_rule", "order")
    list_editable = ("idle_rule", "order")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundUse)
class FundUseAdmin(admin.ModelAdmin):
    list_display = ("name", "prohibited", "note")
    list_editable = ("prohibited",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundAllocation)
class FundAllocationAdmin(ReadOnlyAdmin):
    list_display = ("document_number", "level", "fund_type", "year", "amount", "issued_on")
    list_filter = ("year", "level")
    search_fields = ("document_number",)


@admin.register(ProjectFund)
class ProjectFundAdmin(ReadOnlyAdmin):
    list_display = ("project", "allocation", "kind", "amount", "assigned_on", "arrived_on")
    list_select_related = ("project", "allocation")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("project", "tranche", "amount", "paid_on", "payee_name")
    list_select_related = ("project",)
    exclude = ("payee_id_cipher", "payee_id_index")


admin.site.register(Reallocation, ReadOnlyAdmin)
admin.site.register(DebtPlacement, ReadOnlyAdmin)
admin.site.register(MicrocreditLoan, ReadOnlyAdmin)
