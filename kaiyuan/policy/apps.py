from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "kaiyuan.policy"
    label = "policy"
    verbose_name = _("Policy settings")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_plan_year, sender=self)


def ensure_plan_year(sender, using="default", **kwargs) -> None:
    """The 2024 plan's settings exist after every migrate and flush (see kaiyuan.areas.apps)."""
    from kaiyuan.policy.models import PolicySettings

    if not PolicySettings.objects.using(using).filter(year=2024).exists():
        PolicySettings.defaults_for(2024).save(using=using)
