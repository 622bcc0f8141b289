"""Periodic reports (定期调度, 000 §四(三)): a schedule says who reports to whom and how often; each reporting
office (a city's general office, its 信息报送员) files one report per period under the four headings, the
subject of the `periodic_report` process (filled by the city, accepted or returned by the province)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import JSONType, UTCDateTime, utcnow

# the four headings of 000 §四(三): 工作成果、务实举措、创新性工作方法、突破性政策举措
SECTIONS = ("achievements", "measures", "methods", "policies")


class ReportSchedule(db.Model):
    """Who reports to whom, how often (shipped in workflows/report_schedules.json)."""

    __tablename__ = "report_schedule"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))  # Chinese, as the policy words it
    name_en: Mapped[str] = mapped_column(String(150))
    recipient_office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))  # the province's general office
    frequencies: Mapped[str] = mapped_column(String(40))  # comma list: quarterly, half_year, year
    clause: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recipient = relationship("Office")
    units = relationship("ReportScheduleUnit", order_by="ReportScheduleUnit.id", back_populates="schedule")

    @property
    def frequency_list(self) -> list[str]:
        return [f for f in self.frequencies.split(",") if f]


class ReportScheduleUnit(db.Model):
    """One reporting office of a schedule (a city's general office)."""

    __tablename__ = "report_schedule_unit"
    __table_args__ = (UniqueConstraint("schedule_key", "office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_key: Mapped[str] = mapped_column(ForeignKey("report_schedule.key"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))

    schedule = relationship("ReportSchedule", back_populates="units")
    office = relationship("Office")


class PeriodicReport(db.Model):
    """One office's report for one period of a schedule."""

    __tablename__ = "periodic_report"
    __table_args__ = (
        UniqueConstraint("schedule_key", "office_id", "year", "seq", "frequency"),
        Index("ix_periodic_report_office_status", "office_id", "status"),
        Index("ix_periodic_report_schedule_period", "schedule_key", "year", "frequency", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_key: Mapped[str] = mapped_column(ForeignKey("report_schedule.key"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))  # the reporting (city) office
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))  # the office's region (the city)
    year: Mapped[int] = mapped_column(Integer)
    frequency: Mapped[str] = mapped_column(String(16))  # quarterly, half_year, year
    seq: Mapped[int] = mapped_column(Integer)  # the quarter or half of the year; 1 for a year
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    opens_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, submitted, returned, accepted
    achievements: Mapped[str | None] = mapped_column(Text)  # 工作成果
    measures: Mapped[str | None] = mapped_column(Text)  # 务实举措
    methods: Mapped[str | None] = mapped_column(Text)  # 创新性工作方法
    policies: Mapped[str | None] = mapped_column(Text)  # 突破性政策举措
    figures: Mapped[dict | None] = mapped_column(JSONType)  # filled when it opens, refreshed on submit
    figures_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decision: Mapped[str | None] = mapped_column(String(16))  # the province's last: approve, return
    reason: Mapped[str | None] = mapped_column(Text)  # why it was returned
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: the worker
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    schedule = relationship("ReportSchedule")
    office = relationship("Office")
    region = relationship("Region")

    __mapper_args__ = {"version_id_col": lock_version}
