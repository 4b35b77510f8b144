"""Settings for Satu Pintu, read from the environment (twelve-factor).

Every variable is listed in README.md ("Environment variables"). Development defaults are safe;
with ``DEBUG=false`` the secure settings switch on by themselves, so that
``manage.py check --deploy --fail-level WARNING`` passes with only ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``CSRF_TRUSTED_ORIGINS`` set.
"""

from __future__ import annotations

import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.client_ip import axes_ipware_settings

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"  # noqa: S105 - refused when DEBUG is false

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY: DEBUG is false but SECRET_KEY is the development key. "
        "Set SECRET_KEY to a long random value before running in production."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Refused forms get the site's page (config.views.csrf_failure), not Django's English one.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# The regency this installation serves: shown in the header, letters and permits.
REGENCY_NAME = env.str("REGENCY_NAME", default="Kabupaten Barito Timur")
OFFICE_NAME = env.str(
    "OFFICE_NAME",
    default="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
)
APPLICATION_NUMBER_PREFIX = env.str("APPLICATION_NUMBER_PREFIX", default="BTM")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    # Second factor for staff (accounts/mfa/): authenticator app (TOTP) and backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The parts of the domain, lower ones first (import contracts in pyproject.toml).
    "kewenangan",
    "accounts",
    "notifikasi",
    "perizinan",
    "akuntabilitas",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A query string no page can answer (a NUL: PostgreSQL refuses it) is a 400 page.
    "config.query_guard.RefuseBadQueryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "config.middleware.SessionTimeoutMiddleware",
    "config.middleware.NoStoreForAuthenticatedMiddleware",
    # After the session timeout: request.user.is_verified() (django-otp), then staff without a
    # second factor are sent to the MFA pages (accounts/mfa/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "accounts.mfa.middleware.SecondFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "notifikasi.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if not env.str("DATABASE_URL", default=""):
    sys.stderr.write(
        "DATABASE_URL is not set. Set it to a PostgreSQL URL, for example "
        "postgres://user:password@127.0.0.1:5432/satupintu, or start with `make run`, "
        "which provides an embedded PostgreSQL.\n"
    )
    raise SystemExit(2)
try:
    DATABASES = {"default": env.db("DATABASE_URL")}
