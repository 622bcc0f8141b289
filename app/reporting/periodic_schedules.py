"""Report schedules (定期调度, 000 §四(三)) as data, and the calendar of their periods.

A schedule names the office that receives the reports (a province's general office), the offices that file
them (its cities' general offices) and how often: `quarterly`, `half_year`, `year`. Where periods end on the
same day the longest wins (000 §四(三): 每季度末、半年末、年终 — so June is the half-year report, December the
year-end report). The due rule is the policy's "last week of the period" (最后一周): a report opens on the
first day of the period's last seven days and is due on the period's last working day (Chinese calendar,
app/core/workdays).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from flask_babel import gettext as _

from app.core import workdays
from app.core.errors import Invalid
from app.core.vocabulary import ReportFrequency
from app.extensions import db
from app.models import Office, ReportSchedule, ReportScheduleUnit

SHIPPED = Path(__file__).resolve().parents[2] / "workflows" / "report_schedules.json"
LAST_WEEK_DAYS = 7
# the longer period wins where two end on the same day
WEIGHT = {ReportFrequency.QUARTERLY.value: 1, ReportFrequency.HALF_YEAR.value: 2, ReportFrequency.YEAR.value: 3}
ENDS = {  # frequency → (seq, first month, last month)
    ReportFrequency.QUARTERLY.value: [(1, 1, 3), (2, 4, 6), (3, 7, 9), (4, 10, 12)],
    ReportFrequency.HALF_YEAR.value: [(1, 1, 6), (2, 7, 12)],
    ReportFrequency.YEAR.value: [(1, 1, 12)],
}


@dataclass(frozen=True)
class Period:
    year: int
    frequency: str
    seq: int
    starts_on: date
    ends_on: date
    opens_on: date
    due_on: date


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


def last_working_day(ends_on: date) -> date:
    """The period's last working day: the end itself, or the working day before a weekend or holiday."""
    day = ends_on
    for _day in range(LAST_WEEK_DAYS):
        if workdays.is_workday(day):
            return day
        day -= timedelta(days=1)
    return ends_on  # no working day in the last week (never in the official calendar): the end itself


def period(year: int, frequency: str, seq: int) -> Period:
    """One period with its dates; 422 for a frequency or sequence that does not exist."""
    found = [(s, first, last) for s, first, last in ENDS.get(frequency, []) if s == seq]
    if not found or not 2000 <= year <= 2100:
        raise Invalid(_("No such reporting period."), fields={"period": _("unknown period")})
    _seq, first, last = found[0]
    ends_on = _month_end(year, last)
    return Period(year, frequency, seq, date(year, first, 1), ends_on,
                  ends_on - timedelta(days=LAST_WEEK_DAYS - 1), last_working_day(ends_on))


def periods(frequencies: list[str], year: int) -> list[Period]:
    """The periods a schedule reports on in `year`, in order; one per end date (the longest)."""
    by_end: dict[date, Period] = {}
    for frequency in frequencies:
        for seq, _first, _last in ENDS.get(frequency, []):
            found = period(year, frequency, seq)
            held = by_end.get(found.ends_on)
            if held is None or WEIGHT[frequency] > WEIGHT[held.frequency]:
                by_end[found.ends_on] = found
    return [by_end[end] for end in sorted(by_end)]


def current_periods(schedule: ReportSchedule, today: date) -> list[Period]:
    """The periods whose last week holds `today` (opened on `today` if not yet)."""
    return [p for p in periods(schedule.frequency_list, today.year) if p.opens_on <= today <= p.ends_on]


def period_name(frequency: str, seq: int) -> str:
    """"Q3", "First half", "Full year" in the reader's language."""
    if frequency == ReportFrequency.QUARTERLY:
        return _("Q%(seq)s", seq=seq)
    if frequency == ReportFrequency.HALF_YEAR:
        return _("First half") if seq == 1 else _("Second half")
    return _("Full year")


def label(p: Period | object) -> str:
    """"2026 Q3" (2026年第3季度), "2026 First half" (2026年上半年), "2026 Full year" (2026年全年)."""
    return _("%(year)s %(period)s", year=p.year, period=period_name(p.frequency, p.seq))  # type: ignore[attr-defined]


# --- the shipped schedules ---------------------------------------------------------------------------

def _office(code: str) -> Office | None:
    return db.session.scalar(db.select(Office).where(Office.code == code))


def ensure_shipped(path: Path = SHIPPED) -> int:
    """Store the shipped schedules whose key is not stored yet (an administrator's changes stay); a schedule
    whose offices do not exist (another installation's regions) is left out. How many were added."""
    added = 0
    for item in json.loads(path.read_text(encoding="utf-8")):
        if db.session.get(ReportSchedule, item["key"]) is not None:
            continue
        recipient = _office(item["recipient"])
        units = [office for code in item["units"] if (office := _office(code)) is not None]
        if recipient is None or not units:
            continue
        schedule = ReportSchedule(key=item["key"], name=item["name"], name_en=item["name_en"],
                                  recipient_office_id=recipient.id, frequencies=",".join(item["frequencies"]),
                                  clause=item["clause"], active=bool(item.get("active", True)))
        db.session.add(schedule)
        db.session.add_all(ReportScheduleUnit(schedule_key=schedule.key, office_id=o.id) for o in units)
        added += 1
    if added:
        db.session.flush()
    return added


def get(key: object) -> ReportSchedule | None:
    return db.session.get(ReportSchedule, key) if isinstance(key, str) else None


def schedules(active_only: bool = True) -> list[ReportSchedule]:
    """The stored schedules (`flask seed-demo` and `flask deploy-shipped` store the shipped ones)."""
    query = db.select(ReportSchedule).order_by(ReportSchedule.key)
    if active_only:
        query = query.where(ReportSchedule.active.is_(True))
    return list(db.session.scalars(query))
