"""The reviewer's workbench: conflicts of interest, saved filters, evidence, comments, notices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import JSONType, UTCDateTime, utcnow

DOC_TYPES = ("application_form", "business_license", "audit_report", "social_insurance", "ip_certificate",
             "direct_condition", "truthfulness_statement", "compliance_pledge", "other")


# an attachment belongs to an application or to a lifecycle case, never both, never neither
ONE_SUBJECT = ("(application_id IS NOT NULL AND case_id IS NULL) OR "
               "(application_id IS NULL AND case_id IS NOT NULL)")


class ConflictOfInterest(db.Model):
    """A reviewer declared a link to an enterprise: they never review its applications."""

    __tablename__ = "conflict_of_interest"
    __table_args__ = (UniqueConstraint("user_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SavedFilter(db.Model):
    """An inbox filter kept on the server; shared ones are visible to the whole office."""

    __tablename__ = "saved_filter"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    params: Mapped[dict] = mapped_column(JSONType)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner = relationship("User")


class Attachment(db.Model):
    """An evidence document of an application or of a lifecycle case (exactly one of them); the file lives
    outside the web root under a generated name."""

    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint(ONE_SUBJECT, name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("lifecycle_case.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    uploaded_by = relationship("User")


class ReviewComment(db.Model):
    """A note between reviewers on an application; enterprises never see it."""

    __tablename__ = "review_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author = relationship("User")
    office = relationship("Office")


class DocumentRequest(db.Model):
    """A document a reviewer asked for when returning an application (the enterprise's checklist)."""

    __tablename__ = "document_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    fulfilled_by_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(500))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    details: Mapped[dict | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
