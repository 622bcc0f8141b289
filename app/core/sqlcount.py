"""Bench mode only: count each request's trips to the database and answer them in response headers.

Turned on by TIERFLOW_BENCH_SQL_COUNT=1 (config SQL_COUNT_HEADERS), which `bench/http_decisions.py` sets on
the gunicorn it starts; ProductionConfig refuses it. Each response then carries

- `X-SQL-Statements`: statements sent (cursor executions, an `executemany` counting once) plus pool pings;
- `X-SQL-Round-Trips`: the statements plus the transaction's own BEGIN and COMMIT/ROLLBACK.

The counts are per process and per thread (a gunicorn sync worker serves one request at a time).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from flask import Flask, Response
from sqlalchemy import event

_counts = threading.local()
_watched: weakref.WeakSet = weakref.WeakSet()


def _bump(name: str) -> None:
    setattr(_counts, name, getattr(_counts, name, 0) + 1)


def reset() -> None:
    _counts.statements = 0
    _counts.trips = 0


def counts() -> tuple[int, int]:
    """(statements, round trips) since the last `reset` in this thread."""
    return getattr(_counts, "statements", 0), getattr(_counts, "trips", 0)


def _idle(dbapi_connection: Any) -> bool:
    """No transaction open on the connection (psycopg sends BEGIN before the next statement)."""
    info = getattr(dbapi_connection, "info", None)
    status = getattr(info, "transaction_status", None)
    return status is not None and int(status) == 0  # psycopg.pq.TransactionStatus.IDLE


def watch(engine: Any) -> None:
    """Count what goes through `engine` (once per engine; `bench/decisions.py` uses it in process)."""
    if engine in _watched:
        return
    _watched.add(engine)

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(conn, cursor, statement, parameters, context, executemany) -> None:
        _bump("statements")
        _bump("trips")
        if _idle(conn.connection.dbapi_connection):
            _bump("trips")  # the BEGIN psycopg sends first

    @event.listens_for(engine, "commit")
    def _commit(conn) -> None:
        if not _idle(conn.connection.dbapi_connection):
            _bump("trips")

    @event.listens_for(engine, "rollback")
    def _rollback(conn) -> None:
        if not _idle(conn.connection.dbapi_connection):
            _bump("trips")

    dialect = engine.dialect
    ping = dialect.do_ping

    def counted_ping(dbapi_connection: Any) -> bool:
        _bump("statements")
        _bump("trips")
        return ping(dbapi_connection)

    dialect.do_ping = counted_ping


def install(app: Flask, db: Any) -> None:
    """Count on the app's engine and add the headers (call only when SQL_COUNT_HEADERS is on)."""
    with app.app_context():
        watch(db.engine)

    @app.before_request
    def _start() -> None:
        reset()

    # registered before the commit hook of app/__init__.py, so it runs after it (after_request runs in reverse)
    @app.after_request
    def _headers(response: Response) -> Response:
        statements, trips = counts()
        response.headers["X-SQL-Statements"] = str(statements)
        response.headers["X-SQL-Round-Trips"] = str(trips)
        return response
