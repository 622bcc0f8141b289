"""JSON at the boundary (issue 16 §9): `NaN`, `Infinity`, numbers that overflow to infinity and integers of 19
digits or more are refused with 422 before any service sees them, deeply nested documents with 400, and nothing
non-finite is ever written out (`allow_nan=False`)."""

from __future__ import annotations

import json
import math
from typing import Any

from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _

from app.core.errors import BadRequest, Invalid

MAX_DIGITS = 18  # every id, count and amount in yuan fits; 2**63 does not


def _constant(name: str) -> Any:
    raise Invalid(_("Numbers must be finite: %(value)s is not allowed.", value=name), code="non_finite_number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Invalid(_("Numbers must be finite: %(value)s is not allowed.", value=text[:40]),
                      code="non_finite_number")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise Invalid(_("A number has more than %(n)s digits.", n=MAX_DIGITS), code="number_too_large")
    return int(text)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.update(parse_constant=_constant, parse_float=_float, parse_int=_int)
        try:
            return json.loads(s, **kwargs)
        except RecursionError as exc:
            raise BadRequest(_("The JSON is nested too deeply.")) from exc

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("allow_nan", False)
        return super().dumps(obj, **kwargs)
