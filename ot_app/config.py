"""Configuration read from the environment, plus the test configuration."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / "secret_key"
    try:
        # O_EXCL: two gunicorn workers starting together must agree on one key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    except FileExistsError:
        pass
    key = path.read_text().strip()
    if not key:  # another worker is still writing it
        import time

        time.sleep(0.2)
        key = path.read_text().strip()
    return key


def _default_database_url() -> str:
    """SQLite file instance/ot.db; the folder is created here, a fresh clone does not have it."""
    INSTANCE.mkdir(exist_ok=True)
    return f"sqlite:///{INSTANCE / 'ot.db'}"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sí"}


class Config:
    SECRET_KEY = None  # filled lazily by create_app so tests never touch instance/
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _default_database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    DEBUG = _bool("FLASK_DEBUG")
    TESTING = False
    # Bodies above this size are refused with 413 (uploads are bounded).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024))
    # CSRF is checked by our own before_request: browser sessions always, bearer tokens never.
    WTF_CSRF_CHECK_DEFAULT = False
    # A page left open all day must still save: the token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    # Idle timeout: a session unused for this long is refused by the server, whatever the browser
    # keeps (see auth.security). PERMANENT_SESSION_LIFETIME follows it (set in security.init_app).
    SESSION_IDLE_HOURS = float(os.environ.get("SESSION_IDLE_HOURS", 8))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_IDLE_HOURS)
    SESSION_REFRESH_EACH_REQUEST = True
    # Login throttling (Flask-Limiter): failures counted per (username, client IP) pair, and per
    # client IP with a much higher ceiling (bad API tokens count there too). The count
    # lives in RATELIMIT_STORAGE_URI: "memory://" is per process; with several gunicorn workers or
    # hosts use a shared store, e.g. "redis://localhost:6379/0".
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_STRATEGY = "moving-window"
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", 10))
    LOGIN_IP_MAX_FAILURES = int(os.environ.get("LOGIN_IP_MAX_FAILURES", 100))
    # Large annex uploads one worker process reads at once (annexes/jobs.py); one more gets a 503.
    ANEXO_TRABAJOS_MAX = int(os.environ.get("ANEXO_TRABAJOS_MAX", 2))
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", 15))
    # The weekday cut-offs fall on (schedules/cortes.py) and weekly periods end on: lunes … domingo.
    CORTE_DIA_SEMANA = os.environ.get("CORTE_DIA_SEMANA", "viernes")
    # Behind nginx: how many proxies in front set X-Forwarded-For/-Proto (0 = trust no header).
    TRUST_PROXY_HOPS = int(os.environ.get("TRUST_PROXY_HOPS", 0))
    # Intranet over plain HTTP by default; FORCE_HTTPS=1 redirects to HTTPS and sends HSTS.
    FORCE_HTTPS = _bool("FORCE_HTTPS")
    # The office's time zone (an IANA name): what "today" is, and how pages show timestamps, which
    # are stored in UTC. The API keeps ISO 8601 with its offset.
    OFFICE_TIMEZONE = os.environ.get("OFFICE_TIMEZONE", "America/Mexico_City")
    # Never a traceback in an answer: unexpected errors get the Spanish 500 page and go to the log.
    PROPAGATE_EXCEPTIONS = False
    # Pages and figures kept per data version, shared by the workers of this host (data_version.py):
    # a folder only the app's user can read. Unset: instance/cache; empty: each worker keeps its own.
    CACHE_DIR = os.environ.get("CACHE_DIR")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = True
    PROPAGATE_EXCEPTIONS = None  # Flask's default under TESTING
    RATELIMIT_STORAGE_URI = "memory://"  # one store per app, so every test starts from zero
    FORCE_HTTPS = False
    TRUST_PROXY_HOPS = 0
    CACHE_DIR = ""  # one per test app where it builds one (tests/conftest.py), never instance/
    SESSION_IDLE_HOURS = 8.0
