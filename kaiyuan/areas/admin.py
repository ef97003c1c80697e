from django.contrib import admin

from kaiyuan.areas.models import Area, Grid


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "worker"]
    search_fields = ["name", "area__name"]
    list_select_related = ["area", "worker"]
    autocomplete_fields = ["area", "worker"]
