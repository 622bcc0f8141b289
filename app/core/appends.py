"""Writes nobody reads back in the same breath, sent together: audit entries, notifications, timer rows, new
inbox rows, keyed updates of loaded rows (an instance's new state under its version check).

`insert`, `insert_select` and `update_loaded` queue a write as a shape and its values (`add(statement)`: a Core
INSERT or keyed UPDATE built by the caller) in the session's transaction instead of sending it. The queue goes
out as ONE statement on PostgreSQL (each write a data-modifying CTE: `WITH w0 AS (INSERT …), w1 AS (UPDATE …)
SELECT …`, built once per sequence of shapes, selecting how many rows each versioned UPDATE matched), one
statement per write elsewhere, and always before anything could see the database without it:

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
from sqlalchemy import Float, Numeric, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

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

    @property
    def shape(self) -> tuple[Any, ...]:
        return (_rows_statement, self.table, self.columns, len(self.rows))

    def params(self, prefix: str) -> dict[str, Any]:
        names = self.columns
        return {f"{prefix}{index}_{name}": row[name] for index, row in enumerate(self.rows) for name in names}


@lru_cache(maxsize=256)
def _rows_statement(table: Any, names: tuple[str, ...], count: int, prefix: str) -> Any:
    """INSERT … SELECT of one SELECT of parameters per row (their UNION ALL): built and compiled once per table,
    columns and number of rows (a multi-row VALUES is never cached by SQLAlchemy)."""
    selects = [db.select(*[_parameter(f"{prefix}{index}_{name}", table.c[name].type).label(name)
                           for name in names]) for index in range(count)]
    query = selects[0] if count == 1 else db.union_all(*selects)
    return db.insert(table).from_select(list(names), query)


def _parameter(name: str, type_: Any) -> Any:
    """A typed parameter; numbers cast, as PostgreSQL takes an untyped NULL in a UNION for text."""
    parameter = db.bindparam(name, type_=type_)
    return db.cast(parameter, type_) if isinstance(type_, (Float, Numeric)) else parameter


@dataclass
class _Selects:
    """INSERT … SELECT for one table and column list: queued ones join one INSERT of their UNION ALL (rows come
    out in queue order, so ids keep it). Each part is a select, or `(build, values)`: `build(prefix)` a select
    whose parameters are named `prefix` + a key of `values`, built once per prefix (cached by its author)."""

    table: Any
    names: tuple[str, ...]
    parts: list[Any]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.names

    @property
    def shape(self) -> tuple[Any, ...] | None:
        if not all(isinstance(part, tuple) for part in self.parts):
            return None  # a select built by its caller: never the same object twice
        return (_selects_statement, self.table, self.names, tuple(build for build, _values in self.parts))

    def params(self, prefix: str) -> dict[str, Any]:
        return {f"{prefix}{index}_{key}": value for index, part in enumerate(self.parts) if isinstance(part, tuple)
                for key, value in part[1].items()}

    def build(self, prefix: str) -> Any:
        shape = self.shape
        if shape is not None:
            return _selects_statement(*shape[1:], prefix)
        selects = [part[0](f"{prefix}{index}_") if isinstance(part, tuple) else part
                   for index, part in enumerate(self.parts)]
        return _insert_selects(self.table, self.names, selects)


@lru_cache(maxsize=256)
def _selects_statement(table: Any, names: tuple[str, ...], builds: tuple[Any, ...], prefix: str) -> Any:
    """The INSERT of the parts' selects, built once per prefix."""
    return _insert_selects(table, names, [build(f"{prefix}{index}_") for index, build in enumerate(builds)])


def _insert_selects(table: Any, names: tuple[str, ...], selects: list[Any]) -> Any:
    query = selects[0] if len(selects) == 1 else db.union_all(*selects)
    return db.insert(table).from_select(list(names), query)


