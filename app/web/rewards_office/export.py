"""The Excel export of a claims list: one row per claim, amounts in yuan as numbers (app/web/xlsx.py)."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _

from app.models import RewardClaim
from app.web import xlsx
from app.web.rewards_office.labels import basis_text, status_label

EXPORT_MAX = xlsx.EXPORT_MAX


def columns() -> list[xlsx.Column]:
    return [xlsx.Column(_("Enterprise"), 36), xlsx.Column(_("USCC"), 22), xlsx.Column(_("Policy"), 40),
            xlsx.Column(_("Basis"), 40), xlsx.Column(_("Amount (yuan)"), 14, "#,##0"), xlsx.Column(_("Status"), 14),
            xlsx.Column(_("Voucher number"), 20), xlsx.Column(_("Payment date"), 12, "yyyy-mm-dd"),
            xlsx.Column(_("Claimed at"), 18, "yyyy-mm-dd hh:mm")]


def send(rows: list[RewardClaim], filename: str) -> Response:
    return xlsx.send(filename, _("Reward claims"), columns(), (
        [claim.enterprise.name, claim.enterprise.uscc, claim.policy.name, basis_text(claim), int(claim.amount),
         status_label(claim.status), claim.voucher_no or "", claim.paid_on, claim.created_at] for claim in rows))
