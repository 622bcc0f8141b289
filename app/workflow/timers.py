"""The clock the engine runs under (step deadlines in Chinese working days, a subject may override the
BPMN's) and the `process_timer` rows kept in step with the engine's waiting timers. What a fired timer
means for a subject is its adapter's business (`timer_fired`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app import engine
from app.core import workdays
from app.extensions import db
from app.models import ProcessInstance, ProcessTimer

DEFAULT_DEADLINE_DAYS = 10


def bpmn_deadline_days(pspec: engine.ProcessSpec, step: str, overrides: dict[str, Any] | None = None) -> int | None:
    """A step's deadline in working days: an override (a call's setting), else the BPMN property."""
    days = (overrides or {}).get(step) or pspec.properties.get(step, {}).get("deadline_working_days")
    return int(days) if days and str(days).isdigit() else None


def clock(adapter: Any, subject: Any, pspec: engine.ProcessSpec, now: datetime) -> engine.Clock:
    """The engine's clock for this subject: `deadline(step, offset)` in working days from `now`."""

    def deadline(step: str, offset: int) -> datetime:
        days = (adapter.deadline_days(subject, pspec, step) or DEFAULT_DEADLINE_DAYS) + offset
        return workdays.add_working_days(now, days) if days >= 1 else now

    return engine.Clock(now, deadline)


def sync(instance: ProcessInstance, application_id: int | None, result: engine.Advance, now: datetime) -> None:
    """Keep `process_timer` rows in step with the engine's waiting timers."""
    waiting = {t.engine_task_id: t for t in result.timers}
    fired = {t.engine_task_id for t in result.fired}
    for row in instance.waiting_timers:
        if row.engine_task_id not in waiting:
            row.state = "fired" if row.engine_task_id in fired else "cancelled"
            row.fired_at = now if row.state == "fired" else None
    known = {row.engine_task_id for row in instance.waiting_timers}
    for timer in result.timers:
        if timer.engine_task_id not in known:
            db.session.add(ProcessTimer(instance_id=instance.id, application_id=application_id,
                                        engine_task_id=timer.engine_task_id, step=timer.step, kind=timer.kind,
                                        attached_step=timer.attached_to, due_at=timer.due_at, created_at=now))
