"""Small read caches that live as long as the current database transaction (a request, a worker's
instance, a CLI command's unit of work): read once, never stale after a commit or a rollback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

T = TypeVar("T")
_KEY = "tierflow_txcache"


def cached(name: str, load: Callable[[], T]) -> T:
    """`load()` once per transaction; keep plain values (ORM rows expire when the transaction ends)."""
    store: dict[str, Any] = db.session.info.setdefault(_KEY, {})
    if name not in store:
        store[name] = load()
    return store[name]


def forget(name: str) -> None:
    db.session.info.get(_KEY, {}).pop(name, None)


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction; a savepoint keeps what its parent read
        session.info.pop(_KEY, None)
