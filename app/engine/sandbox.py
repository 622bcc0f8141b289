"""Gateway conditions and scripts run here, compiled by RestrictedPython.

No imports, no names or attributes starting with an underscore (so no
`().__class__.__base__.__subclasses__()`), no file or network access: the
builtins are RestrictedPython's safe set plus a few pure helpers.
"""

from __future__ import annotations

import ast
import builtins
import copy
from functools import lru_cache
from types import CodeType
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Eval import default_guarded_getitem
from RestrictedPython.Guards import full_write_guard, guarded_iter_unpack_sequence, safer_getattr
from RestrictedPython.transformer import RestrictingNodeTransformer
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from app.engine import limits
from app.engine.clock import deadline
from app.engine.limits import REFUSED_ATTRIBUTES, LimitExceeded, check_format_spec

# The one allow-list of builtins: what deploy-time checks accept is exactly what evaluation provides.
_PLAIN_BUILTINS: dict[str, Any] = {
    "None": None, "True": True, "False": False,
    "abs": abs, "bool": bool, "callable": callable, "chr": chr, "divmod": divmod, "float": float, "hex": hex,
    "int": int, "isinstance": isinstance, "len": len, "oct": oct, "ord": ord, "repr": repr, "round": round,
    "slice": slice, "str": str,
    "deadline": deadline,  # timer expressions: deadline("<step>", -2), see engine/clock.py
}
_CONSUMING = {"min": min, "max": max, "sum": sum, "any": any, "all": all, "sorted": sorted, "list": list,
              "dict": dict, "set": set, "tuple": tuple, "enumerate": enumerate, "zip": zip}
