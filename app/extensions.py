"""Extensions, created once and bound to the app in create_app."""

import select
import sqlite3

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool

naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=naming_convention))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# abuse limits (logins, registrations, objections, uploads): Redis in production (TIERFLOW_RATELIMIT_STORAGE_URI),
# memory in the embedded set-up; behind a reverse proxy, run gunicorn with --forwarded-allow-ips for real addresses
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys; WAL so readers never block the writer; a busy timeout."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@event.listens_for(Pool, "checkout")
def _still_connected(dbapi_connection, _record, _proxy) -> None:
    """PostgreSQL: a pooled connection the server has closed (a restart, an idle timeout, a terminated backend)
    is replaced before use, without the round trip of a ping (`pool_pre_ping`): an idle connection has nothing to
    read, a closed one reads as ready (the server's goodbye, or the end of the stream)."""
    pgconn = getattr(dbapi_connection, "pgconn", None)  # psycopg 3 only
    if pgconn is None:
        return
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("connection closed")
    try:
        readable, _w, _x = select.select([pgconn.socket], [], [], 0)
    except (OSError, ValueError) as exc:
        raise DisconnectionError("connection unusable") from exc
    if readable:
        raise DisconnectionError("the server closed the connection")


def _keep_converted_queries() -> None:
    """psycopg converts every query's `%(name)s` placeholders to `$n` before sending it and keeps the result (an LRU
    of 128) only for queries under 4 KB and 50 parameters, a guard against ORMs that make a new multi-row INSERT for
    every row count. Tierflow's long statements (the lock, the appends' CTE) are built once per shape, so they are
    few: keep their conversion too (converting them anew was 7 % of a decision's instructions, counted with
    callgrind). The constants are psycopg's own (`psycopg._queries`); a release without them keeps its default."""
    try:
        from psycopg import _queries
    except ImportError:  # SQLite-only installations
        return
    if hasattr(_queries, "MAX_CACHED_STATEMENT_LENGTH") and hasattr(_queries, "MAX_CACHED_STATEMENT_PARAMS"):
        _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, 64 * 1024)
        _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, 2000)


_keep_converted_queries()
