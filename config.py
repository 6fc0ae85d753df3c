"""Configuration classes. Every setting can be overridden from the environment.

`create_app` applies, in order: the class defaults below, then `environment_overrides()`
(read when the app is created, not when this module is imported), then any dict it was given.
"""

import json
import os

# Keys that have been public (in this repository's history); never accepted.
PUBLIC_SECRET_KEYS = frozenset({"dev-only-change-me"})
MIN_SECRET_KEY_LENGTH = 32


class Config:
    # No built-in key: every start needs a strong SECRET_KEY from the environment, except
    # DevelopmentConfig, which keeps a random one in instance/secret_key (see create_app).
    SECRET_KEY = None
    GENERATE_SECRET_KEY = False
    # None means "a SQLite file in the instance folder"; create_app fills it in.
    SQLALCHEMY_DATABASE_URI = None
    # hide_parameters: SQL parameters (answer text) never appear in logs or error messages.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    # PostgreSQL connections each worker process may hold: DB_POOL_SIZE kept open, plus up
    # to DB_MAX_OVERFLOW more at busy moments (None: SQLAlchemy's 5 and 10). Budget them
    # across every worker of every machine against max_connections (README, "Production").
    DB_POOL_SIZE = None
    DB_MAX_OVERFLOW = None

    # Locale codes as Babel spells them; the first is the source language of all content.
    LANGUAGES = ["en", "es", "pt_BR", "zh_Hans", "ht", "ar"]
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    DISTRICT_TIMEZONE = "America/New_York"
    DISTRICT_NAME = "Belmont Public Schools"
    # The district's name in each language, where it has one; used only while "en" here
    # matches DISTRICT_NAME (another district's name is never shown with Belmont's).
    DISTRICT_NAMES = {
        "en": "Belmont Public Schools",
        "es": "Escuelas Públicas de Belmont",
        "pt_BR": "Escolas Públicas de Belmont",
        "zh_Hans": "贝尔蒙特公立学校",
        "ht": "Lekòl Piblik Belmont",
        "ar": "مدارس بلمونت العامة",
    }
    # The contact block on every family page (each line shown only when set). Production
    # sets the district's real numbers and address in the environment.
    DISTRICT_CONTACT_PHONE = None
    DISTRICT_CONTACT_EMAIL = None
    INTERPRETER_PHONE = None
    # The district's theme classifier (`flask themes train`); None means
    # instance/theme_model.npz, "" means none is used.
    THEME_MODEL_PATH = None
    # The district's own LibreTranslate server, for machine drafts of quotes' English
    # renderings (engagement.machine_translation). None: nothing is ever sent anywhere.
    LIBRETRANSLATE_URL = None
    LIBRETRANSLATE_API_KEY = None

    # Small-group protection: no count, share or quote built from fewer respondents is shown.
    # MIN_GROUP_SIZE inside the staff workspace; REPORT_MIN_GROUP_SIZE for the Commitment 4
    # report and anything published (DESE VOCAL survey reporting rules: no item with fewer
    # than 10 respondents is reported).
    MIN_GROUP_SIZE = 5
    REPORT_MIN_GROUP_SIZE = 10

    # Demo responses (`flask demo`, loaded by `make run`) are made up. They count in
    # summaries, reports and exports only where this is on: the one-machine trial turns it on
    # so that its pages have something to show; everywhere else they are left out, and a
    # banner on every staff page says they are there until `flask demo --remove`.
    COUNT_DEMO_DATA = False

    # Request and field limits. Bodies above MAX_CONTENT_LENGTH get a 413 page.
    MAX_CONTENT_LENGTH = 256 * 1024
    OPEN_TEXT_MAX_LENGTH = 2000

    # Rate limits (Flask-Limiter syntax). Point RATELIMIT_STORAGE_URI at Redis when several
    # workers or machines serve the app, so that they share one count.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = "engagement"
    # If Redis goes away, count in memory for a while rather than refuse a family's answer.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    # Each limit counts per client address, and its key names that address: with fixed
    # windows a key lives in Redis no longer than its window, so windows stay short (15
    # minutes at most; a per-day window would keep addresses for a day). The submit limit is
    # a high last line, not the abuse control: a family night on a school's Wi-Fi sends many
    # families' answers from one address, and 60 of them within a minute must all get in.
    RATELIMIT_STRATEGY = "fixed-window"
    SUBMIT_RATE_LIMIT = "120 per minute;600 per 10 minutes"
    LOGIN_RATE_LIMIT = "10 per minute;20 per 15 minutes"

    # The family form: each page view gets a one-time token the server signs, valid this
    # many hours; a form sent sooner than FORM_MIN_SECONDS after its page was served is held
    # for staff review (machine speed), as is a written answer sent DUPLICATE_TEXT_LIMIT or
    # more times to one engagement within DUPLICATE_TEXT_MINUTES. Held answers are stored
    # but not counted until staff release them.
    FORM_TOKEN_HOURS = 24
    FORM_MIN_SECONDS = 3
    DUPLICATE_TEXT_LIMIT = 3
    DUPLICATE_TEXT_MINUTES = 10

    # Staff sessions: a signed cookie naming a server-side session row. It ends at sign-out,
    # SESSION_MINUTES after sign-in, or SESSION_IDLE_MINUTES after the last request.
    SESSION_MINUTES = 8 * 60
    SESSION_IDLE_MINUTES = 30
    # A set-password link made by an administrator (or `flask users link`, on
    # PUBLIC_BASE_URL) works once, for this many hours.
    SET_PASSWORD_LINK_HOURS = 72
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Strict-Transport-Security max-age, sent only on HTTPS requests (0 turns it off).
    HSTS_SECONDS = 365 * 24 * 3600
    # Number of reverse proxies / load balancers in front of the app (X-Forwarded-* trust).
    TRUSTED_PROXIES = 0
    # The address families use, e.g. https://voice.district.org. Every absolute link (flyers,
    # QR codes) is built on it, never on the Host header of a request. The default is the
    # development server's address (`make run`); production refuses to start without it.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    # Flask's TRUSTED_HOSTS: the host names the app answers to; any other Host header gets a
    # 400. None accepts any host, except in production, where the default is the host of
    # PUBLIC_BASE_URL. A leading dot allows subdomains (".district.org").
    TRUSTED_HOSTS = None
    REQUIRE_PUBLIC_BASE_URL = False
    WTF_CSRF_TIME_LIMIT = 24 * 3600

    # The "needs follow-up" queue: an item not done this many school days (Monday to Friday
    # in DISTRICT_TIMEZONE) after it came in is overdue.
    FOLLOW_UP_SCHOOL_DAYS = 2

    # Retention: `flask purge` removes responses older than this many days (0 keeps all).
    RETENTION_DAYS = 0

    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/csv", "image/svg+xml"]
    COMPRESS_MIN_SIZE = 500
    # Streamed responses (static files) are not compressed on the fly: Flask-Compress would
    # leave the file open, and fingerprinted files are cached by browsers for a year anyway.
    COMPRESS_STREAMS = False
    COMPRESS_ALGORITHM = ["gzip"]
    SEND_FILE_MAX_AGE_DEFAULT = 0
    LOG_LEVEL = "INFO"

    # Commitment 4 report: enrollment baseline and the district's targets (JSON file path);
    # None uses engagement/data/report_targets.json.
    REPORT_TARGETS_FILE = None


