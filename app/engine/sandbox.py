"""Gateway conditions and scripts run here, compiled by RestrictedPython.

No imports, no names or attributes starting with an underscore (so no
`().__class__.__base__.__subclasses__()`), no file or network access: the
builtins are RestrictedPython's safe set plus a few pure helpers.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from types import CodeType
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import full_write_guard, guarded_iter_unpack_sequence, safer_getattr
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from app.engine.clock import deadline

_BUILTINS: dict[str, Any] = dict(safe_builtins)
_BUILTINS.update({
    "min": min, "max": max, "sum": sum, "any": any, "all": all,
    "sorted": sorted, "list": list, "dict": dict, "set": set, "enumerate": enumerate,
    "deadline": deadline,  # timer expressions: deadline("<step>", -2), see engine/clock.py
})

_GUARDS: dict[str, Any] = {
    "__builtins__": _BUILTINS,
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_write_": full_write_guard,
}


class SandboxViolation(ValueError):
    """The expression or script uses something the sandbox forbids."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source!r}: {'; '.join(problems)}")


# Statements a condition or a data script never needs; refused before RestrictedPython compiles.
_FORBIDDEN_NODES = (
    ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal, ast.FunctionDef, ast.AsyncFunctionDef,
    ast.ClassDef, ast.Lambda, ast.While, ast.Await, ast.Yield, ast.YieldFrom, ast.With, ast.AsyncWith,
    ast.Try, ast.Raise, ast.Delete,
)


def _forbidden(source: str, mode: str) -> list[str]:
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        return [f"syntax error: {exc.msg}"]
    return sorted({f"{type(node).__name__} is not allowed" for node in ast.walk(tree)
                   if isinstance(node, _FORBIDDEN_NODES)})


@lru_cache(maxsize=2048)
def _compile(source: str, mode: str) -> CodeType:
    problems = _forbidden(source, mode)
    if problems:
        raise SandboxViolation(source, problems)
    compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    result = compiler(source, filename="<sandbox>")
    if result.errors or result.code is None:
        raise SandboxViolation(source, list(result.errors) or ["does not compile"])
    return result.code


def check(source: str, mode: str = "eval") -> list[str]:
    """The problems that stop `source` from running in the sandbox (empty when it is fine)."""
    try:
        _compile(source, mode)
    except SandboxViolation as exc:
        return exc.problems
    return []


def evaluate(expression: str, variables: dict[str, Any]) -> Any:
    code = _compile(expression.strip(), "eval")
    scope = dict(variables)
    scope.update(_GUARDS)
    return eval(code, scope)  # noqa: S307 - compiled by RestrictedPython, guarded builtins


def execute(script: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Run `script`; return the variables it leaves behind (no callables, no guard names)."""
    code = _compile(script, "exec")
    scope = dict(variables)
    scope.update(_GUARDS)
    exec(code, scope)  # noqa: S102 - compiled by RestrictedPython, guarded builtins
    return {k: v for k, v in scope.items() if not k.startswith("_") and not callable(v)}


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """SpiffWorkflow script environment that delegates to the sandbox."""

    def evaluate(self, expression, context, external_context=None):
        variables = dict(external_context or {})
        variables.update(context)
        return evaluate(expression, variables)

    def execute(self, script, context, external_context=None):
        variables = dict(external_context or {})
        variables.update(context)
        result = execute(script, variables)
        for key in external_context or {}:
            result.pop(key, None)
        context.clear()
        context.update(result)
        return True



@lru_cache(maxsize=4096)
def _syntax_error(expression: str) -> tuple | None:
    """The arguments of the SyntaxError `expression` raises when parsed, or None when it parses."""
    try:
        ast.parse(expression)
    except SyntaxError as exc:
        return exc.args
    return None


class SandboxScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's engine on the sandbox. Service tasks go to the caller's operation handler
    (engine/services.py), nowhere else. The DMN engine checks the syntax of every entry again on every
    evaluation; the answer for an expression is kept (the rule sets' entries are a few hundred strings)."""

    def call_service(self, task, **kwargs):
        from app.engine.services import call

        return call(task, kwargs["operation_name"], kwargs.get("operation_params") or {})

    def validate(self, expression):
        if not isinstance(expression, str):
            return super().validate(expression)
        if (args := _syntax_error(expression)) is not None:
            raise SyntaxError(*args)


def script_engine() -> PythonScriptEngine:
    return SandboxScriptEngine(environment=SandboxEnvironment())
