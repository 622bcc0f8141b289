"""What deploy-time validation reports: a `Problem` with its code and facts, never a sentence.

Shared by the structural checks (engine/validation.py) and the checks of what a diagram declares about
its steps (engine/declarations.py); the service layer words each problem in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.sandbox import check as sandbox_check

FORBIDDEN_EXPRESSION = "forbidden_expression"
EXPRESSION_SYNTAX = "expression_syntax"


@dataclass(frozen=True)
class Problem:
    """One reason a definition cannot be deployed."""

    code: str
    element_id: str | None = None
    element_name: str | None = None
    detail: str | None = None
    source: str | None = None  # the offending expression or script, when there is one
    line: int | None = None
    item: str | None = None  # the name at fault: an operation, a parameter, a step kind, a decision, an id
    reason: str | None = None  # which rule a value breaks (bad_parameter: type, minimum, maximum, type_attribute)
    expected: str | None = None  # what the rule wants (a type name, a bound)


def sandbox_problem(source: str, mode: str, element_id: str | None, element_name: str | None) -> Problem | None:
    """The problem of `source` (an expression or a script) the sandbox refuses to run, if any."""
    reasons = sandbox_check(source, mode)
    if not reasons:
        return None
    code = EXPRESSION_SYNTAX if all(r.startswith("syntax error") for r in reasons) else FORBIDDEN_EXPRESSION
    return Problem(code, element_id, element_name, "; ".join(reasons), source=source)
