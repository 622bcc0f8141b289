"""Helpers the feature blueprints share: role checks, service errors on forms, safe redirects."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Response, abort, flash, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.core.errors import Invalid, ServiceError
from app.extensions import db
from app.web.labels import indicator_label


def role_required(*roles: str) -> Callable:
    """Log-in required, and one of `roles`; anyone else gets the 403 page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def field_errors(form: FlaskForm | None, fields: dict[str, str]) -> dict[str, str]:
    """Attach the service's field errors to the form's fields; return those the form has no field for."""
    rest: dict[str, str] = {}
    for key, message in fields.items():
        field = form._fields.get(key) if form is not None else None
        if field is None:
            rest[key] = message
        else:
            field.errors = [*field.errors, message]
    return rest


def service_failed(exc: ServiceError, form: FlaskForm | None = None) -> int:
    """Undo the request's changes, show the error (next to fields where it has them); the status to answer.

    Call it in an `except ServiceError` before re-rendering the form; answer with the returned status
    (422 invalid, 409 conflict, …) so the request boundary never commits a half-done change.
    """
    db.session.rollback()
    rest = field_errors(form, exc.fields)
    if isinstance(exc, Invalid) and exc.fields and not rest:
        flash(_("Please correct the marked fields."), "danger")
    elif isinstance(exc, Invalid) and rest:
        problems = _("; ").join(_("%(field)s: %(problem)s", field=indicator_label(key), problem=message)
                                for key, message in rest.items())
        flash(_("Please correct: %(problems)s", problems=problems), "danger")
    else:
        flash(exc.message, "warning" if exc.status == 409 else "danger")
    return exc.status if exc.status >= 400 else 400


def alert_failed(exc: ServiceError, form: FlaskForm | None = None) -> int:
    """Undo the request's changes; the service's message as an alert (a warning for a conflict), its field errors
    beside the fields; the status to answer. For decision forms, where the message itself says what to do."""
    db.session.rollback()
    field_errors(form, exc.fields)
    flash(exc.message, "warning" if exc.status == 409 else "danger")
    return exc.status if exc.status >= 400 else 400


def form_invalid() -> int:
    """The status for a form that failed its own validation (nothing was changed)."""
    flash(_("Please correct the marked fields."), "danger")
    return 422


def safe_next(target: str | None, default: str) -> str:
    """A local path to go back to (never another host)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


MAX_PAGE = 100_000  # beyond any real list; keeps OFFSET inside the database's integer range


def page_arg(name: str = "page") -> int:
    return min(max(request.args.get(name, 1, type=int) or 1, 1), MAX_PAGE)


def file_download(path: Any, mimetype: str | None, name: str) -> Response:
    """An uploaded file, always as a download under its original name, never cached on the way (the security
    headers, app/web/headers.py, forbid content sniffing on every answer)."""
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def pdf_response(body: bytes, filename: str) -> Response:
    """A generated PDF as a download (private: never cached on the way)."""
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "private, no-store"
    return response
