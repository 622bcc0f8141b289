"""API v1 for administrators: process definitions and their versions (issue 4)."""

from __future__ import annotations

from flask import Response, g, jsonify, request
from flask_babel import gettext as _

from app.api import bp, token_required
from app.core import permissions
from app.core.errors import BadRequest
from app.workflow import definitions, versions


@bp.get("/process-definitions")
@token_required
def list_definitions():
    permissions.require_admin(g.api_user)
    items = versions.catalog()
    return jsonify({"items": items, "total": len(items)})


@bp.get("/process-definitions/<key>/versions/<int:number>")
@token_required
def get_version(key: str, number: int):
    permissions.require_admin(g.api_user)
    definition = versions.get(key, number)
    return Response(definition.xml, mimetype="application/xml")


@bp.post("/process-definitions/<key>/versions")
@token_required
def deploy_version(key: str):
    permissions.require_admin(g.api_user)
    raw = request.get_data(cache=False)
    if not raw.strip():
        raise BadRequest(_("Send the BPMN or DMN XML as the request body."))
    try:
        xml = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(_("The XML must be UTF-8.")) from exc
    kind = versions.kind_of(xml)
    definition = definitions.deploy(key, xml, kind=kind, user=g.api_user,
                                    comment=request.args.get("comment") or request.headers.get("X-Comment"))
    versions.discard_draft(key)
    return jsonify(versions.version_dict(definition)), 201
