from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("Employment")

    def ready(self) -> None:
        # The background jobs (kaiyuan.jobs) register their handlers when these load.
        from employment.exports import rosters  # noqa: F401
        from employment.imports.rosters import jobs  # noqa: F401

        _register_inbox_sources()


def _register_inbox_sources() -> None:
    """What waits for whom in employment, for the 待办 inbox (kaiyuan.inbox)."""
    from employment.selectors import labour
    from kaiyuan.inbox.registry import register

    register(*labour.INBOX_SOURCES)
