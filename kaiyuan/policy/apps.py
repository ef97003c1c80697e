from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "kaiyuan.policy"
    label = "policy"
    verbose_name = _("Policy settings")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from kaiyuan.common.dates import forget_calendar

        post_migrate.connect(ensure_plan_year, sender=self)
        post_migrate.connect(ensure_calendar, sender=self)
        # A deadline counted after an edit of the calendar uses the edited calendar.
        calendar_day = self.get_model("CalendarDay")
        post_save.connect(forget_calendar, sender=calendar_day)
        post_delete.connect(forget_calendar, sender=calendar_day)


def ensure_plan_year(sender, using="default", **kwargs) -> None:
    """The 2024 plan's settings exist after every migrate and flush (see kaiyuan.areas.apps)."""
    from kaiyuan.policy.models import PolicySettings

    if not PolicySettings.objects.using(using).filter(year=2024).exists():
        PolicySettings.defaults_for(2024).save(using=using)


def ensure_calendar(sender, using="default", **kwargs) -> None:
    """The shipped holiday notices exist after every migrate and flush, unless the administrator
    has entered days of their own."""
    from kaiyuan.policy.holidays import load_calendar
    from kaiyuan.policy.models import CalendarDay

    if not CalendarDay.objects.using(using).exists():
        load_calendar(CalendarDay, using)
