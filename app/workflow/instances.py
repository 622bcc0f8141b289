"""Running process instances: start one for a subject, advance it under a lock, keep the inbox in step.

Nothing here knows what the subject is or what a step does: the subject's adapter (workflow/subjects.py)
supplies its data, jurisdiction and status; the BPMN declares each step's kind and decisions and names
the operations its service tasks run (workflow/operations.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from app import engine
from app.core import appends, workdays
from app.core.errors import Conflict, Invalid
from app.core.vocabulary import Decision, StepKind
from app.extensions import db
from app.models import HumanTask, ProcessInstance, User
from app.models.base import utcnow
from app.workflow import bindings, definitions, operations, routing, subjects, timers

# what a step offers when its BPMN names no decisions
DEFAULT_ACTIONS: dict[str, list[list[Any]]] = {kind.value: [[d, None] for d in Decision.review()]
                                               for kind in (StepKind.DECISION, StepKind.OBJECTION_REVIEW)}


def start(subject_type: str, subject: Any, process: str, data: dict[str, Any] | None = None) -> ProcessInstance:
    """Start `process` for `subject`: the process binding in force picks the definition."""
    adapter = subjects.adapter(subject_type)
    region, sector = adapter.jurisdiction(subject)
    facts = adapter.binding_facts(subject)
    key = bindings.definition_key(process, region=region, sector=sector, tier=facts.get("tier"),
                                  on=facts.get("on") or workdays.china_date())
    now = utcnow()
    instance = ProcessInstance(process=process, subject_type=subject_type, subject_id=subject.id,
                               definition_id=definitions.active(key).id, state="")
    start_data = adapter.engine_data(subject) | (data or {})
    result = _engine_call(instance, subject, now, lambda pspec, clock, ops: engine.start(pspec, start_data, clock, ops),
                          _l("The review process could not start: %(error)s"))
    instance.state = result.state
    db.session.add(instance)
    db.session.flush()
    set_committed_value(instance, "open_tasks", [])  # a new instance has neither: nothing to read
    set_committed_value(instance, "waiting_timers", [])
    _apply(instance, subject, result, actor=None, completed_task=None, decision=None, now=now)
    db.session.flush()
    return instance


def subject_of(instance: ProcessInstance) -> Any:
    return subjects.adapter(instance.subject_type).of_instance(instance)


def lock(instance_id: int) -> ProcessInstance:
    """Load the instance with a row lock (PostgreSQL); the version column guards everywhere else."""
    return db.session.scalars(_locking(db.select(ProcessInstance).where(ProcessInstance.id == instance_id))) \
        .unique().one()


def _locking(query: Any) -> Any:
    """`query` of instances, locked, each with its open tasks, waiting timers and subject."""
    return (query.options(joinedload(ProcessInstance.open_tasks), joinedload(ProcessInstance.waiting_timers),
                          *subjects.lock_options())
            .with_for_update(of=ProcessInstance).execution_options(populate_existing=True))


def lock_task(task_id: int, *columns: Any, params: dict[str, Any] | None = None
              ) -> tuple[ProcessInstance | None, tuple[Any, ...]]:
    """`lock` the instance of the inbox row `task_id`, found by that row (one statement): the instance (None when
    there is no such row) and the values of `columns` (None each without one), SQL expressions computed in the
    same statement (`params`: the values of their parameters). The row itself is in the session when it is open
    (one of the instance's `open_tasks`)."""
    row = db.session.execute(_lock_task_statement(columns), {"lock_task_id": task_id, **(params or {})}) \
        .unique().first()
    return (None, (None,) * len(columns)) if row is None else (row[0], tuple(row[1:]))


@cache
def _lock_task_statement(columns: tuple[Any, ...]) -> Any:
    """Built once per set of extra columns (its loader options cost more to build than to run)."""
    owner = db.select(HumanTask.instance_id).where(HumanTask.id == db.bindparam("lock_task_id")).scalar_subquery()
    return _locking(db.select(ProcessInstance, *columns).where(ProcessInstance.id == owner))


def open_task(instance: ProcessInstance, kind: str | None = None) -> HumanTask | None:
    """The instance's open inbox row (of a declared kind: an amendment, an objection review…)."""
    query = db.select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.state == "open")
    if kind:
        query = query.where(HumanTask.kind == kind)
    return db.session.scalars(query.order_by(HumanTask.id).execution_options(populate_existing=True)).first()


