"""Ids and numbers from callers, checked before they reach the database (issue 16: every malformed input is a
400/422, never an overflow or a driver error): ids are whole numbers from 1 to 2**31 − 1 (the primary keys are
INTEGER columns), never booleans."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from app.core.errors import Invalid

MAX_ID = 2**31 - 1


def _digits_up_to(bound: int) -> str:
    """A regular expression for the whole numbers 0…bound (no sign; leading zeros only below bound's length)."""
    digits = str(bound)
    options = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            rest = len(digits) - i - 1
            options.append(f"{digits[:i]}[{low}-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    return "(?:" + "|".join([*options, digits]) + ")"


class BoundedInt(IntegerConverter):
    """`<int:…>` in URLs: a number beyond the database's range matches no route (404), not a crash. The bound is
    in the pattern itself: a value refused only after matching would make Werkzeug answer 405 for a path that
    another method's route shares (GET /api/v1/applications/99999999999 said "method not allowed")."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
        if not kwargs.get("signed") and not kwargs.get("fixed_digits") and kwargs["max"] is not None:
            self.regex = _digits_up_to(kwargs["max"])


def is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def id_list(value: Any, field: str, *, most: int = 200) -> list[int]:
    """A JSON list of 1 to `most` ids, duplicates dropped; 422 naming `field` otherwise."""
    if not isinstance(value, list) or not value or len(value) > most or not all(is_id(v) for v in value):
        raise Invalid(_("Send between 1 and %(n)s ids (whole numbers).", n=most), fields={field: _("invalid value")})
    return list(dict.fromkeys(value))
