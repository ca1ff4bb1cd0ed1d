"""Recovery codes are kept only as keyed digests, checked in constant time, and work once."""

import hashlib
import importlib

from django.apps import apps
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
