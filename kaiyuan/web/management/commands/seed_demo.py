import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kaiyuan.areas.models import Area
from kaiyuan.demo import DemoContext, run


class Command(BaseCommand):
    help = "Fill an empty database with a deterministic demo county and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) when the database already has villages.",
        )
        parser.add_argument(
            "--i-know-this-is-production",
            action="store_true",
            dest="i_know_this_is_production",
            help="Seed even under KAIYUAN_ENV=production (the demo logins share one known "
            "password, admin included).",
        )

    def handle(
        self,
        *args,
        households: int,
        seed: int,
        if_empty: bool,
        i_know_this_is_production: bool = False,
        **options,
    ):
        if households < 0:
            raise CommandError("--households must not be negative")
        # Checked before anything else, --if-empty included: on an empty production database
        # this would create "admin" with the password printed in README.md.
        if settings.KAIYUAN_ENV == "production" and not i_know_this_is_production:
            raise CommandError(
                "KAIYUAN_ENV=production: seed_demo creates logins with a known password. "
                "Add --i-know-this-is-production if this really is a demonstration server."
            )
        if Area.objects.villages().exists():
            if if_empty:
                self.stdout.write("The database already has data; demo seeding skipped.")
                return
            raise CommandError("The database already has villages; seed_demo needs an empty one.")
        started = time.perf_counter()
        context = DemoContext(
            households=households,
            seed=seed,
            password=settings.DEMO_PASSWORD,
            log=lambda line: self.stdout.write(line),
        )
        with transaction.atomic():
            run(context)
        self.stdout.write(f"demo county seeded in {time.perf_counter() - started:.1f} s")
