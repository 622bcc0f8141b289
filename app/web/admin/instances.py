"""Admin pages on running instances: migrating a version's instances, and one application's cockpit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core.errors import Invalid, ServiceError
from app.recognition import applications, cockpit, diagrams, instance_admin
from app.web.admin import bp
from app.web.admin.definitions import catalog_entry
from app.web.admin.forms import MigrateForm, MoveBackForm, ReassignForm, ResumeForm, SuspendForm
from app.web.admin.labels import step_name
from app.web.common import form_invalid, role_required, service_failed
from app.workflow import migration

# --- migration ------------------------------------------------------------------------------------


def _default_versions(entry: dict[str, Any]) -> tuple[int | None, int | None]:
    """From: the newest other version with running instances (else the one before the active); to: the active."""
    active = entry["active_version"]
    others = [v for v in entry["versions"] if v["version"] != active]
    running = [v for v in others if v["running"]]
    source = (running or others or [{"version": None}])[0]["version"]
    return source, active


def _render_migrate(entry: dict[str, Any], form: MigrateForm, a: int | None, b: int | None,
                    rows: list[dict] | None, results: list[dict] | None = None,
                    status: int = 200) -> ResponseReturnValue:
    return render_template("admin/migrate.html", entry=entry, form=form, a=a, b=b, rows=rows, results=results,
                           numbers=[v["version"] for v in entry["versions"]]), status


def _plan(key: str, a: int | None, b: int | None) -> tuple[list[dict] | None, int]:
    """The dry run when both versions are chosen (its error flashed when it cannot be made)."""
    if a is None or b is None:
        return None, 200
    try:
        return migration.plan(key, a, b), 200
    except ServiceError as exc:
        return None, service_failed(exc)


@bp.route("/definitions/<key>/migrate", methods=["GET", "POST"])
@role_required("admin")
def migrate(key: str) -> ResponseReturnValue:
    """Choose two versions → dry run per instance → run with a reason → what moved."""
    entry = catalog_entry(key)
    if entry["kind"] != "bpmn":
        abort(404)
    form = MigrateForm()
    if request.method == "POST":
        a, b = form.from_version.data, form.to_version.data
        if not form.validate_on_submit():
            status = form_invalid()
            rows, _status = _plan(key, a, b)
            return _render_migrate(entry, form, a, b, rows, status=status)
        try:
            if a == b:
                raise Invalid(_("Choose two different versions of a BPMN process."))
            results = migration.run(current_user, key, a, b, form.reason.data)
        except ServiceError as exc:
            status = service_failed(exc, form)
            rows, _status = _plan(key, a, b)
            return _render_migrate(entry, form, a, b, rows, status=status)
        moved = sum(1 for r in results if r["moved"])
        flash(_("%(moved)s of %(n)s instances moved from version %(a)s to version %(b)s.",
                moved=moved, n=len(results), a=a, b=b), "success" if moved == len(results) else "warning")
        return _render_migrate(catalog_entry(key), MigrateForm(formdata=None), a, b, None, results)
    default_a, default_b = _default_versions(entry)
    a = request.args.get("from", type=int)
    b = request.args.get("to", type=int)
    chosen = a is not None and b is not None
    rows, status = _plan(key, a, b) if chosen else (None, 200)
    form = MigrateForm(formdata=None, from_version=a, to_version=b)
    return _render_migrate(entry, form, a if chosen else default_a, b if chosen else default_b, rows, status=status)


# --- cockpit ----------------------------------------------------------------------------------------

ACTIONS: dict[str, tuple[type[FlaskForm], Callable[[int, Any], Any], Any]] = {
    "suspend": (SuspendForm, lambda app_id, f: instance_admin.suspend(current_user, app_id, f.reason.data),
                _l("The instance is suspended: its tasks wait until it is resumed.")),
    "resume": (ResumeForm, lambda app_id, f: instance_admin.resume(current_user, app_id, f.reason.data),
               _l("The instance runs again.")),
    "reassign": (ReassignForm, lambda app_id, f: instance_admin.reassign(current_user, app_id, f.office.data,
                                                                          f.reason.data),
                 _l("The waiting task was reassigned.")),
    "move_back": (MoveBackForm, lambda app_id, f: instance_admin.move_back(current_user, app_id, f.step.data,
                                                                            f.reason.data),
                  _l("The instance was moved back; that step waits again.")),
}


def _forms(view: dict[str, Any], given: dict[str, FlaskForm]) -> dict[str, FlaskForm]:
    forms = {name: given.get(name) or cls(prefix=name, formdata=None) for name, (cls, _run, _msg) in ACTIONS.items()}
    forms["reassign"].office.choices = [("", _("Choose an office…"))] + [
        (o.code, f"{o.name}（{o.code}）") for o in diagrams.offices()]
    forms["move_back"].step.choices = [("", _("Choose a step…"))] + [
        (t["id"], f"{step_name(t['id'], t['name'])}（{t['id']}）") for t in diagrams.earlier_steps(view)]
    return forms


def _render_cockpit(application_id: int, given: dict[str, FlaskForm] | None = None,
                    status: int = 200) -> ResponseReturnValue:
    view = cockpit.instance_view(current_user, application_id)
    application = applications.get_for(current_user, application_id)
    return render_template("admin/cockpit.html", application=application, view=view,
                           forms=_forms(view, given or {}), tasks=diagrams.waiting_tasks(application),
                           timers=cockpit.timers(application),
                           diagram_url=url_for("applications.diagram", application_id=application_id)), status


@bp.get("/applications/<int:application_id>/cockpit")
@role_required("admin")
def cockpit_page(application_id: int) -> ResponseReturnValue:
    return _render_cockpit(application_id)


@bp.post("/applications/<int:application_id>/cockpit/<action>")
@role_required("admin")
def cockpit_action(application_id: int, action: str) -> ResponseReturnValue:
    if action not in ACTIONS:
        abort(404)
    form_class, run, done = ACTIONS[action]
    form = form_class(prefix=action)  # the choices are checked by the service, in the user's language
    if not form.validate_on_submit():
        return _render_cockpit(application_id, {action: form}, form_invalid())
    try:
        run(application_id, form)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        status = service_failed(exc, form)
        return _render_cockpit(application_id, {action: form}, status)
    flash(str(done), "success")
    return redirect(url_for("admin.cockpit_page", application_id=application_id))
