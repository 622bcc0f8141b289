"""The process diagram of an application as JSON, for the diagram viewers on the status, task and cockpit pages."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.core.errors import ServiceError
from app.recognition import cockpit
from app.web.applications import bp


@bp.get("/applications/<int:application_id>/diagram.json")
@login_required
def diagram(application_id: int) -> ResponseReturnValue:
    """{key, version, xml, status, completed, waiting, flows}; enterprises get the XML without internals."""
    try:
        view = cockpit.instance_view(current_user, application_id)
    except ServiceError as exc:
        return jsonify({"error": {"code": exc.code, "message": exc.message}}), exc.status
    response = jsonify(view)
    response.headers["Cache-Control"] = "no-store"
    return response
