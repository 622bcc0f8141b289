"""The background worker's pass: fire the BPMN timers that are due (reminders, overdue flags, hand-ups,
expert deadlines, the end of a public notice; the subject's adapter says what each one does).

Run by `flask tierflow worker`. Each instance with a due timer is taken with `SELECT … FOR UPDATE SKIP
LOCKED` on its `process_instance` row, the same row a decision locks first, so several workers share
the work without deadlocks and the engine, which only fires what still waits in the saved state, fires
every timer exactly once. Each instance is committed on its own, so a decision never waits for a whole
pass. An instance whose timers cannot fire has them marked `failed` (visible in the admin cockpit).

Domains add their own dated housekeeping to the pass (`add_pass`): the register expires recognitions past
their validity. The worker calls them without knowing what they do, each committed on its own.

Steps of a process version without boundary timers still get the deadline watch from the inbox row's
`due_at` (the behaviour before timers were in the BPMN), so instances left on an older version are not
forgotten.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from app import engine
from app.core import audit, workdays
from app.core.errors import ServiceError
from app.core.vocabulary import TimerKind
from app.extensions import db
from app.models import HumanTask, ProcessInstance, ProcessTimer
from app.models.base import utcnow
from app.workflow import instances, subjects

log = logging.getLogger(__name__)
COUNTED = {"reminder": "reminded", "overdue": "escalated", "hand_up": "handed_up",
           "expert_deadline": "expert_missed", "timer": "timers"}
REMINDER_WORKING_DAYS = 2

# name → a dated pass a domain runs with every worker pass: `run(now)` → counts of what it changed
_PASSES: dict[str, Callable[[datetime], dict[str, int]]] = {}


def add_pass(name: str, run: Callable[[datetime], dict[str, int]]) -> None:
    """Run `run(now)` in every worker pass after the timers (the register's expiry…); it flushes, the worker
    commits it on its own and counts what it returns."""
    _PASSES[name] = run


def _next_due_instance(now: datetime, skip: set[int]) -> int | None:
    due = db.select(ProcessTimer.instance_id).where(ProcessTimer.state == "waiting", ProcessTimer.due_at <= now)
    query = db.select(ProcessInstance.id).where(ProcessInstance.id.in_(due), ProcessInstance.status == "running")
    if skip:
        query = query.where(ProcessInstance.id.not_in(skip))
    return db.session.scalar(query.order_by(ProcessInstance.id).limit(1)
                             .with_for_update(skip_locked=True, of=ProcessInstance))


def _mark_failed(instance_id: int, now: datetime, error: Exception) -> None:
    """Set the instance's due timers aside (an admin looks at it in the cockpit) so they do not block."""
    db.session.execute(db.update(ProcessTimer).where(
        ProcessTimer.instance_id == instance_id, ProcessTimer.state == "waiting", ProcessTimer.due_at <= now)
        .values(state="failed", fired_at=now))
    instance = db.session.get(ProcessInstance, instance_id)
    refs = subjects.adapter(instance.subject_type).audit_refs(instances.subject_of(instance)) if instance else {}
    audit.record("timer_failed", **refs,
                 details={"error": str(error)[:500]})
    db.session.commit()


def _fire_timers(now: datetime, batch: int, counts: Counter[str]) -> None:
    seen: set[int] = set()
    for _ in range(batch):
        instance_id = _next_due_instance(now, seen)
        if instance_id is None:
            break
        seen.add(instance_id)
        try:
            fired = instances.fire_due(instances.lock(instance_id), now)
            db.session.commit()
        except (ServiceError, engine.EngineError, DBAPIError) as exc:
            db.session.rollback()
            log.exception("timers of instance %s could not fire", instance_id)
            if not isinstance(exc, DBAPIError):  # a lost race is retried next pass; a broken instance is not
                _mark_failed(instance_id, now, exc)
            continue
        counts.update(COUNTED.get(timer.kind, "timers") for timer in fired)


def _legacy_rows(condition, batch: int) -> list[HumanTask]:
    """Open inbox rows with a deadline whose step has no boundary timer in the BPMN."""
    has_timers = db.select(ProcessTimer.id).where(ProcessTimer.instance_id == HumanTask.instance_id,
                                                  ProcessTimer.attached_step == HumanTask.step).exists()
    return list(db.session.scalars(
        db.select(HumanTask).where(HumanTask.state == "open", HumanTask.due_at.is_not(None), ~has_timers, condition)
        .order_by(HumanTask.due_at).limit(batch).with_for_update(skip_locked=True, of=HumanTask)))


def _watch_without_timers(now: datetime, batch: int, counts: Counter[str]) -> None:
    soon = HumanTask.reminded_at.is_(None) & (HumanTask.due_at <= now + timedelta(days=7))
    for task in _legacy_rows(soon, batch):
        if task.due_at >= now and workdays.working_days_left(now, task.due_at) <= REMINDER_WORKING_DAYS:
            _due_watch(task, TimerKind.REMINDER, now)
            counts["reminded"] += 1
    for task in _legacy_rows(HumanTask.escalated_at.is_(None) & (HumanTask.due_at < now), batch):
        _due_watch(task, TimerKind.OVERDUE, now)
        counts["escalated"] += 1
    db.session.commit()


def _due_watch(task: HumanTask, kind: TimerKind, now: datetime) -> None:
    """A reminder or an overdue flag from the inbox row's due date: the subject's adapter acts as on a timer."""
    adapter = subjects.adapter(task.subject_type)
    timer = engine.Timer(engine_task_id="", step=task.step, kind=kind, attached_to=task.step, due_at=task.due_at)
    adapter.timer_fired(adapter.load(task.subject_id), task, timer, now)


def run_once(now: datetime | None = None, batch: int = 200) -> dict[str, int]:
    """One pass at `now` (commits as it goes); the counts of what fired, by kind."""
    now = now or utcnow()
    counts: Counter[str] = Counter({"reminded": 0, "escalated": 0})
    _fire_timers(now, batch, counts)
    _watch_without_timers(now, batch, counts)
    _domain_passes(now, counts)
    return dict(counts)


def _domain_passes(now: datetime, counts: Counter[str]) -> None:
    for name, run in _PASSES.items():
        try:
            done = run(now)
            db.session.commit()
        except (ServiceError, DBAPIError, StaleDataError):  # a lost race or a refusal: the next pass retries
            db.session.rollback()
            log.exception("worker pass %s failed", name)
            continue
        counts.update({key: value for key, value in done.items() if value})
