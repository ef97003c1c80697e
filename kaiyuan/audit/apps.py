from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kaiyuan.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from kaiyuan.audit import jobs, signals  # noqa: F401  (export job, admin changes)
