"""The office's reward pages: 奖补审核 (the claims its office sees, filtered, sorted, paged), the claim page with
the decision or payment form of the task waiting for the office, and the Excel export of the filtered list."""

from __future__ import annotations

from datetime import date
from math import ceil
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core import audit
from app.core.errors import ServiceError
from app.core.vocabulary import StepKind
from app.extensions import db
from app.models import HumanTask, LedgerEntry, RewardClaim, RewardPolicy
from app.rewards import claims, ledger
from app.web.common import alert_failed, form_invalid, page_arg, role_required
from app.web.rewards_office import bp
from app.web.rewards_office import export as excel
from app.web.rewards_office.forms import ClaimDecisionForm, PaymentForm
from app.web.rewards_office.labels import STATUS_LABELS

SORT_LABELS = {
    "oldest": _l("Oldest first"),
    "newest": _l("Newest first"),
    "amount_desc": _l("Largest amount first"),
    "amount_asc": _l("Smallest amount first"),
}
DONE = {
    "approve": _l("Approved: the claim goes on to the next step."),
    "reject": _l("The reward was not granted; the enterprise is told why."),
    "pay": _l("The payment is recorded."),
}


def filters() -> dict[str, Any]:
    """The list's filters from the query string (anything unknown is ignored)."""
    args = request.args
    year = args.get("year", type=int)
    return {
        "status": args.get("status") if args.get("status") in STATUS_LABELS else None,
        "policy": (args.get("policy") or "").strip()[:60] or None,
        "year": year if year is not None and 1990 <= year <= 2100 else None,
        "q": (args.get("q") or "").strip()[:100] or None,
        "sort": args.get("sort") if args.get("sort") in SORT_LABELS else "oldest",
    }


def query_args(chosen: dict[str, Any]) -> dict[str, Any]:
    """The filters worth keeping in a link (pages, export)."""
    return {k: v for k, v in chosen.items() if v and not (k == "sort" and v == "oldest")}


def policy_choices() -> list[tuple[str, str]]:
    """The policies of the claims the office sees."""
    seen = claims.visible(current_user, db.select(RewardClaim.policy_id).distinct())
    rows = db.session.execute(db.select(RewardPolicy.key, RewardPolicy.name).where(RewardPolicy.id.in_(seen))
                              .order_by(RewardPolicy.id))
    return [(key, name) for key, name in rows]


@bp.get("/claims")
@role_required("reviewer", "admin")
def index() -> ResponseReturnValue:
    chosen = filters()
    per_page, page = current_app.config["INBOX_PAGE_SIZE"], page_arg()
    rows, total = claims.search(current_user, page=page, per_page=per_page, **chosen)
    return render_template("rewards_office/claims.html", rows=rows, total=total, page=page, chosen=chosen,
                           pages=max(ceil(total / per_page), 1), args=query_args(chosen),
                           statuses=STATUS_LABELS, sorts=SORT_LABELS, policies=policy_choices(),
                           waiting={c.id: claims.open_task(c) for c in rows})


@bp.get("/claims.xlsx")
@role_required("reviewer", "admin")
def export() -> ResponseReturnValue:
    rows, _total = claims.search(current_user, page=1, per_page=excel.EXPORT_MAX, **filters())
    return excel.send(rows, f"reward-claims-{date.today().isoformat()}")


# --- the claim page ---------------------------------------------------------------------------------

def _office_task(claim: RewardClaim) -> HumanTask | None:
    """The open task of the claim that waits for the reviewer's office."""
    task = claims.open_task(claim)
    if task is None or current_user.role != "reviewer" or task.office_id != current_user.office_id:
        return None
    return task


def _form(task: HumanTask | None) -> ClaimDecisionForm | PaymentForm | None:
    if task is None:
        return None
    if task.kind == StepKind.PAYMENT:
        form = PaymentForm()
        form.prefill()
        return form
    form = ClaimDecisionForm()
    form.set_task(task)
    return form


def _render(claim: RewardClaim, form: ClaimDecisionForm | PaymentForm | None, task: HumanTask | None,
            status: int = 200) -> ResponseReturnValue:
    lines = db.session.scalars(db.select(LedgerEntry).where(LedgerEntry.claim_id == claim.id)
                               .order_by(LedgerEntry.id))
    return render_template("rewards_office/claim.html", claim=claim, form=form, task=task,
                           waiting=claims.open_task(claim), fund=claims.fund_of(claim),
                           committed=ledger.committed_of(claim),
                           history=audit.subject_history("claim", [claim.id]), lines=list(lines),
                           is_payment=isinstance(form, PaymentForm)), status


@bp.route("/claims/<int:claim_id>", methods=["GET", "POST"])
@role_required("reviewer", "admin")
def claim(claim_id: int) -> ResponseReturnValue:
    found = claims.get_for(current_user, claim_id)
    task = _office_task(found)
    form = _form(task)
    if request.method == "GET":
        return _render(found, form, task)
    if task is None or form is None:
        flash(_("This claim is not waiting for your office."), "warning")
        return _render(found, form, task, 409)
    if not form.validate_on_submit():
        return _render(found, form, task, form_invalid())
    values = form.values()
    try:
        claims.decide(current_user, found.id, values)
    except ServiceError as exc:
        status = alert_failed(exc, form)
        found = claims.get_for(current_user, claim_id)
        return _render(found, form, _office_task(found), status)
    flash(str(DONE.get(values["decision"], _("The decision was recorded."))), "success")
    return redirect(url_for("rewards_office.claim", claim_id=claim_id))
