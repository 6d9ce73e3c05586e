"""Django settings for Peer Support Hub. Every value that varies between machines comes from the
environment; `.env.example` documents each variable."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from peerhub.config import database_from_url, env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'peerhub.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "peerhub.core",
    "peerhub.accounts",
    "peerhub.audit",
    "peerhub.search",
    "peerhub.library",
    "peerhub.whatmatters",
    "peerhub.directory",
    "peerhub.stories",
    "peerhub.freshness",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # axes must be last: it turns locked-out logins into a clear page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peerhub.urls"
WSGI_APPLICATION = "peerhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peerhub.core.context_processors.site",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# Login rate limiting (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_HTTP_RESPONSE_CODE = 429  # "Too Many Requests", so clients and monitoring see a rate limit

EMAIL_BACKEND_NAME = env_choice(
    "EMAIL_BACKEND", "console", {name: name for name in ("console", "smtp", "locmem", "file")}
)
EMAIL_BACKEND_MODULE = {"file": "filebased"}.get(EMAIL_BACKEND_NAME, EMAIL_BACKEND_NAME)
EMAIL_OPTIONS = {
    "console": {},
    "locmem": {},
    "file": {"file_path": str(BASE_DIR / "var" / "email")},
    "smtp": {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 10,
    },
}
MAILERS = {
    "default": {
        "BACKEND": f"django.core.mail.backends.{EMAIL_BACKEND_MODULE}.EmailBackend",
        "OPTIONS": EMAIL_OPTIONS[EMAIL_BACKEND_NAME],
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Peer Support Hub <hub@localhost>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# The NHS.UK design system and htmx come from npm (installed by make, never committed).
STATICFILES_DIRS = [
    BASE_DIR / "build" / "static",  # our compiled NHS.UK stylesheet (make builds it)
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# A strict Content Security Policy (Django 6's built-in middleware): only our own scripts,
# styles and images; no inline script, no third-party frames.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None

# Background jobs run on Django's tasks framework. "database" (the default) stores them for the
# django-tasks-db worker (`peerhub db_worker`, started by `make run`); "immediate" runs each job
# inside the request or command that enqueues it (the test suite, or a machine with no worker).
TASKS_BACKEND = env_choice("TASKS_BACKEND", "database", {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
})
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}

# Freshness (peerhub.freshness): harvesting saved searches, checking links, the digest.
# Bibliographic services ask for a contact address in the User-Agent of automated clients.
HARVEST_CONTACT_EMAIL = env_str("HARVEST_CONTACT_EMAIL", "") or ""
HARVEST_TIMEOUT_SECONDS = env_int("HARVEST_TIMEOUT_SECONDS", 30)
HARVEST_MAX_TRIES = env_int("HARVEST_MAX_TRIES", 4)
LINK_CHECK_TIMEOUT_SECONDS = env_int("LINK_CHECK_TIMEOUT_SECONDS", 15)
LINK_CHECK_PER_HOST = env_int("LINK_CHECK_PER_HOST", 2)
LINK_CHECK_CONCURRENCY = env_int("LINK_CHECK_CONCURRENCY", 10)
LINK_CHECK_INTERVAL_DAYS = env_int("LINK_CHECK_INTERVAL_DAYS", 7)
LINK_FLAG_AFTER_FAILURES = 2  # a link failing twice in a row is flagged to curators
DIGEST_INTERVAL_DAYS = env_int("DIGEST_INTERVAL_DAYS", 7)

# Where the shared reference data sets live (demo catalogue, benchmarks).
SHARED_DATA_DIR = Path(env_str("PEERHUB_SHARED_DIR", str(BASE_DIR.parent / "shared")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    # httpx logs every request of harvesting and link checking at INFO: too much for the console.
    "loggers": {"httpx": {"level": "WARNING"}},
}

FORM_RENDERER = "peerhub.core.forms.NHSFormRenderer"
