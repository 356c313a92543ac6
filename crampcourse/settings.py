"""CrampCourse settings: one module, configured by environment variables.

Defaults suit a developer's machine. Production sets at least DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL (see the README's table).
"""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from crampcourse import databases

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name, default):
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set the SECRET_KEY environment variable to "
            "a long random string: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # Only for local development; never used when DEBUG is off.
    SECRET_KEY = "django-insecure-local-development-key-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # The widgets' own templates, for the site's form renderer (TemplatesSetting).
    "django.forms",
    "crampcourse",
    "lessons",
    "quizzes",
    "organisations",
    "training",
    "certification",
    "accounts",
    "axes",
    "django_ratelimit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early: an oversized body is refused by its Content-Length before anything reads it.
    "crampcourse.middleware.RequestSizeLimitMiddleware",
    # Numbers in the address longer than any id: a 400, before the admin's filters read them.
    "crampcourse.middleware.OversizedNumberMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the cookie set by the switcher (and at log-in from the account), else the
    # browser's Accept-Language, else English.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crampcourse.middleware.SignedInNoStoreMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A one-time password from a coach's log-in card must be changed before anything else.
    "accounts.middleware.OneTimePasswordMiddleware",
    # After a log-in, the language chosen on the account follows the person to this device.
    "accounts.middleware.AccountLanguageMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Benchmarks (make bench) add a baseline view and count each request's SQL queries.
BENCHMARK = env_bool("BENCHMARK", False)
if BENCHMARK:
    MIDDLEWARE.insert(0, "crampcourse.middleware.QueryCountMiddleware")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "training.backends.RoleAwareBackend",
]

# Log-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from
# one address, that pair is locked for AXES_COOLOFF_MINUTES. Per pair, so a prankster cannot
# lock a whole class out by typing their usernames. Admins unlock under "Access attempts" in
# the admin, or with `manage.py axes_reset_username USERNAME`.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind AXES_PROXY_COUNT reverse proxies (nginx: 1), the client's address is read from
# X-Forwarded-For by django-ipware. Each proxy appends the address it got the request from, so
# the client is the entry AXES_PROXY_COUNT from the right: whatever a client writes into the
# header itself stays to the left and is never believed. ipware counts only the proxies named
# in the header (the last proxy is REMOTE_ADDR), hence the - 1. The rate limits read the same.
# (A lower-case name: django-axes warns about a setting called AXES_PROXY_COUNT.)
proxies_in_front = env_int("AXES_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = proxies_in_front - 1 if proxies_in_front else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if proxies_in_front else ["REMOTE_ADDR"]
)

# The cache every server process shares; rate-limit counts live in it. CACHE_URL=redis://host:6379/N
# uses Redis (Django's own backend); unset, a table in the database (created by the crampcourse
# app's migration), so several gunicorn workers or hosts still count together.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # A Redis that hangs must not hang the pages: the limits then fail closed or open
            # (crampcourse.ratelimits) within a second.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss:// or unix://, or be unset; got {CACHE_URL!r}"
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "crampcourse_cache",
        }
    }

# Rate limits (django-ratelimit), as "count/period" (s, m, h or d). Only wrong join codes count
# against the join limits, so a whole class joining from one pool's Wi-Fi is never held up;
# every password-reset request counts (each one sends an email).
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "crampcourse.ratelimits.rate_limited"
RATELIMIT_IP_META_KEY = "crampcourse.ratelimits.client_address"
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATE_LIMIT_JOIN_CODES_PER_ACCOUNT = os.environ.get("RATE_LIMIT_JOIN_CODES_PER_ACCOUNT", "10/h")
RATE_LIMIT_JOIN_CODES_PER_ADDRESS = os.environ.get("RATE_LIMIT_JOIN_CODES_PER_ADDRESS", "30/h")
RATE_LIMIT_RESETS_PER_ADDRESS = os.environ.get("RATE_LIMIT_RESETS_PER_ADDRESS", "10/h")
RATE_LIMIT_RESETS_PER_EMAIL = os.environ.get("RATE_LIMIT_RESETS_PER_EMAIL", "3/h")
# "Send the link again" on My account: each press sends a mail.
RATE_LIMIT_EMAIL_CONFIRMATIONS = os.environ.get("RATE_LIMIT_EMAIL_CONFIRMATIONS", "5/h")
# Wrong log-ins from one address, whichever usernames they try (axes locks each account on an
# address after AXES_FAILURE_LIMIT): a class of 30 with a typo each still gets in.
RATE_LIMIT_LOGINS_PER_ADDRESS = os.environ.get("RATE_LIMIT_LOGINS_PER_ADDRESS", "40/h")
# Wrong current passwords typed into "change password" and "delete my account", per account
# and per address: a stolen session must not become a password guesser.
RATE_LIMIT_PASSWORD_CHECKS_PER_ACCOUNT = os.environ.get(
    "RATE_LIMIT_PASSWORD_CHECKS_PER_ACCOUNT", "5/h"
)
RATE_LIMIT_PASSWORD_CHECKS_PER_ADDRESS = os.environ.get(
    "RATE_LIMIT_PASSWORD_CHECKS_PER_ADDRESS", "20/h"
)
# django-ratelimit's check knows only django-redis and memcached. Django's own RedisCache
# increments atomically (INCR). The database cache increments as read-then-write, so racing
# requests can each count one less: a limit may let a few extra tries through under load,
# never lock anyone out wrongly. Set CACHE_URL to Redis where that matters.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Bodies larger than this are refused (413) before they are read; Django's own limits leave
# file uploads out. Room for a question-bank import (QUESTION_IMPORT_MAX_BYTES) and its form.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 5 * 1024 * 1024)

