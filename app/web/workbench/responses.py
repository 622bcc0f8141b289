"""How the workbench's form posts answer: back to the page the form came from, refusals as a message."""

from __future__ import annotations

from flask import flash, redirect, request
from flask.typing import ResponseReturnValue

from app.core.errors import ServiceError
from app.extensions import db
from app.web.common import safe_next


def back(default: str) -> ResponseReturnValue:
    """Redirect to the page the form came from (its `next` field), else to `default`."""
    return redirect(safe_next(request.form.get("next"), default))


def refused(exc: ServiceError, default: str) -> ResponseReturnValue:
    """Undo the request's changes and show the service's own message on the page the form came from.

    These small forms have no fields to mark, so the message says it all; something outside the
    user's reach (404) stays the 404 page.
    """
    if exc.status == 404:
        raise exc
    db.session.rollback()
    flash(exc.message, "warning" if exc.status == 409 else "danger")
    return back(default)
