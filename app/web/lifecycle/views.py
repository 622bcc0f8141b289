"""The office's lifecycle pages: re-verification campaigns (动态管理), its open re-verification and revocation
tasks (复核与撤销待办) with the case page and its decision, and a register entry with 「提出撤销」.
Thin wrappers around app.lifecycle."""

from __future__ import annotations

from datetime import date
from math import ceil

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from app.core import workdays
from app.core.errors import ServiceError
from app.core.vocabulary import CaseKind, RecognitionStatus, StepKind
from app.extensions import db
from app.lifecycle import campaigns, cases, evidence, libraries, names, register, revocations
from app.models import Attachment, Campaign, HumanTask, LifecycleCase, Recognition
from app.web import xlsx
from app.web.common import alert_failed, form_invalid, page_arg, role_required
from app.web.labels import label
from app.web.lifecycle import bp
from app.web.lifecycle.display import enterprise_task, events
from app.web.lifecycle.forms import (
    DEFAULT_DUE,
    LEVEL_TIER,
    CampaignForm,
    CaseDecisionForm,
    RevocationForm,
    default_year,
)
from app.web.register.labels import OUTCOME_LABELS
from app.web.workbench.evidence import upload_too_large

DECIDED = {
    "keep": _l("Kept in the register."),
    "downgrade": _l("Downgraded to the tier below."),
    "exit": _l("Exited from the register."),
    "revoke": _l("The recognition was revoked."),
    "dismiss": _l("Dismissed: the recognition stands."),
}


def attach(case_id: int, file: object) -> Attachment | None:
    """The document sent with a form, attached to the case (nothing when no file was chosen)."""
    if not isinstance(file, FileStorage) or not file.filename:
        return None
    return evidence.upload(current_user, case_id, file.filename, file.stream, current_app.config["UPLOAD_DIR"],
                           current_app.config["UPLOAD_MAX_BYTES"])


def drop(attachment: Attachment | None) -> None:
    """The request failed after the upload: its row is rolled back, so remove its file too."""
    if attachment is not None:
        evidence.discard(attachment, current_app.config["UPLOAD_DIR"])


# a body beyond MAX_CONTENT_LENGTH is cut off before the view runs: say why, as the application pages do
bp.errorhandler(RequestEntityTooLarge)(upload_too_large)


# --- campaigns ----------------------------------------------------------------------------------------

def _campaign_form() -> CampaignForm:
    office = current_user.office
    year = default_year()
    form = CampaignForm(year=year, due_on=date(year, *DEFAULT_DUE))
    tier = LEVEL_TIER.get(office.region.level)
    kept = [(lib, libraries.label(lib)) for lib in libraries.all_libraries() if lib.region_code == office.region_code]
    form.set_scopes(office, names.tier_label(tier, office.region) if tier else None, kept)
    return form


def _render_campaigns(form: CampaignForm, status: int = 200) -> ResponseReturnValue:
    rows = [(c, campaigns.progress(c)) for c in campaigns.campaigns_for(current_user)]
    return render_template("lifecycle/campaigns.html", rows=rows, form=form), status


@bp.route("/campaigns", methods=["GET", "POST"])
@role_required("reviewer")
def campaigns_index() -> ResponseReturnValue:
    form = _campaign_form()
    if form.validate_on_submit():
        try:
            campaign = campaigns.open_campaign(current_user, form.values())
        except ServiceError as exc:
            status = alert_failed(exc, form)
            return _render_campaigns(form, status)
        members = campaigns.progress(campaign)["members"]
        flash(_("The campaign is open: %(n)s members are asked to update their data.", n=members), "success")
        return redirect(url_for("lifecycle.campaign", campaign_id=campaign.id))
    return _render_campaigns(form, form_invalid() if form.is_submitted() else 200)


def _scope_label(campaign: Campaign) -> str:
    if campaign.library is not None:
        return libraries.label(campaign.library)
    return names.tier_label(campaign.tier, campaign.office.region) if campaign.tier else ""


@bp.get("/campaigns/<int:campaign_id>")
@role_required("reviewer", "admin")
def campaign(campaign_id: int) -> ResponseReturnValue:
    found = campaigns.get_for(current_user, campaign_id)
    return render_template("lifecycle/campaign.html", campaign=found, progress=campaigns.progress(found),
                           rows=campaigns.case_rows(found), scope=_scope_label(found),
                           may_close=current_user.role == "reviewer" and current_user.office_id == found.office_id
                           and found.status == "open" and workdays.china_date() >= found.due_on)


@bp.get("/campaigns/<int:campaign_id>.xlsx")
@role_required("reviewer", "admin")
def campaign_export(campaign_id: int) -> ResponseReturnValue:
    """The campaign's members and where each stands, as Excel."""
    found = campaigns.get_for(current_user, campaign_id)
    columns = [xlsx.Column(_("Enterprise"), 36), xlsx.Column(_("USCC"), 22), xlsx.Column(_("Region"), 14),
               xlsx.Column(_("Data updated"), 18, "yyyy-mm-dd hh:mm"), xlsx.Column(_("Deadline"), 22),
               xlsx.Column(_("Outcome of the case"), 14), xlsx.Column(_("Reason"), 40)]
    rows = ([case.enterprise.name, case.enterprise.uscc, case.enterprise.region.name, case.updated_at,
             _("Missed: proposed for exit") if case.missed else "",
             label(OUTCOME_LABELS, case.outcome) if case.outcome else _("In progress") if case.status == "open" else "",
             case.reason or ""] for case in campaigns.case_rows(found))
    return xlsx.send(f"campaign-{found.id}", campaigns.title(found), columns, rows)


