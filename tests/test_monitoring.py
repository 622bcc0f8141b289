"""Monitoring (运行监测): programmes, periods opened by hand and by the cycle process, filing, alerts driven by
the BPMN's gateway condition, reminders and overdue flags, response rates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db
from tests.conftest import run_worker

FIGS = {"revenue": 8_000_000, "revenue_prior": 10_000_000, "main_revenue": 7_000_000, "total_profit": -100_000,
        "tax_paid": 200_000, "rd_expense": 500_000, "rd_expense_prior": 400_000, "exports": 0, "financing": 0,
        "employees": 80, "rd_staff": 12, "patents": 5}


def setup_programmes(app) -> None:
    from app.monitoring import programmes

    with app.app_context():
        programmes.ensure_shipped()
        db.session.commit()


def open_jilin(app, year: int = 2026, seq: int = 3) -> int:
    from app.models import MonitoringProgramme
    from app.monitoring import periods

    with app.app_context():
        programme = db.session.scalar(db.select(MonitoringProgramme).where(MonitoringProgramme.region_code == "220000"))
        period = periods.open_period(programme, year, seq)
        db.session.commit()
        return period.id


def reports_of(app, period_id: int) -> dict[str, dict]:
    from app.models import MonitoringReport

    with app.app_context():
        return {r.enterprise.name: {"id": r.id, "status": r.status, "tier": r.tier, "alerts": r.alerts,
                                    "follow_up": r.follow_up, "region": r.region_code}
                for r in db.session.scalars(db.select(MonitoringReport).where(MonitoringReport.period_id == period_id))}


def test_coverage_follows_the_recognizing_jurisdiction(app, enterprise, grant, enter_library):
    enterprise("prov", "220602", name="省级企业")
    enterprise("city", "220602", name="市级企业")
    enterprise("chc", "220104", name="长春企业")
    enterprise("jinhu", "320831", name="金湖企业")
    enterprise("none", "220602", name="未认定企业")
    grant("prov", "province")
    grant("city", "city")
    grant("chc", "seed")
    enter_library("jinhu")
    setup_programmes(app)
    jilin = open_jilin(app)
    assert set(reports_of(app, jilin)) == {"省级企业", "长春企业"}
    assert reports_of(app, jilin)["省级企业"]["tier"] == "province"
    from app.models import MonitoringProgramme
    from app.monitoring import periods

    with app.app_context():
        baishan = db.session.scalar(db.select(MonitoringProgramme).where(MonitoringProgramme.region_code == "220600"))
        jinhu = db.session.scalar(db.select(MonitoringProgramme).where(MonitoringProgramme.region_code == "320831"))
        b, j = periods.open_period(baishan, 2026, 3).id, periods.open_period(jinhu, 2026, 3).id
        db.session.commit()
    assert set(reports_of(app, b)) == {"市级企业"}
    assert set(reports_of(app, j)) == {"金湖企业"}
    assert reports_of(app, j)["金湖企业"]["tier"] is None


def test_filing_and_the_alert_rule(app, api, enterprise, grant):
    enterprise("prov", "220602", name="省级企业")
    grant("prov", "province")
    setup_programmes(app)
    period_id = open_jilin(app)
    report = reports_of(app, period_id)["省级企业"]
    r = api.get("/api/v1/monitoring/reports", as_="prov")
    assert r.status_code == 200, r.get_json()
    r = api.post(f"/api/v1/monitoring/reports/{report['id']}", as_="prov", json=FIGS)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "submitted"
    assert body["changes"]["revenue_change"] == -0.2
    assert body["alerts"] == ["revenue_drop"] and body["follow_up"] == "open"
