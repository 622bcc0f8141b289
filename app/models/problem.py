"""A problem an enterprise raises (问题诉求, issue 14; 问题解决工作制度 001 §三(三), 000 §四(三)): it climbs from
the city service team of the enterprise's sector to the provincial team, the leading group's office and the
provincial government until it is solved and the enterprise confirms (闭环)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.vocabulary import ProblemLevel, ProblemStatus
from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class Problem(db.Model):
    """The subject of the `problem` process. `level` is the level holding it (or that resolved it), copied from
    the waiting step's `level` property; `sector` and `region_code` are the enterprise's at raising."""

    __tablename__ = "problem"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    sector: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=ProblemStatus.OPEN.value, index=True)
    level: Mapped[str] = mapped_column(String(16), default=ProblemLevel.CITY.value)
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    resolution: Mapped[str | None] = mapped_column(Text)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    attachment_name: Mapped[str | None] = mapped_column(String(120))
    attachment_stored: Mapped[str | None] = mapped_column(String(64))
    attachment_type: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a level let its deadline pass
    lock_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": lock_version}

    enterprise = relationship("Enterprise")
    raised_by = relationship("User")
