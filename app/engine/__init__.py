"""The only package that imports SpiffWorkflow."""

from app.engine.runtime import (
    Advance,
    EngineError,
    ProcessSpec,
    ReadyTask,
    TaskNotReady,
    complete,
    parse_spec,
    ready_tasks,
    spec_cache,
    start,
)
from app.engine.sandbox import SandboxViolation
from app.engine.xml import UnsafeXML, parse_xml

__all__ = [
    "Advance", "EngineError", "ProcessSpec", "ReadyTask", "SandboxViolation", "TaskNotReady",
    "UnsafeXML", "complete", "parse_spec", "parse_xml", "ready_tasks", "spec_cache", "start",
]
