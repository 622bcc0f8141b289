"""The clock the engine runs under (step deadlines in Chinese working days, a subject may override the
BPMN's) and the `process_timer` rows kept in step with the engine's waiting timers. What a fired timer
means for a subject is its adapter's business (`timer_fired`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import inspect as sqlalchemy_inspect

from app import engine
from app.core import appends, workdays
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
    """Keep `process_timer` rows in step with the engine's waiting timers: the rows that stopped waiting each in a
    keyed UPDATE and the new ones in one INSERT, queued with the transaction's other appends (app/core/appends.py;
    the loaded rows take their new values in memory)."""
    waiting = {t.engine_task_id: t for t in result.timers}
    fired = {t.engine_task_id for t in result.fired}
    ended = False
    for row in instance.waiting_timers:
        if row.engine_task_id not in waiting:
            ended = True
            state = "fired" if row.engine_task_id in fired else "cancelled"
            appends.update_loaded(row, state=state, fired_at=now if state == "fired" else None)
    known = {row.engine_task_id for row in instance.waiting_timers}
    new = [{"instance_id": instance.id, "application_id": application_id, "engine_task_id": timer.engine_task_id,
            "step": timer.step, "kind": timer.kind, "attached_step": timer.attached_to, "due_at": timer.due_at,
            "state": "waiting", "created_at": now, "fired_at": None}
           for timer in result.timers if timer.engine_task_id not in known]
    appends.insert(ProcessTimer, new)
    if ended or new:  # read again (after the queued writes) when next asked for
        sqlalchemy_inspect(instance).session.expire(instance, ["waiting_timers"])
