"""JSON API v1: the same services as the web views, bearer-token authentication."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, g, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app.api.errors import error_response
from app.core.errors import BadRequest, Forbidden, Invalid, ServiceError, Unauthorized
from app.org import accounts

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_body() -> dict:
    """The request's JSON object, or 400."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest(_("The request body must be a JSON object."))
    return body


def _bearer_user():
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    g.api_token = token.strip()
    return accounts.user_for_token(token.strip()) if scheme.lower() == "bearer" and token else None


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        user = _bearer_user()
        if user is None:
            raise Unauthorized(_("Send a valid bearer token: Authorization: Bearer <token>."))
        if user.must_change_password and request.endpoint != "api.change_password":
            raise Forbidden(_("Your password was reset: change it first (POST /api/v1/me/password)."),
                            code="password_change_required")
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper


def token_optional(view):
    """Public resources: `g.api_user` is the caller when a token is sent (a bad token is still 401)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        user = _bearer_user()
        if user is None and request.headers.get("Authorization"):
            raise Unauthorized(_("Send a valid bearer token: Authorization: Bearer <token>."))
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    return error_response(exc.status, exc.code, exc.message, exc.fields, exc.extra)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    codes = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
             405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type"}
    if exc.code == 429:  # an abuse limit (app/core/abuse.py); Retry-After says when to come back
        return error_response(429, "rate_limited", _("Too many attempts. Wait a while before trying again."))
    return error_response(exc.code or 500, codes.get(exc.code or 500, "error"), exc.description or exc.name)


def int_arg(name: str, default: int | None = None, *, minimum: int = 1, maximum: int = 100_000) -> int | None:
    """A whole-number query parameter within bounds; 422 naming it otherwise (never a database overflow)."""
    value = request.args.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not minimum <= number <= maximum:
        raise Invalid(_("%(name)s must be a whole number from %(minimum)s to %(maximum)s.", name=name,
                        minimum=minimum, maximum=maximum), fields={name: _("out of range")})
    return number


def config(name: str):
    return current_app.config[name]


# one module per resource
from app.api import (  # noqa: E402,F401
    account,
    applications,
    auth,
    conflicts,
    definitions,
    enterprises,
    evidence,
    filters,
    ledger,
    lifecycle,
    monitoring,
    notices,
    notifications,
    openapi,
    periodic_reports,
    problems,
    process_bindings,
    rankings,
    recognitions,
    rewards,
    routing_rules,
    rule_sets,
    services_desk,
    stats,
    targets,
    tasks,
    uscc_claims,
)
