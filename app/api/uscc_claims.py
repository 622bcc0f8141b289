"""API v1: claims to a USCC (issue 16 §8). Anyone files one (multipart: the fields and the business licence in
`file`); the county office it is routed to (and the admin) lists, reads and decides them."""

from __future__ import annotations

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _

from app.api import bp, int_arg, json_body, token_required
from app.core import abuse
from app.core.errors import BadRequest, Forbidden, Invalid
from app.core.vocabulary import UsccClaimStatus
from app.enterprises import uscc_claims
from app.web.common import file_download

FIELDS = ("uscc", "registered_name", "contact_name", "contact_phone", "username", "password")


@bp.post("/uscc-claims")
@abuse.registration
@abuse.upload
def file_uscc_claim():
    if request.mimetype != "multipart/form-data":
        raise BadRequest(_("Send the claim as multipart form data: the fields and the business licence in 'file'."))
    upload = request.files.get("file")
    claim = uscc_claims.file({key: request.form.get(key) for key in FIELDS}, upload.filename if upload else None,
                             upload.stream if upload else None, current_app.config["UPLOAD_DIR"],
                             current_app.config["UPLOAD_MAX_BYTES"])
    return jsonify({"id": claim.id, "status": claim.status}), 201


def _staff() -> None:
    if g.api_user.role not in ("reviewer", "admin"):
        raise Forbidden(_("Only an office or the administrator sees claims to a USCC."))


@bp.get("/uscc-claims")
@token_required
def list_uscc_claims():
    _staff()
    status = request.args.get("status") or None
    if status is not None and status not in UsccClaimStatus.values():
        raise Invalid(_("Unknown status."), fields={"status": _("unknown")})
    per_page = int_arg("per_page", 50, maximum=200)
    page = int_arg("page", 1)
    rows, total = uscc_claims.search(g.api_user, status=status, page=page, per_page=per_page)
    return jsonify({"items": [uscc_claims.to_dict(c) for c in rows], "total": total, "page": page,
                    "per_page": per_page})


@bp.get("/uscc-claims/<int:claim_id>")
@token_required
def get_uscc_claim(claim_id: int):
    _staff()
    return jsonify(uscc_claims.to_dict(uscc_claims.get_for(g.api_user, claim_id), detail=True))


@bp.get("/uscc-claims/<int:claim_id>/licence")
@token_required
def uscc_claim_licence(claim_id: int):
    _staff()
    claim, path = uscc_claims.licence(g.api_user, claim_id, current_app.config["UPLOAD_DIR"])
    return file_download(path, claim.licence_type, claim.licence_name)


@bp.post("/uscc-claims/<int:claim_id>/decision")
@token_required
def decide_uscc_claim(claim_id: int):
    claim = uscc_claims.decide(g.api_user, claim_id, json_body())
    return jsonify(uscc_claims.to_dict(claim, detail=True))
