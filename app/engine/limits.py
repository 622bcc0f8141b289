"""The bounds every sandboxed expression runs under (issue 16 §1): no value grows past `MAX_SIZE` items or
characters, no integer past `MAX_INT_BITS`, and one evaluation takes at most `MAX_STEPS` iteration steps. Breaking
a bound raises `LimitExceeded` at once, so a runaway condition fails its own instance and never holds the server.

Each evaluation runs inside `budget()`, its own step count. `binary` applies an operator after checking its result
cannot exceed the bounds; `method` hands out the str and list methods that can grow a value only through a wrapper
that checks the result's size first."""

from __future__ import annotations

import operator as op
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

MAX_SIZE = 100_000  # items of a list, tuple, set, dict or range; characters of a string
MAX_INT_BITS = 100_000  # about 30,000 decimal digits
MAX_STEPS = 200_000  # iteration steps of one evaluation (loops, comprehensions, builtins over iterables)
MAX_WIDTH = 1_000  # field width or precision in a format specification
MAX_DEADLINE_DAYS = 366  # working days a timer expression may add to or take from a step's deadline

# str/list methods refused outright: `format` and `format_map` reach attributes through the format mini-language
# (RestrictedPython's safer_getattr refuses str.format at run time too), `translate`/`maketrans` map one character
# to any string; `mro` and friends are never needed.
REFUSED_ATTRIBUTES = frozenset({"format", "format_map", "translate", "maketrans", "mro"})


class LimitExceeded(ValueError):
    """An expression tried to build or compute something beyond the sandbox's bounds."""


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple, set, frozenset, dict, range)) else None


def _check_size(size: int, what: str = "value") -> None:
    if size > MAX_SIZE:
        raise LimitExceeded(f"a {what} of more than {MAX_SIZE} items or characters")


def _int_like(value: Any) -> bool:
    return isinstance(value, int)


def _check_pow(base: Any, exponent: Any) -> None:
    if _int_like(base) and _int_like(exponent) and exponent > 0 and abs(base) > 1 and \
            exponent * abs(base).bit_length() > MAX_INT_BITS:
        raise LimitExceeded(f"an integer of more than {MAX_INT_BITS} bits")


_PERCENT_FIELD = re.compile(r"%[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")


def check_format_spec(spec: str) -> None:
    """Refuse a field width or precision above MAX_WIDTH (`f'{x:>10000000}'`, `'%.*f'`)."""
    for number in re.findall(r"\d+", spec):
        if int(number) > MAX_WIDTH:
            raise LimitExceeded(f"a field width or precision above {MAX_WIDTH}")


def _check_percent(template: str) -> None:
    for width, precision in _PERCENT_FIELD.findall(template):
        for part in (width, precision):
            if part == "*":
                raise LimitExceeded("a field width given by an argument ('*')")
            if part and int(part) > MAX_WIDTH:
                raise LimitExceeded(f"a field width or precision above {MAX_WIDTH}")


def binary(symbol: str, left: Any, right: Any) -> Any:
    """`left <symbol> right` (`*`, `**`, `<<`, `+`, `%`), refused when the result would break a bound."""
    if symbol in ("*", "*="):
        for seq, times in ((left, right), (right, left)):
            size = _size(seq)
            if size is not None and _int_like(times):
                _check_size(size * max(times, 0), "repeated sequence")
        if _int_like(left) and _int_like(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise LimitExceeded(f"an integer of more than {MAX_INT_BITS} bits")
    elif symbol in ("**", "**="):
        _check_pow(left, right)
    elif symbol in ("<<", "<<="):
        if _int_like(left) and _int_like(right) and left and left.bit_length() + right > MAX_INT_BITS:
            raise LimitExceeded(f"an integer of more than {MAX_INT_BITS} bits")
    elif symbol in ("+", "+="):
        a, b = _size(left), _size(right)
        if a is not None and b is not None:
            _check_size(a + b)
    elif symbol in ("%", "%=") and isinstance(left, str):
        _check_percent(left)
    return _OPERATORS[symbol](left, right)


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "*": op.mul, "**": op.pow, "<<": op.lshift, "+": op.add, "%": op.mod,
    "+=": op.iadd, "-=": op.isub, "*=": op.imul, "/=": op.itruediv, "//=": op.ifloordiv, "%=": op.imod,
    "**=": op.ipow, "<<=": op.ilshift, ">>=": op.irshift, "&=": op.iand, "|=": op.ior, "^=": op.ixor,
    "@=": op.imatmul,
}


