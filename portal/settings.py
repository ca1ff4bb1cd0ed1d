"""Threshold settings, read from the environment (django-environ).

With no environment at all the project runs as the embedded default: DEBUG on, SQLite under
var/, emails written to files under var/mail/, Celery tasks run eagerly in-process. Every
variable is listed in .env.example and the README.
"""

from datetime import timedelta
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

INSECURE_DEMO_SECRET_KEY = "insecure-demo-key-never-use-in-production"  # noqa: S105

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEMO_SECRET_KEY)
if not DEBUG and SECRET_KEY in ("", INSECURE_DEMO_SECRET_KEY):
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a long random value: with DEBUG off the demo key is refused. "
        "One way to make one: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Keys the one-way forms of the names a case remembers (casenotes.case_names); by default
# derived from SECRET_KEY. Changing it (or SECRET_KEY while it is unset) leaves earlier cases'
# names unmatched in new comments and votes, so set it once, to its own long random value.
CASE_NAME_KEY = env.str("CASE_NAME_KEY", default="")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# How many proxies of ours (load balancer, ingress) stand in front of the app. Each appends the
# address it saw to X-Forwarded-For; we believe only those entries, never what a client sends.
# 0: people reach the app directly and REMOTE_ADDR is their address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    "portal.apps.ThresholdAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "portal",
    "training",
    "casenotes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their long cache), before the rest: its no-store is
    # the last word on every response the application draws.
    "portal.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before our middleware below: ending a session leaves a message saying why.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.middleware.SessionLifetimeMiddleware",
    "portal.middleware.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must be last so it sees the final response of a failed sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Widgets render through TEMPLATES, so templates/django/forms/ can replace Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'threshold.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache; absent means eager tasks and an in-process cache --------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering must fail fast (and /healthz say 503), not hang.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/London"
# A sender holds an unacknowledged task for at most this long before Redis hands it to
# another worker; longer than any batch takes, so a slow batch is not run twice.
# Socket timeouts: a Redis that hangs (rather than refuses) must not hold a web request long.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_TASK_REJECT_ON_WORKER_LOST = True

