"""The rewards ledger: append-only entries on a fund's accounts (budget, committed, paid). A fund's budget,
committed, paid and available are always the sums of its entries; a claim commits its amount when its checks
pass, a payment moves it from committed to paid (once: a unique index refuses a second payment, whatever
races), a rejection or a revocation releases what was committed and not paid."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.errors import Conflict
from app.extensions import db
from app.models import Fund, LedgerEntry, RewardClaim, RewardPolicy, User

ACCOUNTS = ("budget", "committed", "paid")


def _post(fund: Fund, claim: RewardClaim | None, kind: str, lines: list[tuple[str, int]], year: int,
          note: str | None = None, actor: User | None = None) -> None:
    for account, amount in lines:
        db.session.add(LedgerEntry(fund_id=fund.id, claim_id=claim.id if claim else None, kind=kind,
                                   account=account, amount=amount, year=year, note=note,
                                   actor_id=actor.id if actor else None))


def set_budget(fund: Fund, amount: int, year: int, actor: User | None = None, note: str | None = None) -> None:
    """Add to (or, negative, take from) a fund's budget for a year."""
    _post(fund, None, "budget", [("budget", amount)], year, note, actor)
    db.session.flush()
    audit.record("fund_budget", actor=actor, subject=("fund", fund.id), details={"amount": amount, "year": year})


def _fund_of(claim: RewardClaim) -> Fund:
    return db.session.scalar(db.select(Fund).join(RewardPolicy, RewardPolicy.fund_key == Fund.key).where(
        RewardPolicy.id == claim.policy_id))


def committed_of(claim: RewardClaim) -> int:
    """What the claim holds committed now (its commitments less what was released or paid)."""
    return int(db.session.scalar(db.select(db.func.coalesce(db.func.sum(LedgerEntry.amount), 0)).where(
        LedgerEntry.claim_id == claim.id, LedgerEntry.account == "committed")) or 0)


def _commitment_year(claim: RewardClaim, default: int) -> int:
    """The year the claim's amount was committed: its settlement and release belong to that year's figures."""
    year = db.session.scalar(db.select(LedgerEntry.year).where(LedgerEntry.claim_id == claim.id,
                                                              LedgerEntry.kind == "commitment").limit(1))
    return year if year is not None else default


def commit(claim: RewardClaim, year: int) -> None:
    if committed_of(claim) == 0 and claim.status != "paid":
        _post(_fund_of(claim), claim, "commitment", [("committed", claim.amount)], year)
        db.session.flush()


def release(claim: RewardClaim, year: int, note: str) -> int:
    """Give back what the claim holds committed (a rejection, a revocation before payment); the amount."""
    held = committed_of(claim)
    if held:
        _post(_fund_of(claim), claim, "release", [("committed", -held)], _commitment_year(claim, year), note)
        db.session.flush()
    return held


def pay(claim: RewardClaim, year: int, voucher_no: str, paid_on: date, actor: User | None) -> None:
    """Move the claim's commitment to paid, once: the payment counts in the year it was made, the settlement of
    the commitment in the year it was committed."""
    held = committed_of(claim)
    fund = _fund_of(claim)
    _post(fund, claim, "payment", [("paid", claim.amount)], paid_on.year if paid_on else year, voucher_no, actor)
    if held:
        _post(fund, claim, "settle", [("committed", -held)], _commitment_year(claim, year), voucher_no, actor)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the unique index: someone paid this claim at the same moment
        raise Conflict(_("This claim has been paid already."), code="already_paid") from exc


def balances(fund: Fund, year: int | None = None) -> dict[str, int]:
    """Budget, committed, paid (the sums of the entries) and available = budget − committed − paid."""
    query = db.select(LedgerEntry.account, db.func.coalesce(db.func.sum(LedgerEntry.amount), 0)).where(
        LedgerEntry.fund_id == fund.id)
    if year is not None:
        query = query.where(LedgerEntry.year == year)
    sums = {account: 0 for account in ACCOUNTS} | {a: int(s) for a, s in db.session.execute(query.group_by(
        LedgerEntry.account))}
    return sums | {"available": sums["budget"] - sums["committed"] - sums["paid"]}


def by_tier_and_year(fund: Fund) -> list[dict[str, Any]]:
    """Committed and paid per tier (or trigger) and year: the fund page's bars."""
    rows = db.session.execute(
        db.select(LedgerEntry.year, db.func.coalesce(RewardPolicy.tier, RewardPolicy.trigger), LedgerEntry.account,
                  db.func.sum(LedgerEntry.amount))
        .join(RewardClaim, RewardClaim.id == LedgerEntry.claim_id).join(RewardPolicy,
                                                                          RewardPolicy.id == RewardClaim.policy_id)
        .where(LedgerEntry.fund_id == fund.id).group_by(LedgerEntry.year, db.func.coalesce(
            RewardPolicy.tier, RewardPolicy.trigger), LedgerEntry.account))
    table: dict[tuple[int, str], dict[str, Any]] = {}
    for year, what, account, amount in rows:
        row = table.setdefault((year, what), {"year": year, "what": what, "committed": 0, "paid": 0})
        if account in ("committed", "paid"):
            row[account] += int(amount)
    return [table[key] for key in sorted(table)]


def entries(fund: Fund) -> list[LedgerEntry]:
    return list(db.session.scalars(db.select(LedgerEntry).where(LedgerEntry.fund_id == fund.id)
                                   .order_by(LedgerEntry.id)))
