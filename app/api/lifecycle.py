"""API v1: lifecycle cases (re-verification, revocation), re-verification campaigns and libraries."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from app.api import bp, int_arg, json_body, token_optional, token_required
from app.core.errors import Invalid
from app.core.vocabulary import MembershipStatus
from app.lifecycle import campaigns, cases, libraries


@bp.get("/cases")
@token_required
def list_case_tasks():
    """The open lifecycle tasks of the reviewer's office, or of the enterprise's own cases (`kind`:
    reverification, revocation)."""
    page, per_page = int_arg("page", 1), int_arg("per_page", 50, maximum=200)
    tasks, total = cases.open_tasks_for(g.api_user, kind=request.args.get("kind") or None, page=page,
                                        per_page=per_page)
    items = []
    for task in tasks:
        case = cases.get_for(g.api_user, task.subject_id)
        items.append({"task_id": task.id, "step": task.step, "step_name": task.step_name, "kind": task.kind,
                      "due_at": task.due_at.isoformat() if task.due_at else None,
                      "decisions": [{"decision": d, "label": label} for d, label in cases.offered(case, task)],
                      "case": {"id": case.id, "kind": case.kind, "enterprise": case.enterprise.summary(),
                               "missed": case.missed, "ground": case.ground}})
    return jsonify({"items": items, "total": total})


@bp.get("/cases/<int:case_id>")
@token_required
def get_case(case_id: int):
    case = cases.get_for(g.api_user, case_id)
    return jsonify(cases.to_dict(case) | {"history": cases.history(case)})


@bp.post("/cases/<int:case_id>/update")
@token_required
def update_case_data(case_id: int):
    """The member's yearly data: `{"data": {…indicators…}}`."""
    return jsonify(cases.to_dict(cases.submit_update(g.api_user, case_id, json_body().get("data"))))


@bp.post("/cases/<int:case_id>/response")
@token_required
def respond_to_case(case_id: int):
    """The enterprise's statement before a revocation is decided: `{"response": "…"}`."""
    return jsonify(cases.to_dict(cases.respond(g.api_user, case_id, json_body().get("response"))))


@bp.post("/cases/tasks/<int:task_id>/decision")
@token_required
def decide_case(task_id: int):
    body = json_body()
    return jsonify(cases.to_dict(cases.decide(g.api_user, task_id, body.get("decision"), body.get("comment"))))


@bp.get("/campaigns")
@token_required
def list_campaigns():
    return jsonify({"items": [campaigns.to_dict(c) for c in campaigns.campaigns_for(g.api_user)]})


@bp.post("/campaigns")
@token_required
def open_campaign():
    return jsonify(campaigns.to_dict(campaigns.open_campaign(g.api_user, json_body()), with_cases=True)), 201


@bp.get("/campaigns/<int:campaign_id>")
@token_required
def get_campaign(campaign_id: int):
    return jsonify(campaigns.to_dict(campaigns.get_for(g.api_user, campaign_id), with_cases=True))


@bp.post("/campaigns/<int:campaign_id>/close")
@token_required
def close_campaign_updates(campaign_id: int):
    """From the due date on: members that have not updated are flagged as missed; their cases go to the office."""
    return jsonify(campaigns.to_dict(campaigns.close_updates(g.api_user, campaign_id), with_cases=True))


@bp.get("/libraries")
@token_optional
def list_libraries():
    return jsonify({"items": [lib.to_dict() | {"label": libraries.label(lib)} for lib in libraries.all_libraries()]})


@bp.get("/libraries/<key>/members")
@token_required
def library_members(key: str):
    library = libraries.get(key)
    status = request.args.get("status", "active") or None
    if status not in (None, *MembershipStatus.values()):
        raise Invalid(_("Unknown status; use one of: %(statuses)s", statuses=", ".join(MembershipStatus.values())),
                      fields={"status": _("unknown status")})
    page, per_page = int_arg("page", 1), int_arg("per_page", 100, maximum=500)
    rows, total = libraries.members(g.api_user, library, status, page=page, per_page=per_page)
    return jsonify({"items": [libraries.membership_to_dict(m) for m in rows], "total": total})


@bp.post("/libraries/<key>/members")
@token_required
def add_library_member(key: str):
    return jsonify(libraries.membership_to_dict(libraries.add_member(g.api_user, key, json_body()))), 201


@bp.post("/library-memberships/<int:membership_id>/exit")
@token_required
def exit_library_member(membership_id: int):
    member = libraries.remove_member(g.api_user, membership_id, json_body().get("reason"))
    return jsonify(libraries.membership_to_dict(member))