except Exception as exc:  # noqa: BLE001 - any parse error becomes one clear line
    sys.stderr.write(f"DATABASE_URL is not a valid database URL: {exc}\n")
    raise SystemExit(2) from None
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    sys.stderr.write(
        f"DATABASE_URL must point to PostgreSQL (got engine {DATABASES['default']['ENGINE']!r}).\n"
    )
    raise SystemExit(2)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
    "DATABASE_CONNECT_TIMEOUT", default=5
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and broker (Redis) ---------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="satupintu"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour (ASVS 6.4.1)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): lock an account+IP after AXES_FAILURE_LIMIT failures, and an
# IP after AXES_IP_FAILURE_LIMIT failures whatever the accounts (password spraying; higher, as
# an office or a carrier puts many people behind one address), for AXES_COOLOFF_MINUTES.
# accounts/lockout.py gives each its own limit.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=4 * AXES_FAILURE_LIMIT)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.lockout.LoginAttemptHandler"
AXES_USERNAME_FORM_FIELD = "username"
# One counter per account whatever the spelling of the e-mail typed: the same folded, plain
# ASCII form the log-in looks up (accounts/identifiers.py).
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Client address behind PROXY_COUNT reverse proxies, through django-ipware: REMOTE_ADDR when 0,
# else the PROXY_COUNT-th X-Forwarded-For entry from the right (config/client_ip.py).
_ipware = axes_ipware_settings(env.int("PROXY_COUNT", default=0))
AXES_IPWARE_META_PRECEDENCE_ORDER = _ipware["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = _ipware["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_PROXY_ORDER = _ipware["AXES_IPWARE_PROXY_ORDER"]
IPWARE_STRICT = _ipware["IPWARE_STRICT"]

# Second factor (django-otp, accounts/mfa/): every staff role and admin confirms the log-in with
# a code from an authenticator app (TOTP, RFC 6238) or a single-use backup code. Wrong codes
# lock the code form for AXES_COOLOFF_MINUTES: after MFA_FAILURE_LIMIT per account, or
# MFA_IP_FAILURE_LIMIT from one address (higher: an office's desks often share one address).
# django-otp's own per-device back-off (1, 2, 4, 8 ... s after each failure) stays on.
MFA_FAILURE_LIMIT = env.int("MFA_FAILURE_LIMIT", default=AXES_FAILURE_LIMIT)
MFA_IP_FAILURE_LIMIT = env.int("MFA_IP_FAILURE_LIMIT", default=4 * MFA_FAILURE_LIMIT)
OTP_TOTP_ISSUER = f"Satu Pintu {REGENCY_NAME}"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Keys and backup codes are never shown in Django admin (devices are reset, not edited).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Public uploads (service-standard templates to download): MEDIA_ROOT.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Citizens' documents and issued permits: never under a public URL, served by views only.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / ".data" / "private"),
            "base_url": None,
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".data" / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
elif DEBUG:
    # The development mailbox: every e-mail is a file under .data/mail/.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / ".data" / "mail")
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Satu Pintu <no-reply@satupintu.local>")
# A stalled SMTP server must not hold a notification worker until the task's time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    # Re-deliver unacknowledged messages of a crashed worker sooner (QUALITY.md V3).
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BEAT_SCHEDULE = {
    "healthcheck-heartbeat": {
        "task": "config.celery.heartbeat",
        "schedule": crontab(minute="*/5"),
    },
}

# --- Scheduled changes of holder (kewenangan.tasks) -------------------------------------------
# A change of holder dated in the future takes effect on its day at 00:00 (CELERY_TIMEZONE,
# WIB); the hourly runs after catch up a missed midnight. Idempotent.
CELERY_BEAT_SCHEDULE["kewenangan-apply-due-delegations"] = {
    "task": "kewenangan.tasks.apply_due_delegations",
    "schedule": crontab(minute=0),
}

# --- Permits (perizinan.services.izin) -------------------------------------------------------
# The signer of issued permits: a dotted class path. The built-in one is NOT a certified
# electronic signature; a BSrE TTE adapter plugs in here.
PERMIT_SIGNER = env.str("PERMIT_SIGNER", default="perizinan.signing.InternalSigner")
# Permit numbers: {seq} gapless per office and year, {code} the service's permit_code,
# {office} DPMPTSP (delegated route) or the origin OPD's short name, {year}.
PERMIT_NUMBER_FORMAT = env.str(
    "PERMIT_NUMBER_FORMAT", default="503/{seq:04d}/{code}/{office}/{year}"
)
PERMIT_NUMBER_FORMATS: dict[str, str] = {}  # per service slug, optional
PERMIT_OFFICE_CODE = env.str("PERMIT_OFFICE_CODE", default="DPMPTSP")
REJECTION_NUMBER_FORMAT = env.str(
    "REJECTION_NUMBER_FORMAT", default="503/{seq:04d}/PENOLAKAN/{office}/{year}"
)
# The place of issue printed above the signature of permits and letters ("Ditetapkan di
# Tamiang Layang"): the regency's seat, not the regency's name.
SATUPINTU_PLACE_OF_ISSUE = env.str("SATUPINTU_PLACE_OF_ISSUE", default="Tamiang Layang")
# The regency's coat of arms in the letterhead of every permit, letter and receipt: a PNG or
# JPEG, as a path under the static files (or an absolute path). The shipped default is a
# placeholder emblem; put the regency's own lambang in its place. Empty: no emblem.
SATUPINTU_COAT_OF_ARMS = env.str(
    "SATUPINTU_COAT_OF_ARMS", default="img/lambang-kabupaten-placeholder.png"
)
# Days before a permit's last valid day on which its holder is reminded (each once).
PERMIT_EXPIRY_REMINDER_DAYS = sorted(
    {
        int(day)
        for day in env.list("PERMIT_EXPIRY_REMINDER_DAYS", default=["90", "60", "30", "7"])
        if str(day).strip()
    },
    reverse=True,
)
CELERY_BEAT_SCHEDULE["permits-mark-expired"] = {
    "task": "perizinan.tasks.izin.mark_expired_permits",
    "schedule": crontab(hour=0, minute=20),
}

# --- Officers' work (perizinan.services.petugas, perizinan.tasks.workflow) --------------------
# Working days the applicant gets to fix a technical shortfall (the tim teknis may choose
# another number per file); afterwards the file lapses (GUGUR). About two months by default.
TECHNICAL_FIX_WORKING_DAYS = env.int("TECHNICAL_FIX_WORKING_DAYS", default=40)
# Working days an applicant gets to complete a file returned at verification (then it lapses),
# and how many working days before the applicant's deadline the reminder goes out.
RETURN_FIX_WORKING_DAYS = env.int("RETURN_FIX_WORKING_DAYS", default=10)
FIX_REMINDER_WORKING_DAYS = env.int("FIX_REMINDER_WORKING_DAYS", default=2)
# The highest fee (retribusi, rupiah) a tim teknis may assess on one file: a typing slip of a
# few zeros is refused with a message instead of billed. Set it from the Perda's tariff table.
# How a citizen pays a retribution by hand until a bank channel is configured: the bank, the
# regency's treasury account (Rekening Kas Umum Daerah) and its number, quoted on the file page
# and in the bill's message with the application number as the payment reference. Without a
# number the page says to pay at the bank's counter quoting the application number.
PAYMENT_BANK_NAME = env.str("PAYMENT_BANK_NAME", default="Bank Kalteng")
PAYMENT_ACCOUNT_NAME = env.str(
    "PAYMENT_ACCOUNT_NAME", default=f"Rekening Kas Umum Daerah {REGENCY_NAME}"
)
PAYMENT_ACCOUNT_NUMBER = env.str("PAYMENT_ACCOUNT_NUMBER", default="")
FEE_MAX_RUPIAH = min(env.int("FEE_MAX_RUPIAH", default=10_000_000_000), 2**63 - 1)
CELERY_BEAT_SCHEDULE["perizinan-lapse-overdue-fixes"] = {
    "task": "perizinan.tasks.workflow.lapse_overdue_fixes",
    "schedule": crontab(minute=10),  # hourly; the task is idempotent
}

# --- Malware scanning of uploads (perizinan.scanning) ----------------------------------------
# Every upload is scanned by ClamAV's daemon before it is accepted (Debian: clamav-daemon, with
# freshclam keeping the signatures current). CLAMD_SOCKET is its UNIX socket, or CLAMD_HOST and
# CLAMD_PORT its TCP address; with neither, Debian's /var/run/clamav/clamd.ctl. When clamd does
# not answer within CLAMD_TIMEOUT seconds the upload is stored but held ("menunggu pemindaian",
# hidden from officers) and scanned again every minute by beat.
# Development without clamd: UPLOAD_SCANNER defaults to NoScanner while DEBUG is true and no
# clamd address is set (files are stored and shown as "tidak dipindai"); with DEBUG=false the
# default is ClamdScanner and NoScanner is refused.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_HOST = env.str("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=20)
UPLOAD_SCANNER = env.str(
    "UPLOAD_SCANNER",
    default=(
        "perizinan.scanning.NoScanner"
        if DEBUG and not (CLAMD_SOCKET or CLAMD_HOST)
        else "perizinan.scanning.ClamdScanner"
    ),
)
if not DEBUG and UPLOAD_SCANNER == "perizinan.scanning.NoScanner":
    raise ImproperlyConfigured(
        "UPLOAD_SCANNER: NoScanner stores uploads without a malware scan and is for "
        "development only. With DEBUG=false use perizinan.scanning.ClamdScanner "
        "(apt-get install clamav-daemon; set CLAMD_SOCKET or CLAMD_HOST if not Debian's socket)."
    )
# After clamd timed out, uploads are held at once for this long instead of each waiting again.
UPLOAD_SCAN_BACKOFF_SECONDS = env.int("UPLOAD_SCAN_BACKOFF_SECONDS", default=60)
# The rescan of held files: at most this many per model and run, for at most this long.
UPLOAD_RESCAN_BATCH = env.int("UPLOAD_RESCAN_BATCH", default=200)
UPLOAD_RESCAN_SECONDS = env.int("UPLOAD_RESCAN_SECONDS", default=45)
CELERY_BEAT_SCHEDULE["uploads-rescan-held"] = {
    "task": "perizinan.tasks.scanning.rescan_held_uploads",
    "schedule": 60.0,  # every minute; idempotent, stops at once while clamd is still down
}

# --- Notifications (notifikasi: outbox in PostgreSQL, delivered by Celery) -----------------
# The delivery tasks and the daily messages about files run on the notifications queue.
CELERY_TASK_ROUTES = {
    "notifikasi.*": {"queue": "notifications"},
    "perizinan.notifikasi.*": {"queue": "notifications"},
}
# Attempts per message before it is marked failed (visible in admin with the reason); the
# sweeper retries with exponential backoff from NOTIFICATION_RETRY_BASE_SECONDS.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
NOTIFICATION_RETRY_MAX_SECONDS = env.int("NOTIFICATION_RETRY_MAX_SECONDS", default=3600)
# A new message is left this long to its on-commit task before the sweeper takes it over.
NOTIFICATION_SWEEP_GRACE_SECONDS = env.int("NOTIFICATION_SWEEP_GRACE_SECONDS", default=60)
NOTIFICATION_SWEEP_SECONDS = env.float("NOTIFICATION_SWEEP_SECONDS", default=60)
# Right after a message leaves (e-mail, SMS) a receipt is kept in Redis (this cache alias) for
# NOTIFICATION_RECEIPT_SECONDS: when the database connection was lost before the row was
# marked sent, the next attempt finds the receipt and does not send again. The "sent" mark is
# also retried this many times (after 0.5 s, 1 s, 2 s …) on a fresh connection.
NOTIFICATION_RECEIPT_CACHE = "default"
NOTIFICATION_RECEIPT_SECONDS = env.int("NOTIFICATION_RECEIPT_SECONDS", default=14 * 24 * 3600)
NOTIFICATION_MARK_SENT_RETRIES = env.int("NOTIFICATION_MARK_SENT_RETRIES", default=3)
# Who receives the daily digest of overdue files of their OPD (the head and the supervisors).
NOTIFICATION_OVERDUE_ROLES = env.list(
    "NOTIFICATION_OVERDUE_ROLES", default=["kepala", "back_office"]
)
# SMS/WhatsApp gateway: notifikasi.gateways.LoggingGateway (development) or
# notifikasi.gateways.HttpGateway with the URL, token and JSON payload template
# ({phone}, {text} and {key} are filled in).
SMS_GATEWAY_BACKEND = env.str("SMS_GATEWAY_BACKEND", default="notifikasi.gateways.LoggingGateway")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_PAYLOAD = env.str(
    "SMS_GATEWAY_PAYLOAD", default='{"to": "{phone}", "message": "{text}", "ref": "{key}"}'
)
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10)
CELERY_BEAT_SCHEDULE.update(
    {
        "notifications-sweep": {
            "task": "notifikasi.sweep",
            "schedule": NOTIFICATION_SWEEP_SECONDS,
        },
        "notifications-due-tomorrow": {
            "task": "perizinan.notifikasi.due_tomorrow",
            "schedule": crontab(hour=7, minute=0),
        },
        "notifications-overdue-digest": {
            "task": "perizinan.notifikasi.overdue_digest",
            "schedule": crontab(hour=7, minute=5),
        },
        "notifications-expiry-reminders": {
            "task": "perizinan.notifikasi.expiry_reminders",
            "schedule": crontab(hour=7, minute=10),
        },
        "notifications-fix-deadline-reminders": {
            "task": "perizinan.notifikasi.fix_deadline_reminders",
            "schedule": crontab(hour=7, minute=15),
        },
    }
)