def insert_select(model: Any, names: list[str], select: Any, values: dict[str, Any] | None = None) -> None:
    """Queue an INSERT … SELECT into `model`'s table (`names`: its columns, in the select's order). `select` is a
    select, or with `values` a function of a prefix building one (cached: see `_Selects`)."""
    _queue(_Selects(model.__table__, tuple(names), [select if values is None else (select, values)]))


def add(statement: Any) -> None:
    """Queue `statement` (a Core insert or update) in the current transaction."""
    _queue(statement)


@dataclass
class _Keyed:
    """A keyed UPDATE of one loaded row; with `version`, only while the row still holds the version loaded (a
    checked update: it must match its row)."""

    table: Any
    keys: tuple[str, ...]  # primary key columns
    names: tuple[str, ...]  # columns set
    version: str | None
    values: dict[str, Any]  # "k_<key>", "s_<name>" and "v" (the version loaded) → value

    @property
    def shape(self) -> tuple[Any, ...]:
        return (_keyed_statement, self.table, self.keys, self.names, self.version)

    def params(self, prefix: str) -> dict[str, Any]:
        return {prefix + key: value for key, value in self.values.items()}


@lru_cache(maxsize=256)
def _keyed_statement(table: Any, keys: tuple[str, ...], names: tuple[str, ...], version: str | None, prefix: str,
                     returning: bool = False) -> Any:
    """Built once per table, columns and prefix; `returning`: a checked update returns the row it matched (counted
    inside a CTE)."""
    where = [table.c[key] == db.bindparam(f"{prefix}k_{key}", type_=table.c[key].type) for key in keys]
    if version is not None:
        where.append(table.c[version] == db.bindparam(f"{prefix}v", type_=table.c[version].type))
    statement = db.update(table).where(*where).values(
        {name: db.bindparam(f"{prefix}s_{name}", type_=table.c[name].type) for name in names})
    return statement.returning(db.literal(1)) if returning and version is not None else statement


def update_loaded(obj: Any, **values: Any) -> None:
    """Write `values` and the object's other pending column changes as a keyed UPDATE queued with the other
    appends, instead of an UPDATE of its own in the next flush; the object holds the new values as saved. A row
    with a version column is updated only while it holds the version loaded, and takes the next one: when the
    queue is sent and the row has moved on, StaleDataError (as the ORM's flush raises it). Inside a savepoint
    the ORM writes them, so a savepoint rolled back still expires what it changed."""
    session = db.session()
    state = inspect(obj)
    mapper = state.mapper
    if state.key is None or session.in_nested_transaction():
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
    params = {f"k_{column.name}": value for column, value in zip(mapper.primary_key, state.identity, strict=True)}
    version = mapper.version_id_col
    if version is not None:
        key = mapper.get_property_by_column(version).key
        params["v"] = state.dict[key]
        values[key] = mapper.version_id_generator(state.dict[key])
    columns = {mapper.get_property(key).columns[0].name: value for key, value in values.items()}
    params |= {f"s_{name}": value for name, value in columns.items()}
    _queue(_Keyed(table, tuple(column.name for column in mapper.primary_key), tuple(sorted(columns)),
                  version.name if version is not None else None, params))
    tracked.add(row_key)
    for key, value in values.items():
        set_committed_value(obj, key, value)
    if not state.committed_state and state.modified:  # nothing else pending: no flush needs to look at it
        state._commit_all(state.dict, session.identity_map)


def insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Queue rows for `model`'s table, each with the same columns (defaults are not applied: give every value)."""
    for start in range(0, len(rows), BATCH):
        _queue(_Rows(model.__table__, list(rows[start:start + BATCH])))


