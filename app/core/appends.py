"""Writes nobody reads back in the same breath, sent together: audit entries, notifications, timer rows.

`add(statement)` queues a Core INSERT or keyed UPDATE in the session's transaction instead of sending it. The
queue goes out as ONE statement on PostgreSQL (each write a data-modifying CTE: `WITH w0 AS (INSERT …),
w1 AS (UPDATE …) SELECT 1`), one statement per write elsewhere, and always before anything could see the
database without it:

- before every statement the session executes (queries, lazy loads, Core statements through the session);
- before a flush that deletes rows (a queued row may refer to them);
- before the commit.

A rollback of the transaction drops the queue. Inside a savepoint (`begin_nested`) nothing is queued: the
queue is sent and the write goes at once, so a savepoint rolled back takes its writes with it.

The writes of one queue run on one snapshot (PostgreSQL's rule for data-modifying CTEs): queue only writes that
do not read or touch each other's rows (appends, and updates of distinct rows by key).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from app.extensions import db

_KEY = "tierflow_appends"
_SENDING = "tierflow_appends_sending"


def add(statement: Any) -> None:
    """Queue `statement` (a Core insert or update) in the current transaction."""
    session = db.session()
    if session.in_nested_transaction():
        send(session)
        session.execute(statement)
        return
    session.info.setdefault(_KEY, []).append(statement)


def pending(session: Session | None = None) -> int:
    """How many writes wait in the queue."""
    return len((session or db.session()).info.get(_KEY, ()))


def send(session: Session | None = None) -> None:
    """Send the queued writes now (one statement on PostgreSQL)."""
    session = session or db.session()
    queue = session.info.pop(_KEY, None)
    if not queue:
        return
    session.info[_SENDING] = True
    try:
        connection = session.connection()
        if connection.dialect.name == "postgresql" and len(queue) > 1:
            connection.execute(db.select(db.literal(1)).add_cte(
                *[statement.cte(f"w{index}") for index, statement in enumerate(queue)]))
        else:
            for statement in queue:
                connection.execute(statement)
    finally:
        session.info.pop(_SENDING, None)


def drop(session: Session) -> None:
    session.info.pop(_KEY, None)


@event.listens_for(Session, "do_orm_execute")
def _before_execute(state: ORMExecuteState) -> None:
    if state.session.info.get(_KEY) and not state.session.info.get(_SENDING):
        send(state.session)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.deleted and session.info.get(_KEY):
        send(session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    send(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the whole transaction (a savepoint never holds a queue)
        drop(session)