def _engine_call(instance: ProcessInstance, subject: Any, now: datetime,
                 run: Callable[[engine.ProcessSpec, engine.Clock, engine.OperationHandler], engine.Advance],
                 failure: Any, trigger: HumanTask | None = None) -> engine.Advance:
    """Run the engine; `failure` (a lazy message: translated only when it is needed) says what went wrong."""
    adapter = subjects.adapter(instance.subject_type)
    pspec = definitions.process_spec(instance.definition_id)
    try:
        return run(pspec, timers.clock(adapter, subject, pspec, now),
                   operations.handler(instance, subject, now, trigger))
    except engine.TaskNotReady:
        raise
    except (engine.EngineError, operations.OperationFailed) as exc:
        raise Invalid(str(failure) % {"error": str(exc)}) from exc


def complete_task(task: HumanTask, actor: User, data: dict[str, Any], decision: str | None = None) -> None:
    """Complete `task` in the engine and save. The caller holds the instance lock (see `lock`)."""
    instance = db.session.get(ProcessInstance, task.instance_id)
    subject = subject_of(instance)
    now = utcnow()
    try:
        result = _engine_call(instance, subject, now, lambda pspec, clock, ops: engine.complete(
            pspec, instance.state, task.engine_task_id, data, clock, ops),
            _l("The review process could not continue: %(error)s"), trigger=task)
    except engine.TaskNotReady as exc:
        raise Conflict(_("This task is no longer open.")) from exc
    instance.state = result.state
    _apply(instance, subject, result, actor=actor, completed_task=task, decision=decision, now=now)
    # the new state, under the version check, goes with the inbox rows, audit and notices (app/core/appends.py):
    # a writer that slipped past the lock makes that statement fail (StaleDataError: 409 to the caller)
    appends.update_loaded(instance)
    _flush()


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise Conflict(_("Someone else changed this application at the same time; reload and try again.")) from exc


def _advance(instance: ProcessInstance, now: datetime,
             run: Callable[[engine.ProcessSpec, str, engine.Clock, engine.OperationHandler], engine.Advance]
             ) -> engine.Advance:
    """Run the engine on the locked instance without a decision (timers, signals) and save the result."""
    subject = subject_of(instance)
    result = _engine_call(instance, subject, now, lambda pspec, clock, ops: run(pspec, instance.state, clock, ops),
                          _l("The review process could not continue: %(error)s"))
    instance.state = result.state
    _apply(instance, subject, result, actor=None, completed_task=None, decision=None, now=now)
    return result


def fire_due(instance: ProcessInstance, now: datetime) -> list[engine.Timer]:
    """Fire the instance's timers due at `now` (the caller holds the lock); returns those that fired."""
    result = _advance(instance, now, engine.fire_timers)
    if result.completed:  # e.g. the public notice ended
        subjects.adapter(instance.subject_type).ended(subject_of(instance),
                                                       result.fired[-1].step if result.fired else None)
    _flush()
    return result.fired


def signal(instance: ProcessInstance, name: str) -> bool:
    """Deliver a BPMN signal (an objection); False when nothing in the instance waits for it."""
    try:
        _advance(instance, utcnow(), lambda pspec, state, clock, ops: engine.signal(pspec, state, name, clock, ops))
    except engine.TaskNotReady:
        return False
    _flush()
    return True


def reset_to(instance: ProcessInstance, step: str) -> engine.Advance:
    """Move the locked instance back to an earlier completed step (an administrator's action)."""
    return _advance(instance, utcnow(), lambda pspec, state, clock, ops: engine.reset_to(
        pspec, state, step, clock, ops))


def rename_open_tasks(instance: ProcessInstance, result: engine.Advance) -> None:
    """After a move to another version, waiting tasks keep their rows but take the new labels and forms."""
    ready = {r.engine_task_id: r for r in result.ready}
    for task in db.session.scalars(db.select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.state.in_(("open", "suspended")))):
        if task.engine_task_id in ready:
            task.step_name = ready[task.engine_task_id].name
            task.kind, task.actions = _form(ready[task.engine_task_id])


