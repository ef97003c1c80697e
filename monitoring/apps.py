from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Relapse monitoring")

    def ready(self) -> None:
        from monitoring.cards import jobs as card_jobs  # noqa: F401  (village card batch job)
        from monitoring.lists import jobs as list_jobs  # noqa: F401  (bureau list exports)
        from monitoring.transfer import jobs  # noqa: F401  (registers the import/export jobs)
        from monitoring.warnings import jobs as warning_jobs  # noqa: F401  (list matching job)
