"""Tierflow settings. Every setting is declared once here and read from a TIERFLOW_* variable."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSECURE_KEYS = {"", "dev", "change-me", "dev-insecure-key"}
DEFAULT_PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's default
# CJK fonts for PDF exports, first found wins: Debian's fonts-noto-cjk (OpenType/CFF collections), then
# fonts-wqy-zenhei and fonts-arphic-ukai (TrueType)
DEBIAN_CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
)


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"TIERFLOW_{name}", default)


def _database_url(default: str) -> str:
    # DATABASE_URL is the conventional name; TIERFLOW_DATABASE_URL wins when both are set.
    url = _env("DATABASE_URL") or os.environ.get("DATABASE_URL") or default
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _strong(key: str | None) -> bool:
    return bool(key) and key not in INSECURE_KEYS and len(key) >= 32


def instance_secret_key(folder: Path = BASE_DIR / "instance") -> str:
    """This installation's own random key, made once and kept in the instance folder (readable by its owner
    only). Several processes starting at once agree: the first creates the file, the others read it."""
    path = folder / "secret_key"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if _strong(key):
            return key
        raise RuntimeError(f"{path} holds no usable key; delete it to have a new one made") from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key)
    return key


class Config:
    # set by check(): TIERFLOW_SECRET_KEY when it is a real key, else this installation's own key (never a public
    # default, so nobody can forge a session cookie)
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'tierflow.db'}")
    # a pooled connection the server closed is found without a ping (app/extensions.py `_still_connected`);
    # TIERFLOW_DB_PRE_PING=1 adds SQLAlchemy's SELECT 1 before every checkout (one more round trip a request)
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": _env("DB_PRE_PING", "0") == "1"}
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")
    INBOX_PAGE_SIZE = int(_env("INBOX_PAGE_SIZE", "20"))
    API_TOKEN_HOURS = int(_env("API_TOKEN_HOURS", "12"))  # then POST /api/v1/auth/refresh, or log in again
    WORKFLOWS_DIR = BASE_DIR / "workflows"
    UPLOAD_DIR = Path(_env("UPLOAD_DIR") or BASE_DIR / "instance" / "uploads")  # outside the web root
    UPLOAD_MAX_BYTES = int(_env("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
    MAX_CONTENT_LENGTH = UPLOAD_MAX_BYTES + 1024 * 1024
    # run the deadline watch in a thread of the web process (the embedded SQLite set-up of `make run`)
    WORKER_IN_PROCESS = _env("WORKER_IN_PROCESS", "0") == "1"
    WORKER_INTERVAL = int(_env("WORKER_INTERVAL", "60"))
    # font files for PDF exports (certificates, 一企一册), separated by os.pathsep; the first that exists is
    # embedded. Without one the PDF endpoints answer 503.
    PDF_FONT_PATH = _env("PDF_FONT_PATH", os.pathsep.join(DEBIAN_CJK_FONTS))
    EXPERT_PANEL_SIZE = int(_env("EXPERT_PANEL_SIZE", "3"))  # experts drawn per application (专家评审)
    # werkzeug's generate_password_hash method for new passwords; checks read the method from the stored hash
    PASSWORD_HASH_METHOD = _env("PASSWORD_HASH_METHOD", DEFAULT_PASSWORD_HASH_METHOD)
    MAIL_SERVER = _env("MAIL_SERVER")
    MAIL_PORT = int(_env("MAIL_PORT", "25"))
    MAIL_SENDER = _env("MAIL_SENDER", "tierflow@localhost")
    WTF_CSRF_TIME_LIMIT = None
    # abuse limits (Flask-Limiter): "redis://127.0.0.1:6379" shares them between gunicorn workers
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    # per app (the limiter is one object per process, so its own RATELIMIT_ENABLED switch would be process-wide)
    ABUSE_LIMITS = _env("ABUSE_LIMITS", "1") == "1"
    # The JSON API's submit keeps DESIGN's contract (200 without documents) unless this is on: then, like the web
    # form, a submission with a required material (workflows/materials.json) or a requested document missing
    # answers 422 `materials_missing`. Integrations that send documents separately leave it off.
    API_REQUIRE_MATERIALS = _env("API_REQUIRE_MATERIALS", "0") == "1"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_CLIENT = _env("LOGIN_LIMIT_CLIENT", "30 per minute")  # login attempts from one address
    LOGIN_LIMIT_ACCOUNT = _env("LOGIN_LIMIT_ACCOUNT", "5 per 15 minutes")  # failed logins of one username
    REGISTER_LIMIT = _env("REGISTER_LIMIT", "10 per hour")  # self-registrations from one address
    OBJECTION_LIMIT_CLIENT = _env("OBJECTION_LIMIT_CLIENT", "10 per hour")
    OBJECTION_LIMIT_APPLICATION = _env("OBJECTION_LIMIT_APPLICATION", "30 per hour")
    UPLOAD_LIMIT = _env("UPLOAD_LIMIT", "120 per hour")  # uploads from one address
    SESSION_COOKIE_HTTPONLY = True
    # bench mode: every response says how many SQL statements it cost (app/core/sqlcount.py); never in production
    SQL_COUNT_HEADERS = _env("BENCH_SQL_COUNT", "0") == "1"
    SESSION_COOKIE_SAMESITE = "Lax"
    TESTING = False
    DEBUG = False

    @classmethod
    def check(cls) -> None:
        """Refuse settings that are unsafe for this environment; find the secret key."""
        key = _env("SECRET_KEY")
        cls.SECRET_KEY = key if _strong(key) else instance_secret_key()


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = True
    SECRET_KEY = "testing-secret-key"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"  # one iteration: logins in the suite cost nothing
    ABUSE_LIMITS = False  # the suite logs in hundreds of times from one address; tests/test_abuse.py turns them on

    @classmethod
    def check(cls) -> None:
        """The suite signs with its own fixed key."""


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env("SESSION_COOKIE_SECURE", "1") == "1"

    @classmethod
    def check(cls) -> None:
        key = _env("SECRET_KEY") or ""
        if cls.SQL_COUNT_HEADERS:
            raise RuntimeError("TIERFLOW_BENCH_SQL_COUNT is for benchmarks only, never in production")
        if not _strong(key):
            raise RuntimeError(
                "TIERFLOW_SECRET_KEY must be set to a random value of at least 32 characters in production"
            )
        cls.SECRET_KEY = key


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    name = name or _env("ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"unknown TIERFLOW_ENV {name!r}; use one of {', '.join(CONFIGS)}") from None
