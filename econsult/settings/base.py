"""Settings shared by every environment.

Every outside service and secret comes from the environment; the defaults are the embedded
ones (SQLite, Celery tasks run eagerly, database search, e-mail on the console).
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
COMMENTS_XTD_SALT = f"econsult-feedback:{SECRET_KEY}".encode()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # "econsult" is an app only for its templates and template tags (CSP nonces, the lock-out
    # and error pages); it comes first so that its overrides of Wagtail's admin templates win.
    "econsult",
    "drafts",
    "consult",
    "consult.feedback",
    "consult.moderation",
    "consult.opinions",
    "consult.answers",
    "consult.reports",
    "consult.accountability",
    "consult.notifications",
    "consult.demo",
    "search",
    "consult.feedback.comments_app.FeedbackXtdConfig",  # django_comments_xtd, see its docstring
    "django_comments",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "econsult.identity",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "post_office",
    "econsult.outbox",
    "axes",
    "csp",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "econsult.csp.CurrentRequestNonceMiddleware",  # after CSPMiddleware, which sets the nonce
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "econsult.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # django-axes turns a locked-out log-in into the lock-out page; it must come last.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # The lock check runs before any backend that could accept the password.
    "econsult.login_lock.LoginLockBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): sign-up with e-mail, which must be verified before commenting.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_ADAPTER = "econsult.accounts.AccountAdapter"  # names stored as typed text (NFC, …)
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[eConsultation] "
LOGIN_REDIRECT_URL = "/"

# National sign-in (OpenID Connect, e.g. VNeID) through allauth's openid_connect provider,
# configured only from the environment (no SocialApp rows): without OIDC_ISSUER_URL there is
# no provider, no button, and e-mail sign-up is the only way in. econsult.identity records
# how each account was verified and the assurance level the provider asserted.
OIDC_ISSUER_URL = env("OIDC_ISSUER_URL", default="")
OIDC_PROVIDER_ID = env("OIDC_PROVIDER_ID", default="vneid")  # in the sign-in URLs
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="VNeID")  # on the buttons
# The claim (ID token or userinfo) carrying the assurance level, and how its values map to our
# levels (1: verified by the provider, 2: level 2); a number is taken as it is, and any other
# value of a provider login counts as 1.
OIDC_ASSURANCE_CLAIM = env("OIDC_ASSURANCE_CLAIM", default="acr")
OIDC_ASSURANCE_LEVELS = env.dict("OIDC_ASSURANCE_LEVELS", cast={"value": int}, default={})


def origin_of(url: str) -> list[str]:
    """["scheme://host[:port]"] of `url`, or [] for an empty one (a CSP source list)."""
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if url else []


def oidc_providers(
    *, issuer: str, client_id: str, secret: str, scopes: str, name: str, provider_id: str
) -> dict:
    """SOCIALACCOUNT_PROVIDERS for one OpenID Connect provider ("APPS" empty without an
    issuer); the tests build theirs with it too."""
    apps = []
    if issuer:
        apps.append(
            {
                "provider_id": provider_id,
                "name": name,
                "client_id": client_id,
                "secret": secret,
                "settings": {"server_url": issuer, "scope": scopes.split()},
            }
        )
    return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": apps}}


SOCIALACCOUNT_PROVIDERS = oidc_providers(
    issuer=OIDC_ISSUER_URL,
    client_id=env("OIDC_CLIENT_ID", default=""),
    secret=env("OIDC_CLIENT_SECRET", default=""),
    scopes=env("OIDC_SCOPES", default="openid profile email"),
    name=OIDC_PROVIDER_NAME,
    provider_id=OIDC_PROVIDER_ID,
)
SOCIALACCOUNT_ADAPTER = "econsult.identity.adapter.SocialAccountAdapter"
# The provider gives the name and the e-mail address: no form to fill in after it.
SOCIALACCOUNT_AUTO_SIGNUP = True
# An address the provider says it verified is not verified again by e-mail; an account that
# already has that (verified) address is signed in and linked instead of being duplicated.
SOCIALACCOUNT_EMAIL_VERIFICATION = "optional"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
LOGIN_URL = "account_login"

# Feedback: django-comments-xtd with our model; threads three levels deep (0, 1, 2).
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "consult.feedback.models.Feedback"
COMMENTS_XTD_FORM_CLASS = "consult.feedback.forms.FeedbackForm"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2
COMMENTS_XTD_CONFIRM_EMAIL = True
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "drafts.draftpage": {
        "who_can_post": "all",
        "allow_flagging": True,
        "allow_feedback": True,
        "show_feedback": True,
    }
}
# django_comments stores at most this many characters (its own default; changing it would
# alter its migrations).
COMMENT_MAX_LENGTH = 3000
FEEDBACK_PROPOSAL_MAX_LENGTH = env.int("FEEDBACK_PROPOSAL_MAX_LENGTH", default=5000)
FEEDBACK_ATTACHMENT_MAX_BYTES = env.int("FEEDBACK_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Posts allowed per minute, for each account and for each network address.
FEEDBACK_RATE_PER_MINUTE = env.int("FEEDBACK_RATE_PER_MINUTE", default=10)
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))

ROOT_URLCONF = "econsult.urls"
WSGI_APPLICATION = "econsult.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "econsult.context_processors.site",
                "econsult.identity.context_processors.national_sign_in",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy timeout keeps the embedded server and a management command from tripping over
    # each other's write locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20})
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English available; dates and times in Vietnam's time zone.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# locale/ is ours (makemessages); locale_allauth/ translates django-allauth, which ships no
# Vietnamese.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# One Vietnamese style of dates, public and admin (econsult/formats/: 02/12/2026, 14:30), and
# Wagtail's date pickers write the same (their formats are in the locales' *_INPUT_FORMATS).
FORMAT_MODULE_PATH = ["econsult.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Django itself serves MEDIA_ROOT (the demo); in production the web server does.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: a draft imported in the admin is read into memory, so the request caps it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# A form of many fields: a long draft's text is edited a part at a time (drafts/editing.py), so
# no form of the product comes near this; it is room for a short draft's whole text and more.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
DRAFT_IMPORT_MAX_BYTES = env.int("DRAFT_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)

# E-mail: EMAIL_URL such as smtp+tls://user:password@smtp.example.gov.vn:587
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="eConsultation <no-reply@econsult.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accountability: a consultation closed longer ago than this without a published synthesis
# report counts against its agency.
REPORT_OVERDUE_DAYS = env.int("REPORT_OVERDUE_DAYS", default=30)

# The rendered text of a published draft is kept until its next publish (0 turns it off).
DRAFT_TEXT_CACHE_SECONDS = env.int("DRAFT_TEXT_CACHE_SECONDS", default=7 * 24 * 3600)

# Cache: Redis when REDIS_URL/CACHE_URL is set, process memory otherwise.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://econsult")}
if "CACHE_URL" in env:
    # With a shared cache, sessions are read from it and written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Celery: without a broker, tasks run eagerly in the process that queues them.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE = {
    # DraftFigures.feedback_count changes with every comment, not only with answers.
    "draft-figures-refresh-active": {
        "task": "consult.tasks.draft_figures_refresh_active",
        "schedule": 10 * 60,
    },
}

# Outbox and export watchdog: nothing is lost when the broker or a worker is down.
# Every e-mail is first a row (django-post-office's Email) written in the transaction of the
# change that causes it; a task queued on commit and beat every minute send the due rows.
# EMAIL_URL names the backend that really sends (console by default); EMAIL_BACKEND is the
# outbox. See econsult/outbox/services.py.
POST_OFFICE = {
    "BACKENDS": {"default": EMAIL_CONFIG["EMAIL_BACKEND"]},
    "DEFAULT_PRIORITY": "medium",
    "CELERY_ENABLED": False,
}
EMAIL_BACKEND = "econsult.outbox.backends.OutboxBackend"
# A claimed e-mail whose drain died is tried again after this long.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=10 * 60)
# A failed send is tried again after OUTBOX_RETRY_SECONDS, doubling each time, at most
# OUTBOX_RETRY_MAX_SECONDS apart, OUTBOX_MAX_RETRIES times (about a day with the defaults).
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=4 * 3600)
OUTBOX_MAX_RETRIES = env.int("OUTBOX_MAX_RETRIES", default=10)
# A running report export whose build has not said it is alive for this long (its worker
# died) is failed and its temporary file removed; the build says so every few seconds.
REPORT_EXPORT_STALE_SECONDS = env.int("REPORT_EXPORT_STALE_SECONDS", default=60)
REPORT_EXPORT_HEARTBEAT_SECONDS = env.int("REPORT_EXPORT_HEARTBEAT_SECONDS", default=10)
# Temporary files of builds, on storage every worker and beat see (the private media).
REPORT_EXPORT_TMP_DIR = Path(
    env("REPORT_EXPORT_TMP_DIR", default=str(PRIVATE_MEDIA_ROOT / "exports-tmp"))
)
CELERY_BEAT_SCHEDULE |= {
    # Following (consult.notifications): "closes in 3 days" is checked every hour (each
    # consultation fanned out once); agency staff's digest at 07:00 Vietnam time.
    "notifications-closing-soon": {
        "task": "consult.notifications.tasks.closing_soon",
        "schedule": crontab(minute=5),
    },
    "notifications-staff-digest": {
        "task": "consult.notifications.tasks.staff_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    "outbox-drain": {"task": "econsult.outbox.tasks.outbox_drain", "schedule": 60},
    "report-exports-reap": {
        "task": "consult.tasks.report_exports_reap",
        "schedule": max(5, min(30, REPORT_EXPORT_STALE_SECONDS // 2)),
    },
    # Reminders of agencies' opinions due (Law 64/2025 Art. 30): 3 days before the deadline and
    # on its day; hourly, and idempotent (one outbox key per invitation, moment and person).
    "opinion-reminders": {"task": "consult.opinions.tasks.opinion_reminders", "schedule": 3600},
}

# Search: Elasticsearch when its URL is set, the database otherwise. Wagtail's page search goes
# through econsult.wagtail_search, which also looks for the folded query ("dien anh").
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
SEARCH_INDEX_PREFIX = env("SEARCH_INDEX_PREFIX", default="econsult")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "econsult.wagtail_search",
            "WRAPPED": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": f"{SEARCH_INDEX_PREFIX}-wagtail",
            "TIMEOUT": 5,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "econsult.wagtail_search",
            "WRAPPED": "wagtail.search.backends.database",
        }
    }

WAGTAIL_SITE_NAME = "eConsultation"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "xlsx", "odt", "txt"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Label used in the demo and the interface for the product.
SITE_NAME = _("eConsultation")
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Log-in lockout and Content-Security-Policy (their apps, middleware and backend are above).
# Log-in failures (django-axes), counted per (account, network address): after
# LOGIN_FAILURE_LIMIT wrong passwords that pair is refused for LOGIN_COOLOFF_MINUTES, even with
# the right password, while the owner still signs in from any other address. The same on the
# public sign-in (/tai-khoan/login/), Wagtail's (/admin/login/) and Django's admin log-in.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "econsult.login_lock.login_key"
# The proxy sets REMOTE_ADDR (see the README), as for the comment rate limit.
AXES_CLIENT_IP_CALLABLE = "econsult.login_lock.client_address"
AXES_LOCKOUT_CALLABLE = "econsult.login_lock.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Trying again while locked out does not push the end of the cool-off further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# allauth's own "login_failed" limit counts per login name from every address, so it refuses
# the owner's right password everywhere; django-axes replaces it. Its other limits stay.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# Sign-up and password reset never say whether an address has an account: the owner of an
# existing address gets an e-mail instead (see econsult.account_forms.SignupForm).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "econsult.account_forms.SignupForm"}

# Content-Security-Policy (django-csp 4): scripts and style sheets only from this site; an
# inline <script> or <style> runs only with the request's nonce (`{% csp_nonce %}` or
# `request.csp_nonce`); no style="" attributes (bars are sized by <svg width="N%">). Wagtail 8's
# admin needs nothing more: tests/e2e/test_csp.py walks it in Chromium.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Signing in with the national provider posts here and is redirected there.
        "form-action": [SELF, *origin_of(OIDC_ISSUER_URL)],
    }
}
# Wagtail's admin would otherwise load staff avatars from gravatar.com and ask wagtail.org for
# new releases from every superuser's browser: both outside hosts the policy refuses.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# A form sent without a valid security token (an expired session, a sign-in in another tab)
# gets a page in the site's layout and language, not Django's bare English one.
CSRF_FAILURE_VIEW = "econsult.errors.csrf_failure"
