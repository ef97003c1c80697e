from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "kaiyuan.areas"
    label = "areas"
    verbose_name = _("Administrative divisions")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_divisions, sender=self)


def ensure_divisions(sender, using="default", **kwargs) -> None:
    """The county and its townships exist after every migrate and every flush (tests flush the
    database after transactional tests, which removes what the data migration loaded)."""
    from kaiyuan.areas.divisions import load_divisions
    from kaiyuan.areas.models import Area

    if not Area.objects.using(using).filter(code="211282").exists():
        load_divisions(Area)
