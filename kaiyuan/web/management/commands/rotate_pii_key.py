"""Re-encrypt every stored ID number with the first key of PII_ENCRYPTION_KEY.

Rotation: put the new key first (``PII_ENCRYPTION_KEY=new,old``), restart, run this command, then
drop the old key. All rows change in one transaction, so a number that cannot be read (its key is
missing from the list) leaves everything as it was; the blind index does not change.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kaiyuan import audit
from kaiyuan.checks import encryption_keys
from kaiyuan.common import pii

BATCH = 1000


class Command(BaseCommand):
    help = "Re-encrypt every stored ID number with the first key of PII_ENCRYPTION_KEY."

    def handle(self, *args, **options):
        member_model = apps.get_model("monitoring", "Member")
        try:
            with transaction.atomic():
                count = self._rotate(member_model)
                audit.record(
                    None,
                    action="pii_key_rotate",
                    actor=None,
                    source="command",
                    data={
                        "members": count,
                        "keys": len(encryption_keys(settings.PII_ENCRYPTION_KEY)),
                    },
                )
        except ValueError as exc:
            raise CommandError(f"{exc}; nothing was changed") from exc
        self.stdout.write(f"{count} ID numbers re-encrypted with the first key")

    def _rotate(self, member_model) -> int:
        count, last_pk = 0, 0
        rows = member_model._default_manager.exclude(id_cipher="").order_by("pk")
        while True:
            # Locked so that an ID number corrected meanwhile is not overwritten by its old value.
            locked = rows.select_for_update().filter(pk__gt=last_pk).only("pk", "id_cipher")
            batch = list(locked[:BATCH])
            if not batch:
                return count
            for member in batch:
                try:
                    member.id_cipher = pii.reencrypt(member.id_cipher)
                except ValueError as exc:
                    raise ValueError(f"member {member.pk}: {exc}") from exc
            member_model._default_manager.bulk_update(batch, ["id_cipher"])
            count += len(batch)
            last_pk = batch[-1].pk
