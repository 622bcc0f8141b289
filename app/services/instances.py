"""Running an application's process instance: start, advance under a lock, keep the inbox in step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app import engine
from app.extensions import db
from app.models import Application, Enterprise, HumanTask, ProcessInstance, Region, User
from app.models.base import utcnow
from app.services import audit, definitions, notifications, timers, workdays
from app.services.errors import Conflict, Invalid
from app.services.jurisdiction import office_for_lane


def _engine_data(application: Application) -> dict[str, Any]:
    return {"target_tier": application.target_tier, "sector": application.enterprise.sector, "spot_check": False}


def start(application: Application, data: dict[str, Any] | None = None) -> ProcessInstance:
    definition = definitions.active(definitions.RECOGNITION)
    pspec = definitions.process_spec(definition.id)
    now = utcnow()
    try:
        result = engine.start(pspec, _engine_data(application) | (data or {}), timers.clock(application, pspec, now))
    except engine.EngineError as exc:
        raise Invalid(_("The review process could not start: %(error)s", error=str(exc))) from exc
    instance = ProcessInstance(application_id=application.id, definition_id=definition.id, state=result.state)
    db.session.add(instance)
    db.session.flush()
    _apply(instance, application, result, actor=None, completed_task=None, decision=None, now=now)
    db.session.flush()
    return instance


def lock(instance_id: int) -> ProcessInstance:
    """Load the instance with a row lock (PostgreSQL); the version column guards everywhere else."""
    return db.session.scalars(
        db.select(ProcessInstance).where(ProcessInstance.id == instance_id)
        .options(joinedload(ProcessInstance.open_tasks), joinedload(ProcessInstance.waiting_timers),
                 joinedload(ProcessInstance.application, innerjoin=True).joinedload(Application.call),
                 joinedload(ProcessInstance.application, innerjoin=True)
                 .joinedload(Application.enterprise, innerjoin=True)
                 .joinedload(Enterprise.region, innerjoin=True)
                 .joinedload(Region.parent).joinedload(Region.parent).joinedload(Region.parent))
        .with_for_update(of=ProcessInstance).execution_options(populate_existing=True)
    ).unique().one()


def open_task(instance: ProcessInstance, step: str | None = None) -> HumanTask | None:
    query = db.select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.state == "open")
    if step:
        query = query.where(HumanTask.step == step)
    return db.session.scalars(query.order_by(HumanTask.id).execution_options(populate_existing=True)).first()


def complete_task(task: HumanTask, actor: User, data: dict[str, Any], decision: str | None = None) -> None:
    """Complete `task` in the engine and save. The caller holds the instance lock (see `lock`)."""
    instance = db.session.get(ProcessInstance, task.instance_id)
    application = instance.application
    pspec = definitions.process_spec(instance.definition_id)
    now = utcnow()
    try:
        result = engine.complete(pspec, instance.state, task.engine_task_id, data,
                                 timers.clock(application, pspec, now))
    except engine.TaskNotReady as exc:
        raise Conflict(_("This task is no longer open.")) from exc
    except engine.EngineError as exc:
        raise Invalid(_("The review process could not continue: %(error)s", error=str(exc))) from exc
    instance.state = result.state
    _apply(instance, application, result, actor=actor, completed_task=task, decision=decision, now=now)
    _flush()


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise Conflict(_("Someone else changed this application at the same time; reload and try again.")) from exc


def _advance(instance: ProcessInstance, now: datetime,
             run: Callable[[engine.ProcessSpec, str, engine.Clock], engine.Advance]) -> engine.Advance:
    """Run the engine on the locked instance without a decision (timers, signals) and save the result."""
    application = instance.application
    pspec = definitions.process_spec(instance.definition_id)
    try:
        result = run(pspec, instance.state, timers.clock(application, pspec, now))
    except engine.TaskNotReady:
        raise
    except engine.EngineError as exc:
        raise Invalid(_("The review process could not continue: %(error)s", error=str(exc))) from exc
    instance.state = result.state
    _apply(instance, application, result, actor=None, completed_task=None, decision=None, now=now)
    return result


def fire_due(instance: ProcessInstance, now: datetime) -> list[engine.Timer]:
    """Fire the instance's timers due at `now` (the caller holds the lock); returns those that fired."""
    result = _advance(instance, now, engine.fire_timers)
    if result.completed:  # e.g. the public notice ended: recognized
        audit.record(instance.application.status, application=instance.application,
                     step=result.fired[-1].step if result.fired else None)
    _flush()
    return result.fired


