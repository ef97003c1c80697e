from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("Employment")

    def ready(self) -> None:
        _register_inbox_sources()


def _register_inbox_sources() -> None:
    """What waits for whom in employment, for the 待办 inbox (kaiyuan.inbox)."""
    from employment.selectors import labour
    from kaiyuan.inbox.registry import register

    register(*labour.INBOX_SOURCES)
