"""Admin pages on process definitions: catalogue, versions, download, diff, browser editor, heat view."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ServiceError
from app.core.vocabulary import TimerKind
from app.extensions import db
from app.recognition import cockpit, diagrams
from app.web.admin import bp
from app.web.admin.labels import (
    DECISION_LABELS,
    LANE_LABELS,
    OUTCOME_LABELS,
    diagram_locale,
    lane_display_names,
)
from app.web.common import role_required
from app.web.labels import label
from app.workflow import definitions, operations, steps, subjects, versions

COMMENT_MAX = 500  # process_definition.comment


def catalog_entry(key: str) -> dict[str, Any]:
    """The catalogue entry of `key` (versions newest first, draft); the 404 page when there is none."""
    entry = next((e for e in versions.catalog() if e["key"] == key), None)
    if entry is None:
        abort(404)
    return entry


@bp.get("/definitions", endpoint="definitions")
@role_required("admin")
def definitions_index() -> ResponseReturnValue:
    return render_template("admin/definitions.html", entries=versions.catalog())


@bp.get("/definitions/<key>")
@role_required("admin")
def definition(key: str) -> ResponseReturnValue:
    entry = catalog_entry(key)
    numbers = [v["version"] for v in entry["versions"]]
    a = request.args.get("a", type=int) or (numbers[1] if len(numbers) > 1 else None)
    b = request.args.get("b", type=int) or (numbers[0] if numbers else None)
    return render_template("admin/definition.html", entry=entry, numbers=numbers, a=a, b=b)


@bp.get("/definitions/<key>/versions/<int:number>.xml")
@role_required("admin")
def download(key: str, number: int) -> ResponseReturnValue:
    found = versions.get(key, number)
    response = make_response(found.xml)
    response.mimetype = "application/xml"
    response.headers.set("Content-Disposition", "attachment", filename=f"{key}-v{number}.{found.kind}")
    return response


@bp.get("/definitions/<key>/diff")
@role_required("admin")
def diff(key: str) -> ResponseReturnValue:
    entry = catalog_entry(key)
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    if a is None or b is None:
        flash(_("Choose the two versions to compare."), "warning")
        return redirect(url_for("admin.definition", key=key))
    result = versions.diff(key, a, b)
    return render_template("admin/diff.html", entry=entry, diff=result,
                           numbers=[v["version"] for v in entry["versions"]], diagrams=_diff_diagrams(key, result))


def _diff_diagrams(key: str, result: dict[str, Any]) -> dict[str, Any] | None:
    """Both versions' XML and the ids to colour on them (static/js/diff.js); None for decision tables."""
    old, new = versions.get(key, result["from"]), versions.get(key, result["to"])
    if old.kind != "bpmn" or new.kind != "bpmn":
        return None
    return {"old": old.xml, "new": new.xml, "locale": diagram_locale(), "tierflow": {"laneNames": lane_display_names()},
            "added": [e["id"] for e in result["added"]], "removed": [e["id"] for e in result["removed"]],
            "changed": [e["id"] for e in result["changed"]],
            "messages": {"load_failed": _editor_messages()["load_failed"]}}


def _range(param: operations.Param) -> str | None:
    if param.minimum is not None and param.maximum is not None:
        return f"{param.minimum:g}–{param.maximum:g}"
    if param.minimum is not None:
        return f"≥ {param.minimum:g}"
    return f"≤ {param.maximum:g}" if param.maximum is not None else None


def _operations() -> list[dict[str, Any]]:
    """The operation catalogue as the side panel shows it: what each does, takes and gives back."""
    return [{"name": op.name, "label": str(op.label), "description": str(op.description),
             "result": str(op.result) if op.result else None,
             "params": [{"name": name, "type": param.type, "required": param.required, "range": _range(param),
                         "description": str(param.description)} for name, param in op.params.items()]}
            for op in operations.catalogue().values()]


def _vocabulary() -> dict[str, Any]:
    """The names panel of the editor, with what each name means in the user's language."""
    words = diagrams.vocabulary()
    return {
        "operations": _operations(),
        "step_kinds": [{"name": kind, "label": str(meaning)} for kind, meaning in steps.STEP_KINDS.items()],
        "lanes": [{"name": code, "label": label(LANE_LABELS, code)} for code in words["lanes"]],
        "decisions": [{"name": d["id"], "label": d["name"] or label(DECISION_LABELS, d["id"])}
                      for d in words["decisions"]],
        "outcomes": [{"name": code, "label": label(OUTCOME_LABELS, code)} for code in words["outcomes"]],
        "indicators": [{"name": i["key"], "label": str(i["label"])} for i in words["indicators"]],
        "derived": [{"name": i["key"], "label": str(i["label"])} for i in words["derived"]],
    }


def _modeler_config(vocabulary: dict[str, Any]) -> dict[str, Any]:
    """What the editor's properties panel offers (config `tierflow` of static/src/properties.js)."""
    names = lane_display_names()
    return {
        "laneNames": names,
        "lanes": [{"name": lane["name"], "label": names.get(lane["name"], lane["label"])}
                  for lane in vocabulary["lanes"]],
        "stepKinds": vocabulary["step_kinds"],
        "decisions": vocabulary["decisions"],
        "outcomes": [{"name": outcome, "label": ""} for outcome in subjects.outcomes()],
        "timerKinds": [{"name": kind, "label": str(meaning)} for kind, meaning in TimerKind.labels().items()],
        "operations": [{"name": op["name"], "label": op["label"],
                        "params": [{"name": p["name"], "type": p["type"], "required": p["required"],
                                    "label": p["description"]} for p in op["params"]]}
                       for op in vocabulary["operations"]],
    }


