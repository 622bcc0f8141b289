"""Start, inspect and advance BPMN workflows; the state saved never carries the spec."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, Generic, TypeVar
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.defaults import EndEvent
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG
from SpiffWorkflow.spiff.specs.event_definitions import SignalEventDefinition
from SpiffWorkflow.util.task import TaskState

from app.engine import decisions
from app.engine.clock import Clock, running
from app.engine.sandbox import SandboxViolation, evaluate, script_engine
from app.engine.services import OperationHandler, pending_error, serving
from app.engine.xml import parse_xml

T = TypeVar("T")


class EngineError(RuntimeError):
    """The engine could not run the workflow (a broken condition, a bad definition…)."""


class TaskNotReady(EngineError):
    """The task asked for is not waiting any more."""


class _SpecFreeWorkflowConverter(BpmnWorkflowConverter):
    """Leave the spec out of the saved state; it is supplied from the per-version cache on load."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct):
        spec = dct.pop("spec")
        subprocess_specs = dct.pop("subprocess_specs")
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_config = dict(DEFAULT_CONFIG)
_config[BpmnWorkflow] = _SpecFreeWorkflowConverter
_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_config))
_script_engine = script_engine()


@dataclass(frozen=True)
class ProcessSpec:
    """A parsed definition version, shared by every instance on that version."""

    process_id: str
    spec: Any
    subprocess_specs: dict
    step_names: dict[str, str]
    lanes: dict[str, str | None]
    properties: dict[str, dict] = field(default_factory=dict)  # step → its spiffworkflow:properties
    attached_to: dict[str, str] = field(default_factory=dict)  # boundary event → the task it watches
    start_step: str | None = None  # the process's start event


@dataclass(frozen=True)
class ReadyTask:
    engine_task_id: str
    step: str
    name: str | None
    lane: str | None
    properties: dict = field(default_factory=dict)  # the task's spiffworkflow:properties
    assignee: Any = None  # the data item named by the `assignee` property (an expert of a panel)
    context: dict = field(default_factory=dict)  # the data items named by the `context` property
    kind: str | None = None  # the `kind` property: what form the step needs (decision, expert score…)
    # the `decisions` property, each with its `<decision>_label` (a text, or `=expression` over the data)
    actions: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class Timer:
    """A timer event that waits (`due_at` set) or has just fired."""

    engine_task_id: str
    step: str
    kind: str  # the `escalation` property (reminder, overdue, hand_up, expert_deadline…) or "timer"
    attached_to: str | None  # for a boundary event: the step it watches
    due_at: datetime | None = None
    attached_task_id: str | None = None  # …and that step's engine task


@dataclass
class Advance:
    """What an instance looks like after the engine ran as far as it could."""

    state: str
    ready: list[ReadyTask] = field(default_factory=list)
    completed: bool = False
    end_event: str | None = None
    data: dict = field(default_factory=dict)
    timers: list[Timer] = field(default_factory=list)  # waiting
    fired: list[Timer] = field(default_factory=list)  # fired during this advance


SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
PARSED_BY_XML = 16  # process definitions kept parsed by their XML text (and the DMN they call)


def called_decisions(bpmn_xml: str | bytes) -> list[str]:
    """The decision ids the business rule tasks of a BPMN call (their DMN must be parsed with it)."""
    root = parse_xml(bpmn_xml)
    found = root.iter(f"{{{SPIFF_NS}}}calledDecisionId")
    return sorted({(el.text or "").strip() for el in found if (el.text or "").strip()})


def undeclared(bpmn_xml: str | bytes) -> bool:
    """A BPMN from before step behaviour was declared in the diagram: user tasks, none with a `kind`."""
    tasks = list(parse_xml(bpmn_xml).iter(f"{{{BPMN_NS}}}userTask"))
    return bool(tasks) and not any(p.get("name") == "kind" for task in tasks
                                   for p in task.iter(f"{{{SPIFF_NS}}}property"))


def parse_spec(bpmn_xml: str | bytes, process_id: str | None = None,
               dmn_xml: list[str | bytes] | None = None) -> ProcessSpec:
    """The parsed process; the same XML gives the same (shared, read-only) ProcessSpec, like `spec_cache`
    does for a version: deploying or loading a definition parsed before (a fresh schema) parses nothing."""
    return _parse_spec(bpmn_xml, process_id, tuple(dmn_xml or ()))


