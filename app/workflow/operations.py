"""The operation catalogue: what a BPMN service task may ask for, by name, with typed parameters.

A domain registers its operations (the recognition chain: draw an expert panel, draw a spot check,
publish a public notice). The editor's side panel lists them, deploy-time validation refuses an unknown
operation or a bad parameter, and at run time the engine calls back here with the evaluated parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError

from app.core.errors import ServiceError
from app.models import ProcessInstance

PARAM_TYPES: dict[str, tuple[type, ...]] = {"int": (int,), "bool": (bool,), "str": (str,), "float": (int, float)}


@dataclass(frozen=True)
class Param:
    type: str  # int, bool, str, float
    description: str  # English msgid (the catalogue is shown translated)
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None

    def problem(self, value: Any) -> str | None:
        """Why `value` is not acceptable (None when it is)."""
        if isinstance(value, bool) and self.type != "bool" or not isinstance(value, PARAM_TYPES[self.type]):
            return f"expects {self.type}"
        if self.minimum is not None and value < self.minimum:
            return f"at least {self.minimum:g}"
        if self.maximum is not None and value > self.maximum:
            return f"at most {self.maximum:g}"
        return None


@dataclass(frozen=True)
class Context:
    """What an operation runs on: the instance, its subject, the service task's id and the task data."""

    instance: ProcessInstance
    subject: Any
    step: str
    data: dict[str, Any]
    now: datetime
    # the task whose completion ran the engine into this service task (its step and office), if any
    trigger_step: str | None = None
    trigger_office_id: int | None = None


@dataclass(frozen=True)
class Operation:
    name: str
    label: str  # English msgid
    description: str  # English msgid
    subject_types: tuple[str, ...]
    run: Callable[[Context, dict[str, Any]], Any]
    params: dict[str, Param] = field(default_factory=dict)
    result: str | None = None  # what the result variable holds (English msgid)


_CATALOGUE: dict[str, Operation] = {}


def register(operation: Operation) -> Operation:
    _CATALOGUE[operation.name] = operation
    return operation


def catalogue() -> dict[str, Operation]:
    return dict(sorted(_CATALOGUE.items()))


def signatures() -> dict[str, dict[str, tuple[str, bool, float | None, float | None]]]:
    """Name → parameter → (type, required, minimum, maximum): what the engine's validator checks."""
    return {name: {p: (spec.type, spec.required, spec.minimum, spec.maximum) for p, spec in op.params.items()}
            for name, op in catalogue().items()}


class OperationFailed(RuntimeError):
    """An operation was asked for that the catalogue does not have, or with parameters it refuses."""


def handler(instance: ProcessInstance, subject: Any, now: datetime, trigger: Any = None) -> Callable[..., Any]:
    """The engine's callback for this instance's service tasks; `trigger` is the inbox row just completed."""

    def run(name: str, params: dict[str, Any], step: str, data: dict[str, Any]) -> Any:
        operation = _CATALOGUE.get(name)
        if operation is None or instance.subject_type not in operation.subject_types:
            raise OperationFailed(f"operation {name!r} is not available for {instance.subject_type}")
        unknown = sorted(set(params) - set(operation.params))
        problems = [f"{p}: {msg}" for p, spec in operation.params.items() if p in params
                    and (msg := spec.problem(params[p]))]
        missing = [p for p, spec in operation.params.items() if spec.required and p not in params]
        if unknown or problems or missing:
            raise OperationFailed(f"operation {name!r}: unknown {unknown}, missing {missing}, {problems}")
        context = Context(instance, subject, step, data, now, getattr(trigger, "step", None),
                          getattr(trigger, "office_id", None))
        try:
            return operation.run(context, params)
        except ServiceError:
            raise  # a refusal the caller words (no_experts…): the request answers it and changes nothing
        except DBAPIError:
            raise  # a lost race (deadlock, busy database): the request answers 409 and the caller retries
        except Exception as exc:  # a broken operation fails this instance, never the request or the worker
            raise OperationFailed(f"operation {name!r} failed: {type(exc).__name__}: {exc}") from exc

    return run
