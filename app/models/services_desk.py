"""The service desk (服务秘书 000 §四(三), 001 §三(三), 002 §四(三); 挂钩服务 004 §四(二)): an office assigns a
service secretary of its own and optionally a linked leader to an enterprise of its jurisdiction, and visits
to the enterprise are logged. Problems (问题诉求) live beside these, in their own module."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.vocabulary import AssignmentStatus
from app.extensions import db
from app.models.base import UTCDateTime, utcnow

ASSIGNMENT_STATUSES = AssignmentStatus.values()


class ServiceAssignment(db.Model):
    """A secretary (and linked leader) serving an enterprise for an office. `open_office_id` is the office while
    the assignment is active and NULL once it ended, so the database keeps one active assignment per enterprise
    and office (NULLs never collide in a unique constraint)."""

    __tablename__ = "service_assignment"
    __table_args__ = (UniqueConstraint("enterprise_id", "open_office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    open_office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    secretary_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    leader_name: Mapped[str | None] = mapped_column(String(64))  # 挂钩领导 (004 §四(二)), as text
    leader_post: Mapped[str | None] = mapped_column(String(128))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # the planned end; the day it ended once ended
    status: Mapped[str] = mapped_column(String(16), default=AssignmentStatus.ACTIVE.value)
    end_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    enterprise = relationship("Enterprise")
    office = relationship("Office", foreign_keys=[office_id])
    secretary = relationship("User", foreign_keys=[secretary_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    ended_by = relationship("User", foreign_keys=[ended_by_id])


class ServiceVisit(db.Model):
    """A visit to an enterprise (走访), logged by its secretary or the office."""

    __tablename__ = "service_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("service_assignment.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    visited_on: Mapped[date] = mapped_column(Date)
    visitors: Mapped[str] = mapped_column(String(200))  # who went
    notes: Mapped[str] = mapped_column(Text)
    problems: Mapped[str | None] = mapped_column(Text)  # problems raised, as text (the problem process may link)
    next_due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enterprise = relationship("Enterprise")
    office = relationship("Office")
    assignment = relationship("ServiceAssignment")
    recorded_by = relationship("User")
