"""Views of the applications blueprint: thin wrappers around app.recognition.applications and timeline."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import workdays
from app.core.errors import ServiceError
from app.models import TIERS, Application
from app.models.base import utcnow
from app.recognition import applications, eligibility, materials, milestones, timeline
from app.web.applications import bp, pdfs
from app.web.applications.forms import ApplicationForm, ApplicationFormBase
from app.web.common import alert_failed, form_invalid, pdf_response, role_required, service_failed
from app.web.labels import DOC_TYPE_LABELS, STATUS_LABELS, label
from app.workbench import browse


@bp.get("/dashboard")
@login_required
def dashboard() -> ResponseReturnValue:
    from app.web.dashboard import READERS

    if current_user.role in READERS:  # the leading group, offices and the admin read the statistics dashboard
        return redirect(url_for("dashboard.index"))
    if current_user.role != "enterprise":
        abort(403)
    rows = browse.with_current(applications.list_for(current_user))
    return render_template("applications/dashboard.html", rows=rows)


def refusal(exc: ServiceError) -> dict[str, Any] | None:
    """The evaluation a submission was refused on for failed hard conditions (code "ineligible")."""
    return exc.extra.get("evaluation") if exc.code == "ineligible" else None


def _mark_needed(form: ApplicationFormBase, application: Application | None) -> None:
    """Mark the fields the target tier's rule set reads: the tier on the form, else the application's."""
    tier = form.target_tier.data if "target_tier" in form else None
    if tier not in TIERS:
        tier = application.target_tier if application is not None else TIERS[0]
    enterprise = current_user.enterprise
    try:
        keys = eligibility.needed_keys(tier, enterprise.region) if enterprise is not None else []
    except ServiceError:  # no rule set in force for this tier and region: nothing to mark
        keys = []
    form.mark_needed(tier, keys)


def _render_form(form: ApplicationFormBase, application: Application | None, status: int = 200,
                 exc: ServiceError | None = None) -> ResponseReturnValue:
    _mark_needed(form, application)
    return render_template("applications/form.html", form=form, application=application,
                           refusal=refusal(exc) if exc else None), status


def _render_check(application: Application, evaluation: dict[str, Any], *, stored: bool) -> ResponseReturnValue:
    return render_template("applications/self_check.html", application=application, evaluation=evaluation,
                           stored=stored)


def _save(form: ApplicationFormBase, application: Application | None) -> Application:
    """Create or update from the form, then submit when the submit button was pressed."""
    data = form.indicator_data()
    if application is None:
        application = applications.create(current_user, form.target_tier.data, data)
    else:
        tier = form.target_tier.data if "target_tier" in form else None
        application = applications.update(current_user, application.id, data, tier)
    if form.wants_submit():
        application = applications.submit(current_user, application.id, declared=True)  # the form checked it
        flash(_("The application was submitted for review."), "success")
    else:
        flash(_("The draft was saved."), "success")
    return application


def _after_save(form: ApplicationFormBase, application: Application) -> ResponseReturnValue:
    """Post/redirect/get: the status page, or the self-check result when "save and self-check" was pressed (kept
    as the latest evaluation, then shown by a GET, so reloading the result page saves nothing again)."""
    if form.wants_check():
        applications.self_check(current_user, application.id)
        return redirect(url_for("applications.self_check_preview", application_id=application.id))
    return redirect(url_for("applications.detail", application_id=application.id))


@bp.route("/applications/new", methods=["GET", "POST"])
@role_required("enterprise")
def new() -> ResponseReturnValue:
    tier = request.args.get("tier")
    form = ApplicationForm(target_tier=tier) if tier in TIERS else ApplicationForm()
    if form.validate_on_submit():
        try:
            return _after_save(form, _save(form, None))
        except ServiceError as exc:
            return _render_form(form, None, service_failed(exc, form), exc)
    return _render_form(form, None, form_invalid() if form.is_submitted() else 200)


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@role_required("enterprise")
def edit(application_id: int) -> ResponseReturnValue:
    application = applications.get_for(current_user, application_id)
    if not application.editable:
        message = _("This application is %(status)s and cannot be edited; only a draft or a returned "
                    "application can be changed.", status=label(STATUS_LABELS, application.status))
        return render_template("applications/locked.html", application=application, message=message), 409
    form = ApplicationForm(data=dict(application.data or {}, target_tier=application.target_tier))
    if application.status != "draft":
        del form.target_tier  # the tier is fixed once submitted
    if form.validate_on_submit():
        try:
            return _after_save(form, _save(form, application))
        except ServiceError as exc:
            return _render_form(form, application, service_failed(exc, form), exc)
    return _render_form(form, application, form_invalid() if form.is_submitted() else 200)


@bp.post("/applications/<int:application_id>/submit")
@role_required("enterprise")
def submit(application_id: int) -> ResponseReturnValue:
    if request.form.get("declaration") != "y":
        flash(_("Confirm the declaration of truthfulness to submit."), "danger")
        return _render_detail(applications.get_for(current_user, application_id), status=422)
    try:
        applications.submit(current_user, application_id, declared=True)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        status = service_failed(exc)
        if refusal(exc) is not None:  # failed hard conditions: show why, on the status page itself
            return _render_detail(applications.get_for(current_user, application_id), refusal(exc), status)
        return redirect(url_for("applications.detail", application_id=application_id))
    flash(_("The application was submitted for review."), "success")
    return redirect(url_for("applications.detail", application_id=application_id))


def _render_detail(application: Application, refused: dict[str, Any] | None = None,
                   status: int = 200) -> ResponseReturnValue:
    mine = current_user.role == "enterprise" and application.enterprise_id == current_user.enterprise_id
    built = timeline.build(application)
    built.history = applications.history_for(current_user, built.history)
    return render_template("applications/detail.html", application=application, refusal=refused,
                           timeline=built,
                           may_withdraw=mine and applications.may_withdraw(application)), status


@bp.get("/applications/<int:application_id>")
@login_required
def detail(application_id: int) -> ResponseReturnValue:
    return _render_detail(applications.get_for(current_user, application_id))


@bp.post("/applications/<int:application_id>/self-check")
@role_required("enterprise")
def self_check(application_id: int) -> ResponseReturnValue:
    """Judge the application by its tier's rules now; kept as its latest evaluation while editable."""
    try:
        applications.self_check(current_user, application_id)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        service_failed(exc)
        return redirect(url_for("applications.detail", application_id=application_id))
    return redirect(url_for("applications.self_check_preview", application_id=application_id))


