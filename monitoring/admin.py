"""Administration of the monitoring grid: the editable code tables, and read-only views of the
registry (households and members change only through the pages and services, which check the
rules and write the audit trail)."""

from django.contrib import admin

from monitoring.models import CodeItem, Household, Member, MonitoringCase, Visit


@admin.register(CodeItem)
class CodeItemAdmin(admin.ModelAdmin):
    list_display = ["table", "value", "sort_order", "active"]
    list_filter = ["table", "active"]
    list_editable = ["sort_order", "active"]
    search_fields = ["value"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = [
        "household_number",
        "head_name",
        "area",
        "household_type",
        "monitoring_category",
    ]
    list_filter = ["household_type", "monitoring_category", "monitoring_status"]
    search_fields = ["household_number", "head_name"]
    list_select_related = ["area"]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "relation", "id_masked", "household", "status"]
    list_filter = ["status", "relation"]
    search_fields = ["name"]
    list_select_related = ["household"]
    exclude = ["id_cipher", "id_index"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["household", "visited_on", "level", "method", "visitor", "area"]
    list_filter = ["level", "method"]
    date_hierarchy = "visited_on"
    list_select_related = ["household", "visitor", "area"]


@admin.register(MonitoringCase)
class MonitoringCaseAdmin(ReadOnlyAdmin):
    list_display = ["household", "kind", "status", "area", "application_date", "deadline"]
    list_filter = ["kind", "status"]
    list_select_related = ["household", "area"]
    list_per_page = 50  # the size of a page of the bureau's case list
