"""Monitoring periods: a programme opens one per month, quarter, half or year (quarterly by default); opening it
gives every member the programme covers a report and starts the `monitoring_report` process for each. The
`monitoring_cycle` process opens each period when it ends; the programme's office may open one by hand
(the current period too, for figures so far). Opening a period twice answers 409."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _

from app.core import audit, workdays
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.vocabulary import MonitoringFrequency
from app.extensions import db
from app.models import MonitoringPeriod, MonitoringProgramme, MonitoringReport, User
from app.monitoring import programmes
from app.workflow import instances

PROCESS = "monitoring_report"
PER_YEAR = {"monthly": 12, "quarterly": 4, "half_year": 2, "year": 1}


def bounds(frequency: str, year: int, seq: int) -> tuple[date, date]:
    """First and last day of the `seq`-th period of `year` (the 3rd quarter: 1 July to 30 September)."""
    months = 12 // PER_YEAR[frequency]
    first = date(year, (seq - 1) * months + 1, 1)
    after = date(year + 1, 1, 1) if seq == PER_YEAR[frequency] else date(year, seq * months + 1, 1)
    return first, after - timedelta(days=1)


def containing(frequency: str, day: date) -> tuple[int, int]:
    """(year, seq) of the period that holds `day`."""
    return day.year, (day.month - 1) // (12 // PER_YEAR[frequency]) + 1


def previous(frequency: str, day: date) -> tuple[int, int]:
    """(year, seq) of the last period that ended before `day`."""
    return containing(frequency, bounds(frequency, *containing(frequency, day))[0] - timedelta(days=1))


def due_on(programme: MonitoringProgramme, ends_on: date) -> date:
    """The due day: the programme's working days after the period's last day."""
    end = datetime.combine(ends_on, time(12), tzinfo=workdays.CHINA)
    return workdays.add_working_days(end, max(programme.due_working_days, 1)).date()


def label(period: MonitoringPeriod) -> str:
    """2026年第3季度, 2026年上半年… in the reader's language."""
    if period.frequency == "quarterly":
        return _("%(year)s Q%(seq)s", year=period.year, seq=period.seq)
    if period.frequency == "monthly":
        return _("%(year)s month %(seq)s", year=period.year, seq=period.seq)
    if period.frequency == "half_year":
        return _("%(year)s H%(seq)s", year=period.year, seq=period.seq)
    return _("Year %(year)s", year=period.year)


def open_period(programme: MonitoringProgramme, year: int, seq: int, *,
                user: User | None = None) -> MonitoringPeriod:
    """Open the period (409 when it is open already): a report and a process for every covered member."""
    if db.session.scalar(db.select(MonitoringPeriod.id).where(
            MonitoringPeriod.programme_id == programme.id, MonitoringPeriod.year == year,
            MonitoringPeriod.frequency == programme.frequency, MonitoringPeriod.seq == seq)) is not None:
        raise Conflict(_("This monitoring period is open already."), code="duplicate")
    starts_on, ends_on = bounds(programme.frequency, year, seq)
    period = MonitoringPeriod(programme_id=programme.id, region_code=programme.region_code,
                              office_id=programme.office_id, year=year, frequency=programme.frequency, seq=seq,
                              starts_on=starts_on, ends_on=ends_on, due_on=due_on(programme, ends_on),
                              status="open", created_by_id=user.id if user else None)
    db.session.add(period)
    db.session.flush()
    members = programmes.members(programme)
    for member in members:
        enterprise = member.enterprise
        report = MonitoringReport(
            period_id=period.id, enterprise_id=enterprise.id,
            recognition_id=member.recognition.id if member.recognition else None,
            membership_id=member.membership.id if member.membership else None,
            region_code=enterprise.region_code, sector=enterprise.sector,
            tier=member.recognition.tier if member.recognition else None,
            library_key=member.membership.library_key if member.membership else None, status="waiting")
        db.session.add(report)
        db.session.flush()
        instances.start("monitoring_report", report, PROCESS)
    audit.record("monitoring_period_opened", actor=user, office_id=programme.office_id,
                 subject=("monitoring_period", period.id),
                 details={"year": year, "seq": seq, "frequency": programme.frequency, "members": len(members),
                          "due_on": period.due_on.isoformat()})
    return period


def open_by_office(user: User, values: dict[str, Any]) -> MonitoringPeriod:
    """The programme's office opens a period that has begun: `{"year", "seq"}` (default: the period just
    ended); 422 per field, 409 when it is open already."""
    programme = next((p for p in programmes.active_programmes() if programmes.runs(user, p)), None)
    if programme is None:
        raise Forbidden(_("Only the office that runs a monitoring programme can open its periods."))
    today = workdays.china_date()
    last_year, last_seq = previous(programme.frequency, today)
    errors: dict[str, str] = {}
    year, seq = values.get("year", last_year), values.get("seq", last_seq)
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors["year"] = _("a year such as 2026")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= PER_YEAR[programme.frequency]:
        errors["seq"] = _("a period from 1 to %(n)s", n=PER_YEAR[programme.frequency])
    if not errors and bounds(programme.frequency, year, seq)[0] > today:
        errors["seq"] = _("this period has not begun yet")
    if errors:
        raise Invalid(_("The period cannot be opened; check the marked fields."), fields=errors)
    return open_period(programme, year, seq, user=user)


