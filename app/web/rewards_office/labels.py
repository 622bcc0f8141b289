"""How reward claims read on the office's pages and in the export: statuses, sources, the basis of an amount,
amounts in 万元, the history's actions and the ledger's lines."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.vocabulary import ClaimStatus
from app.extensions import db
from app.models import RewardClaim, RewardPolicy
from app.web.labels import label
from app.web.register.labels import history_label
from app.web.rewards_office import bp

STATUS_LABELS = ClaimStatus.labels()
SOURCE_LABELS = {
    "register": _l("Opened by the register when the recognition was recorded"),
    "enterprise": _l("Filed by the enterprise"),
}
HISTORY_LABELS = {
    "claim_opened": _l("Claim opened"),
    "claim_filed": _l("Filed by the enterprise"),
    "approve": _l("Approved"),
    "reject": _l("Not granted"),
    "pay": _l("Payment recorded"),
    "claim_paid": _l("Closed: paid"),
    "claim_rejected": _l("Closed: not granted"),
    "claim_reversed": _l("Closed: reversed (the recognition was revoked)"),
    "claim_ended": _l("Process ended"),
    "timer_reminder": _l("Deadline reminder"),
    "timer_overdue": _l("Overdue"),
}
LEDGER_LABELS = {
    "commitment": _l("Committed"),
    "payment": _l("Paid"),
    "settle": _l("Commitment settled by the payment"),
    "release": _l("Commitment released"),
    "budget": _l("Budget"),
}
ACCOUNT_LABELS = {"budget": _l("Budget"), "committed": _l("Committed"), "paid": _l("Paid")}


def wan(amount: int | None) -> str:
    """Yuan as 万元 with two decimals: 200000 → 20.00万元."""
    return _("%(amount)s × 10,000 yuan", amount=f"{(amount or 0) / 10000:,.2f}")


def status_label(code: str | None) -> str:
    return label(STATUS_LABELS, code) if code else ""


def basis_text(claim: RewardClaim) -> str:
    """How the amount was found: a fixed amount, or a share of the matched policy's reward (and a cap)."""
    basis = claim.basis or {}
    if "match" in basis:
        base = db.session.scalar(db.select(RewardPolicy.name).where(RewardPolicy.key == basis["match"]))
        percent = int(basis.get("percent") or 100)
        if percent == 100:
            text = _("1:1 match of %(policy)s (base %(base)s)", policy=base or basis["match"],
                     base=wan(basis.get("base_amount")))
        else:
            text = _("%(percent)s%% of %(policy)s (base %(base)s)", percent=percent,
                     policy=base or basis["match"], base=wan(basis.get("base_amount")))
    else:
        text = _("Fixed amount %(amount)s", amount=wan(basis.get("fixed", claim.amount)))
    if "capped_at" in basis:
        text += _(", capped at %(cap)s", cap=wan(basis["capped_at"]))
    return text


def action_label(action: str) -> str:
    return label(HISTORY_LABELS, action) if action in HISTORY_LABELS else history_label(action)


@bp.context_processor
def reward_labels() -> dict[str, Any]:
    return {
        "claim_source_label": lambda code: label(SOURCE_LABELS, code),
        "claim_basis": basis_text,
        "claim_action_label": action_label,
        "ledger_kind_label": lambda code: label(LEDGER_LABELS, code),
        "ledger_account_label": lambda code: label(ACCOUNT_LABELS, code),
        "wan": wan,
    }
