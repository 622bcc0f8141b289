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

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models.base import utcnow

_KEY = "tierflow_appends"
_ROWS_KEY = "tierflow_appends_rows"  # (table, primary key) of the rows `update_loaded` queued an UPDATE for
BATCH = 100  # rows in one INSERT at most (SQLite takes no more than 500 SELECTs in one UNION ALL)


@dataclass
class _Rows:
    """Rows for one table: queued ones for the same table and columns go out as one multi-row INSERT."""

    table: Any
    rows: list[dict[str, Any]]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(sorted(self.rows[0]))

    def statement(self, prefix: str = "") -> tuple[Any, dict[str, Any]]:
        """INSERT … SELECT of one SELECT of parameters per row (their UNION ALL), and the parameters' values:
        the statement is built and compiled once per table, columns and number of rows (a multi-row VALUES is
        never cached by SQLAlchemy). `prefix` keeps the parameters of several statements apart."""
        names = self.columns
        values = {f"{prefix}{index}_{name}": row[name] for index, row in enumerate(self.rows) for name in names}
        return _rows_statement(self.table, names, len(self.rows), prefix), values


@lru_cache(maxsize=256)
def _rows_statement(table: Any, names: tuple[str, ...], count: int, prefix: str) -> Any:
    selects = [db.select(*[db.bindparam(f"{prefix}{index}_{name}", type_=table.c[name].type).label(name)
                           for name in names]) for index in range(count)]
    query = selects[0] if count == 1 else db.union_all(*selects)
    return db.insert(table).from_select(list(names), query)


@dataclass
class _Selects:
    """INSERT … SELECT for one table and column list: queued ones join one INSERT of their UNION ALL (rows come
    out in queue order, so ids keep it)."""

    table: Any
    names: tuple[str, ...]
    selects: list[Any]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.names

    def statement(self) -> Any:
        query = self.selects[0] if len(self.selects) == 1 else db.union_all(*self.selects)
        return db.insert(self.table).from_select(list(self.names), query)


def insert_select(model: Any, names: list[str], select: Any) -> None:
    """Queue an INSERT … SELECT into `model`'s table (`names`: its columns, in the select's order)."""
    _queue(_Selects(model.__table__, tuple(names), [select]))


def add(statement: Any) -> None:
    """Queue `statement` (a Core insert or update) in the current transaction."""
    _queue(statement)


def update_loaded(obj: Any, **values: Any) -> None:
    """Write `values` and the object's other pending column changes as a keyed UPDATE queued with the other
    appends, instead of an UPDATE of its own in the next flush; the object holds the new values as saved. For
    rows without a version column (those need the ORM's check). Inside a savepoint the ORM writes them, so a
    savepoint rolled back still expires what it changed."""
    session = db.session()
    state = inspect(obj)
    mapper = state.mapper
    if mapper.version_id_col is not None or state.key is None or session.in_nested_transaction():
        for key, value in values.items():
            setattr(obj, key, value)
        return
    table = mapper.local_table
    row_key = (table.name, state.identity)
    tracked: set[Any] = session.info.setdefault(_ROWS_KEY, set())
    if row_key in tracked:  # one UPDATE per row and statement: the earlier one goes first
        send(session)
        tracked = session.info.setdefault(_ROWS_KEY, set())
    for key in state.committed_state:  # the attributes changed since the row was loaded (not every column)
        if key not in values and key in mapper.column_attrs and key in state.dict:
            values[key] = state.dict[key]
    for column in table.columns:
        if column.onupdate is not None and column.key not in values:
            values[column.key] = utcnow()
    where = [column == value for column, value in zip(mapper.primary_key, state.identity, strict=True)]
    _queue(db.update(table).where(*where).values(
        {mapper.get_property(key).columns[0].name: value for key, value in values.items()}))
    tracked.add(row_key)
    for key, value in values.items():
        set_committed_value(obj, key, value)


def insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Queue rows for `model`'s table, each with the same columns (defaults are not applied: give every value)."""
    for start in range(0, len(rows), BATCH):
        _queue(_Rows(model.__table__, list(rows[start:start + BATCH])))


