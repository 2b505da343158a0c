"""Configuration classes, read from the environment.

`create_app()` picks one by the EVENTSITE_CONFIG variable (development, production, testing);
every value an operator may need to change is an environment variable, documented in
docs/configuration.md.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

# The value the development config falls back to; production refuses to run with it.
DEFAULT_SECRET_KEY = "dev-insecure-change-me"


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_optional_int(name: str) -> int | None:
    """The variable as an int, or None when it is unset or empty (so "not stated" is visible)."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else None


def instance_dir() -> Path:
    """The folder for the SQLite database, uploads and backups: EVENTSITE_INSTANCE, else instance/
    in the current directory (the checkout under `make run`, the service's working directory when
    installed from the wheel; never inside the installed package)."""
    return Path(os.environ.get("EVENTSITE_INSTANCE") or "instance").resolve()


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance_dir() / 'eventsite.sqlite'}")
    # Heroku-style and plain URLs name the driver implicitly; we ship psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Links in emails are built from this host, never from a request's Host header.
    SERVER_NAME = os.environ.get("SERVER_NAME") or None
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS") or None
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers we trust.
    PROXY_COUNT = _env_int("PROXY_COUNT", 0)

    # Sessions: hours, not weeks; no remember-me cookie at all.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_env_int("SESSION_HOURS", 8))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_NAME = "eventsite_session"
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)

    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # Languages: the locale every page falls back to, and the zone dates are shown in.
    LANGUAGES = ("en", "zh")
    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "en")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("DEFAULT_TIMEZONE", "Asia/Shanghai")

    # Mail. Without MAIL_SERVER the worker keeps messages for the admin outbox page.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 30)
    # smtplib's protocol dump on stderr; Flask-Mail would otherwise turn it on with DEBUG.
    MAIL_DEBUG = _env_bool("MAIL_DEBUG", False)
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Alliance Secretariat <secretariat@eventsite.invalid>"
    )
    MAIL_REPLY_TO = os.environ.get("MAIL_REPLY_TO") or None
    MAIL_WORKER_INTERVAL = float(os.environ.get("MAIL_WORKER_INTERVAL", "5"))
    MAIL_BATCH_SIZE = _env_int("MAIL_BATCH_SIZE", 50)
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 12)
    # Files sent with a message to a group (mail/uploads.py): bytes per file, in all, and how many.
    MAIL_ATTACHMENT_MAX_BYTES = _env_int("MAIL_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
    MAIL_ATTACHMENTS_MAX_TOTAL = _env_int("MAIL_ATTACHMENTS_MAX_TOTAL", 10 * 1024 * 1024)
    MAIL_ATTACHMENTS_MAX_FILES = _env_int("MAIL_ATTACHMENTS_MAX_FILES", 10)

    # Login throttling (stored in the database, so it holds across app processes).
    LOGIN_MAX_FAILURES = _env_int("LOGIN_MAX_FAILURES", 5)
    LOGIN_WINDOW_MINUTES = _env_int("LOGIN_WINDOW_MINUTES", 15)
    LOGIN_LOCK_MINUTES = _env_int("LOGIN_LOCK_MINUTES", 15)
    # How long a browser that logged in stays known to the account (accounts/devices.py).
    LOGIN_DEVICE_DAYS = _env_int("LOGIN_DEVICE_DAYS", 180)
    # Password-reset emails one address may be sent within LOGIN_WINDOW_MINUTES.
    RESET_MAX_REQUESTS = _env_int("RESET_MAX_REQUESTS", 3)

    # Lifetimes of emailed links.
    PASSWORD_RESET_HOURS = _env_int("PASSWORD_RESET_HOURS", 2)
    ACTIVATION_HOURS = _env_int("ACTIVATION_HOURS", 72)

    # Delegates' personal details are erased this many days after their event ends (0: never
    # automatically; admins can still erase by hand). See docs/privacy.md.
    PRIVACY_RETENTION_DAYS = _env_int("PRIVACY_RETENTION_DAYS", 180)

    # Public pages kept rendered for anonymous readers (core/pagecache.py, docs/performance.md):
    # a write bumps the versions of what it changes, so pages showing it are rebuilt at once; this
    # bounds what no write announces (an event passing into the archive). 0 turns it off.
    PAGE_CACHE_SECONDS = _env_int("PAGE_CACHE_SECONDS", 30)
    # Flask-Caching: kept pages per app process, or shared by every process in Redis.
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or None
    CACHE_TYPE = os.environ.get("CACHE_TYPE") or ("RedisCache" if CACHE_REDIS_URL else "SimpleCache")
    CACHE_KEY_PREFIX = "eventsite:"

    # The site's own name in each language (tab titles, the menu, emails, calendar names), and
    # optionally its logo and favicon: files in the instance folder (or absolute paths).
    SITE_NAME_EN = os.environ.get("SITE_NAME_EN", "City Alliance Events")
    SITE_NAME_ZH = os.environ.get("SITE_NAME_ZH", "城市联盟活动")
    SITE_LOGO = os.environ.get("SITE_LOGO") or None
    SITE_FAVICON = os.environ.get("SITE_FAVICON") or None
    SITE_STYLESHEET = os.environ.get("SITE_STYLESHEET") or None
    # The letterhead of invitation letters (letters/document.py, docs/letters.md): the secretariat's
    # address and the signatory per language (newlines as "\n"), and optionally images of the
    # signature and the seal (files in the instance folder or absolute paths; the logo is SITE_LOGO).
    LETTER_SECRETARIAT_ADDRESS_EN = os.environ.get("LETTER_SECRETARIAT_ADDRESS_EN", "")
    LETTER_SECRETARIAT_ADDRESS_ZH = os.environ.get("LETTER_SECRETARIAT_ADDRESS_ZH", "")
    LETTER_SIGNATORY_EN = os.environ.get("LETTER_SIGNATORY_EN", "The Secretariat")
    LETTER_SIGNATORY_ZH = os.environ.get("LETTER_SIGNATORY_ZH", "秘书处")
    LETTER_SIGNATURE = os.environ.get("LETTER_SIGNATURE") or None
    LETTER_SEAL = os.environ.get("LETTER_SEAL") or None

    # "Add to calendar" links to online services, per reader's language (comma-separated, from
    # google, outlook, office365; empty: none). Google and Outlook are blocked in mainland China,
    # so Chinese readers get none by default; the .ics download and webcal subscription always show.
    CALENDAR_LINKS_EN = os.environ.get("CALENDAR_LINKS_EN", "google,outlook,office365")
    CALENDAR_LINKS_ZH = os.environ.get("CALENDAR_LINKS_ZH", "")

    # Keys that encrypt travel documents at rest (eventsite/core/crypto.py), comma-separated Fernet
    # keys; the first encrypts, all decrypt. Development and tests derive one from SECRET_KEY;
    # production refuses to start without them. Back them up apart from the database backups.
    DATA_ENCRYPTION_KEYS = _env_list("DATA_ENCRYPTION_KEYS")

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None

    @classmethod
    def check(cls, config: dict) -> None:
        """Refuse configurations that are unsafe for this environment (overridden below)."""


class DevelopmentConfig(Config):
    DEBUG = _env_bool("FLASK_DEBUG", True)
    # A developer editing a template wants to see it on the next reload, not 30 seconds later.
    PAGE_CACHE_SECONDS = _env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 30)
    SERVER_NAME = Config.SERVER_NAME or f"127.0.0.1:{os.environ.get('PORT', '5000')}"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SERVER_NAME = "eventsite.test"
    TRUSTED_HOSTS = None
    MAIL_SERVER = None
    MAIL_DEFAULT_SENDER = "Alliance Secretariat <secretariat@eventsite.test>"
    MAIL_REPLY_TO = "secretariat@eventsite.test"
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # cheap scrypt keeps the suite fast
    # Tests read what a page shows as built; tests/core/test_pagecache.py turns keeping on and
    # checks that every kind of write a kept page shows reaches its next read.
    PAGE_CACHE_SECONDS = 0


