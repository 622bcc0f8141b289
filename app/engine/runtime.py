"""Start, inspect and advance BPMN workflows; the state saved never carries the spec."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.defaults import EndEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG
from SpiffWorkflow.util.task import TaskState

from app.engine.sandbox import SandboxViolation, script_engine
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


@dataclass(frozen=True)
class ReadyTask:
    engine_task_id: str
    step: str
    name: str | None
    lane: str | None
    properties: dict = field(default_factory=dict)  # the task's spiffworkflow:properties


@dataclass
class Advance:
    """What an instance looks like after the engine ran as far as it could."""

    state: str
    ready: list[ReadyTask] = field(default_factory=list)
    completed: bool = False
    end_event: str | None = None
    data: dict = field(default_factory=dict)


SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def called_decisions(bpmn_xml: str | bytes) -> list[str]:
    """The decision ids the business rule tasks of a BPMN call (their DMN must be parsed with it)."""
    root = parse_xml(bpmn_xml)
    found = root.iter(f"{{{SPIFF_NS}}}calledDecisionId")
    return sorted({(el.text or "").strip() for el in found if (el.text or "").strip()})


def parse_spec(bpmn_xml: str | bytes, process_id: str | None = None,
               dmn_xml: list[str | bytes] | None = None) -> ProcessSpec:
    parser = SpiffBpmnParser()
    parser.add_bpmn_xml(parse_xml(bpmn_xml))
    for dmn in dmn_xml or []:
        parser.add_dmn_xml(parse_xml(dmn))
    ids = parser.get_process_ids()
    if not ids:
        raise EngineError("no executable process in the definition")
    pid = process_id or ids[0]
    spec = parser.get_spec(pid)
    subs = parser.get_subprocess_specs(pid)
    names = {n: (ts.bpmn_name or n) for n, ts in spec.task_specs.items() if getattr(ts, "bpmn_id", None)}
    lanes = {n: getattr(ts, "lane", None) for n, ts in spec.task_specs.items()}
    return ProcessSpec(pid, spec, subs, names, lanes)


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


def _snapshot(wf: BpmnWorkflow) -> Advance:
    ready = [
        ReadyTask(str(t.id), t.task_spec.name, t.task_spec.bpmn_name, getattr(t.task_spec, "lane", None),
                  dict((getattr(t.task_spec, "extensions", None) or {}).get("properties", {})))
        for t in wf.get_tasks(state=TaskState.READY, manual=True)
    ]
    end_event = None
    completed = wf.is_completed()
    if completed:
        for t in wf.get_tasks(state=TaskState.COMPLETED):
            if isinstance(t.task_spec, EndEvent):
                end_event = t.task_spec.name
    data = dict(wf.data)
    return Advance(state=_serializer.serialize_json(wf), ready=ready, completed=completed,
                   end_event=end_event, data=data)


def _run(wf: BpmnWorkflow) -> None:
    try:
        wf.do_engine_steps()
    except SandboxViolation as exc:
        raise EngineError(f"forbidden expression {exc.source!r}: {'; '.join(exc.problems)}") from exc
    except SpiffWorkflowException as exc:
        raise EngineError(str(exc)) from exc


def start(pspec: ProcessSpec, data: dict[str, Any]) -> Advance:
    wf = BpmnWorkflow(pspec.spec, pspec.subprocess_specs, script_engine=_script_engine)
    for task in wf.get_tasks(state=TaskState.READY):
        task.data.update(data)
    _run(wf)
    return _snapshot(wf)


def complete(pspec: ProcessSpec, state: str, engine_task_id: str, data: dict[str, Any]) -> Advance:
    """Complete one ready human task with `data` and run the engine on."""
    wf = _load(pspec, state)
    try:
        task = wf.get_task_from_id(UUID(engine_task_id))
    except (SpiffWorkflowException, ValueError):
        raise TaskNotReady(engine_task_id) from None
    if task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskNotReady(engine_task_id)
    task.data.update(data)
    try:
        task.run()
    except SpiffWorkflowException as exc:
        raise EngineError(str(exc)) from exc
    _run(wf)
    return _snapshot(wf)


@dataclass(frozen=True)
class Inspection:
    """Where an instance stands: the steps completed (in order) and the steps waiting."""

    completed: list[str]
    waiting: list[str]


def _bpmn_steps(wf: BpmnWorkflow, state: TaskState) -> list[Any]:
    tasks = [t for t in wf.get_tasks(state=state) if getattr(t.task_spec, "bpmn_id", None)]
    return sorted(tasks, key=lambda t: t.last_state_change)


def inspect(pspec: ProcessSpec, state: str) -> Inspection:
    wf = _load(pspec, state)
    return Inspection(
        completed=[t.task_spec.name for t in _bpmn_steps(wf, TaskState.COMPLETED)],
        waiting=[t.task_spec.name for t in _bpmn_steps(wf, TaskState.READY | TaskState.WAITING | TaskState.STARTED)],
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
    return _snapshot(wf)


def reset_to(pspec: ProcessSpec, state: str, step: str) -> Advance:
    """Move an instance back to an earlier step: its latest completed run waits again."""
    wf = _load(pspec, state)
    done = [t for t in _bpmn_steps(wf, TaskState.COMPLETED) if t.task_spec.name == step and t.task_spec.manual]
    if not done:
        raise TaskNotReady(step)
    wf.reset_from_task_id(done[-1].id)
    _run(wf)
    return _snapshot(wf)