def _form(ready: engine.ReadyTask) -> tuple[str, list[list[Any]] | None]:
    """The step's declared kind and the decisions it offers (with their labels)."""
    kind = ready.kind or StepKind.DECISION.value
    actions = [[d, label if isinstance(label, str) else None] for d, label in ready.actions] \
        or DEFAULT_ACTIONS.get(kind)
    return kind, actions


def _due(adapter: subjects.SubjectAdapter, subject: Any, ready: engine.ReadyTask, now: datetime,
         instance: ProcessInstance) -> datetime | None:
    """A step's deadline in working days (the subject may override the BPMN property)."""
    fixed = adapter.fixed_due(subject, ready)
    if fixed is not None:
        return fixed
    days = adapter.deadline_days(subject, definitions.process_spec(instance.definition_id), ready.step)
    return workdays.add_working_days(now, days) if days else None


def _apply(instance: ProcessInstance, subject: Any, result: engine.Advance, *,
           actor: User | None, completed_task: HumanTask | None, decision: str | None, now: datetime) -> None:
    """Copy the engine's ready tasks into `human_task` and its timers into `process_timer`, act on
    timers that fired, and bring the subject in step."""
    adapter = subjects.adapter(instance.subject_type)
    with db.session.no_autoflush:
        _sync(adapter, instance, subject, result, actor=actor, completed_task=completed_task, decision=decision,
              now=now)
        timers.sync(instance, adapter.task_columns(subject).get("application_id"), result, now)
        if result.completed:
            instance.status = "completed"
            instance.end_event = result.end_event
        adapter.advanced(instance, subject, result, definitions.process_spec(instance.definition_id), now)


def _sync(adapter: subjects.SubjectAdapter, instance: ProcessInstance, subject: Any, result: engine.Advance, *,
          actor: User | None, completed_task: HumanTask | None, decision: str | None, now: datetime) -> None:
    open_rows = {t.engine_task_id: t for t in instance.open_tasks}
    for timer in result.fired:
        adapter.timer_fired(subject, open_rows.get(timer.attached_task_id or ""), timer, now)
    ready_ids = {r.engine_task_id for r in result.ready}
    ended_any = False
    for engine_id, row in open_rows.items():
        if engine_id in ready_ids:
            continue
        ended_any = True
        done = completed_task is not None and row.id == completed_task.id
        ended: dict[str, Any] = {"state": "completed" if done else "cancelled", "completed_at": now}
        if done:
            ended |= {"completed_by_id": actor.id if actor else None, "decision": decision}
        appends.update_loaded(row, **ended)  # rides with the audit and notices (with the claim, if any)
    region, sector = adapter.jurisdiction(subject)
    columns = {name: None for name in _SUBJECT_COLUMNS} | adapter.task_columns(subject)
    arrived = []
    for ready in result.ready:
        if ready.engine_task_id in open_rows:
            continue
        assignee = ready.assignee if isinstance(ready.assignee, int) else None
        office = None if assignee else (adapter.lane_office(subject, ready.lane)
                                        or routing.office_for_lane(ready.lane, region, sector))
        adapter.task_arrived(subject, office, assignee, ready.name)
        kind, actions = _form(ready)
        arrived.append(_NEW_TASK | columns | {
            "instance_id": instance.id, "subject_type": instance.subject_type, "subject_id": instance.subject_id,
            "engine_task_id": ready.engine_task_id, "step": ready.step, "step_name": ready.name, "lane": ready.lane,
            "kind": kind, "actions": actions, "office_id": office.id if office else None, "assignee_id": assignee,
            "context": ready.context or None, "created_at": now,
            "due_at": _due(adapter, subject, ready, now, instance)})
    if arrived:  # queued with the audit and notices (one multi-row INSERT, ids in the engine's order)
        appends.insert(HumanTask, arrived)
    if arrived or ended_any:
        db.session.expire(instance, ["open_tasks"])  # read again (after the queued writes) when next asked for


# the columns of a new inbox row nobody has set yet, and those a subject may fill (`task_columns`)
_NEW_TASK: dict[str, Any] = {"state": "open", "claimed_by_id": None, "claimed_at": None, "completed_by_id": None,
                             "completed_at": None, "decision": None, "reminded_at": None, "escalated_at": None}
_SUBJECT_COLUMNS = ("application_id", "target_tier", "region_code", "sector", "score")
