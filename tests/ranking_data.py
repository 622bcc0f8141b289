"""Data for the rankings tests: the shipped schemes, leading-group accounts, register entries on given days,
Jilin's monitoring reports, and the hand-checked data set of Jilin's two demo cities."""

from __future__ import annotations

from datetime import date

from app.extensions import db

WAN = 10_000


def ship(app) -> None:
    from app.reporting import rankings

    with app.app_context():
        rankings.ensure_shipped()
        db.session.commit()


def add_leader(app, password_hash: str, region_code: str) -> str:
    """A read-only leading group (领导小组) account of a region."""
    from app.models import User

    with app.app_context():
        db.session.add(User(username=f"leader-{region_code}", role="leader", region_code=region_code,
                            password_hash=password_hash))
        db.session.commit()
    return f"leader-{region_code}"


def this_year() -> int:
    from app.core import workdays

    return workdays.china_date().year


def enterprise_id(app, username: str) -> int:
    from app.models import User

    with app.app_context():
        return db.session.scalar(db.select(User.enterprise_id).where(User.username == username))


def record(app, username: str, tier: str, on: date) -> int:
    """A register entry on a given day (the register's own service)."""
    from app.lifecycle import register
    from app.models import User

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        entry = register.record(user.enterprise, tier, register.recognizing_office(tier, user.enterprise), on=on,
                                valid_years=3, source="test")
        db.session.commit()
        return entry.id


def revoke(app, recognition_id: int) -> None:
    from app.core import workdays
    from app.lifecycle import register
    from app.models import Recognition

    with app.app_context():
        register.revoke(db.session.get(Recognition, recognition_id), "虚假材料", workdays.china_date())
        db.session.commit()


def monitoring(app, year: int, reports: list[tuple]) -> None:
    """Jilin's monitoring programme with Q3 and Q4 of `year`; reports (username, quarter, tier, status,
    revenue, revenue_prior, rd_expense, rd_expense_prior) in 万元."""
    from app.models import Enterprise, MonitoringPeriod, MonitoringProgramme, MonitoringReport, Office, User

    with app.app_context():
        office = db.session.scalar(db.select(Office).where(Office.code == "220000"))
        programme = MonitoringProgramme(region_code="220000", office_id=office.id, frequency="quarterly",
                                        due_working_days=15)
        db.session.add(programme)
        db.session.flush()
        periods = {}
        for seq, (start, end) in {3: (date(year, 7, 1), date(year, 9, 30)),
                                  4: (date(year, 10, 1), date(year, 12, 31))}.items():
            periods[seq] = MonitoringPeriod(programme_id=programme.id, region_code="220000", office_id=office.id,
                                            year=year, frequency="quarterly", seq=seq, starts_on=start,
                                            ends_on=end, due_on=end, status="open")
            db.session.add(periods[seq])
        db.session.flush()
        for username, seq, tier, status, revenue, revenue_prior, rd, rd_prior in reports:
            firm = db.session.scalar(db.select(Enterprise).join(User, User.enterprise_id == Enterprise.id)
                                     .where(User.username == username))
            db.session.add(MonitoringReport(
                period_id=periods[seq].id, enterprise_id=firm.id, region_code=firm.region_code, sector=firm.sector,
                tier=tier, status=status, revenue=revenue and revenue * WAN,
                revenue_prior=revenue_prior and revenue_prior * WAN, rd_expense=rd and rd * WAN,
                rd_expense_prior=rd_prior and rd_prior * WAN))
        db.session.commit()


def build_jilin(app, enterprise, grant) -> int:
    """Jilin's two demo cities this year:
    长春 (朝阳区 220104): cc1, cc2 recognized provincial this year; cc3 provincial last year (not this year's).
    白山 (浑江区 220602): bs1 provincial this year, bs2 provincial this year but revoked, bs3 city-level this
    year, bs4 national this year (白山's first 小巨人: its 零突破); no national ever in 长春.
    Year-end (Q4) monitoring, 万元 — 长春: cc1 revenue 1200/1000, R&D 120/100; cc2 600/500, 50/50;
    cc1's Q3 report (900/100) is not the year end. 白山: bs1 1100/1000, R&D 90/60; bs3's Q4 report is still
    waiting; a library member without a tier (bs5: 5000/1000) is not in the recognized cohort."""
    year = this_year()
    for name, region in (("cc1", "220104"), ("cc2", "220104"), ("cc3", "220104"), ("bs1", "220602"),
                         ("bs2", "220602"), ("bs3", "220602"), ("bs4", "220602"), ("bs5", "220602")):
        enterprise(name, region, name=f"{name}测试有限公司")
    grant("cc1", "province")
    grant("cc2", "province")
    record(app, "cc3", "province", date(year - 1, 6, 1))
    grant("bs1", "province")
    revoke(app, grant("bs2", "province"))
    grant("bs3", "city")
    grant("bs4", "national")
    monitoring(app, year, [
        ("cc1", 4, "province", "submitted", 1200, 1000, 120, 100),
        ("cc2", 4, "province", "submitted", 600, 500, 50, 50),
        ("cc1", 3, "province", "submitted", 900, 100, 90, 10),
        ("bs1", 4, "province", "submitted", 1100, 1000, 90, 60),
        ("bs3", 4, "city", "waiting", None, None, None, None),
        ("bs5", 4, None, "submitted", 5000, 1000, 500, 100),
    ])
    return year
