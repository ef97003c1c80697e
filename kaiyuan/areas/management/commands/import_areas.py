from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaiyuan.areas.services import AreaImportError, area_import_csv


class Command(BaseCommand):
    help = (
        "Import villages (12-digit codes) and villager groups (15-digit codes) from a UTF-8 CSV "
        "file with the columns code,name. Nothing is written if any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)

    def handle(self, *args, csv_file: Path, **options):
        try:
            text = csv_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {csv_file}: {exc}") from exc
        try:
            result = area_import_csv(text=text)
        except AreaImportError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}"
        )
