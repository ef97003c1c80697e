from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Relapse monitoring")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_code_tables, sender=self)
        from monitoring.cards import jobs as card_jobs  # noqa: F401  (village card batch job)
        from monitoring.lists import jobs as list_jobs  # noqa: F401  (bureau list exports)
        from monitoring.transfer import jobs  # noqa: F401  (registers the import/export jobs)
        from monitoring.warnings import jobs as warning_jobs  # noqa: F401  (list matching job)


def ensure_code_tables(sender, using="default", **kwargs) -> None:
    """The initial code tables exist after every migrate and flush (see kaiyuan.areas.apps)."""
    from monitoring.models import CodeItem
    from monitoring.models.codes import load_code_tables

    if not CodeItem.objects.using(using).exists():
        load_code_tables(CodeItem)
