"""After recognition: the register (认定名录), the cultivation libraries (培育库), yearly re-verification
campaigns and the lifecycle cases (a member's re-verification, a revocation) that processes run on."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.vocabulary import CaseKind, MembershipStatus, RecognitionStatus
from app.extensions import db
from app.models.base import JSONType, UTCDateTime, utcnow

RECOGNITION_STATUSES = RecognitionStatus.values()
CASE_KINDS = CaseKind.values()


class Library(db.Model):
    """A cultivation library that is not a recognition (Jinhu's county library, a listing reserve)."""

    __tablename__ = "library"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))  # as the jurisdiction calls it (Chinese)
    name_en: Mapped[str] = mapped_column(String(150))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    clause: Mapped[str] = mapped_column(String(200))  # the seed clause that sets it up
    # the rung of the ladder it stands for, where it is one (Jinhu's library is its seed tier)
    tier: Mapped[str | None] = mapped_column(String(16))

    region = relationship("Region")

    def to_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "name_en": self.name_en, "region_code": self.region_code,
                "clause": self.clause, "tier": self.tier}


class Recognition(db.Model):
    """One entry of the register: an enterprise recognized at a tier by an office, valid for a period."""

    __tablename__ = "recognition"
    __table_args__ = (
        Index("ix_recognition_enterprise_status", "enterprise_id", "status"),
        Index("ix_recognition_tier_region_status", "tier", "region_code", "status"),
        Index("ix_recognition_status_valid_until", "status", "valid_until"),
        # the dashboards' counts read this index alone (migration 0014)
        Index("ix_recognition_stats", "status", "enterprise_id", "tier", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    tier: Mapped[str] = mapped_column(String(16))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))  # the recognizing office
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))  # its jurisdiction
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), unique=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("application_call.id"), index=True)
    rule_set: Mapped[str | None] = mapped_column(String(64))
    document_no: Mapped[str] = mapped_column(String(100))  # 认定文号
    certificate_no: Mapped[str] = mapped_column(String(40), unique=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    valid_years: Mapped[int] = mapped_column(Integer, default=3)
    status: Mapped[str] = mapped_column(String(16), default=RecognitionStatus.ACTIVE.value)
    verified_on: Mapped[date | None] = mapped_column(Date)  # last kept by a re-verification
    source: Mapped[str] = mapped_column(String(32), default="application")  # application, downgrade, demo
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("recognition.id"))  # downgraded from
    exit_reason: Mapped[str | None] = mapped_column(Text)
    exited_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    enterprise = relationship("Enterprise")
    office = relationship("Office")
    region = relationship("Region")
    call = relationship("Call")

    __mapper_args__ = {"version_id_col": lock_version}


class LibraryMembership(db.Model):
    """An enterprise in a library: entry date, where the entry came from, exit."""

    __tablename__ = "library_membership"
    __table_args__ = (Index("ix_library_membership_library_status", "library_key", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    library_key: Mapped[str] = mapped_column(ForeignKey("library.key"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    entered_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(32))  # application, listing_plan, demo…
    source_ref: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default=MembershipStatus.ACTIVE.value)
    verified_on: Mapped[date | None] = mapped_column(Date)
    exit_reason: Mapped[str | None] = mapped_column(Text)
    exited_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    library = relationship("Library")
    enterprise = relationship("Enterprise")

    __mapper_args__ = {"version_id_col": lock_version}


class Campaign(db.Model):
    """A yearly re-verification (动态管理) of a tier's or a library's active members in a jurisdiction."""

    __tablename__ = "reverification_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    tier: Mapped[str | None] = mapped_column(String(16))
    library_key: Mapped[str | None] = mapped_column(ForeignKey("library.key"))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, closed
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    office = relationship("Office")
    library = relationship("Library")


class LifecycleCase(db.Model):
    """What a lifecycle process runs on: one member's re-verification in a campaign, or a revocation."""

    __tablename__ = "lifecycle_case"
    __table_args__ = (
        Index("ix_lifecycle_case_recognition", "recognition_id", "kind", "status"),
        Index("ix_lifecycle_case_campaign", "campaign_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    recognition_id: Mapped[int | None] = mapped_column(ForeignKey("recognition.id"))
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("library_membership.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("reverification_campaign.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))  # the office that decides
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, closed
    ground: Mapped[str | None] = mapped_column(String(32))  # a revocation's ground
    details: Mapped[str | None] = mapped_column(Text)  # what the opener wrote
    data: Mapped[dict | None] = mapped_column(JSONType)  # the member's updated figures
    evaluation: Mapped[dict | None] = mapped_column(JSONType)  # the figures against the rule set in force
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when the member sent its update
    response: Mapped[str | None] = mapped_column(Text)  # the enterprise's statement (陈述申辩)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    missed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # missed the deadline
    outcome: Mapped[str | None] = mapped_column(String(16))  # keep, downgrade, exit, revoke, dismiss
    reason: Mapped[str | None] = mapped_column(Text)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    enterprise = relationship("Enterprise")
    recognition = relationship("Recognition")
    membership = relationship("LibraryMembership")
    campaign = relationship("Campaign")
    office = relationship("Office")
    opened_by = relationship("User")