def _editor_messages() -> dict[str, str]:
    return {
        "saved": _("Draft saved."),
        "saving": _("Saving…"),
        "deploying": _("Checking and deploying…"),
        "deployed": _("Deployed as version %(n)s.", n="{n}"),
        "problems": _("Not deployed: the definition has these problems"),
        "failed": _("The request failed (%(status)s).", status="{status}"),
        "load_failed": _("The diagram could not be loaded: %(error)s", error="{error}"),
        "select_lane": _("Select a lane in the diagram first, then click a lane name to rename it."),
        "renamed": _("Lane renamed to %(name)s.", name="{name}"),
        "copied": _("%(name)s copied.", name="{name}"),
        "unsaved": _("There are unsaved changes."),
        "no_element": _("(whole file)"),
    }


@bp.get("/definitions/<key>/edit")
@role_required("admin")
def edit(key: str) -> ResponseReturnValue:
    """The editor on a version (?version=n), else on the draft, else on the active version."""
    entry = catalog_entry(key)
    number = request.args.get("version", type=int)
    draft = versions.draft(key) if number is None else None
    if draft is not None:
        xml, kind, based_on = draft.xml, draft.kind, draft.based_on_version
    else:
        number = number or entry["active_version"] or (entry["versions"][0]["version"] if entry["versions"] else None)
        if number is None:
            abort(404)
        found = versions.get(key, number)
        xml, kind, based_on = found.xml, found.kind, found.version
    vocabulary = _vocabulary()
    data = {
        "key": key, "kind": kind, "xml": xml, "based_on": based_on, "draft": draft is not None,
        "urls": {"draft": url_for("admin.save_draft", key=key), "deploy": url_for("admin.deploy", key=key)},
        "messages": _editor_messages(), "locale": diagram_locale(), "tierflow": _modeler_config(vocabulary),
    }
    return render_template("admin/editor.html", entry=entry, data=data, kind=kind, based_on=based_on,
                           draft=draft, vocabulary=vocabulary)


def _payload() -> dict[str, Any]:
    """The editor's JSON body, or the same fields as a form."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else request.form.to_dict()


def _json_error(exc: ServiceError) -> ResponseReturnValue:
    db.session.rollback()
    body = {"error": {"code": exc.code, "message": exc.message}, "problems": exc.extra.get("problems", [])}
    return jsonify(body), exc.status


def _xml(payload: dict[str, Any]) -> str | None:
    xml = payload.get("xml")
    return xml if isinstance(xml, str) and xml.strip() else None


@bp.post("/definitions/<key>/draft")
@role_required("admin")
def save_draft(key: str) -> ResponseReturnValue:
    catalog_entry(key)
    payload = _payload()
    xml = _xml(payload)
    if xml is None:
        return jsonify({"error": {"code": "bad_request", "message": _("The XML is missing.")}}), 400
    based_on = payload.get("based_on")
    try:
        versions.save_draft(current_user, key, xml, based_on if isinstance(based_on, int) else None)
    except ServiceError as exc:
        return _json_error(exc)
    return jsonify({"saved": True, "message": _("Draft saved.")})


@bp.post("/definitions/<key>/draft/discard")
@role_required("admin")
def discard_draft(key: str) -> ResponseReturnValue:
    catalog_entry(key)
    versions.discard_draft(key)
    flash(_("The draft was discarded."), "success")
    return redirect(url_for("admin.definition", key=key))


@bp.post("/definitions/<key>/deploy")
@role_required("admin")
def deploy(key: str) -> ResponseReturnValue:
    """Validate and deploy the editor's XML as the next version; 422 with the problems when it has any."""
    catalog_entry(key)  # the 404 page for an unknown key
    payload = _payload()
    xml = _xml(payload)
    if xml is None:
        return jsonify({"error": {"code": "bad_request", "message": _("The XML is missing.")}}), 400
    comment = (payload.get("comment") or "").strip() if isinstance(payload.get("comment"), str) else ""
    if len(comment) > COMMENT_MAX:
        message = _("The comment may have at most %(n)s characters.", n=COMMENT_MAX)
        return jsonify({"error": {"code": "invalid", "message": message}, "problems": []}), 422
    kind = versions.kind_of(xml)  # a key keeps its kind: deploy refuses the other one
    try:
        deployed = definitions.deploy(key, xml, kind=kind, user=current_user, comment=comment or None)
        versions.discard_draft(key)
    except ServiceError as exc:
        return _json_error(exc)
    message = _("Deployed as version %(n)s.", n=deployed.version)
    flash(message, "success")
    return jsonify({"version": deployed.version, "message": message,
                    "redirect": url_for("admin.definition", key=key)}), 201


@bp.get("/definitions/<key>/versions/<int:number>/heat")
@role_required("admin")
def heat(key: str, number: int) -> ResponseReturnValue:
    """The version's diagram with the number of instances waiting at each step."""
    found = versions.get(key, number)
    if found.kind != "bpmn":
        abort(404)
    data = cockpit.heat(key, number)
    steps = [dict(t, count=data["counts"].get(t["id"], 0)) for t in diagrams.user_tasks(data["xml"])]
    known = {t["id"] for t in steps}
    steps += [{"id": step, "name": None, "count": n} for step, n in sorted(data["counts"].items()) if step not in known]
    return render_template("admin/heat.html", entry=catalog_entry(key), number=number, heat=data, steps=steps,
                           diagram={"xml": data["xml"], "counts": data["counts"],
                                    "messages": {"load_failed": _editor_messages()["load_failed"]}})
