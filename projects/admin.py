"""Administration of the project library: read-only views of the projects and of everything their
workflow writes, and the bureau's two lists, edited through their services.

A project changes only through ``projects.services``: the steps of ``PROJECT_WORKFLOW`` (each
checks its rules, the separation of duties, and leaves its step in the audit trail), the draft's
own update and the adjustment of an admitted project. An admin form would save any field, the
state and the version included, past all of them, so the projects and their records are
read-only here, as monitoring's workflow models are. The 四有 checklist and the rural-construction
lists are edited here through ``four_haves_item_save`` and ``construction_item_save`` (the
capability ``projects.lists_edit``, their rules and their audit events); Django's admin log is
mirrored into the audit trail as well (``kaiyuan.audit.signals``). Items are retired ("in use"
off), never deleted: projects keep pointing at them."""

from __future__ import annotations

from django.contrib import admin

from projects.models import (
    Acceptance,
    Announcement,
    ConstructionListItem,
    FourHavesItem,
    Handover,
    MaintenanceArrangement,
    OperatingAgreement,
    PerformanceIndicator,
    ProgressReport,
    Project,
    ProjectAdjustment,
    ProjectAttachment,
    ProjectBeneficiary,
    ProjectVillage,
    PublicityObjection,
    PublicityRecord,
)
from projects.services.checklists import construction_item_save, four_haves_item_save


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VillageInline(ReadOnlyInline):
    model = ProjectVillage
    fields = ["village", "share_percent", "asset_share_percent", "duties"]


class IndicatorInline(ReadOnlyInline):
    model = PerformanceIndicator
    fields = ["group", "kind", "name", "direction", "target", "unit", "actual"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "name",
        "year",
        "status",
        "category",
        "finance_mode",
        "area",
        "total_investment",
    ]
    list_filter = ["year", "status", "category", "finance_mode"]
    search_fields = ["code", "name"]
    # The change list is the baseline of the library list's benchmark: one query for its rows.
    list_select_related = ["area"]
    list_per_page = 50  # a page of the library list
    show_full_result_count = False  # a COUNT of the whole table on every page otherwise
    inlines = [VillageInline, IndicatorInline]


@admin.register(ProjectBeneficiary)
class ProjectBeneficiaryAdmin(ReadOnlyAdmin):
    list_display = ["project", "household", "role", "amount"]
    list_filter = ["role"]
    search_fields = ["project__code", "household__household_number"]
    list_select_related = ["project", "household"]
    raw_id_fields = ["project", "household"]


@admin.register(PublicityRecord)
class PublicityRecordAdmin(ReadOnlyAdmin):
    list_display = ["project", "level", "medium", "start_date", "end_date", "closed_on"]
    list_filter = ["level", "medium"]
    search_fields = ["project__code", "project__name"]
    date_hierarchy = "start_date"
    list_select_related = ["project"]


@admin.register(PublicityObjection)
class PublicityObjectionAdmin(ReadOnlyAdmin):
    list_display = ["record", "received_on", "text", "upheld"]
    list_filter = ["upheld"]
    list_select_related = ["record__project"]


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "number", "medium", "start_date", "end_date"]
    list_filter = ["year"]


@admin.register(ProjectAdjustment)
class ProjectAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["project", "from_state", "at", "actor"]
    list_select_related = ["project", "actor"]


@admin.register(ProjectAttachment)
class ProjectAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "project", "kind", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["project", "uploaded_by"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["project", "reported_on", "percent", "reported_by"]
    list_select_related = ["project", "reported_by"]


@admin.register(Acceptance)
class AcceptanceAdmin(ReadOnlyAdmin):
    list_display = ["project", "accepted_on", "result", "organised_by"]
    list_filter = ["result"]
    list_select_related = ["project", "organised_by"]


@admin.register(MaintenanceArrangement)
class MaintenanceArrangementAdmin(ReadOnlyAdmin):
    list_display = ["project", "maintainer", "funding_source"]
    list_select_related = ["project"]


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["project", "handed_over_on", "asset_formed", "value", "recipient"]
    list_filter = ["asset_formed"]
    list_select_related = ["project"]


@admin.register(OperatingAgreement)
class OperatingAgreementAdmin(ReadOnlyAdmin):
    list_display = ["project", "mode", "operator", "signed_on", "guaranteed_return_percent"]
    list_filter = ["mode"]
    list_select_related = ["project"]


# ---- the bureau's lists, edited through their services ------------------------------------


@admin.register(FourHavesItem)
class FourHavesItemAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "order", "active", "to_confirm"]
    fields = ["code", "label", "order", "active", "to_confirm"]
    readonly_fields = ["code", "to_confirm"]

    def has_add_permission(self, request):
        # Industry projects are checked against every item in use (PRJ-9); the items are those
        # of the migration, changed and retired here.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        stored = FourHavesItem.objects.get(pk=obj.pk)
        saved = four_haves_item_save(
            item=stored, label=obj.label, active=obj.active, order=obj.order, actor=request.user
        )
        obj.to_confirm = saved.to_confirm


@admin.register(ConstructionListItem)
class ConstructionListItemAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "order", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["text"]
    fields = ["kind", "text", "order", "active"]

    def get_readonly_fields(self, request, obj=None):
        # An item's list is what model-village projects were checked against: a positive item
        # never becomes a negative one (retire it and add the other).
        return ["kind"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        stored = ConstructionListItem.objects.get(pk=obj.pk) if change else None
        saved = construction_item_save(
            item=stored,
            kind=obj.kind,
            text=obj.text,
            active=obj.active,
            order=obj.order,
            actor=request.user,
        )
        obj.pk = saved.pk
