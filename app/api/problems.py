"""API v1: problems (问题诉求, issue 14). An enterprise raises (`{"category", "text"}`), follows, confirms or
reopens its own; an office lists its jurisdiction's and resolves or escalates those it holds; a leader reads its
region's. 404 outside the caller's problems, 409 for an action that does not fit the state, 422 for bad input."""

from __future__ import annotations

from flask import current_app, g, jsonify, request

from app.api import bp, int_arg, json_body, token_required
from app.services_desk import problems
from app.web.common import file_download

FILTERS = ("category", "sector", "level", "status", "overdue", "waiting")


@bp.post("/problems")
@token_required
def raise_problem():
    """JSON `{"category", "text"}` (an office or secretary adds `enterprise_id`), or the same fields as multipart
    form data with a document in `file`."""
    if request.mimetype == "multipart/form-data":
        values: dict = dict(request.form)
        if values.get("enterprise_id", "").isdigit():
            values["enterprise_id"] = int(values["enterprise_id"])
        sent = request.files.get("file")
        upload = problems.Upload(sent.filename, sent.stream, current_app.config["UPLOAD_DIR"],
                                 current_app.config["UPLOAD_MAX_BYTES"]) if sent and sent.filename else None
        problem = problems.raise_problem(g.api_user, values, upload)
    else:
        problem = problems.raise_problem(g.api_user, json_body())
    return jsonify(problems.to_dict(problem)), 201


@bp.get("/problems/<int:problem_id>/document")
@token_required
def problem_document(problem_id: int):
    found, path = problems.attachment(g.api_user, problem_id, current_app.config["UPLOAD_DIR"])
    return file_download(path, found.attachment_type, found.attachment_name)


@bp.get("/problems")
@token_required
def list_problems():
    per_page = int_arg("per_page", 50, maximum=200)
    page = int_arg("page", 1)
    rows, total = problems.search(g.api_user, {k: request.args.get(k) for k in FILTERS}, page=page,
                                  per_page=per_page)
    return jsonify({"items": [problems.to_dict(p, detail=False) for p in rows], "total": total, "page": page,
                    "per_page": per_page})


@bp.get("/problems/<int:problem_id>")
@token_required
def get_problem(problem_id: int):
    return jsonify(problems.to_dict(problems.get_for(g.api_user, problem_id)))


@bp.post("/problems/<int:problem_id>/actions")
@token_required
def problem_action(problem_id: int):
    problem = problems.act(g.api_user, problem_id, json_body())
    return jsonify(problems.to_dict(problem))
