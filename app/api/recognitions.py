"""API v1: the register (认定名录) — recognitions, their history and revocations."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from app.api import bp, int_arg, json_body, token_optional, token_required
from app.core.errors import Invalid
from app.core.vocabulary import RecognitionStatus, Tier
from app.lifecycle import cases, register, revocations

MAX_PER_PAGE = 200


@bp.get("/recognitions")
@token_optional
def list_recognitions():
    """Filters: tier, region, status, year, call_id, q; page, per_page. Without a token: active entries."""
    tier, status = request.args.get("tier") or None, request.args.get("status") or None
    if tier is not None and tier not in Tier.values():
        raise Invalid(_("Unknown tier; use one of: %(tiers)s", tiers=", ".join(Tier.values())),
                      fields={"tier": _("unknown tier")})
    if status is not None and status not in RecognitionStatus.values():
        raise Invalid(_("Unknown status; use one of: %(statuses)s", statuses=", ".join(RecognitionStatus.values())),
                      fields={"status": _("unknown status")})
    page, per_page = int_arg("page", 1), int_arg("per_page", 50, maximum=MAX_PER_PAGE)
    rows, total = register.search(g.api_user, tier=tier, region=request.args.get("region") or None, status=status,
                                  year=int_arg("year", minimum=1990, maximum=2100),
                                  call_id=int_arg("call_id", maximum=2**31 - 1), q=request.args.get("q") or None,
                                  page=page, per_page=per_page)
    public = register.is_public(g.api_user)
    return jsonify({"items": [register.to_dict(r, public=public) for r in rows], "total": total, "page": page,
                    "per_page": per_page})


@bp.get("/recognitions/<int:recognition_id>")
@token_optional
def get_recognition(recognition_id: int):
    entry = register.get_for(g.api_user, recognition_id)
    if register.is_public(g.api_user):
        return jsonify(register.to_dict(entry, public=True))
    return jsonify(register.to_dict(entry) | {"history": register.history(entry)})


@bp.post("/recognitions/<int:recognition_id>/revocations")
@token_required
def open_revocation(recognition_id: int):
    case = revocations.open_revocation(g.api_user, recognition_id, json_body())
    return jsonify(cases.to_dict(case)), 201
