"""Tests: DATABASE_URL when set (PostgreSQL in CI), SQLite otherwise; fast hashing."""

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = BASE_DIR / ".test-media"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests queue tasks eagerly unless a test starts a real worker on purpose.
CELERY_TASK_ALWAYS_EAGER = True
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-media" / "private"

# Outbox and export watchdog: e-mails leave the outbox into Django's test mailbox.
POST_OFFICE = {"BACKENDS": {"default": EMAIL_BACKEND}, "CELERY_ENABLED": False}
REPORT_EXPORT_TMP_DIR = PRIVATE_MEDIA_ROOT / "exports-tmp"
