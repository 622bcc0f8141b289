"""Errors a use case raises; the web and API layers turn them into messages and status codes."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str | None = None,
                 extra: dict | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.fields = fields or {}
        self.extra = extra or {}
        if code:
            self.code = code


class BadRequest(ServiceError):
    status, code = 400, "bad_request"


class Unauthorized(ServiceError):
    status, code = 401, "unauthorized"


class Forbidden(ServiceError):
    status, code = 403, "forbidden"


class NotFound(ServiceError):
    status, code = 404, "not_found"


class Conflict(ServiceError):
    status, code = 409, "conflict"


class Invalid(ServiceError):
    status, code = 422, "invalid"


class Unavailable(ServiceError):
    """Something the server needs is missing (a PDF font…): not the caller's fault, nor a crash."""

    status, code = 503, "unavailable"


def lost_race(exc: Exception) -> bool:
    """A database error (SQLAlchemy's OperationalError) that only says another transaction won: a busy SQLite
    database, a PostgreSQL deadlock's victim or serialization failure. The caller answers 409 and may retry."""
    orig = getattr(exc, "orig", exc)
    message = str(orig).lower()
    return "locked" in message or "deadlock" in message or getattr(orig, "sqlstate", None) in ("40P01", "40001")
