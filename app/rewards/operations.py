"""The operations a reward claim's service tasks name: the automatic checks, committing the amount,
releasing it (a rejection, a revocation), recording the payment in the ledger."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.core import workdays
from app.rewards import claims, ledger, policies
from app.workflow.operations import Context, Operation, Param, register

CLAIM = ("claim",)


def _check(ctx: Context, params: dict[str, Any]) -> str:
    """`ok`, `wait` (a match whose base is under way) or `no` (with the reason on the claim)."""
    claim = ctx.subject
    failed = policies.conditions_met(claim.policy, claim.enterprise, workdays.china_date(ctx.now))
    if failed:
        claim.reason = "conditions not met: " + ", ".join(failed)
        return "no"
    state = claims.base_state(claim)
    if state == "no":
        claim.reason = "the reward it matches was not granted"
    return state


def _commit(ctx: Context, params: dict[str, Any]) -> int:
    ledger.commit(ctx.subject, workdays.china_date(ctx.now).year)
    return ctx.subject.amount


def _release(ctx: Context, params: dict[str, Any]) -> int:
    return ledger.release(ctx.subject, workdays.china_date(ctx.now).year, params.get("note") or "released")


def _pay(ctx: Context, params: dict[str, Any]) -> str:
    claim = ctx.subject
    ledger.pay(claim, workdays.china_date(ctx.now).year, claim.voucher_no or "", claim.paid_on, None)
    return claim.voucher_no or ""


register(Operation(
    "check_reward_claim", _l("Check a reward claim"),
    _l("The automatic checks: the enterprise still meets the policy's conditions, and a matching reward's base "
       "reward is paid (wait while it is under way; refuse when it was not granted)."),
    CLAIM, _check, {}, result=_l("ok, wait or no")))
register(Operation(
    "commit_reward", _l("Commit the reward in the fund"),
    _l("Records the claim's amount as committed in its fund's ledger (once)."), CLAIM, _commit, {},
    result=_l("the amount committed")))
register(Operation(
    "release_reward", _l("Release a committed reward"),
    _l("Gives back to the fund what the claim holds committed and has not paid (a rejection, a revocation)."),
    CLAIM, _release, {"note": Param("str", _l("Why, for the ledger"))}, result=_l("the amount released")))
register(Operation(
    "record_reward_payment", _l("Record the payment in the ledger"),
    _l("Moves the claim's amount from committed to paid with the voucher the finance bureau entered; a second "
       "payment of one claim is refused by the database."), CLAIM, _pay, {}, result=_l("the voucher number")))
