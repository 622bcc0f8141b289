"""The only package that imports SpiffWorkflow."""

from app.engine.rules import RuleBook, evaluate_rules, parse_rules, rules_cache
from app.engine.runtime import (
    Advance,
    EngineError,
    ProcessSpec,
    ReadyTask,
    TaskNotReady,
    called_decisions,
    complete,
    parse_spec,
    ready_tasks,
    spec_cache,
    start,
)
from app.engine.sandbox import SandboxViolation
from app.engine.xml import UnsafeXML, parse_xml

__all__ = [
    "Advance", "EngineError", "ProcessSpec", "ReadyTask", "RuleBook", "SandboxViolation", "TaskNotReady",
    "UnsafeXML", "called_decisions", "complete", "evaluate_rules", "parse_rules", "parse_spec", "parse_xml",
    "ready_tasks", "rules_cache", "spec_cache", "start",
]
