from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Linkage funds")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_default_codes, sender=self)
        # The background jobs (kaiyuan.jobs) register their handlers when these load.
        from funds.exports import allocations, payments, placements, progress  # noqa: F401

        _register_inbox_sources()


def _register_inbox_sources() -> None:
    """What waits for whom in the linkage funds, for the 待办 inbox (kaiyuan.inbox)."""
    from funds.selectors import payments, placements
    from kaiyuan.inbox.registry import register

    register(*payments.INBOX_SOURCES, *placements.INBOX_SOURCES)


def ensure_default_codes(sender, using="default", **kwargs) -> None:
    """The fund types and the list of prohibited uses exist after every migrate and flush."""
    from funds.models import FundType, FundUse
    from funds.models.allocations import DEFAULT_FUND_TYPES, DEFAULT_PROHIBITED_USES

    if not FundType.objects.using(using).exists():
        FundType.objects.using(using).bulk_create(
            FundType(code=code, name=name, is_linkage=linkage, idle_rule=idle, order=order)
            for order, (code, name, linkage, idle) in enumerate(DEFAULT_FUND_TYPES)
        )
    if not FundUse.objects.using(using).exists():
        FundUse.objects.using(using).bulk_create(
            FundUse(name=name, prohibited=True) for name in DEFAULT_PROHIBITED_USES
        )
