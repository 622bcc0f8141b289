"""The enterprise's lifecycle pages (年度复核): its cases, the yearly data update of a re-verification and its
statement (陈述申辩) before a revocation is decided."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ServiceError
from app.core.vocabulary import StepKind
from app.extensions import db
from app.lifecycle import cases
from app.lifecycle.adapter import case_tier
from app.models import Application, HumanTask, LifecycleCase
from app.recognition import eligibility
from app.web.common import alert_failed, form_invalid, role_required
from app.web.lifecycle import bp
from app.web.lifecycle.display import enterprise_task
from app.web.lifecycle.forms import CaseUpdateForm, ResponseForm
from app.web.lifecycle.views import attach, drop


@bp.get("/my")
@role_required("enterprise")
def my_cases() -> ResponseReturnValue:
    found = db.session.scalars(db.select(LifecycleCase).where(
        LifecycleCase.enterprise_id == current_user.enterprise_id)
        .order_by(LifecycleCase.status.desc(), LifecycleCase.created_at.desc(), LifecycleCase.id.desc()))
    rows = [(case, enterprise_task(case, cases.open_tasks(case))) for case in found]
    return render_template("lifecycle/my_cases.html", rows=rows)


def _waiting(case_id: int, kind: str) -> tuple[LifecycleCase, HumanTask | None]:
    """The enterprise's own case (404 for anyone else's) and its open task of `kind`, if that waits."""
    case = cases.get_for(current_user, case_id)
    task = enterprise_task(case, cases.open_tasks(case))
    return case, task if task is not None and task.kind == kind else None


def _not_waiting() -> ResponseReturnValue:
    flash(_("This case is not waiting for you."), "warning")
    return redirect(url_for("lifecycle.my_cases"))


def _prefill(case: LifecycleCase) -> dict[str, Any]:
    """Last data sent for the case, else the figures of the application the recognition came from."""
    if case.data:
        return dict(case.data)
    entry = case.recognition
    application = db.session.get(Application, entry.application_id) if entry and entry.application_id else None
    return dict(application.data or {}) if application is not None else {}


def _render_update(case: LifecycleCase, form: CaseUpdateForm, task: HumanTask,
                   status: int = 200) -> ResponseReturnValue:
    tier = case_tier(case)
    try:
        keys = eligibility.needed_keys(tier, case.enterprise.region) if tier else []
    except ServiceError:  # no rule set in force for this tier and region: nothing to mark
        keys = []
    form.mark_needed(tier, keys)
    return render_template("lifecycle/update.html", case=case, form=form, task=task), status


@bp.route("/my/<int:case_id>/update", methods=["GET", "POST"])
@role_required("enterprise")
def update(case_id: int) -> ResponseReturnValue:
    case, task = _waiting(case_id, StepKind.DATA_UPDATE)
    if task is None:
        return _not_waiting()
    form = CaseUpdateForm(data=_prefill(case))
    if not form.is_submitted():
        return _render_update(case, form, task)
    if not form.validate_on_submit():
        return _render_update(case, form, task, form_invalid())
    try:
        cases.submit_update(current_user, case.id, form.indicator_data())
    except ServiceError as exc:
        status = alert_failed(exc, form)
        case, task = _waiting(case_id, StepKind.DATA_UPDATE)
        return _render_update(case, form, task, status) if task is not None else _not_waiting()
    flash(_("Your yearly data was sent. The office re-verifies it against the criteria in force."), "success")
    return redirect(url_for("lifecycle.my_cases"))


@bp.route("/my/<int:case_id>/respond", methods=["GET", "POST"])
@role_required("enterprise")
def respond(case_id: int) -> ResponseReturnValue:
    case, task = _waiting(case_id, StepKind.RESPONSE)
    if task is None:
        return _not_waiting()
    form = ResponseForm()
    if form.is_submitted() and not form.validate_on_submit():
        status = form_invalid()  # flashed before the page renders, so the message shows on this page only
        return render_template("lifecycle/respond.html", case=case, form=form, task=task), status
    if form.is_submitted():
        attached = None
        try:
            attached = attach(case.id, form.file.data)  # while the statement is asked for, so first
            cases.respond(current_user, case.id, form.response.data)
        except ServiceError as exc:
            drop(attached)
            status = alert_failed(exc, form)
            case, task = _waiting(case_id, StepKind.RESPONSE)
            if task is None:
                return _not_waiting()
            return render_template("lifecycle/respond.html", case=case, form=form, task=task), status
        flash(_("Your statement was sent. The office reads it before it decides."), "success")
        return redirect(url_for("lifecycle.my_cases"))
    return render_template("lifecycle/respond.html", case=case, form=form, task=task)
