"""A claim to a unified social credit code (issue 16 §8): a real company whose USCC someone else registered first
asks the county office of the registered enterprise's region to hand the enterprise's account over to it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.vocabulary import UsccClaimStatus
from app.extensions import db
from app.models.base import UTCDateTime, utcnow

USCC_CLAIM_STATUSES = UsccClaimStatus.values()


class UsccClaim(db.Model):
    """The subject of the `uscc_claim` process. `open_uscc` and `open_username` are set while the claim is open
    (cleared when it closes), so the database itself keeps one open claim per USCC and per wanted username."""

    __tablename__ = "uscc_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    open_uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    registered_name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(64))
    contact_phone: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(64))
    open_username: Mapped[str | None] = mapped_column(String(64), unique=True)
    # the wanted password's hash, taken at filing (never the password); cleared when the claim closes
    password_hash: Mapped[str | None] = mapped_column(String(256))
    # the business licence (营业执照): checked and stored as an application's documents are
    licence_name: Mapped[str] = mapped_column(String(120))
    licence_stored: Mapped[str] = mapped_column(String(64))
    licence_type: Mapped[str] = mapped_column(String(64))
    licence_size: Mapped[int] = mapped_column(Integer)
    licence_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=UsccClaimStatus.OPEN.value)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    new_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # the claimant's account
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enterprise = relationship("Enterprise")
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    new_user = relationship("User", foreign_keys=[new_user_id])
