from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("Employment")

    def ready(self) -> None:
        # The background jobs (kaiyuan.jobs) register their handlers when these load.
        from employment.exports import rosters  # noqa: F401
        from employment.imports.rosters import jobs  # noqa: F401