@lru_cache(maxsize=PARSED_BY_XML)
def _parse_spec(bpmn_xml: str | bytes, process_id: str | None, dmn_xml: tuple[str | bytes, ...]) -> ProcessSpec:
    parser = SpiffBpmnParser()
    parser.add_bpmn_xml(parse_xml(bpmn_xml))
    for dmn in dmn_xml:
        parser.add_dmn_xml(parse_xml(dmn))
    ids = parser.get_process_ids()
    if not ids:
        raise EngineError("no executable process in the definition")
    pid = process_id or ids[0]
    spec = parser.get_spec(pid)
    subs = parser.get_subprocess_specs(pid)
    task_specs = [item for sub in [spec, *subs.values()] for item in sub.task_specs.items()]
    names = {n: (ts.bpmn_name or n) for n, ts in task_specs if getattr(ts, "bpmn_id", None)}
    lanes = {n: getattr(ts, "lane", None) for n, ts in task_specs}
    properties = {n: dict((getattr(ts, "extensions", None) or {}).get("properties", {})) for n, ts in task_specs}
    root = parse_xml(bpmn_xml)
    decisions.make_live(root, task_specs, SPIFF_NS, BPMN_NS)
    attached = {el.get("id"): el.get("attachedToRef") for el in root.iter(f"{{{BPMN_NS}}}boundaryEvent")}
    process = next((p for p in root.iter(f"{{{BPMN_NS}}}process") if p.get("id") == pid), None)
    start = process.find(f"{{{BPMN_NS}}}startEvent") if process is not None else None
    return ProcessSpec(pid, spec, subs, names, lanes, properties, attached,
                       start.get("id") if start is not None else None)


class DefinitionCache(Generic[T]):
    """Parsed definitions by definition-version id; a version never changes once deployed."""

    def __init__(self, parse: Callable[[Any], T]) -> None:
        self._parse = parse
        self._items: dict[int, T] = {}
        self._lock = threading.Lock()

    def get(self, version_id: int, load_xml: Callable[[], Any]) -> T:
        """The parsed version; `load_xml` (what `parse` takes) is only called on a cache miss."""
        item = self._items.get(version_id)
        if item is None:
            item = self._parse(load_xml())
            with self._lock:
                self._items[version_id] = item
        return item

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


spec_cache: DefinitionCache[ProcessSpec] = DefinitionCache(lambda loaded: parse_spec(loaded[0], dmn_xml=loaded[1]))


def _load(pspec: ProcessSpec, state: str) -> BpmnWorkflow:
    dct = json.loads(state)
    _serializer.migrate(dct)
    dct["spec"] = pspec.spec
    dct["subprocess_specs"] = pspec.subprocess_specs
    wf = _serializer.from_dict(dct)
    wf.script_engine = _script_engine
    return wf


def _split(value: str | None) -> list[str]:
    return [k.strip() for k in (value or "").split(",") if k.strip()]


def property_value(value: str | None, data: dict[str, Any]) -> Any:
    """A property as declared: plain text, or `=expression` evaluated in the sandbox over the task's data
    (None when the expression fails: a label is never worth stopping a process for)."""
    if not value or not value.startswith("="):
        return value or None
    try:
        return evaluate(value[1:], data)
    except Exception:
        return None


def step_effects(pspec: ProcessSpec, step: str, data: dict[str, Any]) -> dict[str, str]:
    """What each decision of a user task does, as the task declares it: `<decision>_effect` properties (a word
    such as `recognize` or `forward`, or an `=expression` over `data`); a decision without one is left out."""
    found = {}
    for name, raw in pspec.properties.get(step, {}).items():
        if name.endswith("_effect") and isinstance(value := property_value(raw, data), str) and value:
            found[name.removesuffix("_effect")] = value
    return found


def _ready(task: Any) -> ReadyTask:
    props = dict((getattr(task.task_spec, "extensions", None) or {}).get("properties", {}))
    actions = tuple((d, property_value(props.get(f"{d}_label"), task.data)) for d in _split(props.get("decisions")))
    return ReadyTask(str(task.id), task.task_spec.name, task.task_spec.bpmn_name, getattr(task.task_spec, "lane", None),
                     props, assignee=task.data.get(props["assignee"]) if props.get("assignee") else None,
                     context={k: task.data.get(k) for k in _split(props.get("context"))},
                     kind=props.get("kind") or None, actions=actions)


