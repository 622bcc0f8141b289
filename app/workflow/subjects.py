"""What a process instance is about. Each subject type (an application today; a recognition, a reward
claim, a problem report… next) registers an adapter that tells the runtime how to treat it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from app import engine
from app.models import HumanTask, Office, ProcessInstance, Region


class SubjectAdapter(Protocol):
    """How the runtime treats one subject type."""

    subject_type: str
    outcomes: tuple[str, ...]  # what an end event's `outcome` property may say the process did to the subject

    def load(self, subject_id: int) -> Any:
        """The subject row."""

    def of_instance(self, instance: ProcessInstance) -> Any:
        """The subject of a loaded instance (through an eager-loaded relationship where there is one)."""

    def lock_options(self) -> list[Any]:
        """Loader options that bring the subject along when an instance is locked (one query)."""

    def jurisdiction(self, subject: Any) -> tuple[Region, str | None]:
        """The region and sector that pick process bindings and route lanes to offices."""

    def binding_facts(self, subject: Any) -> dict[str, Any]:
        """What a process binding may match besides region and sector: `tier`, and `on` (the date)."""

    def engine_data(self, subject: Any) -> dict[str, Any]:
        """The data the process starts with."""

    def deadline_days(self, subject: Any, pspec: engine.ProcessSpec, step: str) -> int | None:
        """A step's deadline in working days (the BPMN property unless the subject overrides it)."""

    def fixed_due(self, subject: Any, ready: engine.ReadyTask) -> datetime | None:
        """A deadline the subject fixes for a waiting task (a campaign's due date), or None for the step's
        working days."""

    def lane_office(self, subject: Any, lane: str | None) -> Office | None:
        """The office of a lane the subject itself names (the `registrar` of a register entry), or None to
        let the routing rules decide."""

    def task_columns(self, subject: Any) -> dict[str, Any]:
        """Columns copied onto every inbox row of the subject (for filters without joins)."""

    def task_arrived(self, subject: Any, office: Office | None, assignee: int | None, step_name: str | None) -> None:
        """Tell whoever must act that a task waits."""

    def advanced(self, instance: ProcessInstance, subject: Any, result: engine.Advance,
                 pspec: engine.ProcessSpec, now: datetime) -> None:
        """Bring the subject in step with the process (its status…) after the engine ran."""

    def timer_fired(self, subject: Any, task: HumanTask | None, timer: engine.Timer, now: datetime) -> None:
        """A timer fired (reminder, overdue, hand-up…); `task` is the inbox row it watches, if any."""

    def summary(self, subject: Any) -> dict[str, Any]:
        """A few fields that tell people which subject this is (lists, the migration plan)."""

    def audit_refs(self, subject: Any) -> dict[str, Any]:
        """The keyword arguments that tie an audit entry to the subject."""

    def ended(self, subject: Any, step: str | None) -> None:
        """The process ended without a decision (a timer or a signal moved it last)."""


_ADAPTERS: dict[str, SubjectAdapter] = {}


def register(adapter: SubjectAdapter) -> SubjectAdapter:
    _ADAPTERS[adapter.subject_type] = adapter
    return adapter


def adapter(subject_type: str) -> SubjectAdapter:
    try:
        return _ADAPTERS[subject_type]
    except KeyError:
        raise LookupError(f"no adapter registered for subject type {subject_type!r}") from None


def outcomes() -> tuple[str, ...]:
    """What an end event may declare as its `outcome`: every subject type's outcomes."""
    return tuple(sorted({outcome for item in _ADAPTERS.values() for outcome in item.outcomes}))


def lock_options() -> list[Any]:
    return [option for item in _ADAPTERS.values() for option in item.lock_options()]

