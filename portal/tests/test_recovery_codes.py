"""Recovery codes are kept only as keyed digests, checked in constant time, and work once."""

import hashlib
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from portal import recovery_codes, services
from portal.models import RecoveryCode, RecoveryCodeDevice

migration = importlib.import_module("portal.migrations.0005_recovery_codes_hashed")


def test_it_keeps_no_recovery_code_in_plain_text(alice):
    codes = services.recovery_codes_replace(user=alice)

    kept = set(RecoveryCode.objects.filter(device__user=alice).values_list("digest", flat=True))

    assert len(kept) == 10
    for code in codes:
        plain = recovery_codes.normalise(code)
        assert code not in kept and plain not in kept
        assert not any(plain in digest or code in digest for digest in kept)
        # Keyed: the bare SHA-256 of a code (which anyone could brute-force) is not kept either.
        assert hashlib.sha256(plain.encode()).hexdigest() not in kept
    assert not StaticToken.objects.exists()


def test_it_accepts_a_recovery_code_once(alice):
    code = services.recovery_codes_replace(user=alice)[3]

    first, second = match_token(alice, code), match_token(alice, code)

    assert isinstance(first, RecoveryCodeDevice)
    assert second is None
    assert RecoveryCode.objects.filter(device__user=alice).count() == 9


def test_it_refuses_a_wrong_recovery_code(alice):
    services.recovery_codes_replace(user=alice)
    device = RecoveryCodeDevice.objects.get(user=alice)

    assert device.verify_token("abcde-fghjk") is False
    assert device.codes.count() == 10


def test_it_refuses_another_persons_recovery_code(alice, bob):
    services.recovery_codes_replace(user=alice)
    code_of_bob = services.recovery_codes_replace(user=bob)[0]

    assert match_token(alice, code_of_bob) is None
    assert RecoveryCode.objects.filter(device__user=bob).count() == 10


def test_it_still_accepts_codes_after_the_secret_key_rotates(settings, alice):
    code = services.recovery_codes_replace(user=alice)[0]
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-and-entirely-different-secret-key-for-this-test"

    assert isinstance(match_token(alice, code), RecoveryCodeDevice)


def test_it_hashes_the_plain_text_codes_the_migration_finds(alice, bob):
    static = StaticDevice.objects.create(user=alice, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(
        StaticToken(device=static, token=token) for token in ["abcde-fghjk", "mnpqr-stuvw"]
    )

    migration.recovery_codes_hash(apps, None)

    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
    device = RecoveryCodeDevice.objects.get(user=alice)
    assert device.codes.count() == 2
    assert not RecoveryCode.objects.filter(digest__in=["abcde-fghjk", "mnpqr-stuvw"]).exists()
    assert match_token(alice, "MNPQR STUVW") == device
    assert match_token(alice, "mnpqr-stuvw") is None
    assert not RecoveryCodeDevice.objects.filter(user=bob).exists()


def test_it_keeps_one_set_of_recovery_codes_per_person(alice):
    first = services.recovery_codes_replace(user=alice)
    second = services.recovery_codes_replace(user=alice)

    assert RecoveryCodeDevice.objects.filter(user=alice).count() == 1
    assert isinstance(match_token(alice, second[0]), RecoveryCodeDevice)
    assert match_token(alice, first[0]) is None
    with pytest.raises(IntegrityError), transaction.atomic():
        RecoveryCodeDevice.objects.create(user=alice, name="A second set", confirmed=True)


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_newest_set_when_the_constraint_migration_finds_two(alice, bob):
    """0006 applies to a database where a race (or 0005, from several static devices) left a
    person with two sets: the newest stays, the older set stops working."""
    executor = MigrationExecutor(connection)
    before = [("portal", "0005_recovery_codes_hashed")]
    after = [("portal", "0006_one_recovery_device_per_user")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Device = old_apps.get_model("portal", "RecoveryCodeDevice")
    Code = old_apps.get_model("portal", "RecoveryCode")
    older = Device.objects.create(user_id=alice.pk, name="Recovery codes", confirmed=True)
    newer = Device.objects.create(user_id=alice.pk, name="Recovery codes", confirmed=True)
    only = Device.objects.create(user_id=bob.pk, name="Recovery codes", confirmed=True)
    for device, code in [(older, "aaaaa-aaaaa"), (newer, "bbbbb-bbbbb"), (only, "ccccc-ccccc")]:
        Code.objects.create(device=device, digest=recovery_codes.digest(code))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert list(RecoveryCodeDevice.objects.order_by("user_id").values_list("pk", flat=True)) == [
        newer.pk,
        only.pk,
    ]
    assert match_token(alice, "bbbbb-bbbbb").pk == newer.pk
    assert match_token(alice, "aaaaa-aaaaa") is None
    assert match_token(bob, "ccccc-ccccc").pk == only.pk