class Budget:
    """The iteration steps one evaluation has taken."""

    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps = 0


_budget: ContextVar[Budget] = ContextVar("tierflow_sandbox_budget")


def run(function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` with a fresh step budget (one evaluation)."""
    token = _budget.set(Budget())
    try:
        return function(*args)
    finally:
        _budget.reset(token)


def step(count: int = 1) -> None:
    current = _budget.get(None)
    if current is None:
        raise LimitExceeded("sandboxed code runs only inside an evaluation's budget")
    current.steps += count
    if current.steps > MAX_STEPS:
        raise LimitExceeded(f"more than {MAX_STEPS} iteration steps")


def iterate(iterable: Iterable[Any]) -> Iterator[Any]:
    for item in iterable:
        step()
        yield item


def bounded(iterable: Iterable[Any]) -> list[Any]:
    """Materialize `iterable` within the budget and the size bound."""
    items = []
    for item in iterate(iterable):
        items.append(item)
        _check_size(len(items))
    return items


def guarded_range(*args: int) -> range:
    value = range(*args)
    _check_size(len(value), "range")
    return value


def guarded_pow(base: Any, exponent: Any, modulo: Any = None) -> Any:
    if modulo is None:
        _check_pow(base, exponent)
        return pow(base, exponent)
    return pow(base, exponent, modulo)


def consuming(function: Callable[..., Any]) -> Callable[..., Any]:
    """A builtin that walks its first argument (sum, sorted, list, enumerate…; min and max only when given one
    iterable; zip every argument), fed through the budget."""

    def guarded(*args: Any, **kwargs: Any) -> Any:
        if function is zip:
            args = tuple(bounded(a) for a in args)
        elif args and (function not in (min, max) or len(args) == 1) and not isinstance(args[0], dict):
            args = (bounded(args[0]), *args[1:])
        return function(*args, **kwargs)

    guarded.__name__ = function.__name__
    return guarded


def inplace(symbol: str, left: Any, right: Any) -> Any:
    return binary(symbol, left, right)


def method(obj: Any, name: str, found: Any) -> Any:
    """The str or list method `found`, wrapped where it can grow a value."""
    if isinstance(obj, str):
        if name in ("ljust", "rjust", "center", "zfill"):
            def padded(width: int, *rest: Any) -> str:
                _check_size(width if isinstance(width, int) else 0)
                return found(width, *rest)
            return padded
        if name == "expandtabs":
            def expanded(tabsize: int = 8) -> str:
                _check_size(len(obj) * max(tabsize if isinstance(tabsize, int) else 0, 1))
                return found(tabsize)
            return expanded
        if name == "replace":
            def replaced(old: str, new: str, count: int = -1) -> str:
                if isinstance(old, str) and isinstance(new, str):
                    hits = len(obj) + 1 if old == "" else obj.count(old)
                    if count >= 0:
                        hits = min(hits, count)
                    _check_size(len(obj) + hits * max(len(new) - len(old), 0))
                return found(old, new, count)
            return replaced
        if name == "join":
            def joined(iterable: Iterable[Any]) -> str:
                items = bounded(iterable)
                _check_size(sum(len(i) for i in items if isinstance(i, str)) + len(obj) * len(items))
                return found(items)
            return joined
    if isinstance(obj, list) and name == "extend":
        def extended(iterable: Iterable[Any]) -> None:
            items = bounded(iterable)
            _check_size(len(obj) + len(items))
            return found(items)
        return extended
    return found