@bp.get("/applications/<int:application_id>/self-check")
@role_required("enterprise")
def self_check_preview(application_id: int) -> ResponseReturnValue:
    """The same judgement as a preview: a GET records nothing."""
    application = applications.get_for(current_user, application_id)
    evaluation = eligibility.evaluate(application)
    return _render_check(application, evaluation, stored=application.evaluation == evaluation)


def _refused(exc: ServiceError, application_id: int) -> ResponseReturnValue:
    """A refused action on the status page: nothing changed, the reason as an alert (404 stays a 404)."""
    if exc.status == 404:
        raise exc
    status = alert_failed(exc)
    return _render_detail(applications.get_for(current_user, application_id), status=status)


@bp.post("/applications/<int:application_id>/withdraw")
@role_required("enterprise")
def withdraw(application_id: int) -> ResponseReturnValue:
    """The enterprise withdraws a submitted application nobody has decided on yet."""
    try:
        applications.withdraw(current_user, application_id, request.form.get("reason") or None)
    except ServiceError as exc:
        return _refused(exc, application_id)
    flash(_("The application was withdrawn; the office was told."), "success")
    return redirect(url_for("applications.detail", application_id=application_id))


@bp.post("/applications/<int:application_id>/delete")
@role_required("enterprise")
def delete(application_id: int) -> ResponseReturnValue:
    """The enterprise deletes a draft it never submitted."""
    try:
        applications.delete_draft(current_user, application_id, current_app.config["UPLOAD_DIR"])
    except ServiceError as exc:
        return _refused(exc, application_id)
    flash(_("The draft was deleted."), "success")
    return redirect(url_for("applications.dashboard"))


@bp.get("/applications/<int:application_id>/templates/<doc_type>.pdf")
@login_required
def material_template(application_id: int, doc_type: str) -> ResponseReturnValue:
    """A generated template of a material (申报书 with the data, 真实性声明, 合规经营承诺) to print, sign and seal."""
    application = applications.get_for(current_user, application_id)
    if doc_type not in pdfs.TEMPLATES or doc_type not in materials.config().get("templates", []):
        abort(404)
    return pdf_response(pdfs.TEMPLATES[doc_type](application), f"{DOC_TYPE_LABELS[doc_type]}-{application.id}.pdf")


def returned_banner(application: Application) -> dict[str, Any] | None:
    """For a returned application: the reason, the office that returned it and the deadline to resubmit."""
    if application.status != "returned":
        return None
    view = timeline.build(application).amend
    task = applications.current_task(application)
    due = task.due_at if task is not None else None
    return {"reason": view.comment if view else None, "office": view.office if view else None,
            "actor": view.actor if view else None, "since": view.since if view else None, "due": due,
            "days_left": workdays.working_days_left(utcnow(), due) if due else None}


@bp.app_context_processor
def material_helpers() -> dict[str, Any]:
    return {"materials_of": materials.for_application, "returned_banner": returned_banner,
            "standing": milestones.standing}