def _queue(entry: Any) -> None:
    session = db.session()
    if session.in_nested_transaction():
        send(session)
        _execute(session.connection(), [entry])
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
    run in no set order, so a second INSERT into a table already written starts another statement. Statements
    are built once per shape (the tables, columns and row counts of the entries), their values given at
    execution."""
    groups: list[list[Any]] = [[]]
    inserted: dict[str, Any] = {}  # table → the entry of the current group that inserts into it
    for entry in queue:
        rows = isinstance(entry, (_Rows, _Selects))
        table = entry.table.name if rows else (entry.table.name if getattr(entry, "is_insert", False) else None)
        earlier = inserted.get(table) if table else None
        if rows and type(earlier) is type(entry) and earlier.columns == entry.columns \
                and _size(earlier) + _size(entry) <= BATCH:
            if isinstance(entry, _Rows):
                earlier.rows.extend(entry.rows)
            else:
                earlier.parts.extend(entry.parts)
            continue
        if earlier is not None:
            groups.append([])
            inserted = {}
        if isinstance(entry, _Rows):
            entry = _Rows(entry.table, list(entry.rows))  # merged into below: leave the queued entry whole
        elif isinstance(entry, _Selects):
            entry = _Selects(entry.table, entry.names, list(entry.parts))
        groups[-1].append(entry)
        if table:
            inserted[table] = entry
    postgresql = connection.dialect.name == "postgresql"
    for group in groups:
        if postgresql and len(group) > 1:
            shapes = tuple(getattr(entry, "shape", None) for entry in group)
            statement, checked = _combined(shapes) if None not in shapes else _combine(
                [_built(entry, f"w{index}_", returning=True) for index, entry in enumerate(group)])
            values = {k: v for index, entry in enumerate(group) if isinstance(entry, _ENTRIES)
                      for k, v in entry.params(f"w{index}_").items()}
            matched = connection.execute(statement, values).one()
            _check([group[index] for index, count in zip(checked, matched, strict=False) if count != 1])
            continue
        for index, entry in enumerate(group):
            result = connection.execute(_built(entry, f"w{index}_"),
                                        entry.params(f"w{index}_") if isinstance(entry, _ENTRIES) else {})
            if isinstance(entry, _Keyed) and entry.version is not None:
                _check([entry] if result.rowcount != 1 else [])


_ENTRIES = (_Rows, _Selects, _Keyed)  # queued as shapes and values (the others: statements built by the caller)


def _built(entry: Any, prefix: str, returning: bool = False) -> Any:
    """The entry's statement (`returning`: a checked update returns the row it matched, counted in a CTE)."""
    if isinstance(entry, _Selects):
        return entry.build(prefix)
    if isinstance(entry, (_Rows, _Keyed)):
        return _from_shape(entry.shape, prefix, returning)
    return entry


def _from_shape(shape: tuple[Any, ...], prefix: str, returning: bool) -> Any:
    """A shape's statement: its builder (first) called with its arguments and `prefix` (and `returning`, which
    only keyed updates take)."""
    build, *arguments = shape
    return build(*arguments, prefix, returning) if build is _keyed_statement else build(*arguments, prefix)


@lru_cache(maxsize=256)
def _combined(shapes: tuple[Any, ...]) -> tuple[Any, list[int]]:
    """`_combine` once per sequence of entry shapes (each shape: its builder and the builder's arguments)."""
    return _combine([_from_shape(shape, f"w{index}_", True) for index, shape in enumerate(shapes)])


def _combine(statements: list[Any]) -> tuple[Any, list[int]]:
    """One statement of data-modifying CTEs, selecting how many rows each checked update matched; the indexes of
    those updates (those returning their rows)."""
    ctes = [statement.cte(f"w{index}") for index, statement in enumerate(statements)]
    checked = [index for index, statement in enumerate(statements)
               if getattr(statement, "_returning", None) and not getattr(statement, "is_insert", False)]
    counts = [db.select(db.func.count()).select_from(ctes[index]).scalar_subquery() for index in checked]
    return db.select(*counts or [db.literal(1)]).add_cte(*ctes), checked


def _check(missed: list[Any]) -> None:
    """The versioned rows an UPDATE did not find: someone else changed them (the ORM's own error)."""
    if missed:
        raise StaleDataError(f"UPDATE of table '{missed[0].table.name}' expected to match 1 row at its loaded "
                             "version; 0 were matched")


def _size(entry: _Rows | _Selects) -> int:
    return len(entry.rows) if isinstance(entry, _Rows) else len(entry.parts)


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