@bp.post("/campaigns/<int:campaign_id>/close")
@role_required("reviewer")
def close_campaign(campaign_id: int) -> ResponseReturnValue:
    """The office closes the yearly updates from the due date on (members still waiting are flagged)."""
    try:
        campaigns.close_updates(current_user, campaign_id)
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("Updates are closed: members that did not update are flagged and wait for your decision."),
              "success")
    return redirect(url_for("lifecycle.campaign", campaign_id=campaign_id))


# --- the office's tasks and the case page -------------------------------------------------------------

@bp.get("/tasks")
@role_required("reviewer")
def tasks() -> ResponseReturnValue:
    kind = request.args.get("kind") if request.args.get("kind") in CaseKind.values() else None
    per_page, page = current_app.config["INBOX_PAGE_SIZE"], page_arg()
    found, total = cases.open_tasks_for(current_user, kind=kind, page=page, per_page=per_page)
    rows = [(task, db.session.get(LifecycleCase, task.subject_id)) for task in found]
    return render_template("lifecycle/tasks.html", rows=rows, total=total, page=page, kind=kind,
                           pages=max(ceil(total / per_page), 1), kinds=CaseKind.labels())


def _office_task(case: LifecycleCase) -> HumanTask | None:
    """The open decision of the case that waits for the reviewer's office."""
    return next((t for t in cases.open_tasks(case)
                 if t.office_id == current_user.office_id and t.kind == StepKind.DECISION), None)


def _render_case(case: LifecycleCase, form: CaseDecisionForm, task: HumanTask | None,
                 status: int = 200) -> ResponseReturnValue:
    open_tasks = cases.open_tasks(case)
    return render_template("lifecycle/case.html", case=case, form=form, task=task, open_tasks=open_tasks,
                           waiting=enterprise_task(case, open_tasks), history=events(cases.history(case))), status


@bp.route("/cases/<int:case_id>", methods=["GET", "POST"])
@role_required("reviewer", "admin")
def case(case_id: int) -> ResponseReturnValue:
    found = cases.get_for(current_user, case_id)
    task = _office_task(found) if current_user.role == "reviewer" else None
    form = CaseDecisionForm()
    if task is not None:
        form.set_task(task, cases.offered(found, task))
    if not form.is_submitted():
        return _render_case(found, form, task)
    if task is None:
        flash(_("This case is not waiting for a decision of your office."), "warning")
        return _render_case(found, form, task, 409)
    if not form.validate_on_submit():
        return _render_case(found, form, task, form_invalid())
    decision = form.decision.data
    try:
        cases.decide(current_user, form.chosen_task(task.id), decision, form.comment.data)
    except ServiceError as exc:
        status = alert_failed(exc, form)
        found = cases.get_for(current_user, case_id)
        return _render_case(found, form, _office_task(found), status)
    flash(str(DECIDED.get(decision, _("The decision was recorded."))), "success")
    return redirect(url_for("lifecycle.case", case_id=case_id))


# --- a register entry, and proposing its revocation ---------------------------------------------------

def _may_revoke(entry: Recognition) -> bool:
    office = current_user.office
    return (current_user.role == "reviewer" and office is not None and entry.status == RecognitionStatus.ACTIVE
            and office.region_code in entry.enterprise.region.lineage())


def _render_entry(entry: Recognition, form: RevocationForm, status: int = 200) -> ResponseReturnValue:
    entry_cases = db.session.scalars(db.select(LifecycleCase).where(LifecycleCase.recognition_id == entry.id)
                                     .order_by(LifecycleCase.id.desc()))
    return render_template("lifecycle/recognition.html", entry=entry, form=form, may_revoke=_may_revoke(entry),
                           cases=list(entry_cases), history=events(register.history(entry)),
                           tier=names.tier_label(entry.tier, entry.enterprise.region)), status


@bp.route("/recognitions/<int:recognition_id>", methods=["GET", "POST"])
@role_required("reviewer", "admin")
def recognition(recognition_id: int) -> ResponseReturnValue:
    entry = register.get_for(current_user, recognition_id)
    form = RevocationForm()
    if not form.is_submitted():
        return _render_entry(entry, form)
    if not form.validate_on_submit():
        return _render_entry(entry, form, form_invalid())
    attached = None
    try:
        opened = revocations.open_revocation(current_user, entry.id, form.values())
        attached = attach(opened.id, form.file.data)  # the evidence goes with the case, or neither is kept
    except ServiceError as exc:
        drop(attached)
        status = alert_failed(exc, form)
        return _render_entry(register.get_for(current_user, recognition_id), form, status)
    flash(_("The revocation is open. The enterprise is asked to state its case; another reviewer of the "
            "recognizing office decides."), "success")
    return redirect(url_for("lifecycle.case", case_id=opened.id))
