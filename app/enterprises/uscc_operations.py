"""The operation a confirmed claim to a USCC runs (issue 16 §8): the squatter's accounts are frozen and the
enterprise (with its register entries, applications, everything) is handed to the claimant's new account."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core import audit
from app.core.errors import Conflict
from app.extensions import db
from app.models import ApiToken, UsccClaim, User
from app.org import accounts
from app.workflow.operations import Context, Operation, register

SUBJECT = "uscc_claim"


def hand_over(claim: UsccClaim) -> User:
    """Freeze every account of the claimed enterprise (inactive, API tokens revoked, browser sessions ended),
    create the claimant's account on the same enterprise with the password hash taken at filing, and give the
    enterprise the claimed registered name; audited with the reviewer who confirmed. 409 when the username was
    taken meanwhile (nothing changes)."""
    if db.session.scalar(db.select(User.id).where(User.username == claim.username)) is not None:
        raise Conflict(_("The username the claimant wants was taken meanwhile; refuse the claim, the claimant "
                         "can file again with another one."), code="username_taken", fields={"username": _("taken")})
    if not claim.password_hash:
        raise Conflict(_("This claim is closed."), code="claim_closed")
    enterprise = claim.enterprise
    frozen = []
    for user in db.session.scalars(db.select(User).where(User.enterprise_id == enterprise.id,
                                                         User.active.is_(True)).order_by(User.id)):
        user.active = False
        db.session.execute(db.delete(ApiToken).where(ApiToken.user_id == user.id))
        accounts.close_sessions(user)
        frozen.append(user.username)
        audit.record("account_frozen", actor=claim.decided_by, subject=("user", user.id), details={
            "username": user.username, "enterprise_id": enterprise.id, "uscc_claim_id": claim.id})
    new_user = User(username=claim.username, role="enterprise", enterprise_id=enterprise.id,
                    display_name=claim.registered_name, password_hash=claim.password_hash)
    db.session.add(new_user)
    db.session.flush()
    old_name = enterprise.name
    enterprise.name = claim.registered_name
    claim.new_user_id = new_user.id
    audit.record("uscc_claim_handed_over", actor=claim.decided_by, subject=(SUBJECT, claim.id), details={
        "enterprise_id": enterprise.id, "uscc": claim.uscc, "frozen": frozen, "new_username": new_user.username,
        "old_name": old_name, "new_name": enterprise.name})
    return new_user


def _run(ctx: Context, params: dict[str, Any]) -> str:
    return hand_over(ctx.subject).username


register(Operation(
    "hand_over_enterprise_account", _l("Hand an enterprise over to the claimant of its USCC"),
    _l("Freezes the enterprise's current accounts (their API tokens and browser sessions end), creates the "
       "claimant's account on the same enterprise and gives the enterprise the claimed registered name."),
    (SUBJECT,), _run, {}, result=_l("the claimant's new username")))
