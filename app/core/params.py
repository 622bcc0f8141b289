"""Ids and numbers from callers, checked before they reach the database (issue 16: every malformed input is a
400/422, never an overflow or a driver error): ids are whole numbers from 1 to 2**31 − 1 (the primary keys are
INTEGER columns), never booleans."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from app.core.errors import Invalid

MAX_ID = 2**31 - 1


class BoundedInt(IntegerConverter):
    """`<int:…>` in URLs: a number beyond the database's range matches no route (404), not a crash."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def id_list(value: Any, field: str, *, most: int = 200) -> list[int]:
    """A JSON list of 1 to `most` ids, duplicates dropped; 422 naming `field` otherwise."""
    if not isinstance(value, list) or not value or len(value) > most or not all(is_id(v) for v in value):
        raise Invalid(_("Send between 1 and %(n)s ids (whole numbers).", n=most), fields={field: _("invalid value")})
    return list(dict.fromkeys(value))