def _queue(entry: Any) -> None:
    session = db.session()
    if session.in_nested_transaction():
        send(session)
        if isinstance(entry, _Rows):
            session.execute(*entry.statement())
        else:
            session.execute(entry.statement() if isinstance(entry, _Selects) else entry)
        return
    if not session.in_transaction():
        session.connection()  # the queue belongs to a transaction: its rollback must drop it
    session.info.setdefault(_KEY, []).append(entry)


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
    session.info.pop(_ROWS_KEY, None)
    if queue:
        _execute(connection, queue)


def _execute(connection: Any, queue: list[Any]) -> None:
    """As few statements as keep the order of ids: rows queued for one table and the same columns join one
    multi-row INSERT (in queue order). On PostgreSQL the rest goes as data-modifying CTEs of one statement; those
    run in no set order, so a second INSERT into a table already written starts another statement."""
    groups: list[list[Any]] = [[]]
    inserted: dict[str, Any] = {}  # table → the entry of the current group that inserts into it
    for entry in queue:
        rows = isinstance(entry, (_Rows, _Selects))
        table = entry.table.name if rows else (entry.table.name if entry.is_insert else None)
        earlier = inserted.get(table) if table else None
        if rows and type(earlier) is type(entry) and earlier.columns == entry.columns \
                and _size(earlier) + _size(entry) <= BATCH:
            if isinstance(entry, _Rows):
                earlier.rows.extend(entry.rows)
            else:
                earlier.selects.extend(entry.selects)
            continue
        if earlier is not None:
            groups.append([])
            inserted = {}
        if isinstance(entry, _Rows):
            entry = _Rows(entry.table, list(entry.rows))  # merged into below: leave the queued entry whole
        elif isinstance(entry, _Selects):
            entry = _Selects(entry.table, entry.names, list(entry.selects))
        groups[-1].append(entry)
        if table:
            inserted[table] = entry
    postgresql = connection.dialect.name == "postgresql"
    for group in groups:
        statements, values = [], {}
        for index, entry in enumerate(group):
            if isinstance(entry, _Rows):
                statement, entry_values = entry.statement(f"w{index}_")
                statements.append(statement)
                values |= entry_values
            else:
                statements.append(entry.statement() if isinstance(entry, _Selects) else entry)
        if postgresql and len(statements) > 1:
            connection.execute(db.select(db.literal(1)).add_cte(
                *[statement.cte(f"w{index}") for index, statement in enumerate(statements)]), values)
        else:
            for index, statement in enumerate(statements):
                connection.execute(statement, {k: v for k, v in values.items() if k.startswith(f"w{index}_")})


def _size(entry: _Rows | _Selects) -> int:
    return len(entry.rows) if isinstance(entry, _Rows) else len(entry.selects)


def drop(session: Session) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(_ROWS_KEY, None)


UNAFFECTED = {"appends_unaffected": True}  # execution options of a read of tables nothing here writes (routing)


@event.listens_for(Session, "do_orm_execute")
def _before_execute(state: ORMExecuteState) -> None:
    if state.session.info.get(_KEY) and not state.execution_options.get("appends_unaffected"):
        send(state.session)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if not session.info.get(_KEY):
        return
    tracked = session.info.get(_ROWS_KEY)
    if session.deleted or (tracked and any((inspect(obj).mapper.local_table.name, inspect(obj).identity) in tracked
                                           and session.is_modified(obj, include_collections=False)
                                           for obj in session.dirty)):
        send(session)  # a queued UPDATE of a row the flush writes again goes first


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    send(session)


@event.listens_for(Engine, "savepoint")
def _before_savepoint(connection: Any, _name: Any) -> None:
    """What the transaction queued goes before the savepoint opens: a savepoint rolled back must not take it."""
    if not has_app_context() or not db.session.registry.has():
        return
    queue = db.session().info.pop(_KEY, None)
    db.session().info.pop(_ROWS_KEY, None)
    if queue:
        _execute(connection, queue)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the whole transaction (a savepoint never holds a queue)
        drop(session)