def _timer_name(task: Any) -> str | None:
    """The timer event a waiting task stands for: itself, or the timer behind an event-based gateway."""
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        return task.task_spec.name
    if isinstance(definition, MultipleEventDefinition):  # the gateway holds its events' definitions
        for index, item in enumerate(definition.event_definitions):
            if isinstance(item, TimerEventDefinition):
                return task.task_spec.outputs[index].name
    return None


def _timer_tasks(wf: BpmnWorkflow, state: TaskState = TaskState.WAITING) -> list[Any]:
    return [t for t in wf.get_tasks(state=state) if _timer_name(t)]


def _timer(pspec: ProcessSpec, task: Any) -> Timer:
    name = _timer_name(task) or task.task_spec.name
    value = task._get_internal_data("event_value")
    due = TimerEventDefinition.get_datetime(value) if isinstance(value, str) else None
    attached = pspec.attached_to.get(name)
    watched = [c for c in (task.parent.children if task.parent else []) if c.task_spec.name == attached]
    return Timer(str(task.id), name, pspec.properties.get(name, {}).get("escalation", "timer"),
                 attached, due, str(watched[0].id) if watched else None)


def _snapshot(pspec: ProcessSpec, wf: BpmnWorkflow, waiting_before: dict[str, Timer] | None = None) -> Advance:
    ready = [_ready(t) for t in wf.get_tasks(state=TaskState.READY, manual=True)]
    end_event = None
    completed = wf.is_completed()
    if completed:
        ends = [t for t in wf.get_tasks(state=TaskState.COMPLETED) if isinstance(t.task_spec, EndEvent)
                and t.workflow is wf]
        end_event = max(ends, key=lambda t: t.last_state_change).task_spec.name if ends else None
    fired = []
    for task_id, timer in (waiting_before or {}).items():
        task = wf.get_task_from_id(UUID(task_id))
        if task is None or task.state != TaskState.COMPLETED:
            continue
        # an event-based gateway completes whichever of its events came first: fired if it was the timer
        if task.task_spec.name == timer.step or any(
                c.task_spec.name == timer.step and c.state == TaskState.COMPLETED for c in task.children):
            fired.append(timer)
    data = dict(wf.data)
    return Advance(state=_serializer.serialize_json(wf), ready=ready, completed=completed, end_event=end_event,
                   data=data, timers=[_timer(pspec, t) for t in _timer_tasks(wf)], fired=fired)


def _waiting(pspec: ProcessSpec, wf: BpmnWorkflow) -> dict[str, Timer]:
    return {str(t.id): _timer(pspec, t) for t in _timer_tasks(wf)}


def _run(wf: BpmnWorkflow) -> None:
    try:
        wf.do_engine_steps()
    except Exception as exc:
        _reraise(exc)


def _reraise(exc: Exception) -> None:
    """An operation's own error goes to the caller whole; the engine's become EngineError."""
    original = pending_error()
    if original is not None:
        raise original from None
    if isinstance(exc, SandboxViolation):
        raise EngineError(f"forbidden expression {exc.source!r}: {'; '.join(exc.problems)}") from exc
    if isinstance(exc, SpiffWorkflowException):
        raise EngineError(str(exc)) from exc
    if isinstance(exc, (TypeError, ValueError, KeyError)):  # e.g. a multi-instance input that is not a list
        raise EngineError(f"{type(exc).__name__}: {exc}") from exc
    raise exc


def start(pspec: ProcessSpec, data: dict[str, Any], clock: Clock | None = None,
          operations: OperationHandler | None = None) -> Advance:
    with running(clock), serving(operations):
        wf = BpmnWorkflow(pspec.spec, pspec.subprocess_specs, script_engine=_script_engine)
        for task in wf.get_tasks(state=TaskState.READY):
            task.data.update(data)
        _run(wf)
        return _snapshot(pspec, wf)


def complete(pspec: ProcessSpec, state: str, engine_task_id: str, data: dict[str, Any],
             clock: Clock | None = None, operations: OperationHandler | None = None) -> Advance:
    """Complete one ready human task with `data` and run the engine on."""
    with running(clock), serving(operations):
        wf = _load(pspec, state)
        waiting = _waiting(pspec, wf)
        try:
            task = wf.get_task_from_id(UUID(engine_task_id))
        except (SpiffWorkflowException, ValueError):
            raise TaskNotReady(engine_task_id) from None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(engine_task_id)
        task.data.update(data)
        try:
            task.run()
        except Exception as exc:
            _reraise(exc)
        _run(wf)
        return _snapshot(pspec, wf, waiting)


