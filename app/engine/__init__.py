"""The only package that imports SpiffWorkflow."""

from app.engine.rules import RuleBook, evaluate_rules, parse_rules, rules_cache
from app.engine.runtime import (
    Advance,
    EngineError,
    Inspection,
    ProcessSpec,
    ReadyTask,
    TaskNotReady,
    called_decisions,
    complete,
    inspect,
    migrate,
    migration_problems,
    parse_spec,
    reset_to,
    spec_cache,
    start,
)
from app.engine.sandbox import SandboxViolation
from app.engine.validation import Problem, validate_bpmn, validate_dmn  # deploy-time validation
from app.engine.xml import UnsafeXML, parse_xml

__all__ = [
    "Advance", "EngineError", "Inspection", "ProcessSpec", "ReadyTask", "RuleBook", "SandboxViolation", "TaskNotReady",
    "UnsafeXML", "called_decisions", "complete", "evaluate_rules", "inspect", "migrate", "migration_problems",
    "parse_rules", "parse_spec", "parse_xml", "reset_to", "rules_cache", "spec_cache", "start",
]

# deploy-time validation (app/engine/validation.py)
__all__ += ["Problem", "validate_bpmn", "validate_dmn"]
