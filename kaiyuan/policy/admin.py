from django.contrib import admin

from kaiyuan.policy.models import PolicySettings


@admin.register(PolicySettings)
class PolicySettingsAdmin(admin.ModelAdmin):
    """The administrator edits each year's numbers here; every change is audited through the
    admin log mirror (kaiyuan.audit.signals)."""

    list_display = [
        "year",
        "monitoring_line",
        "stacked_income_threshold",
        "low_income_focus_threshold",
    ]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
