"""The only package that imports SpiffWorkflow."""

from app.engine.clock import Clock, calendar_clock
from app.engine.decisions import set_resolver as set_decision_resolver
from app.engine.declarations import declared_operations
from app.engine.rules import RuleBook, evaluate_rules, parse_rules, rules_cache
from app.engine.runtime import (
    Advance,
    EngineError,
    Inspection,
    ProcessSpec,
    ReadyTask,
    TaskNotReady,
    Timer,
    called_decisions,
    complete,
    fire_timers,
    inspect,
    migrate,
    migration_problems,
    parse_spec,
    property_value,
    reset_to,
    signal,
    spec_cache,
    start,
    step_effects,
    undeclared,
)
from app.engine.sandbox import SandboxViolation
from app.engine.services import OperationHandler, serving
from app.engine.validation import Problem, validate_bpmn, validate_dmn  # deploy-time validation
from app.engine.xml import UnsafeXML, parse_xml

__all__ = [
    "Advance", "EngineError", "Inspection", "ProcessSpec", "ReadyTask", "RuleBook", "SandboxViolation", "TaskNotReady",
    "UnsafeXML", "called_decisions", "complete", "evaluate_rules", "inspect", "migrate", "migration_problems",
    "parse_rules", "parse_spec", "parse_xml", "reset_to", "rules_cache", "spec_cache", "start", "step_effects",
]

# deploy-time validation (app/engine/validation.py)
__all__ += ["Problem", "validate_bpmn", "validate_dmn"]
# timers and signals (app/engine/clock.py, runtime.fire_timers/signal)
__all__ += ["Clock", "Timer", "calendar_clock", "fire_timers", "signal"]
# service tasks (app/engine/services.py) and declared step properties
__all__ += ["OperationHandler", "declared_operations", "property_value", "serving", "undeclared"]
# decision tables looked up when a business rule runs (app/engine/decisions.py)
__all__ += ["set_decision_resolver"]