# --- Accountability: complaints, survey, statistics (akuntabilitas) ---------------
# Default answer time of a complaint in working days; admins change it in Django admin
# (Pengaturan pengaduan). Only the first value comes from here.
COMPLAINT_RESPONSE_DAYS = env.int("COMPLAINT_RESPONSE_DAYS", default=5)
# The national complaint channel, linked from the complaint pages.
SP4N_LAPOR_URL = env.str("SP4N_LAPOR_URL", default="https://www.lapor.go.id")
# How long the one-time survey link sent after a decision stays valid.
SURVEY_INVITATION_DAYS = env.int("SURVEY_INVITATION_DAYS", default=60)
# Survey groups (a service, a unit) with fewer respondents than this are counted but their
# index is not shown separately, so that no answer can be read back from a tiny group.
SURVEY_MIN_GROUP_SIZE = env.int("SURVEY_MIN_GROUP_SIZE", default=3)
# /statistik/ is computed at most once per this many seconds (cached in Redis).
STATISTICS_CACHE_SECONDS = env.int("STATISTICS_CACHE_SECONDS", default=600)
CELERY_BEAT_SCHEDULE["complaints-escalate-overdue"] = {
    "task": "akuntabilitas.tasks.escalate_overdue_complaints",
    "schedule": crontab(hour=7, minute=15),
}

