"""Views of the applications blueprint: thin wrappers around app.services.applications and timeline."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.models import Application
from app.services import applications, browse, timeline
from app.services.errors import ServiceError
from app.web.applications import bp
from app.web.common import form_invalid, role_required, service_failed
from app.web.labels import STATUS_LABELS, label
from forms.application import ApplicationForm, ApplicationFormBase


@bp.get("/dashboard")
@role_required("enterprise")
def dashboard() -> ResponseReturnValue:
    rows = browse.with_current(applications.list_for(current_user))
    return render_template("applications/dashboard.html", rows=rows)


def _render_form(form: ApplicationFormBase, application: Application | None, status: int = 200) -> ResponseReturnValue:
    return render_template("applications/form.html", form=form, application=application), status


def _save(form: ApplicationFormBase, application: Application | None) -> Application:
    """Create or update from the form, then submit when the submit button was pressed."""
    data = form.indicator_data()
    if application is None:
        application = applications.create(current_user, form.target_tier.data, data)
    else:
        tier = form.target_tier.data if "target_tier" in form else None
        application = applications.update(current_user, application.id, data, tier)
    if form.wants_submit():
        application = applications.submit(current_user, application.id)
        flash(_("The application was submitted for review."), "success")
    else:
        flash(_("The draft was saved."), "success")
    return application


@bp.route("/applications/new", methods=["GET", "POST"])
@role_required("enterprise")
def new() -> ResponseReturnValue:
    form = ApplicationForm()
    if form.validate_on_submit():
        try:
            application = _save(form, None)
        except ServiceError as exc:
            return _render_form(form, None, service_failed(exc, form))
        return redirect(url_for("applications.detail", application_id=application.id))
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
            application = _save(form, application)
        except ServiceError as exc:
            return _render_form(form, application, service_failed(exc, form))
        return redirect(url_for("applications.detail", application_id=application.id))
    return _render_form(form, application, form_invalid() if form.is_submitted() else 200)


@bp.post("/applications/<int:application_id>/submit")
@role_required("enterprise")
def submit(application_id: int) -> ResponseReturnValue:
    try:
        applications.submit(current_user, application_id)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        service_failed(exc)
        return redirect(url_for("applications.detail", application_id=application_id))
    flash(_("The application was submitted for review."), "success")
    return redirect(url_for("applications.detail", application_id=application_id))


@bp.get("/applications/<int:application_id>")
@login_required
def detail(application_id: int) -> ResponseReturnValue:
    application = applications.get_for(current_user, application_id)
    return render_template("applications/detail.html", application=application,
                           timeline=timeline.build(application))
