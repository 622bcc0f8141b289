"""Views of the claim to a USCC: parse the form, call app.enterprises.uscc_claims, render or redirect."""

from __future__ import annotations

from math import ceil

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from app.core import abuse, audit
from app.core.errors import ServiceError
from app.core.vocabulary import UsccClaimStatus
from app.enterprises import uscc_claims
from app.extensions import db
from app.models import HumanTask, UsccClaim
from app.web.common import alert_failed, file_download, form_invalid, page_arg, role_required, service_failed
from app.web.uscc_claims import bp
from app.web.uscc_claims.forms import ClaimForm, DecisionForm
from app.web.workbench.evidence import upload_too_large

FILED = "uscc_claim_filed"  # the session remembers the claim just filed, for its confirmation page
DONE = {
    "confirm": _l("Confirmed: the current accounts are frozen and the enterprise belongs to the claimant's "
                  "new account."),
    "refuse": _l("The claim was refused; nothing else changed."),
}

bp.errorhandler(RequestEntityTooLarge)(upload_too_large)


@bp.route("/register/claim", methods=["GET", "POST"])
@abuse.registration
@abuse.upload
def file_claim() -> ResponseReturnValue:
    """Anyone (no login) claims a USCC that someone else registered, with the business licence."""
    form = ClaimForm(uscc=request.args.get("uscc", "")[:18] or None) if request.method == "GET" else ClaimForm()
    if form.validate_on_submit():
        upload = form.file.data if isinstance(form.file.data, FileStorage) and form.file.data.filename else None
        try:
            claim = uscc_claims.file(form.values(), upload.filename if upload else None,
                                     upload.stream if upload else None, current_app.config["UPLOAD_DIR"],
                                     current_app.config["UPLOAD_MAX_BYTES"])
        except ServiceError as exc:
            status = service_failed(exc, form)
            return render_template("uscc_claims/file.html", form=form), status
        session[FILED] = claim.id
        return redirect(url_for("uscc_claims.filed"))
    status = form_invalid() if form.is_submitted() else 200
    return render_template("uscc_claims/file.html", form=form), status


@bp.get("/register/claim/filed")
def filed() -> ResponseReturnValue:
    claim = db.session.get(UsccClaim, session.get(FILED)) if isinstance(session.get(FILED), int) else None
    if claim is None:
        return redirect(url_for("uscc_claims.file_claim"))
    task = uscc_claims.open_task(claim)
    return render_template("uscc_claims/filed.html", claim=claim, office=task.office if task else None,
                           due_at=task.due_at if task else None)


# --- the county office -------------------------------------------------------------------------------

@bp.get("/uscc-claims")
@role_required("reviewer", "admin")
def index() -> ResponseReturnValue:
    status = request.args.get("status") if request.args.get("status") in UsccClaimStatus.values() else None
    per_page, page = current_app.config["INBOX_PAGE_SIZE"], page_arg()
    rows, total = uscc_claims.search(current_user, status=status, page=page, per_page=per_page)
    return render_template("uscc_claims/index.html", rows=rows, total=total, page=page, status=status,
                           pages=max(ceil(total / per_page), 1), waiting={c.id: uscc_claims.open_task(c) for c in rows})


def _office_task(claim: UsccClaim) -> HumanTask | None:
    task = uscc_claims.open_task(claim)
    if task is None or current_user.role != "reviewer" or task.office_id != current_user.office_id:
        return None
    return task


def _render(claim: UsccClaim, form: DecisionForm | None, task: HumanTask | None, status: int = 200
            ) -> ResponseReturnValue:
    return render_template("uscc_claims/claim.html", claim=claim, form=form, task=task,
                           waiting=uscc_claims.open_task(claim), facts=uscc_claims.account_facts(claim),
                           accounts=uscc_claims.current_accounts(claim),
                           history=audit.subject_history("uscc_claim", [claim.id])), status


@bp.route("/uscc-claims/<int:claim_id>", methods=["GET", "POST"])
@role_required("reviewer", "admin")
def claim(claim_id: int) -> ResponseReturnValue:
    found = uscc_claims.get_for(current_user, claim_id)
    task = _office_task(found)
    form = None
    if task is not None:
        form = DecisionForm()
        form.set_task(task)
    if request.method == "GET":
        return _render(found, form, task)
    if task is None or form is None:
        flash(_("This claim is not waiting for your office."), "warning")
        return _render(found, form, task, 409)
    if not form.validate_on_submit():
        return _render(found, form, task, form_invalid())
    values = form.values()
    try:
        uscc_claims.decide(current_user, found.id, values)
    except ServiceError as exc:
        status = alert_failed(exc, form)
        found = uscc_claims.get_for(current_user, claim_id)
        return _render(found, form, _office_task(found), status)
    flash(str(DONE.get(values["decision"], _("The decision was recorded."))), "success")
    return redirect(url_for("uscc_claims.claim", claim_id=claim_id))


@bp.get("/uscc-claims/<int:claim_id>/licence")
@role_required("reviewer", "admin")
def licence(claim_id: int) -> ResponseReturnValue:
    found, path = uscc_claims.licence(current_user, claim_id, current_app.config["UPLOAD_DIR"])
    return file_download(path, found.licence_type, found.licence_name)