# Content Security Policy (django-csp): scripts, styles and images only from this site, no
# inline script, nothing may frame the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "crampcourse.urls"
WSGI_APPLICATION = "crampcourse.wsgi.application"

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
                "training.context_processors.role",
            ],
        },
    },
]

# Forms drawn with {{ form }} open with an error summary (crampcourse.forms.SiteFormRenderer).
FORM_RENDERER = "crampcourse.forms.SiteFormRenderer"

# Database: SQLite under var/ unless DATABASE_URL says otherwise (e.g. postgres://...; several
# hosts for a primary and its standby, crampcourse/databases.py).
DATABASES = {
    "default": databases.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'crampcourse.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A reused connection is checked before each request's first query, so the app
        # reconnects by itself after the database restarts instead of failing on a dead socket.
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
# A streaming standby for reads that may be a moment old (reports, item statistics): only
# where code asks for it (crampcourse/routers.py); every write and every other read is primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = databases.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["crampcourse.routers.StandbyRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # A whole class submits a quiz in the same minute: WAL lets readers and one writer work
    # together, IMMEDIATE takes the write lock at BEGIN (so no deadlocked upgrade from a read
    # lock), and the timeout makes a waiting writer queue instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    # Only for the random one-time passwords of roster-made accounts (see training/hashers.py).
    "training.hashers.OneTimePasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The club that groups made before clubs existed are moved into (migration training.0009).
DEFAULT_CLUB_NAME = os.environ.get("DEFAULT_CLUB_NAME", "Our swimming club")
# The largest logo a club or federation may upload (organisations/logos.py): PNG or JPEG only.
ORGANISATION_LOGO_MAX_BYTES = env_int("ORGANISATION_LOGO_MAX_BYTES", 1024 * 1024)
# How long a club's or federation's report figures are reused from the cache (organisations/
# reports.py): counting 5,000 groups' figures on every visit would cost seconds. 0 counts each time.
REPORTS_CACHE_SECONDS = env_int("REPORTS_CACHE_SECONDS", 300)
# The CPD hours a passed attempt at a certification's quiz or refresher quiz counts for
# (certification/cpd.py): about the time a quiz of the course takes. 0 turns it off.
CPD_QUIZ_HOURS = os.environ.get("CPD_QUIZ_HOURS", "0.5")

# English (British formats) unless the person chose otherwise (saved on their account and in
# the language cookie) or their browser asks for Russian; any other or unknown code falls back
# to English. A third language is only files: see README, "Adding a language".
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("ru", "Русский")]
# Project-wide strings (templates/, crampcourse/, static/js); each app keeps its own locale/.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# While developing, WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (run collectstatic); plain files while developing.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CrampCourse <noreply@localhost>")

# Links in reminder mail point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The public certificate check (django-ratelimit): requests per address.
VERIFY_RATE = os.environ.get("VERIFY_RATE", "30/m")

# Open Badges 3.0 credentials (certification/openbadges). They name the site's public address
# (https, not localhost, when DEBUG is off) and are signed with each issuer's key, kept
# encrypted in the database with OPENBADGES_KEY_SECRET. Without the secret none are issued.
OPENBADGES_BASE_URL = os.environ.get("OPENBADGES_BASE_URL", SITE_URL).strip().rstrip("/")
OPENBADGES_KEY_SECRET = os.environ.get("OPENBADGES_KEY_SECRET", "")
# Only while the secret is being changed: the one before, which still opens the keys until
# `openbadges_keys --reencrypt` has encrypted them again with the new one.
OPENBADGES_KEY_OLD_SECRET = os.environ.get("OPENBADGES_KEY_OLD_SECRET", "")
# The largest credential /verify/ reads (pasted or uploaded, a baked PNG included).
OPENBADGES_UPLOAD_MAX_BYTES = env_int("OPENBADGES_UPLOAD_MAX_BYTES", 2 * 1024 * 1024)

# Sign-up: by a group's code or invitation only, unless OPEN_SIGNUP=1 allows it without one.
OPEN_SIGNUP = env_bool("OPEN_SIGNUP", False)
# Account sign-ups per address (django-ratelimit); a class on one pool Wi-Fi
# shares an address, so the default lets a squad sign up together.
SIGNUP_RATE = os.environ.get("SIGNUP_RATE", "60/h")
# Emailed invitations per coach (each one sends an email).
INVITATION_RATE = os.environ.get("INVITATION_RATE", "100/d")
# The most questions one quiz may hold (imports and course files refuse more): the quiz's
# admin page lists QUIZ_ADMIN_QUESTIONS_PER_PAGE of them at a time.
QUIZ_MAX_QUESTIONS = env_int("QUIZ_MAX_QUESTIONS", 1000)
QUIZ_ADMIN_QUESTIONS_PER_PAGE = env_int("QUIZ_ADMIN_QUESTIONS_PER_PAGE", 50)
# An e-mailed invitation to a group works this many days (and once); renewing the group's
# code ends every one not yet accepted.
INVITATION_DAYS = env_int("INVITATION_DAYS", 14)
# The link that confirms an e-mail address works this many days; an address is used for
# invitations, password resets and reminders only once it is confirmed.
EMAIL_CONFIRM_DAYS = env_int("EMAIL_CONFIRM_DAYS", 3)

# Answers that reach the server this long after a quiz's deadline still count (slow phones).
QUIZ_DEADLINE_GRACE_SECONDS = env_int("QUIZ_DEADLINE_GRACE_SECONDS", 30)

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    # Served over HTTPS (usually behind a proxy that sets X-Forwarded-Proto).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes announces itself at every start; lockouts are still logged as warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
