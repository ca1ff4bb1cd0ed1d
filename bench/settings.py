"""Settings for benchmarking: the portal's own, plus the bench app and its yardstick route.

DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python manage.py seed_scale
.venv/bin/python bench/mixed.py          # serves the portal with these settings
"""

from portal.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"

# Several of the benchmark's virtual users may share one account (there is one supervisor of
# the 200-person team), each signing in with an authenticator of its own. django-otp tries a
# code against each of the account's devices in turn and throttles every device it did not
# match, which would lock the next user out for seconds; the throttle is not what is measured.
OTP_TOTP_THROTTLE_FACTOR = 0