ALLOWED_NAMES = frozenset(_PLAIN_BUILTINS) | frozenset(_CONSUMING) | {"range", "pow"}
# Python's builtins the sandbox does not provide (open, getattr, type, vars, globals, dir, compile, setattr…):
# refused where they are named, at deploy and at run time alike.
_UNAVAILABLE = frozenset(name for name in dir(builtins) if not name.startswith("_")) - ALLOWED_NAMES
_GUARDED_OPERATORS = {ast.Mult: "*", ast.Pow: "**", ast.LShift: "<<", ast.Add: "+", ast.Mod: "%"}


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


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's checks, plus: no name of a builtin the sandbox lacks, no refused attribute, no computed
    or oversized format specification; operators that can grow a value go through the bounds (limits.binary)."""

    def visit_Name(self, node: ast.Name) -> Any:
        if isinstance(node.ctx, ast.Load) and node.id in _UNAVAILABLE:
            self.error(node, f"name {node.id!r} is not available in expressions")
        return super().visit_Name(node)

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        if node.attr in REFUSED_ATTRIBUTES:
            self.error(node, f"attribute {node.attr!r} is not allowed")
        return super().visit_Attribute(node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> Any:
        spec = node.format_spec
        if spec is not None:
            if any(isinstance(part, ast.FormattedValue) for part in ast.walk(spec)):
                self.error(node, "a computed format specification is not allowed")
            else:
                try:
                    check_format_spec("".join(str(part.value) for part in ast.walk(spec)
                                              if isinstance(part, ast.Constant)))
                except LimitExceeded as exc:
                    self.error(node, str(exc))
        return super().visit_FormattedValue(node)

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        node = super().visit_BinOp(node)
        symbol = _GUARDED_OPERATORS.get(type(node.op))
        if symbol is None:
            return node
        call = ast.Call(func=ast.Name("_binop_", ast.Load()), args=[ast.Constant(symbol), node.left, node.right],
                        keywords=[])
        for part in (call, call.func, call.args[0]):
            ast.copy_location(part, node)
        return call


def _forbidden(tree: ast.AST) -> list[str]:
    return sorted({f"{type(node).__name__} is not allowed" for node in ast.walk(tree)
                   if isinstance(node, _FORBIDDEN_NODES)})


def _restricted(tree: ast.AST, mode: str, source: str) -> CodeType:
    compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    result = compiler(tree, filename="<sandbox>", policy=_Policy)
    if result.errors or result.code is None:
        raise SandboxViolation(source, list(result.errors) or ["does not compile"])
    return result.code


@lru_cache(maxsize=2048)
def _compile(source: str, mode: str) -> CodeType:
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        raise SandboxViolation(source, [f"syntax error: {exc.msg}"]) from None
    problems = _forbidden(tree)
    if problems:
        raise SandboxViolation(source, problems)
    return _restricted(tree, mode, source)


def _getattr(obj: Any, name: str, *default: Any) -> Any:
    if name in REFUSED_ATTRIBUTES:
        raise LimitExceeded(f"attribute {name!r} is not allowed")
    return limits.method(obj, name, safer_getattr(obj, name, *default))


_BUILTINS: dict[str, Any] = dict(_PLAIN_BUILTINS)
_BUILTINS.update({name: limits.consuming(function) for name, function in _CONSUMING.items()})
_BUILTINS.update(range=limits.guarded_range, pow=limits.guarded_pow)
_GUARDS: dict[str, Any] = {
    "__builtins__": _BUILTINS, "_getattr_": _getattr, "_getitem_": default_guarded_getitem,
    "_getiter_": limits.iterate, "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_write_": full_write_guard, "_binop_": limits.binary, "_inplacevar_": limits.inplace,
}


def _scope(variables: dict[str, Any]) -> dict[str, Any]:
    """The globals of one evaluation: its variables, the allowed builtins and the guards."""
    scope = dict(variables)
    scope.update(_GUARDS)
    return scope


def _closed(node: ast.AST) -> bool:
    """Nothing in `node` depends on task data: every name in it is an allowed builtin or bound by one of its own
    comprehensions (`[x * y for x in range(10**5) for y in range(10**5)]` is closed, and evaluated)."""
    bound = {target.id for comp in ast.walk(node) if isinstance(comp, ast.comprehension)
             for target in ast.walk(comp.target) if isinstance(target, ast.Name)}
    return all(not isinstance(n, ast.Name) or n.id in ALLOWED_NAMES or n.id in bound for n in ast.walk(node)) and \
        not any(isinstance(n, ast.NamedExpr) for n in ast.walk(node))


def _constant_problems(tree: ast.AST) -> list[str]:
    """Evaluate, under the bounds, every largest part of `tree` that depends on no task data
    (`10**10**10`, `sum(range(10**15))`, `deadline("<step>", 2000000)`): what fails now fails at run time
    every time it is reached, so it is refused at deploy."""
    problems: list[str] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.expr) and not isinstance(node, (ast.Constant, ast.Name)) and _closed(node):
            part = ast.fix_missing_locations(ast.Expression(body=copy.deepcopy(node)))
            try:
                limits.run(eval, _restricted(part, "eval", ast.unparse(node)), _scope({}))
            except SandboxViolation:
                pass  # reported for the whole source
            except Exception as exc:  # noqa: BLE001 - any failure of a closed part is the author's to fix
                problems.append(f"{ast.unparse(node)}: {exc}")
            continue
        pending.extend(ast.iter_child_nodes(node))
    return problems


def check(source: str, mode: str = "eval") -> list[str]:
    """The problems that stop `source` from running in the sandbox (empty when it is fine)."""
    try:
        _compile(source, mode)
    except SandboxViolation as exc:
        return exc.problems
    return _constant_problems(ast.parse(source, mode=mode))


def evaluate(expression: str, variables: dict[str, Any]) -> Any:
    code = _compile(expression.strip(), "eval")
    return limits.run(eval, code, _scope(variables))  # compiled by RestrictedPython, guarded, bounded


def execute(script: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Run `script`; return the variables it leaves behind (no callables, no guard names)."""
    code = _compile(script, "exec")
    scope = _scope(variables)
    limits.run(exec, code, scope)  # compiled by RestrictedPython, guarded, bounded
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
