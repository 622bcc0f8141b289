"""The clock the engine runs under: "now" and working-day deadlines for timer expressions.

Timer events in the BPMN say when they fire with `deadline("<step>", offset)`: the step's deadline
(plus `offset` working days, negative for "before"). What a step's deadline is (the call's setting,
the BPMN property, Chinese working days) is business knowledge, so the caller supplies it as a Clock;
the engine only evaluates the expression under it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.engine.limits import MAX_DEADLINE_DAYS


@dataclass(frozen=True)
class Clock:
    now: datetime
    deadline: Callable[[str, int], datetime]  # (step, offset in working days) → when it falls due


def calendar_clock(now: datetime | None = None, days: int = 14) -> Clock:
    """A clock without business knowledge (engine tests, deploy checks): `days` calendar days per step."""
    start = now or datetime.now(UTC)
    return Clock(start, lambda step, offset: start + timedelta(days=max(days + offset, 0)))


_current: ContextVar[Clock | None] = ContextVar("tierflow_clock", default=None)


@contextmanager
def running(clock: Clock | None) -> Iterator[Clock]:
    token = _current.set(clock or calendar_clock())
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def current() -> Clock:
    return _current.get() or calendar_clock()


def deadline(step: str, offset: int = 0) -> str:
    """`deadline("<step>", -2)` in a timer expression: an ISO 8601 time with its zone."""
    if not isinstance(step, str) or not isinstance(offset, int):
        raise ValueError("deadline(step, offset) takes a step id and a whole number of working days")
    if abs(offset) > MAX_DEADLINE_DAYS:
        raise ValueError(f"deadline(step, offset): the offset is at most {MAX_DEADLINE_DAYS} working days either way")
    return current().deadline(step, offset).isoformat()
