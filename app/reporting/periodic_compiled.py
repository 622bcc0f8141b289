"""The compiled provincial report of one period (定期调度汇总, 000 §四(三): 省级服务专班定期向省…领导小组报送):
the accepted city reports under the four headings, the figures of every city, and which cities have not
reported or were returned. Read by the receiving province's reviewers, its leading group and the admin;
a page and a PDF (fpdf2 with the CJK font)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from app.core import pdf
from app.core.errors import Invalid, NotFound
from app.core.vocabulary import ReportStatus, Tier
from app.extensions import db
from app.models import SECTIONS, Office, PeriodicReport, ReportSchedule, User
from app.reporting import periodic, periodic_schedules


@dataclass
class Unit:
    office: Office
    report: PeriodicReport | None

    @property
    def state(self) -> str:
        """accepted, submitted, returned, open, or missing (no report opened)."""
        return self.report.status if self.report is not None else "missing"


@dataclass
class Compiled:
    schedule: ReportSchedule
    period: periodic_schedules.Period
    units: list[Unit] = field(default_factory=list)

    @property
    def accepted(self) -> list[Unit]:
        return [u for u in self.units if u.state == ReportStatus.ACCEPTED]

    @property
    def pending(self) -> list[Unit]:
        """Cities whose report is not (yet) accepted: not filed, returned, or waiting for the province."""
        return [u for u in self.units if u.state != ReportStatus.ACCEPTED]

    def sections(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """(key, heading, [(city office, text)]) for each of the four headings, from accepted reports."""
        labels = periodic.section_labels()
        return [(key, labels[key], [(u.office.name, getattr(u.report, key) or "") for u in self.accepted])
                for key in SECTIONS]


def may_read(user: User, schedule: ReportSchedule) -> bool:
    region = schedule.recipient.region_code
    if user.role == "admin":
        return True
    if user.role == "reviewer":  # the recipient office, which reads the city reports themselves
        return user.office_id == schedule.recipient_office_id
    return user.role == "leader" and user.region_code == region


def readable_schedules(user: User) -> list[ReportSchedule]:
    return [s for s in periodic_schedules.schedules(active_only=False) if may_read(user, s)]


def compile_for(user: User, schedule_key: Any, year: Any, frequency: Any, seq: Any) -> Compiled:
    schedule = periodic_schedules.get(schedule_key)
    if schedule is None or not may_read(user, schedule):
        raise NotFound(_("Report schedule not found."))
    if year is None or seq is None or not isinstance(frequency, str):
        raise Invalid(_("Name the period: year, frequency and sequence."), fields={"period": _("required")})
    found = periodic_schedules.period(int(year), frequency, int(seq))
    reports = {r.office_id: r for r in db.session.scalars(db.select(PeriodicReport).where(
        PeriodicReport.schedule_key == schedule.key, PeriodicReport.year == found.year,
        PeriodicReport.frequency == found.frequency, PeriodicReport.seq == found.seq))}
    return Compiled(schedule, found, [Unit(office, reports.get(office.id)) for office in periodic.units_of(schedule)])


def figure_columns() -> list[tuple[str, str]]:
    """(key, header) of the figures table: new recognitions per tier, applications, monitoring, rewards."""
    columns = [(f"recognitions.{tier}", _("New: %(tier)s", tier=Tier(tier).label)) for tier in Tier.values()]
    return columns + [("applications_submitted", _("Applications submitted")),
                      ("applications_in_review", _("Applications in review")),
                      ("monitoring.rate", _("Monitoring response rate")),
                      ("rewards_paid.count", _("Rewards paid")), ("rewards_paid.amount", _("Rewards paid (10k yuan)"))]


def figure(figures: dict | None, key: str) -> str:
    """One figure as shown: counts as they are, the rate as %, money in 万元, '—' when unknown."""
    value: Any = figures or {}
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return "—"
    if key == "monitoring.rate":
        return f"{value * 100:.1f}%"
    if key == "rewards_paid.amount":
        return f"{value / 10000:g}"
    return str(value)


def state_label(state: str) -> str:
    return _("Not opened") if state == "missing" else ReportStatus(state).label


def to_dict(compiled: Compiled) -> dict[str, Any]:
    p = compiled.period
    return {"schedule": compiled.schedule.key, "schedule_name": compiled.schedule.name,
            "year": p.year, "frequency": p.frequency, "seq": p.seq, "period": periodic_schedules.label(p),
            "due_on": p.due_on.isoformat(),
            "units": [{"office": u.office.to_dict(), "state": u.state, "report_id": u.report.id if u.report else None,
                       "figures": u.report.figures if u.report else None,
                       "reason": u.report.reason if u.report and u.state == ReportStatus.RETURNED else None}
                      for u in compiled.units],
            "sections": {key: [{"office": office, "text": text} for office, text in items]
                         for key, _heading, items in compiled.sections()},
            "missing": [u.office.code for u in compiled.pending]}


def render_pdf(compiled: Compiled) -> bytes:
    """The compiled report as an A4 PDF in Chinese."""
    title = _("Compiled periodic report")
    doc = pdf.Document(title, footer=compiled.schedule.name)
    doc.title_block(f"{compiled.schedule.name}", f"{title} · {periodic_schedules.label(compiled.period)} · "
                    f"{compiled.schedule.recipient.name}")
    doc.heading(_("Reporting status"))
    doc.grid([_("Reporting office"), _("Status"), _("Note")],
             [[u.office.name, state_label(u.state), (u.report.reason or "") if u.report and
               u.state == ReportStatus.RETURNED else ""] for u in compiled.units], widths=(60, 40, 74))
    for _key, heading, items in compiled.sections():
        doc.heading(heading)
        if not items:
            doc.paragraph(_("No accepted report yet."), size=9, color=110)
        for office, text in items:
            doc.paragraph(f"【{office}】", size=10)
            doc.paragraph(text)
    doc.heading(_("Figures of the period"))
    columns = figure_columns()
    doc.grid([_("Reporting office")] + [header for _k, header in columns],
             [[u.office.name] + [figure(u.report.figures if u.report else None, key) for key, _h in columns]
              for u in compiled.units], widths=(24,) + (15,) * len(columns), size=7)
    return doc.render()
