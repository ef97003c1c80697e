from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts import services
from kaiyuan.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "get_full_name",
        "role",
        "area",
        "department",
        "is_active",
        "is_locked",
    ]
    list_filter = ["role", "department", "is_active"]
    list_select_related = ["area"]
    search_fields = ["username", "first_name", "last_name", "phone"]
    autocomplete_fields = ["area"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role and area"), {"fields": ("role", "area", "department", "phone")}),
        (_("Lock-out"), {"fields": ("failed_login_count", "locked_until")}),
    )
    readonly_fields = ["failed_login_count", "locked_until", "last_login", "date_joined"]
    actions = ["unlock"]

    @admin.display(boolean=True, description=_("locked"))
    def is_locked(self, obj: User) -> bool:
        return obj.is_locked

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request, queryset):
        for user in queryset:
            services.user_unlock(user=user, actor=request.user)
        messages.success(request, _("The selected accounts were unlocked."))
