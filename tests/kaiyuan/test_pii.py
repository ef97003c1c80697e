"""ID numbers are encrypted with the first key of PII_ENCRYPTION_KEY and read with any of them, so
keys can rotate; ``rotate_pii_key`` re-encrypts every stored number with the first key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import pii
from kaiyuan.web.management.commands import rotate_pii_key
from monitoring.models import Member
from tests.kaiyuan.test_production_secrets import FERNET_1, FERNET_2
from tests.monitoring.factories import make_household, make_member

NUMBER = "211282198005170011"


def test_it_encrypts_with_the_first_key_and_decrypts_with_any(settings):
    settings.PII_ENCRYPTION_KEY = f"{FERNET_2},{FERNET_1}"
    written_before_rotation = Fernet(FERNET_1).encrypt(NUMBER.encode()).decode()
    assert pii.decrypt(written_before_rotation) == NUMBER
    token = pii.encrypt(NUMBER)
    assert Fernet(FERNET_2).decrypt(token.encode()).decode() == NUMBER
    with pytest.raises(InvalidToken):
        Fernet(FERNET_1).decrypt(token.encode())


def test_a_number_under_a_retired_key_cannot_be_read(settings):
    settings.PII_ENCRYPTION_KEY = FERNET_1
    token = pii.encrypt(NUMBER)
    settings.PII_ENCRYPTION_KEY = FERNET_2
    with pytest.raises(ValueError, match="cannot decrypt"):
        pii.decrypt(token)


@pytest.mark.django_db
def test_rotation_re_encrypts_every_id_number_with_the_first_key(settings, village_a):
    settings.PII_ENCRYPTION_KEY = FERNET_1
    household = make_household(village_a)
    make_member(household)
    members = list(Member.objects.order_by("pk"))
    numbers = {m.pk: pii.decrypt(m.id_cipher) for m in members}
    indexes = {m.pk: m.id_index for m in members}

    settings.PII_ENCRYPTION_KEY = f"{FERNET_2},{FERNET_1}"
    call_command("rotate_pii_key")

    only_new_key = Fernet(FERNET_2)
    for member in Member.objects.order_by("pk"):
        assert only_new_key.decrypt(member.id_cipher.encode()).decode() == numbers[member.pk]
        assert member.id_index == indexes[member.pk]
    event = AuditEvent.objects.get(action="pii_key_rotate")
    assert event.source == AuditEvent.Source.COMMAND
    assert event.data["members"] == len(members)
    # The old key may now be removed from the list.
    settings.PII_ENCRYPTION_KEY = FERNET_2
    assert {m.pk: pii.decrypt(m.id_cipher) for m in Member.objects.all()} == numbers


@pytest.mark.django_db
def test_rotation_changes_nothing_if_a_number_cannot_be_read(settings, village_a, monkeypatch):
    monkeypatch.setattr(rotate_pii_key, "BATCH", 1)  # the readable row is written first
    settings.PII_ENCRYPTION_KEY = FERNET_1
    household = make_household(village_a)
    make_member(household)
    # The first member was written under the new key, the second under a key now missing.
    Member.objects.filter(pk=household.members.order_by("pk").first().pk).update(
        id_cipher=Fernet(FERNET_2).encrypt(b"211282198005170011").decode()
    )
    before = dict(Member.objects.values_list("pk", "id_cipher"))
    settings.PII_ENCRYPTION_KEY = FERNET_2
    with pytest.raises(CommandError, match="cannot decrypt"):
        call_command("rotate_pii_key")
    assert dict(Member.objects.values_list("pk", "id_cipher")) == before
    assert not AuditEvent.objects.filter(action="pii_key_rotate").exists()
