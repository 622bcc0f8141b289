"""An enterprise's application for a tier."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.vocabulary import ApplicationStatus, Tier
from app.extensions import db
from app.models.base import JSONType, UTCDateTime, utcnow

TIERS = Tier.values()
STATUSES = ApplicationStatus.values()
EDITABLE_STATUSES = (ApplicationStatus.DRAFT.value, ApplicationStatus.RETURNED.value)


class Application(db.Model):
    __tablename__ = "application"
    __table_args__ = (Index("ix_application_enterprise_status", "enterprise_id", "status"),
                      # the dashboards' pipeline: open ones, and those that ended lately (migration 0014)
                      Index("ix_application_status_updated", "status", "updated_at", "enterprise_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # the number clerks quote, e.g. 2026-320831-0007 (year-county-sequence), set at first submission
    # (app/recognition/numbers.py); None for a draft never submitted
    number: Mapped[str | None] = mapped_column(String(24), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    target_tier: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    data: Mapped[dict] = mapped_column(JSONType, default=dict)
    evaluation: Mapped[dict | None] = mapped_column(JSONType)  # the latest eligibility check
    score: Mapped[float | None] = mapped_column(Float, index=True)  # its score, for indexed inbox filters
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # the call it was submitted under (set on first submission)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("application_call.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    enterprise = relationship("Enterprise")
    call = relationship("Call")
    # its recognition process (an application is the subject of one process run)
    instance = relationship(
        "ProcessInstance", viewonly=True, uselist=False,
        primaryjoin="and_(ProcessInstance.subject_type == 'application', "
                    "foreign(ProcessInstance.subject_id) == Application.id)")

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ApplicationNumberSequence(db.Model):
    """The last sequence number given per region (county code) and year (app/recognition/numbers.py)."""

    __tablename__ = "application_number_sequence"

    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