def open_ended(programme: MonitoringProgramme, now: datetime) -> int:
    """The cycle's step: open the period that ended last (leave it be when the office opened it already); a
    worker that runs days late still opens the period that ended, not the one under way."""
    year, seq = previous(programme.frequency, workdays.china_date(now))
    existing = db.session.scalar(db.select(MonitoringPeriod.id).where(
        MonitoringPeriod.programme_id == programme.id, MonitoringPeriod.year == year,
        MonitoringPeriod.frequency == programme.frequency, MonitoringPeriod.seq == seq))
    return existing if existing is not None else open_period(programme, year, seq).id


def current_end(programme: MonitoringProgramme, now: datetime) -> str:
    """When the current period ends (the start of the next day, China time), for the cycle's timer."""
    _start, ends_on = bounds(programme.frequency, *containing(programme.frequency, workdays.china_date(now)))
    return datetime.combine(ends_on + timedelta(days=1), time(0), tzinfo=workdays.CHINA).isoformat()


# --- reading -----------------------------------------------------------------------------------------

def visible_periods(user: User) -> list[MonitoringPeriod]:
    ids = [p.id for p in programmes.visible_to(user)]
    if not ids:
        return []
    return list(db.session.scalars(db.select(MonitoringPeriod).where(MonitoringPeriod.programme_id.in_(ids))
                                   .order_by(MonitoringPeriod.ends_on.desc(), MonitoringPeriod.id.desc())))


def get_for(user: User, period_id: Any) -> MonitoringPeriod:
    """A period of a programme the user sees; 404 for anything else (outside the jurisdiction too)."""
    period = db.session.get(MonitoringPeriod, period_id) if isinstance(period_id, int) else None
    if period is None or period.programme_id not in {p.id for p in programmes.visible_to(user)}:
        raise NotFound(_("Monitoring period not found."))
    return period


def area_of(period: MonitoringPeriod, region_code: str) -> str:
    """The region one level below the programme's that holds `region_code` (a province's cities, a city's
    counties; a county's own)."""
    level = period.region.level
    if level == "province":
        return region_code[:4] + "00"
    if level == "national":
        return region_code[:2] + "0000"
    return region_code


def rate(period: MonitoringPeriod, within: str = "", sector: str | None = None) -> dict[str, Any]:
    """Response rate overall and per area: members, submitted, waiting, missed, alerts, open follow-ups (of the
    reports whose region code starts with `within`, of `sector` for a sector department)."""
    from app.models import Region

    def empty() -> dict[str, Any]:
        return {"members": 0, "submitted": 0, "waiting": 0, "missed": 0, "alerts": 0, "follow_ups_open": 0}

    total, areas = empty(), {}
    rows = db.session.execute(db.select(MonitoringReport.region_code, MonitoringReport.status,
                                        MonitoringReport.alerts, MonitoringReport.follow_up)
                              .where(MonitoringReport.period_id == period.id,
                                     MonitoringReport.region_code.startswith(within),
                                     *([MonitoringReport.sector == sector] if sector else [])))
    for region_code, status, alerts, follow_up in rows:
        area = areas.setdefault(area_of(period, region_code), empty())
        for bucket in (total, area):
            bucket["members"] += 1
            bucket[status] += 1
            bucket["alerts"] += bool(alerts)
            bucket["follow_ups_open"] += follow_up == "open"
    for bucket in (total, *areas.values()):
        bucket["response_rate"] = round(bucket["submitted"] / bucket["members"], 4) if bucket["members"] else None
    names = {r.code: r.name for r in db.session.scalars(db.select(Region).where(Region.code.in_(list(areas))))}
    return total | {"by_region": [{"region_code": code, "region": names.get(code, code)} | areas[code]
                                  for code in sorted(areas)]}


def to_dict(period: MonitoringPeriod, *, with_rate: bool = False, within: str = "",
            sector: str | None = None) -> dict[str, Any]:
    body = {"id": period.id, "programme_id": period.programme_id, "region_code": period.region_code,
            "region": period.region.name, "office": period.office.to_dict(), "year": period.year,
            "frequency": period.frequency, "seq": period.seq, "label": label(period),
            "starts_on": period.starts_on.isoformat(), "ends_on": period.ends_on.isoformat(),
            "due_on": period.due_on.isoformat(), "status": period.status,
            "created_at": period.created_at.isoformat()}
    if with_rate:
        body["rate"] = rate(period, within, sector)
    return body


assert set(PER_YEAR) == set(MonitoringFrequency.values())