def fire_timers(pspec: ProcessSpec, state: str, clock: Clock,
                operations: OperationHandler | None = None) -> Advance:
    """Fire every waiting timer due at `clock.now` (the caller's clock, not the wall clock) and run on."""
    with running(clock), serving(operations):
        wf = _load(pspec, state)
        waiting = _waiting(pspec, wf)
        for task in _timer_tasks(wf):
            timer = waiting[str(task.id)]
            if timer.due_at is not None and timer.due_at <= clock.now:
                task._set_internal_data(event_fired=True)
        try:
            wf.refresh_timers()
        except SpiffWorkflowException as exc:
            raise EngineError(str(exc)) from exc
        _run(wf)
        return _snapshot(pspec, wf, waiting)


def signal(pspec: ProcessSpec, state: str, name: str, clock: Clock | None = None,
           operations: OperationHandler | None = None) -> Advance:
    """Deliver the signal `name` (an objection…); TaskNotReady when no event waits for it."""
    with running(clock), serving(operations):
        wf = _load(pspec, state)
        waiting = _waiting(pspec, wf)
        try:
            wf.send_event(BpmnEvent(SignalEventDefinition(name), {}))
        except SpiffWorkflowException:
            raise TaskNotReady(name) from None
        _run(wf)
        return _snapshot(pspec, wf, waiting)


@dataclass(frozen=True)
class Inspection:
    """Where an instance stands: the steps completed (in order) and the steps waiting."""

    completed: list[str]
    waiting: list[str]


def _bpmn_steps(wf: BpmnWorkflow, state: TaskState) -> list[Any]:
    tasks = [t for t in wf.get_tasks(state=state) if getattr(t.task_spec, "bpmn_id", None)]
    return sorted(tasks, key=lambda t: t.last_state_change)


def inspect(pspec: ProcessSpec, state: str) -> Inspection:
    """Boundary timers watch a step rather than being one, so they are left out; an event-based gateway
    waiting on a timer shows as that timer (the public notice)."""
    wf = _load(pspec, state)
    waiting = [_timer_name(t) or t.task_spec.name
               for t in _bpmn_steps(wf, TaskState.READY | TaskState.WAITING | TaskState.STARTED)
               if t.task_spec.name not in pspec.attached_to]
    return Inspection(
        completed=[t.task_spec.name for t in _bpmn_steps(wf, TaskState.COMPLETED)
                   if t.task_spec.name not in pspec.attached_to],
        waiting=list(dict.fromkeys(waiting)),
    )


def migration_problems(target: ProcessSpec, state: str) -> list[str]:
    """Why the saved state cannot run on `target` (empty when it can): every step it has passed
    through or waits at must still exist there, as the same kind of task."""
    dct = json.loads(state)
    problems = []
    names = {t["task_spec"] for t in dct["tasks"].values()}
    for name in sorted(names):
        spec = target.spec.task_specs.get(name)
        if spec is None:
            problems.append(f"step {name} does not exist in the target version")
    if problems:
        return problems
    try:
        wf = _load(target, state)
        for task in wf.get_tasks(state=TaskState.READY, manual=True):
            if not task.task_spec.manual:
                problems.append(f"waiting step {task.task_spec.name} is not a user task in the target version")
    except Exception as exc:  # the state does not fit the target's task graph
        problems.append(f"the state cannot be loaded on the target version: {exc}")
    return problems


def migrate(target: ProcessSpec, state: str) -> Advance:
    """Load the state on `target` and save it; callers check `migration_problems` first."""
    wf = _load(target, state)
    return _snapshot(target, wf)


def reset_to(pspec: ProcessSpec, state: str, step: str, clock: Clock | None = None,
             operations: OperationHandler | None = None) -> Advance:
    """Move an instance back to an earlier step: its latest completed run waits again."""
    with running(clock), serving(operations):
        wf = _load(pspec, state)
        done = [t for t in _bpmn_steps(wf, TaskState.COMPLETED) if t.task_spec.name == step and t.task_spec.manual]
        if not done:
            raise TaskNotReady(step)
        wf.reset_from_task_id(done[-1].id)
        # SpiffWorkflow leaves the removed tasks' waiting timers registered with the event manager
        for task_id, task in list(wf.event_manager.tasks.items()):
            if task.workflow.tasks.get(task_id) is not task:
                wf.event_manager.tasks.pop(task_id, None)
        _run(wf)
        return _snapshot(pspec, wf)
