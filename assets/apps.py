from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Project assets")

    def ready(self) -> None:
        # The background jobs (kaiyuan.jobs) register their handlers when these load.
        from assets.exports import chains, distributions, ledgers  # noqa: F401

        _register_inbox_sources()


def _register_inbox_sources() -> None:
    """What waits for whom in the asset ledger, for the 待办 inbox (kaiyuan.inbox)."""
    from assets.selectors import assets, disposals, distributions
    from kaiyuan.inbox.registry import register

    register(*assets.INBOX_SOURCES, *distributions.INBOX_SOURCES, *disposals.INBOX_SOURCES)