class ProductionConfig(Config):
    DEBUG = False
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")
    # No default: guessing wrong either trusts forged X-Forwarded-For headers (too high) or,
    # behind a proxy, gives every user the proxy's address (0), so one user's failed logins
    # would slow everyone. The operator must say how many proxies there are (0 is an answer).
    PROXY_COUNT = _env_optional_int("PROXY_COUNT")

    @classmethod
    def check(cls, config: dict) -> None:
        problems = []
        if config.get("DEBUG"):
            problems.append("DEBUG is on; unset FLASK_DEBUG in production")
        key = config.get("SECRET_KEY")
        if not key or key == DEFAULT_SECRET_KEY or len(key) < 32:
            problems.append(
                "SECRET_KEY is missing, the development default, or shorter than 32 characters; "
                'generate one with: python -c "import secrets; print(secrets.token_hex(32))"'
            )
        if not config.get("TRUSTED_HOSTS"):
            problems.append(
                "TRUSTED_HOSTS is empty; set it to the comma-separated host names the site is served "
                "under (e.g. events.example.org)"
            )
        if not config.get("SERVER_NAME"):
            problems.append("SERVER_NAME is empty; links in emails need the public host name")
        from eventsite.core.crypto import key_problem
        if problem := key_problem(config.get("DATA_ENCRYPTION_KEYS") or []):
            problems.append(problem)
        proxies = config.get("PROXY_COUNT")
        if not isinstance(proxies, int) or isinstance(proxies, bool) or proxies < 0:
            problems.append(
                "PROXY_COUNT is not set; set it to the number of reverse proxies in front of the app "
                "(0 when clients connect directly, 1 behind one nginx)"
            )
        if problems:
            raise RuntimeError("Refusing to start in production: " + "; ".join(problems) + ".")


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}
