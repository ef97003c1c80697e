from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Project library")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_default_lists, sender=self)
        # The background jobs (kaiyuan.jobs) register their handlers when these load.
        from projects.exports.library import year  # noqa: F401
        from projects.imports.library import jobs  # noqa: F401

        _register_inbox_sources()


def _register_inbox_sources() -> None:
    """What waits for whom in the project library, for the 待办 inbox (kaiyuan.inbox)."""
    from kaiyuan.inbox.registry import register
    from projects.selectors import implementation, publicity, reviews

    register(*reviews.INBOX_SOURCES, *publicity.INBOX_SOURCES, *implementation.INBOX_SOURCES)


def ensure_default_lists(sender, using="default", **kwargs) -> None:
    """The 四有 checklist and the construction lists exist after every migrate and flush."""
    from projects.models import ConstructionListItem, FourHavesItem
    from projects.models.checklists import load_default_lists

    if not FourHavesItem.objects.using(using).exists():
        load_default_lists(FourHavesItem, ConstructionListItem)
