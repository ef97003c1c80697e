from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Relapse monitoring")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_code_tables, sender=self)
        # The background jobs (kaiyuan.jobs) register their handlers when these load.
        from monitoring.exports import cards, households, lists  # noqa: F401
        from monitoring.imports import warnings  # noqa: F401
        from monitoring.imports.households import jobs  # noqa: F401

        _register_inbox_sources()


def _register_inbox_sources() -> None:
    """What waits for whom, for the 待办 inbox (kaiyuan.inbox)."""
    from kaiyuan.inbox.registry import register
    from monitoring.selectors import cases as case_reads
    from monitoring.selectors import visits as visit_reads
    from monitoring.selectors import warnings as warning_reads

    register(*case_reads.INBOX_SOURCES, *warning_reads.INBOX_SOURCES, *visit_reads.INBOX_SOURCES)


def ensure_code_tables(sender, using="default", **kwargs) -> None:
    """The initial code tables exist after every migrate and flush (see kaiyuan.areas.apps)."""
    from monitoring.models import CodeItem
    from monitoring.models.codes import load_code_tables

    if not CodeItem.objects.using(using).exists():
        load_code_tables(CodeItem)
