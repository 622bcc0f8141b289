"""Claims to a USCC (issue 16 §8): the public claim form (/register/claim) and its confirmation; the county
office's list of claims and the claim page with its decision form (/uscc-claims). Thin wrappers around
app.enterprises.uscc_claims."""

from flask import Blueprint

bp = Blueprint("uscc_claims", __name__, template_folder="templates")

from app.web.uscc_claims import views  # noqa: E402,F401


@bp.app_context_processor
def _helpers() -> dict:
    from flask_babel import lazy_gettext as _l

    from app.core.vocabulary import UsccClaimStatus

    actions = {
        "uscc_claim_filed": _l("Claim filed"),
        "confirm": _l("Confirmed by the county office"),
        "refuse": _l("Refused by the county office"),
        "uscc_claim_handed_over": _l("Current accounts frozen, enterprise handed to the claimant"),
        "uscc_claim_confirmed": _l("Closed: confirmed"),
        "uscc_claim_declined": _l("Closed: refused"),
        "timer_reminder": _l("Deadline reminder"),
        "timer_overdue": _l("Overdue, reported upward"),
    }

    def uscc_claim_action(code: str) -> str:
        return str(actions.get(code, code))

    def uscc_claims_waiting() -> int:
        """Open claims waiting for the logged-in reviewer's office (the navigation badge)."""
        from flask_login import current_user

        from app.enterprises import uscc_claims

        return uscc_claims.open_count(current_user) if current_user.is_authenticated else 0

    return {"uscc_claims_waiting": uscc_claims_waiting, "uscc_claim_statuses": UsccClaimStatus.labels(),
            "uscc_claim_action": uscc_claim_action}
