"""Decision tables are looked up when a business rule task runs, not when its process is parsed (issue 16 §4).

A parsed process is cached for the life of the worker; if it kept the decision table that was active when it was
parsed, redeploying a fixed table would change nothing until a restart, and two workers could judge with two
tables. So each business rule task of a parsed process carries a `LiveDecision`: at run time it asks the resolver
the workflow layer registered for the active version of its decision (one indexed query, only when a rule actually
runs) and evaluates that version, parsed once per version id. Without a resolver (engine tests, deploy checks) it
evaluates the table parsed with the process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from lxml import etree
from SpiffWorkflow.spiff.parser import SpiffBpmnParser

from app.engine.xml import parse_xml

# decision id → (version id, a callable giving that version's DMN XML), or None when nothing is deployed under it
Resolver = Callable[[str], "tuple[int, Callable[[], str]] | None"]
_resolver: Resolver | None = None
_engines: dict[int, Any] = {}
_lock = threading.Lock()


def set_resolver(resolver: Resolver | None) -> None:
    global _resolver
    _resolver = resolver


def _engine_for(decision_id: str, version_id: int, load_xml: Callable[[], str]) -> Any:
    found = _engines.get(version_id)
    if found is None:
        parser = SpiffBpmnParser()
        parser.add_dmn_xml(parse_xml(load_xml()))
        found = parser.get_engine(decision_id, None)
        with _lock:
            _engines[version_id] = found
    return found


def clear() -> None:
    with _lock:
        _engines.clear()


class LiveDecision:
    """Stands in for a business rule task's DMN engine: evaluates the decision's active version."""

    def __init__(self, decision_id: str, parsed: Any) -> None:
        self.decision_id = decision_id
        self.parsed = parsed  # the table parsed with the process: used only without a resolver

    def current(self) -> Any:
        found = _resolver(self.decision_id) if _resolver is not None else None
        return self.parsed if found is None else _engine_for(self.decision_id, *found)

    def result(self, task: Any) -> Any:
        return self.current().result(task)

    def __getattr__(self, name: str) -> Any:  # anything else SpiffWorkflow asks of a DMN engine
        return getattr(self.current(), name)


def make_live(root: etree._Element, task_specs: list[tuple[str, Any]], spiff_ns: str, bpmn_ns: str) -> None:
    """Give every business rule task of a freshly parsed process a LiveDecision."""
    called = {el.get("id"): (el.findtext(f".//{{{spiff_ns}}}calledDecisionId") or "").strip()
              for el in root.iter(f"{{{bpmn_ns}}}businessRuleTask")}
    for _name, spec in task_specs:
        decision_id = called.get(getattr(spec, "bpmn_id", None))
        if decision_id and hasattr(spec, "dmnEngine") and not isinstance(spec.dmnEngine, LiveDecision):
            spec.dmnEngine = LiveDecision(decision_id, spec.dmnEngine)
