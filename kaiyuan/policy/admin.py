from django.contrib import admin
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from kaiyuan.policy.models import CalendarDay, PolicySettings, line_label


@admin.register(PolicySettings)
class PolicySettingsAdmin(admin.ModelAdmin):
    """The administrator edits each year's numbers here; every change is audited through the
    admin log mirror (kaiyuan.audit.signals)."""

    list_display = [
        "year",
        "line",
        "stacked_income_threshold",
        "low_income_focus_threshold",
    ]
    list_filter = ["demo_values"]
    readonly_fields = ["updated_at", "updated_by"]

    @admin.display(description=_("monitoring line (yuan per person per year)"))
    def line(self, obj: PolicySettings) -> str:
        return line_label(obj.monitoring_line, demo=obj.demo_values)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        # Entering the line replaces the demo's figure unless the flag is set in the same save.
        if "monitoring_line" in form.changed_data and "demo_values" not in form.changed_data:
            obj.demo_values = False
        super().save_model(request, obj, form, change)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Each year's holiday notice, entered when the State Council publishes it; the working-day
    deadlines (MON-ID-4 and the acceptance of applications) count from this table."""

    list_display = ["day", "weekday", "kind", "name"]
    list_filter = ["kind", "name"]
    date_hierarchy = "day"
    search_fields = ["name"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return formats.date_format(obj.day, "l")
