from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts import services
from kaiyuan.accounts.models import User


def _locked_somewhere():
    """True when the user name is paused at one address at least (axes counts per name and
    address; failures older than the lock-out period no longer count)."""
    recent = AccessAttempt.objects.filter(
        username=OuterRef("username"),
        attempt_time__gte=timezone.now() - settings.LOGIN_LOCKOUT,
    )
    locked = (
        recent.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.LOGIN_MAX_FAILURES)
    )
    return Exists(locked)


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
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = ["unlock"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(locked=_locked_somewhere())

    @admin.display(boolean=True, description=_("paused after failed logins"))
    def is_locked(self, obj: User) -> bool:
        return obj.locked

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request, queryset):
        for user in queryset:
            services.user_unlock(user=user, actor=request.user)
        messages.success(request, _("The selected accounts were unlocked."))