# Outbox: emails per sending task, tries before an email is `failed`, and how long a row may
# stay `sending` before the sweeper decides its worker died.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
OUTBOX_SENDING_TIMEOUT = env.int("OUTBOX_SENDING_TIMEOUT", default=10 * 60)
# A sending task starts no new email after this long and queues another to carry on: half the
# soft time limit leaves the email in hand time to finish before any limit strikes.
OUTBOX_SEND_SECONDS = env.int("OUTBOX_SEND_SECONDS", default=CELERY_TASK_SOFT_TIME_LIMIT // 2)

# --- Email --------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://")
# filemail:// writes each email as a file, for the demo; EMAIL_FILE_PATH says where.
EMAIL_CONFIG["EMAIL_FILE_PATH"] = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
globals().update(EMAIL_CONFIG)
# A mail server that stops answering gives up after this long, well inside the task limits.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Threshold <no-reply@threshold.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Authentication -----------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # First, so a refused single sign-on stops there (portal/sso/backend.py); it answers only
    # the callback of a sign-in it started, so passwords go on to axes and Django as before.
    "portal.sso.backend.ProviderBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "portal:sign-in"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:sign-in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a set-password or reset link works for one day
# Password-reset emails per address and per client address, each in one hour.
PASSWORD_RESET_LIMIT_PER_EMAIL = 3
PASSWORD_RESET_LIMIT_PER_IP = 20

# Lockout. No stranger can lock the owner out: the tight lock is per (account, client address),
# and two slower bounds stop the ways around it (portal/services/lockout.py, README).
# - axes: 5 failures for one account from one client address lock that pair for 15 minutes;
#   the owner elsewhere signs in as usual. Refused attempts don't count or extend it.
# - One client address: 20 failures within a rolling hour, on any accounts (password spraying),
#   refuse every sign-in from it until they age out.
# - One account: 50 failures within a rolling hour, from any addresses, refuse sign-in to it
#   from everywhere until they age out or a password reset clears them.
# - A device cookie (OWASP's pattern), set when a sign-in completes, lets that browser past the
#   two wider bounds for its account, so no botnet or shared office address can shut the owner
#   out of their usual browser; its failures count against it instead, and 5 within 15 minutes
#   distrust it (back to the wider bounds) until they age out.
# - Wrong second-factor codes count toward both, and 5 per account and address lock the code
#   step there for 15 minutes (counted apart from axes, which a right password resets).
# The client address is what TRUSTED_PROXY_COUNT allows (portal/client_address.py).
AXES_HANDLER = "portal.auth.SignInHandler"
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "portal.auth.axes_username"
AXES_LOCKOUT_CALLABLE = "portal.views.auth.locked_out"
AXES_CLIENT_IP_CALLABLE = "portal.client_address.client_ip"
AXES_VERBOSE = False
SIGN_IN_FAILURE_WINDOW = timedelta(hours=1)
SIGN_IN_FAILURE_LIMIT_PER_ADDRESS = 20
SIGN_IN_FAILURE_LIMIT_PER_ACCOUNT = 50
SECOND_FACTOR_FAILURE_LIMIT = 5
DEVICE_COOKIE_NAME = "threshold_device"
DEVICE_COOKIE_AGE = timedelta(days=365)
DEVICE_COOKIE_FAILURE_LIMIT = 5
# models.W040: SQLite ignores a covering index's extra columns (casenotes' case list index);
# they are for PostgreSQL, and on SQLite the index still serves the list's order.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Sessions end after 30 minutes idle (cookie age refreshed on every request) and 12 hours
# after sign-in whatever the activity (SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_LIFETIME = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
OTP_TOTP_ISSUER = "Threshold"

# Single sign-on (OpenID Connect, per authority: portal.IdentityProvider). mozilla-django-oidc
# runs the authorization code flow with PKCE, state and nonce; portal/sso/ gives it the
# provider each sign-in started with. Client secrets are stored encrypted (Fernet) with
# SSO_SECRET_KEY, by default derived from SECRET_KEY; SSO_SECRET_KEY_FALLBACKS still decrypt,
# so the key can be rotated (then save each provider again to encrypt with the new key).
SSO_SECRET_KEY = env.str("SSO_SECRET_KEY", default="")
SSO_SECRET_KEY_FALLBACKS = env.list("SSO_SECRET_KEY_FALLBACKS", default=[])
for _key in [SSO_SECRET_KEY, *SSO_SECRET_KEY_FALLBACKS]:
    try:
        if _key:
            Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "SSO_SECRET_KEY (and each of SSO_SECRET_KEY_FALLBACKS) must be a Fernet key. "
            "One way to make one: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        ) from None
# Issuers must be https:// on a public name: the server fetches their configuration, so an
# admin must not point it at a service inside our network. The demo's provider on localhost
# needs this on (it is with DEBUG).
SSO_ALLOW_LOCAL_ISSUERS = env.bool("SSO_ALLOW_LOCAL_ISSUERS", default=DEBUG)
OIDC_AUTHENTICATION_CALLBACK_URL = "portal:sso-callback"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_TIMEOUT = 10  # seconds for each call to a provider
OIDC_CREATE_USER = False  # accounts are made only by portal.services.sso, where allowed
RECOVERY_CODE_COUNT = 10

# --- Security headers ---------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Load balancers ask for /healthz over plain HTTP from inside; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    if TRUSTED_PROXY_COUNT > 0:
        # Only a proxy of ours may say the request came over HTTPS; reached directly, anyone
        # could send the header and pass as secure. The proxy must set it, never pass it on.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix binds the cookies to this exact host over HTTPS, path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    DEVICE_COOKIE_NAME = "__Host-threshold_device"
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
if DEBUG:  # the embedded default keeps its runtime files under var/; make sure it exists
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Forms --------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Locale -------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# --- Logging: never log request bodies (case text) ----------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
