"""Rewards and subsidies (奖补): policies as data, the funds that pay them, claims, and an append-only ledger
whose sums are the funds' balances."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import JSONType, UTCDateTime, utcnow


class Fund(db.Model):
    """A budget line that pays rewards (e.g. 吉林省中小企业发展专项资金), kept by an office of its region."""

    __tablename__ = "fund"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))  # the SME office that reviews its claims
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    region = relationship("Region")
    office = relationship("Office")


class RewardPolicy(db.Model):
    """One reward rule of a jurisdiction: what triggers it, how much, for whom, from which fund, by which
    clause, in force from / until."""

    __tablename__ = "reward_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    trigger: Mapped[str] = mapped_column(String(32))  # first_recognition, listing, tech_centre, technician_studio
    tier: Mapped[str | None] = mapped_column(String(16))  # for first_recognition
    level: Mapped[str | None] = mapped_column(String(16))  # tech centre: provincial, national
    amount: Mapped[int | None] = mapped_column(BigInteger)  # yuan; None when it matches another policy
    match_policy_key: Mapped[str | None] = mapped_column(String(60))  # pays a share of that policy's reward
    match_percent: Mapped[int | None] = mapped_column(Integer)
    cap: Mapped[int | None] = mapped_column(BigInteger)  # yuan
    conditions: Mapped[dict] = mapped_column(JSONType, default=dict)  # {"city_owned": true, "sector": …}
    first_time_only: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    stacks: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")  # with other levels' rewards
    fund_key: Mapped[str] = mapped_column(ForeignKey("fund.key"))
    clause: Mapped[str] = mapped_column(String(300))
    effective_from: Mapped[date | None] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    fund = relationship("Fund", primaryjoin="RewardPolicy.fund_key == Fund.key", viewonly=True)
    region = relationship("Region")


class RewardClaim(db.Model):
    """A claim under one policy for one enterprise (the subject of the `reward_claim` process)."""

    __tablename__ = "reward_claim"
    __table_args__ = (
        # a first-time reward is claimed once per enterprise (a second recognition at the tier claims nothing)
        UniqueConstraint("policy_id", "enterprise_id", "occurrence"),
        Index("ix_reward_claim_status", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("reward_policy.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    occurrence: Mapped[str] = mapped_column(String(60), default="first")  # "first" for first-time-only policies
    recognition_id: Mapped[int | None] = mapped_column(ForeignKey("recognition.id"))
    source: Mapped[str] = mapped_column(String(16))  # register, enterprise
    amount: Mapped[int] = mapped_column(BigInteger)  # yuan
    basis: Mapped[dict | None] = mapped_column(JSONType)  # how the amount was found (matching, cap…)
    evidence: Mapped[str | None] = mapped_column(Text)  # what the enterprise states (listing, certificate)
    status: Mapped[str] = mapped_column(String(16), default="checking")
    reason: Mapped[str | None] = mapped_column(Text)
    voucher_no: Mapped[str | None] = mapped_column(String(60))
    paid_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    policy = relationship("RewardPolicy")
    enterprise = relationship("Enterprise")
    recognition = relationship("Recognition")

    __mapper_args__ = {"version_id_col": lock_version}


class LedgerEntry(db.Model):
    """Append-only: a fund's budget, committed, paid and available are the sums of its entries."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        Index("ix_ledger_entry_fund_account", "fund_id", "account"),
        # one payment per claim, whatever races: the database refuses the second
        Index("uq_ledger_entry_one_payment", "claim_id", unique=True,
              postgresql_where=db.text("kind = 'payment'"), sqlite_where=db.text("kind = 'payment'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("fund.id"))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("reward_claim.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # budget, commitment, payment, release
    account: Mapped[str] = mapped_column(String(16))  # budget, committed, paid
    amount: Mapped[int] = mapped_column(BigInteger)  # signed yuan
    year: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(300))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LedgerImmutableError(RuntimeError):
    pass


@event.listens_for(LedgerEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise LedgerImmutableError("ledger entries are append-only")


@event.listens_for(LedgerEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise LedgerImmutableError("ledger entries are append-only")
