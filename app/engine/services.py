"""Service tasks: the BPMN names an operation and its parameters; the caller supplies what runs it.

A service task in a diagram reads
```xml
<bpmn:serviceTask id="draw_panel" name="抽取专家">
  <bpmn:extensionElements>
    <spiffworkflow:serviceTaskOperator id="draw_expert_panel" resultVariable="expert_panel">
      <spiffworkflow:parameters>
        <spiffworkflow:parameter id="size" type="int" value="3" />
      </spiffworkflow:parameters>
    </spiffworkflow:serviceTaskOperator>
  </bpmn:extensionElements>
</bpmn:serviceTask>
```
The engine evaluates each parameter's value in the sandbox and hands the operation's name, the
parameters and the step to the caller's handler; what the handler returns becomes `resultVariable`.
Which operations exist is business knowledge (the workflow layer's catalogue), not the engine's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

# (operation name, evaluated parameters, the service task's id, the task's data) → a JSON-able result
OperationHandler = Callable[[str, dict[str, Any], str, dict[str, Any]], Any]


@dataclass
class _Serving:
    handler: OperationHandler | None
    error: BaseException | None = None  # what the handler raised (re-raised to the caller as is)
    calls: list[str] = field(default_factory=list)


_current: ContextVar[_Serving | None] = ContextVar("tierflow_operations", default=None)


class NoOperations(ValueError):
    """A service task ran but the caller supplied no operation handler."""


@contextmanager
def serving(handler: OperationHandler | None) -> Iterator[_Serving]:
    """Run service tasks with `handler` inside the block (None keeps an enclosing block's handler)."""
    outer = _current.get()
    if handler is None and outer is not None:
        outer.error = None
        yield outer
        return
    token = _current.set(_Serving(handler))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def pending_error() -> BaseException | None:
    """The exception an operation raised during the current run (the engine wraps it; we want it whole)."""
    state = _current.get()
    return state.error if state else None


def call(task: Any, operation_name: str, operation_params: dict[str, Any]) -> str:
    """SpiffWorkflow's `call_service`: run the operation through the handler; the result as JSON."""
    state = _current.get()
    if state is None or state.handler is None:
        raise NoOperations(f"service task {task.task_spec.name} needs operation {operation_name}")
    params = {name: item.get("value") if isinstance(item, dict) else item for name, item in operation_params.items()}
    try:
        result = state.handler(operation_name, params, task.task_spec.name, dict(task.data))
    except BaseException as exc:
        state.error = exc
        raise
    state.calls.append(task.task_spec.name)
    return json.dumps(result)
