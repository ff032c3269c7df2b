"""Settings for newsportal, read from the environment (SPEC §7).

The defaults give a working local site: SQLite, local-memory cache, mail
printed to the console. Production differs only by environment values.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long "
            "random value (or DEBUG=true for local development)."
        )
    # Local development only: DEBUG is on, so the site is not public.
    SECRET_KEY = "django-insecure-local-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "newsportal.admin.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "django_prose_editor",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "reversion",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "editions",
    "articles",
    "partners",
    "subscriptions",
    "demo",
    "axes",
    "django_prometheus",
]

MIDDLEWARE = [
    # Before everything: the request id, and one log line and one latency
    # observation per request (hits too). A clock read and a log call, no more.
    "newsportal.logs.RequestLogMiddleware",
    # Counts article views ("Most read"), cached pages too: outside the cache.
    "articles.mostread.ViewCountMiddleware",
    # Then: a cached public page is answered before the rest runs (its
    # headers were kept when it was stored; it counts its own hits).
    "articles.pagecache.PageCacheMiddleware",
    # django-prometheus measures the requests the app renders, after the
    # page cache, so that its hits stay cheap.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The request's edition, and its language while the page renders.
    "editions.middleware.EditionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsportal.middleware.DatabaseUnavailableMiddleware",
    # After it: a failed replica query is answered again from the primary.
    "newsportal.replica.ReplicaMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsportal.urls"
WSGI_APPLICATION = "newsportal.wsgi.application"

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
                "csp.context_processors.nonce",
                "articles.context_processors.agency",
                "editions.context_processors.edition",
            ],
        },
    },
]

# Database: DATABASE_URL, SQLite by default.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A PostgreSQL streaming replica (DATABASE_REPLICA_URL) takes the anonymous
# public reads and the partner API; staff, the admin, writes and
# transactions stay on the primary (newsportal/replica.py). Without it
# everything is on the default database.
if _replica_url := env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db_url_config(_replica_url),
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
        # The tests' replica is the test database itself.
        "TEST": {"MIRROR": "default"},
    }
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASE_ROUTERS = ["newsportal.replica.ReplicaRouter"]
# Reads go to the primary while the replica's replay lag is past this...
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=10.0)
# ...measured at most this often per process (the answer is kept between).
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=3.0)
# A client that wrote (POST, ...) reads from the primary for this long.
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=15)
# A change's second page-cache invalidation waits until the replica has
# replayed the commit (pages rendered from the replica before that are not
# kept fresh), at most this long: a replica further behind is counted as
# down until its next check, so an editor's save never waits longer.
REPLICA_COMMIT_WAIT_SECONDS = env.float("REPLICA_COMMIT_WAIT_SECONDS", default=1.0)
PUBLIC_PAGE_COMMIT_WAIT = (
    "newsportal.replica.replica_catch_up_wait" if "replica" in DATABASES else ""
)

# "Most read": article views are added up in each process and written to
# the cache at most this often (one round trip for all of them).
MOST_READ_FLUSH_SECONDS = env.float("MOST_READ_FLUSH_SECONDS", default=1.0)

# Cache: CACHE_URL, else REDIS_URL, else local memory.
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
CACHES = {
    "default": env.cache_url_config(_cache_url)
    if _cache_url
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis down or slow must not take the site down: misses at once instead.
    CACHES["default"]["BACKEND"] = "newsportal.cache.FailOpenRedisCache"

# Sessions live in the database, with the cache in front: a cache flush
# never logs the newsroom out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Mail: EMAIL_URL, printed to the console by default.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsportal <news@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Login throttling (django-axes, its attempts in the database, so it holds
# with Redis down): LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one address lock that pair out for LOGIN_LOCKOUT_MINUTES. Every login goes
# through authenticate(), so every login form is covered. Editors lift a
# lockout in the admin ("Access attempts": delete the row).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsportal.admin.login_locked_out"
# The same client address the rate limits count (RATELIMIT_IP_META_KEY).
AXES_CLIENT_IP_CALLABLE = "newsportal.admin.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The main edition's language; the others (editions.Edition) live under
# their prefix (/ru/…) or, with EDITION_ROUTING = "host", on their own host.
LANGUAGE_CODE = "en"
EDITION_ROUTING = env.str("EDITION_ROUTING", default="prefix")
if EDITION_ROUTING not in ("prefix", "host"):
    raise ImproperlyConfigured('EDITION_ROUTING is "prefix" or "host".')
# How long a process trusts its copy of the editions (they rarely change).
EDITIONS_CACHE_SECONDS = env.int("EDITIONS_CACHE_SECONDS", default=60)
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Minsk")
USE_I18N = True
# The interface in each edition's language (locale/<lang>/LC_MESSAGES), and
# dates written as each language writes them (newsportal/formats/<lang>).
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsportal.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "webroot"
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Media in object storage (MEDIA_STORAGE=s3): uploads and their renditions
# in an S3 bucket (AWS S3, MinIO, ...), served at MEDIA_URL by the proxy in
# front (deploy/nginx.conf passes /media/ to the bucket) or a CDN. The local
# disk (MEDIA_ROOT) stays the default.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    from botocore.config import Config as _S3Config

    STORAGES["default"] = {
        "BACKEND": "newsportal.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default="newsportal-media"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="us-east-1"),
            # Public objects at stable addresses; names are never reused.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
            # A bucket that does not answer fails an upload within seconds
            # (a form error), not after botocore's minute of retries.
            "client_config": _S3Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                connect_timeout=env.float("AWS_S3_CONNECT_TIMEOUT", default=2.0),
                read_timeout=env.float("AWS_S3_READ_TIMEOUT", default=5.0),
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE is 'filesystem' or 's3', not {MEDIA_STORAGE!r}.")
# Where `manage.py backup` makes its archive folders (docs/DEPLOY.md, Backups).
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security baseline (SPEC §8): strict CSP, no inline scripts anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # No inline <style>: the admin's rich-text editor gets its base rules
        # from static/css/admin-editor.css instead.
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Only behind a TLS-terminating proxy that sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health checks are answered over plain HTTP to the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Background jobs: Django's tasks API (django-tasks). The embedded default
# queues tasks in the database (`manage.py db_worker` runs them); production
# may use RQ on Redis instead (django-tasks-rq, TASKS_BACKEND=
# django_tasks_rq.RQBackend). Each app defines its tasks in <app>/tasks.py
# with @task; periodic ones are listed in PERIODIC_TASKS, which
# `manage.py run_scheduler` enqueues at their interval.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# RQ on Redis (TASKS_BACKEND=django_tasks_rq.RQBackend): the queue lives in
# TASKS_REDIS_URL (a Redis database of its own: a cache flush must not empty
# the queue); `manage.py task_worker` runs RQ's worker on it.
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        name: {"URL": env.str("TASKS_REDIS_URL", default="redis://127.0.0.1:6379/1")}
        for name in TASKS["default"]["QUEUES"]
    }
# /readyz says not ready when a task due to run has waited longer than this
# (seconds) for a worker: the workers are down or cannot keep up.
TASKS_STALE_SECONDS = env.int("TASKS_STALE_SECONDS", default=300)
# (dotted path of a task, interval in seconds)
PERIODIC_TASKS = [
    # Announces the scheduled articles whose time came (no save marks it).
    ("articles.tasks.article_publications_announce", 60),
    # Imports the partner feeds that are due (each feed has its own interval).
    ("partners.tasks.partner_feeds_import", 60),
    # Adds the partner API requests counted in the cache to the keys.
    ("partners.tasks.api_key_uses_flush", 60),
    # Adds the article views counted in the cache to "Most read".
    ("articles.tasks.most_read_fold", 60),
]

# Logs: one JSON object a line with the request id (LOG_FORMAT=json, the
# default without DEBUG) or plain lines (text); newsportal/logs.py.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT is 'json' or 'text', not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsportal.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "newsportal.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # The line per request (INFO): REQUEST_LOG_LEVEL=WARNING drops it and
    # keeps the rest; a page cache hit is then ~20 µs cheaper (bench/RESULTS.md).
    "loggers": {
        "newsportal.request": {
            "level": env.str("REQUEST_LOG_LEVEL", default=env.str("LOG_LEVEL", default="INFO"))
        }
    },
}

# /metrics (newsportal/metrics.py): from loopback without the proxy, or with
# "Authorization: Bearer <METRICS_TOKEN>" (Prometheus on another host).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# Errors to Sentry, only when SENTRY_DSN is set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,  # no reader's or editor's address or cookies
    )

# The agency itself: its name on pages and its short name in datelines
# ("MINSK, 23 March (NNA)").
AGENCY_NAME = env.str("AGENCY_NAME", default="National News Agency")
AGENCY_SHORT_NAME = env.str("AGENCY_SHORT_NAME", default="NNA")

# Uploaded photos: bytes and pixels accepted (decompression bombs are refused
# before the image is decoded).
IMAGE_MAX_UPLOAD_BYTES = env.int("IMAGE_MAX_UPLOAD_BYTES", default=15 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)

TAGGIT_CASE_INSENSITIVE = True

# How long a signed article preview link stays valid.
ARTICLE_PREVIEW_HOURS = env.int("ARTICLE_PREVIEW_HOURS", default=48)

# How long browsers and proxies may keep a public page before revalidating.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=60)
# Keep rendered public pages in the cache (articles/pagecache.py), each until
# what it shows changes. Use a shared cache (CACHE_URL/REDIS_URL) with several
# app servers, or each keeps its own and misses the others' invalidations.
PUBLIC_PAGE_CACHE = env.bool("PUBLIC_PAGE_CACHE", default=not DEBUG)
# A cached page is fresh for at most this long (and never past local midnight
# or the next scheduled publication)...
PUBLIC_PAGE_FRESH_SECONDS = env.int("PUBLIC_PAGE_FRESH_SECONDS", default=300)
# ...then served stale, while one request renders it again, for this long.
PUBLIC_PAGE_STALE_SECONDS = env.int("PUBLIC_PAGE_STALE_SECONDS", default=3600)
# Each app process answers a page it served a moment ago from its own memory
# for this long (0: always ask the shared cache); invalidations made by other
# processes reach it within this time.
PUBLIC_PAGE_LOCAL_SECONDS = env.float("PUBLIC_PAGE_LOCAL_SECONDS", default=1.0)

# Subscriptions (SPEC §6). Mails are sent by workers, outside any request:
# SITE_URL is the address their links point at.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The subscribe form's limits (django-ratelimit rates; counted in the cache,
# so shared between app servers only with a shared cache such as Redis).
SUBSCRIPTIONS_RATE_PER_IP = env.str("SUBSCRIPTIONS_RATE_PER_IP", default="20/h")
SUBSCRIPTIONS_RATE_PER_ADDRESS = env.str("SUBSCRIPTIONS_RATE_PER_ADDRESS", default="3/h")
# Behind a proxy that sets it (and drops any the client sent), the request
# header with the client's address, e.g. HTTP_X_REAL_IP; else REMOTE_ADDR.
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="") or None
# With the cache down the subscribe form's limits let requests through (see
# README, "When Redis or PostgreSQL is down"); logins are limited in the
# database (django-axes), so they stay limited.
RATELIMIT_FAIL_OPEN = True
# Throwaway-address domains the form refuses (and their subdomains).
SUBSCRIPTIONS_REFUSED_DOMAINS = env.list(
    "SUBSCRIPTIONS_REFUSED_DOMAINS",
    default=[
        "mailinator.com",
        "guerrillamail.com",
        "sharklasers.com",
        "10minutemail.com",
        "temp-mail.org",
        "yopmail.com",
        "trashmail.com",
        "dispostable.com",
    ],
)
SUBSCRIPTIONS_CONFIRM_MAX_AGE = 3 * 24 * 60 * 60  # seconds a confirmation link works
SUBSCRIPTIONS_DIGEST_HOUR = env.int("SUBSCRIPTIONS_DIGEST_HOUR", default=7)  # local time
SUBSCRIPTIONS_DIGEST_MAX_ARTICLES = 20
SUBSCRIPTIONS_MAIL_BATCH = 100  # mails per SMTP connection
PERIODIC_TASKS += [
    ("subscriptions.tasks.breaking_alerts_send", 60),
    ("subscriptions.tasks.daily_digest_send", 10 * 60),
    ("subscriptions.tasks.weekly_digest_send", 10 * 60),
]

# Partners (SPEC §5). The partner API (Django REST Framework) answers JSON
# only; its OpenAPI document is /api/v1/openapi.json.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Each endpoint names its own (partner keys); none takes passwords.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{AGENCY_NAME} partner API",
    "DESCRIPTION": "News items as IPTC ninjs 3.1 and NewsML-G2 2.35, for partner agencies.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
# Requests per API key (DRF rate syntax: "1000/hour", "20/minute").
PARTNER_API_RATE = env.str("PARTNER_API_RATE", default="1000/hour")
# The usage terms sent with our own news (a partner's own terms go with its news).
PARTNER_USAGE_TERMS = env.str(
    "PARTNER_USAGE_TERMS",
    default=f"For publication by partners of {AGENCY_NAME}, with attribution.",
)
# The feed importer and webhook deliveries refuse addresses that are not
# public (loopback, private, link-local, ...) unless the host ("host" or
# "host:port") is listed here.
PARTNER_FEED_ALLOWED_HOSTS = env.list("PARTNER_FEED_ALLOWED_HOSTS", default=[])
PARTNER_FEED_MAX_BYTES = env.int("PARTNER_FEED_MAX_BYTES", default=5 * 1024 * 1024)
# Seconds: to connect and between two reads; and for a whole download.
PARTNER_FEED_TIMEOUT = env.float("PARTNER_FEED_TIMEOUT", default=10.0)
PARTNER_FEED_TOTAL_TIMEOUT = env.float("PARTNER_FEED_TOTAL_TIMEOUT", default=60.0)
# The date window of new imported items: older ones are skipped, ones later
# than now by more than the skew are dated at their import.
PARTNER_FEED_MAX_AGE_DAYS = env.int("PARTNER_FEED_MAX_AGE_DAYS", default=30)
PARTNER_FEED_FUTURE_SKEW_MINUTES = env.int("PARTNER_FEED_FUTURE_SKEW_MINUTES", default=15)
# Webhooks: a failed delivery is tried again after 1, 2, 4, ... times this
# many seconds, PARTNER_WEBHOOK_ATTEMPTS times in all, then marked failed.
PARTNER_WEBHOOK_RETRY_SECONDS = env.int("PARTNER_WEBHOOK_RETRY_SECONDS", default=60)
PARTNER_WEBHOOK_ATTEMPTS = env.int("PARTNER_WEBHOOK_ATTEMPTS", default=8)
# A WebSub hub (https://www.w3.org/TR/websub/): our feeds name it
# (rel="hub") and it is told of every change of the news; empty for none.
WEBSUB_HUB_URL = env.str("WEBSUB_HUB_URL", default="")
PERIODIC_TASKS += [
    # Sends the webhook deliveries whose next attempt is due.
    ("partners.tasks.webhook_deliveries_retry", 60),
]