class DevelopmentConfig(Config):
    """A trial on one machine (`make run`): a random key is made once in instance/."""

    GENERATE_SECRET_KEY = True
    COUNT_DEMO_DATA = True
    # Fictional contacts (555-01xx numbers and example.org are reserved for examples).
    DISTRICT_CONTACT_PHONE = "617-555-0100"
    DISTRICT_CONTACT_EMAIL = "family-voice@district.example.org"
    INTERPRETER_PHONE = "617-555-0199"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    PUBLIC_BASE_URL = "http://localhost"  # the test client's host
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    # Test clients send a form the moment they read it; tests of machine speed set it.
    FORM_MIN_SECONDS = 0
    DISTRICT_CONTACT_PHONE = "617-555-0100"
    DISTRICT_CONTACT_EMAIL = "family-voice@district.example.org"
    INTERPRETER_PHONE = "617-555-0199"
    # No classifier unless a test trains one into its own folder.
    THEME_MODEL_PATH = ""


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "https"
    # No default address: flyers printed with a wrong one cannot be recalled.
    PUBLIC_BASE_URL = None
    REQUIRE_PUBLIC_BASE_URL = True


CONFIGS = {
    "Config": Config,
    "DevelopmentConfig": DevelopmentConfig,
    "TestingConfig": TestingConfig,
    "ProductionConfig": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

# Environment variable -> (setting, parser). DATABASE_URL is the conventional name.
_ENV = {
    "SECRET_KEY": ("SECRET_KEY", str),
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "LANGUAGES": ("LANGUAGES", lambda v: [x.strip() for x in v.split(",") if x.strip()]),
    "DISTRICT_TIMEZONE": ("DISTRICT_TIMEZONE", str),
    "DISTRICT_NAME": ("DISTRICT_NAME", str),
    "DISTRICT_NAMES": ("DISTRICT_NAMES", json.loads),
    "DISTRICT_CONTACT_PHONE": ("DISTRICT_CONTACT_PHONE", str),
    "DISTRICT_CONTACT_EMAIL": ("DISTRICT_CONTACT_EMAIL", str),
    "INTERPRETER_PHONE": ("INTERPRETER_PHONE", str),
    "LIBRETRANSLATE_URL": ("LIBRETRANSLATE_URL", str),
    "LIBRETRANSLATE_API_KEY": ("LIBRETRANSLATE_API_KEY", str),
    "MIN_GROUP_SIZE": ("MIN_GROUP_SIZE", int),
    "REPORT_MIN_GROUP_SIZE": ("REPORT_MIN_GROUP_SIZE", int),
    "COUNT_DEMO_DATA": ("COUNT_DEMO_DATA", lambda v: v.lower() in {"1", "true", "yes"}),
    "MAX_CONTENT_LENGTH": ("MAX_CONTENT_LENGTH", int),
    "OPEN_TEXT_MAX_LENGTH": ("OPEN_TEXT_MAX_LENGTH", int),
    "DB_POOL_SIZE": ("DB_POOL_SIZE", int),
    "DB_MAX_OVERFLOW": ("DB_MAX_OVERFLOW", int),
    "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "RATELIMIT_KEY_PREFIX": ("RATELIMIT_KEY_PREFIX", str),
    "RATELIMIT_ENABLED": ("RATELIMIT_ENABLED", lambda v: v.lower() in {"1", "true", "yes"}),
    "SUBMIT_RATE_LIMIT": ("SUBMIT_RATE_LIMIT", str),
    "LOGIN_RATE_LIMIT": ("LOGIN_RATE_LIMIT", str),
    "FORM_TOKEN_HOURS": ("FORM_TOKEN_HOURS", float),
    "FORM_MIN_SECONDS": ("FORM_MIN_SECONDS", float),
    "DUPLICATE_TEXT_LIMIT": ("DUPLICATE_TEXT_LIMIT", int),
    "DUPLICATE_TEXT_MINUTES": ("DUPLICATE_TEXT_MINUTES", int),
    "SESSION_MINUTES": ("SESSION_MINUTES", int),
    "SESSION_IDLE_MINUTES": ("SESSION_IDLE_MINUTES", int),
    "SET_PASSWORD_LINK_HOURS": ("SET_PASSWORD_LINK_HOURS", int),
    "PUBLIC_BASE_URL": ("PUBLIC_BASE_URL", str),
    "SESSION_COOKIE_SECURE": (
        "SESSION_COOKIE_SECURE",
        lambda v: v.lower() in {"1", "true", "yes"},
    ),
    "RETENTION_DAYS": ("RETENTION_DAYS", int),
    "FOLLOW_UP_SCHOOL_DAYS": ("FOLLOW_UP_SCHOOL_DAYS", int),
    "TRUSTED_PROXIES": ("TRUSTED_PROXIES", int),
    "TRUSTED_HOSTS": (
        "TRUSTED_HOSTS",
        lambda v: [x.strip() for x in v.split(",") if x.strip()],
    ),
    "HSTS_SECONDS": ("HSTS_SECONDS", int),
    "LOG_LEVEL": ("LOG_LEVEL", str),
    "REPORT_TARGETS_FILE": ("REPORT_TARGETS_FILE", str),
    "THEME_MODEL_PATH": ("THEME_MODEL_PATH", str),
}


def environment_overrides(environ=None):
    """Return the settings named in the environment, parsed to their types."""
    environ = os.environ if environ is None else environ
    return {key: parse(environ[var]) for var, (key, parse) in _ENV.items() if var in environ}


def pool_options(config) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS with DB_POOL_SIZE and DB_MAX_OVERFLOW applied (PostgreSQL;
    SQLite, on one machine, keeps its own pool)."""
    options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    if not str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        return options
    for setting, option in (("DB_POOL_SIZE", "pool_size"), ("DB_MAX_OVERFLOW", "max_overflow")):
        if config.get(setting) is not None:
            options[option] = config[setting]
    return options
