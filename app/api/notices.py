"""API v1: the public notice (公示) and its objections."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp, int_arg, json_body, token_required
from app.core import abuse
from app.recognition import applications, notices


@bp.get("/notices")
def public_notices():
    """No login: the applications under public notice (enterprise name, region, tier only)."""
    page = int_arg("page", 1)
    items, total = notices.public_list(page=page)
    return jsonify({"items": items, "total": total})


@bp.post("/notices/<int:application_id>/objections")
@abuse.objection
def raise_objection(application_id: int):
    """No login: anyone may object to an application under public notice."""
    objection = notices.raise_objection(application_id, json_body())
    return jsonify({"id": objection.id, "state": objection.state}), 201


@bp.get("/applications/<int:application_id>/objections")
@token_required
def list_objections(application_id: int):
    application = applications.get_for(g.api_user, application_id)
    if notices.may_see_objectors(g.api_user, application):
        items = [notices.objection_to_dict(o) for o in notices.objections(application)]
    else:  # the objectors' names and contacts are for the office that reviews the objections
        items = [{"id": o.id, "text": o.text, "state": o.state} for o in notices.objections(application)]
    return jsonify({"items": items, "total": len(items)})
