"""Writes nobody reads back in the same breath, sent together: audit entries, notifications, timer rows.

`add(statement)` queues a Core INSERT or keyed UPDATE in the session's transaction instead of sending it. The
queue goes out as ONE statement on PostgreSQL (each write a data-modifying CTE: `WITH w0 AS (INSERT …),
w1 AS (UPDATE …) SELECT 1`), one statement per write elsewhere, and always before anything could see the
database without it:

- before every statement the session executes (queries, lazy loads, Core statements through the session);
- before a flush that deletes rows (a queued row may refer to them);
- before a savepoint opens, and before the commit.

A rollback of the transaction drops the queue. Inside a savepoint (`begin_nested`) nothing is queued: the write
goes at once, so a savepoint rolled back takes its writes with it, and only them.

The writes of one statement run on one snapshot and in no set order (PostgreSQL's rules for data-modifying
CTEs): queue only writes that do not read or touch each other's rows (appends, and updates of distinct rows by
key); two INSERTs into the same table go in two statements, so ids follow the order of the queue.
"""

from __future__ import annotations

from typing import Any

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session

from app.extensions import db

_KEY = "tierflow_appends"


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
    if not session.info.get(_KEY):
        return
    connection = session.connection()  # may open a savepoint, which sends the queue first (_before_savepoint)
    queue = session.info.pop(_KEY, None)
    if queue:
        _execute(connection, queue)


def _execute(connection: Any, queue: list[Any]) -> None:
    """PostgreSQL: as few statements as keep the order of ids. The CTEs of one statement run in no set order, so
    two INSERTs into one table (whose ids must follow the order they were queued in) go in separate statements."""
    if connection.dialect.name != "postgresql":
        for statement in queue:
            connection.execute(statement)
        return
    group: list[Any] = []
    inserted: set[str] = set()
    for statement in queue:
        table = statement.table.name if statement.is_insert else None
        if table in inserted:
            _execute_together(connection, group)
            group, inserted = [], set()
        group.append(statement)
        if table:
            inserted.add(table)
    _execute_together(connection, group)


def _execute_together(connection: Any, group: list[Any]) -> None:
    if len(group) == 1:
        connection.execute(group[0])
    elif group:
        connection.execute(db.select(db.literal(1)).add_cte(
            *[statement.cte(f"w{index}") for index, statement in enumerate(group)]))


def drop(session: Session) -> None:
    session.info.pop(_KEY, None)


@event.listens_for(Session, "do_orm_execute")
def _before_execute(state: ORMExecuteState) -> None:
    if state.session.info.get(_KEY):
        send(state.session)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.deleted and session.info.get(_KEY):
        send(session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    send(session)


@event.listens_for(Engine, "savepoint")
def _before_savepoint(connection: Any, _name: Any) -> None:
    """What the transaction queued goes before the savepoint opens: a savepoint rolled back must not take it."""
    if not has_app_context() or not db.session.registry.has():
        return
    queue = db.session().info.pop(_KEY, None)
    if queue:
        _execute(connection, queue)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the whole transaction (a savepoint never holds a queue)
        drop(session)