def signal(instance: ProcessInstance, name: str) -> bool:
    """Deliver a BPMN signal (an objection); False when nothing in the instance waits for it."""
    try:
        _advance(instance, utcnow(), lambda pspec, state, clock: engine.signal(pspec, state, name, clock))
    except engine.TaskNotReady:
        return False
    _flush()
    return True


def clock(instance: ProcessInstance, now: datetime | None = None) -> engine.Clock:
    return timers.clock(instance.application, definitions.process_spec(instance.definition_id), now or utcnow())


def apply(instance: ProcessInstance, application: Application, result: engine.Advance) -> None:
    """Bring the inbox rows and the status in step with an engine result not caused by a decision."""
    _apply(instance, application, result, actor=None, completed_task=None, decision=None, now=utcnow())


def rename_open_tasks(instance: ProcessInstance, result: engine.Advance) -> None:
    """After a move to another version, waiting tasks keep their rows but take the new labels."""
    names = {r.engine_task_id: r.name for r in result.ready}
    for task in db.session.scalars(db.select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.state.in_(("open", "suspended")))):
        if task.engine_task_id in names:
            task.step_name = names[task.engine_task_id]


def _due(ready: engine.ReadyTask, now: datetime, application: Application,
         instance: ProcessInstance) -> datetime | None:
    """A step's deadline in working days: set by the application's call, else the BPMN property."""
    pspec = definitions.process_spec(instance.definition_id)
    days = timers.deadline_days(application, pspec, ready.step)
    return workdays.add_working_days(now, days) if days else None


def _apply(instance: ProcessInstance, application: Application, result: engine.Advance, *,
           actor: User | None, completed_task: HumanTask | None, decision: str | None, now: datetime) -> None:
    """Copy the engine's ready tasks into `human_task` and its timers into `process_timer`, act on
    timers that fired, and derive the application's status."""
    with db.session.no_autoflush:
        _sync(instance, application, result, actor=actor, completed_task=completed_task, decision=decision,
              now=now)
        timers.sync(instance, application, result, now)


def _sync(instance: ProcessInstance, application: Application, result: engine.Advance, *,
          actor: User | None, completed_task: HumanTask | None, decision: str | None, now: datetime) -> None:
    previous_status = application.status
    open_rows = {t.engine_task_id: t for t in instance.open_tasks}
    if result.fired:
        timers.on_fired(application, open_rows, result.fired, now)
    ready_ids = {r.engine_task_id for r in result.ready}
    for engine_id, row in open_rows.items():
        if engine_id in ready_ids:
            continue
        done = completed_task is not None and row.id == completed_task.id
        row.state = "completed" if done else "cancelled"
        row.completed_at = now
        if done:
            row.completed_by_id = actor.id if actor else None
            row.decision = decision
    for ready in result.ready:
        if ready.engine_task_id in open_rows:
            continue
        assignee = ready.assignee if isinstance(ready.assignee, int) else None
        office = None if assignee else office_for_lane(ready.lane, application.enterprise)
        if office is not None:
            notifications.task_arrived(office.id, application, ready.name)
        if assignee is not None:
            notifications.notify_users([assignee], "task_arrived", _(
                "New task: %(enterprise)s, %(step)s", enterprise=application.enterprise.name,
                step=ready.name or ""), application)
        db.session.add(HumanTask(
            instance_id=instance.id, application_id=application.id, engine_task_id=ready.engine_task_id,
            step=ready.step, step_name=ready.name, lane=ready.lane, office_id=office.id if office else None,
            assignee_id=assignee, context=ready.context or None,
            created_at=now, due_at=_due(ready, now, application, instance), target_tier=application.target_tier,
            region_code=application.enterprise.region_code,
            sector=application.enterprise.sector, score=application.score,
        ))
    if result.completed:
        instance.status = "completed"
        instance.end_event = result.end_event
        application.status = "recognized" if result.end_event == "recognized" else "rejected"
    elif any(r.lane == "enterprise" for r in result.ready):
        application.status = "returned"
    else:
        application.status = "in_review"
    if application.status != previous_status:
        notifications.status_changed(application)
    application.updated_at = now