# --- Logging (one line per event: key=value, or JSON with LOG_FORMAT=json) -----------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Events come through config.logs.log_event; LOG_FORMAT=json writes one JSON object a line.
    "formatters": {
        "kv": {"()": "config.logs.KeyValueFormatter"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    # Tokens in URLs (/akun/verifikasi/<token>/, /survei/<token>/ …) and query strings of
    # request lines never reach a log line: config.logs.RedactTokens rewrites them to :token.
    "filters": {"redact_tokens": {"()": "config.logs.RedactTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="kv"),
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # fontTools logs ~100 INFO lines per PDF (font subsetting in perizinan/pdf/).
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Django's own handlers for these (a second console while DEBUG, the development
        # server's request lines) would write past the filter: everything goes to the root's.
        "django": {"level": "INFO", "handlers": [], "propagate": True},
        "django.server": {"level": "INFO", "handlers": [], "propagate": True},
    },
}

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions (ASVS 4.0.3 V3.3.2, WCAG 2.2.1): config.middleware.SessionTimeoutMiddleware ends
# every session 12 hours after log-in, and an officer's or admin's after 30 idle minutes. The
# page warns SESSION_WARNING_SECONDS before the end and offers "Perpanjang sesi".
SESSION_COOKIE_AGE = 12 * 60 * 60  # citizens: 12 hours
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=SESSION_COOKIE_AGE)
SESSION_OFFICER_IDLE_SECONDS = env.int("SESSION_OFFICER_IDLE_SECONDS", default=30 * 60)
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=2 * 60)
# Content-Security-Policy (django-csp 4.0), in every environment so that a violation shows up
# while developing. No inline script or style anywhere: JS in static/js/, CSS in static/css/.
# frame-src 'self': officers view uploaded PDFs in an iframe of the same origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "frame-src": ["'self'"],
    },
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
