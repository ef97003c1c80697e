from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "kaiyuan.inbox"
    label = "inbox"
    verbose_name = _("To-do inbox")

    def ready(self) -> None:
        from kaiyuan.inbox.registry import register
        from kaiyuan.inbox.selectors import NOTICE_SOURCE

        register(NOTICE_SOURCE)
