"""Operating monitoring (运行监测, 001 §二(一)7, 002 §三(一)): a jurisdiction's programme opens a period
(quarterly by default); every active recognition and library member of the jurisdiction files one report of
its figures for the period, the subject of the `monitoring_report` process.

Figures are cumulative for the year to date (本年累计), in yuan; the `*_prior` columns are the same period
of the year before (上年同期), so growth is known from one report."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import JSONType, UTCDateTime, utcnow

MONEY_FIGURES = ("revenue", "revenue_prior", "main_revenue", "total_profit", "tax_paid", "rd_expense",
                 "rd_expense_prior", "exports", "financing")
COUNT_FIGURES = ("employees", "rd_staff", "patents")
FIGURES = MONEY_FIGURES + COUNT_FIGURES


class MonitoringProgramme(db.Model):
    """The monitoring of one jurisdiction: who runs it, how often, how long members have to file."""

    __tablename__ = "monitoring_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))  # the office that runs it
    frequency: Mapped[str] = mapped_column(String(16), default="quarterly")  # monthly, quarterly, half_year, year
    due_working_days: Mapped[int] = mapped_column(Integer, default=15)  # after the period ends
    clause: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    region = relationship("Region")
    office = relationship("Office")


class MonitoringPeriod(db.Model):
    """One period of a programme (2026 Q3): what it covers, when reports are due, open or closed."""

    __tablename__ = "monitoring_period"
    __table_args__ = (UniqueConstraint("programme_id", "year", "frequency", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("monitoring_programme.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    year: Mapped[int] = mapped_column(Integer)
    frequency: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)  # the month, quarter or half of the year; 1 for a year
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, closed
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    programme = relationship("MonitoringProgramme")
    region = relationship("Region")
    office = relationship("Office")


class MonitoringReport(db.Model):
    """One member's figures for one period."""

    __tablename__ = "monitoring_report"
    __table_args__ = (
        UniqueConstraint("period_id", "enterprise_id"),
        Index("ix_monitoring_report_period_status", "period_id", "status"),
        Index("ix_monitoring_report_region_tier", "region_code", "tier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("monitoring_period.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    recognition_id: Mapped[int | None] = mapped_column(ForeignKey("recognition.id"))
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("library_membership.id"))
    # the cohort, copied when the period opens (aggregation without joins): the enterprise's region and sector,
    # its highest active tier (or None for a library member without one) and the library
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    sector: Mapped[str] = mapped_column(String(32))
    tier: Mapped[str | None] = mapped_column(String(16))
    library_key: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="waiting")  # waiting, submitted, missed
    revenue: Mapped[int | None] = mapped_column(BigInteger)  # 营业收入
    revenue_prior: Mapped[int | None] = mapped_column(BigInteger)  # 上年同期营业收入
    main_revenue: Mapped[int | None] = mapped_column(BigInteger)  # 主营业务收入
    total_profit: Mapped[int | None] = mapped_column(BigInteger)  # 利润总额 (may be negative)
    tax_paid: Mapped[int | None] = mapped_column(BigInteger)  # 上缴税金
    rd_expense: Mapped[int | None] = mapped_column(BigInteger)  # 研发费用
    rd_expense_prior: Mapped[int | None] = mapped_column(BigInteger)  # 上年同期研发费用
    exports: Mapped[int | None] = mapped_column(BigInteger)  # 出口额
    financing: Mapped[int | None] = mapped_column(BigInteger)  # 本期获得融资
    employees: Mapped[int | None] = mapped_column(Integer)  # 从业人员
    rd_staff: Mapped[int | None] = mapped_column(Integer)  # 研发人员
    patents: Mapped[int | None] = mapped_column(Integer)  # 有效专利
    alerts: Mapped[list | None] = mapped_column(JSONType)  # what the process's rule flagged (revenue_drop…)
    follow_up: Mapped[str | None] = mapped_column(String(16))  # None, open, done: the county's follow-up
    follow_up_note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    source: Mapped[str | None] = mapped_column(String(16))  # web, api, import
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    period = relationship("MonitoringPeriod")
    enterprise = relationship("Enterprise")
    recognition = relationship("Recognition")
    membership = relationship("LibraryMembership")

    __mapper_args__ = {"version_id_col": lock_version}
