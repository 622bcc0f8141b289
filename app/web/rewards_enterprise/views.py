"""我的奖补: the enterprise's reward claims (policy, clause, amount, where each stands, the payment or the
reason it was refused) and the form to file a claim for what the register cannot see (a listing, a technology
centre, a chief technician studio)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core import workdays
from app.core.errors import ServiceError
from app.extensions import db
from app.models import Enterprise, RewardClaim
from app.rewards import claims, policies
from app.web.common import field_errors, form_invalid, role_required
from app.web.rewards_enterprise import bp
from app.web.rewards_enterprise.forms import ClaimForm
from app.web.rewards_enterprise.labels import in_wan, trigger_label


def _claims(enterprise: Enterprise) -> list[RewardClaim]:
    return list(db.session.scalars(db.select(RewardClaim).where(RewardClaim.enterprise_id == enterprise.id)
                                   .order_by(RewardClaim.created_at.desc(), RewardClaim.id.desc())))


def fileable(enterprise: Enterprise, taken: set[int]) -> list[policies.Due]:
    """The policies the enterprise may file for now (listing, technology centre, studio) and has not claimed."""
    today = workdays.china_date()
    return [d for trigger in policies.FILED for d in policies.due(enterprise, trigger, today)
            if d.policy.id not in taken]


def _render(form: ClaimForm, status: int = 200) -> ResponseReturnValue:
    enterprise = current_user.enterprise
    rows = _claims(enterprise)
    options = fileable(enterprise, {c.policy_id for c in rows})
    form.policy.choices = [("", _("Choose…"))] + [
        (d.policy.key, _("%(trigger)s: %(name)s (%(amount)s × 10,000 yuan)", trigger=trigger_label(d.policy.trigger),
                         name=d.policy.name, amount=in_wan(d.amount))) for d in options]
    return render_template("rewards_enterprise/mine.html", enterprise=enterprise, claims=rows, form=form,
                           options=options), status


@bp.route("/my/rewards", methods=["GET", "POST"])
@role_required("enterprise")
def mine() -> ResponseReturnValue:
    form = ClaimForm()
    if not form.is_submitted():
        return _render(form)
    if not form.validate_on_submit():
        return _render(form, form_invalid())
    try:
        claim = claims.file(current_user, {"policy": form.policy.data, "evidence": form.evidence.data})
    except ServiceError as exc:
        db.session.rollback()  # nothing of a refused claim is kept
        # not eligible, claimed before: the service's sentence says it best, next to the reward chosen
        field_errors(form, {"policy": exc.message} if exc.code in ("not_eligible", "duplicate") else exc.fields)
        flash(exc.message, "warning" if exc.status == 409 else "danger")
        return _render(form, exc.status)
    flash(_("Your claim for %(name)s has been filed: %(amount)s × 10,000 yuan. It is checked, then reviewed by "
            "the SME office and the finance bureau.", name=claim.policy.name, amount=in_wan(claim.amount)),
          "success")
    return redirect(url_for("rewards_enterprise.mine"))
