"""Monitoring (运行监测): programmes, periods opened by hand and by the cycle process, filing, alerts driven by
the BPMN's gateway condition, reminders and overdue flags, response rates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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


def test_cycle_opens_each_period_when_it_ends(app, enterprise, grant):
    """The monitoring_cycle BPMN waits on a timer until the period ends, then opens it; the worker fires it."""
    from app.models import MonitoringPeriod, MonitoringProgramme
    from app.monitoring import operations, periods

    enterprise("prov", "220602", name="省级企业")
    grant("prov", "province")
    setup_programmes(app)
    with app.app_context():
        assert operations.start_cycles() == 3
        assert operations.start_cycles() == 0  # idempotent
        db.session.commit()
        jilin = db.session.scalar(db.select(MonitoringProgramme).where(MonitoringProgramme.region_code == "220000"))
        from app.core.workdays import china_date

        year, seq = periods.containing("quarterly", china_date())
        _start, ends_on = periods.bounds("quarterly", year, seq)
        jilin_id = jilin.id
    run_worker(app, datetime.combine(ends_on, datetime.min.time(), tzinfo=UTC) - timedelta(hours=9))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MonitoringPeriod.id))) == 0
    # the worker runs three days late: it still opens the period that ended
    after = datetime.combine(ends_on + timedelta(days=4), datetime.min.time(), tzinfo=UTC)
    run_worker(app, after)
    with app.app_context():
        opened = list(db.session.scalars(db.select(MonitoringPeriod).where(MonitoringPeriod.programme_id == jilin_id)))
        assert [(p.year, p.seq) for p in opened] == [(year, seq)]
    assert set(reports_of(app, opened[0].id)) == {"省级企业"}
    run_worker(app, after)  # nothing more until the next period ends
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MonitoringPeriod.id)).where(
            MonitoringPeriod.programme_id == jilin_id)) == 1


def test_reminder_and_overdue_timers_then_late_filing(app, api, enterprise, grant):
    from app.models import HumanTask, MonitoringPeriod, Notification

    enterprise("prov", "220602", name="省级企业")
    grant("prov", "province")
    setup_programmes(app)
    from app.core.workdays import china_date

    today = china_date()
    year, seq = (today.year, (today.month - 1) // 3 + 1)
    period_id = open_jilin(app, year, seq)
    report = reports_of(app, period_id)["省级企业"]
    with app.app_context():
        due_on = db.session.get(MonitoringPeriod, period_id).due_on
        task = db.session.scalar(db.select(HumanTask).where(HumanTask.subject_type == "monitoring_report"))
        assert task.kind == "monitoring_data" and task.office_id is None
        assert task.due_at.astimezone(UTC).date() in (due_on, due_on - timedelta(days=1))
    before_due = datetime.combine(due_on, datetime.min.time(), tzinfo=UTC) - timedelta(days=2)

    def watched() -> tuple[bool, bool]:
        with app.app_context():
            row = db.session.get(HumanTask, task_id)
            return row.reminded_at is not None, row.escalated_at is not None

    task_id = task.id
    assert watched() == (False, False)
    assert run_worker(app, before_due)["reminded"] >= 1
    assert watched() == (True, False)
    assert reports_of(app, period_id)["省级企业"]["status"] == "waiting"
    assert run_worker(app, datetime.combine(due_on, datetime.min.time(), tzinfo=UTC) + timedelta(days=1))["escalated"]
    assert watched() == (True, True)
    assert reports_of(app, period_id)["省级企业"]["status"] == "missed"
    with app.app_context():
        assert db.session.get(HumanTask, task_id).state == "open"  # it may still be filed late
        assert db.session.scalar(db.select(db.func.count(Notification.id)).where(Notification.kind == "overdue")) >= 1
    listed = api.get("/api/v1/monitoring/reports", as_="prov").get_json()["items"]
    assert listed[0]["status"] == "missed"
    good = dict(FIGS, revenue=10_500_000)
    r = api.post(f"/api/v1/monitoring/reports/{report['id']}", as_="prov", json=good)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "submitted" and r.get_json()["alerts"] == []
    assert r.get_json()["follow_up"] is None
    r = api.post(f"/api/v1/monitoring/reports/{report['id']}", as_="prov", json=good)
    assert r.status_code == 409


def test_validation_per_field_changes_nothing(app, api, enterprise, grant):
    enterprise("prov", "220602", name="省级企业")
    grant("prov", "province")
    setup_programmes(app)
    period_id = open_jilin(app)
    report = reports_of(app, period_id)["省级企业"]
    bad = dict(FIGS, revenue=-1, rd_staff=81, tax_paid=1.5, employees=None, bogus=1)
    r = api.post(f"/api/v1/monitoring/reports/{report['id']}", as_="prov", json=bad)
    assert r.status_code == 422
    fields = r.get_json()["error"]["fields"]
    assert set(fields) == {"revenue", "tax_paid", "employees", "bogus"}
    r = api.post(f"/api/v1/monitoring/reports/{report['id']}", as_="prov",
                 json=dict(FIGS, rd_staff=81, main_revenue=20_000_000))
    assert set(r.get_json()["error"]["fields"]) == {"rd_staff", "main_revenue"}
    assert "不能" in r.get_json()["error"]["fields"]["rd_staff"]
    assert reports_of(app, period_id)["省级企业"]["status"] == "waiting"
    enterprise("other", "220602", name="别家")
    assert api.post(f"/api/v1/monitoring/reports/{report['id']}", as_="other", json=FIGS).status_code == 404
    assert api.post(f"/api/v1/monitoring/reports/{report['id']}", as_="rev-220000", json=FIGS).status_code == 403


def test_the_alert_rule_is_the_bpmn_condition(app, api, enterprise, grant):
    """An admin changes the gateway's condition in a new version: new reports follow the new rule."""
    from pathlib import Path

    from app.workflow import definitions

    enterprise("prov", "220602", name="省级企业")
    grant("prov", "province")
    setup_programmes(app)
    xml = Path("workflows/monitoring_report.bpmn").read_text(encoding="utf-8")
    stricter = xml.replace("revenue_change &lt;= -0.2", "revenue_change &lt;= -0.5")
    assert stricter != xml
    with app.app_context():
        definitions.deploy("monitoring_report", stricter, comment="test: only a halving alerts")
        db.session.commit()
    period_id = open_jilin(app)
    report = reports_of(app, period_id)["省级企业"]
    r = api.post(f"/api/v1/monitoring/reports/{report['id']}", as_="prov", json=FIGS)  # down 20 %
    assert r.status_code == 200 and r.get_json()["alerts"] == [] and r.get_json()["follow_up"] is None
    with app.app_context():
        definitions.deploy("monitoring_report", xml.replace(
            "revenue_change is not None and revenue_change &lt;= -0.2",
            "total_profit is not None and total_profit &lt; 0"), comment="test: losses alert")
        db.session.commit()
    period_id = open_jilin(app, 2026, 2)
    report = reports_of(app, period_id)["省级企业"]
    r = api.post(f"/api/v1/monitoring/reports/{report['id']}", as_="prov", json=dict(FIGS, revenue=10_000_000))
    assert r.get_json()["follow_up"] == "open"  # no revenue drop, but a loss: the new rule


def test_follow_up_by_the_county_and_response_rates(app, api, enterprise, grant):
    from app.models import HumanTask, Office

    for name, region, tier in (("p-a", "220602", "province"), ("p-b", "220602", "province"),
                               ("p-c", "220104", "province"), ("p-d", "220104", "national")):
        enterprise(name, region, name=name)
        grant(name, tier)
    setup_programmes(app)
    period_id = open_jilin(app)
    reps = reports_of(app, period_id)
    assert api.post(f"/api/v1/monitoring/reports/{reps['p-a']['id']}", as_="p-a", json=FIGS).status_code == 200
    ok = dict(FIGS, revenue=12_000_000, main_revenue=9_000_000)
    assert api.post(f"/api/v1/monitoring/reports/{reps['p-c']['id']}", as_="p-c", json=ok).status_code == 200
    with app.app_context():
        task = db.session.scalar(db.select(HumanTask).where(HumanTask.kind == "follow_up", HumanTask.state == "open"))
        assert db.session.get(Office, task.office_id).code == "220602"  # the county of the enterprise
    r = api.get(f"/api/v1/monitoring/periods/{period_id}/responses", as_="rev-220000")
    body = r.get_json()
    assert body["total"] == 4
    assert {k: body["rate"][k] for k in ("members", "submitted", "waiting", "missed", "alerts", "follow_ups_open",
                                         "response_rate")} == {
        "members": 4, "submitted": 2, "waiting": 2, "missed": 0, "alerts": 1, "follow_ups_open": 1,
        "response_rate": 0.5}
    by_region = {row["region_code"]: row for row in body["rate"]["by_region"]}
    assert by_region["220600"]["submitted"] == 1 and by_region["220600"]["members"] == 2
    assert by_region["220100"]["response_rate"] == 0.5 and by_region["220100"]["alerts"] == 0
    filtered = api.get(f"/api/v1/monitoring/periods/{period_id}/responses?status=waiting&region=220100",
                       as_="rev-220000").get_json()
    assert [i["enterprise"]["name"] for i in filtered["items"]] == ["p-d"]
    assert api.get(f"/api/v1/monitoring/periods/{period_id}/responses", as_="rev-140000").status_code == 404
    periods_list = api.get("/api/v1/monitoring/periods", as_="rev-140000").get_json()
    assert periods_list["total"] == 0
    county = api.get(f"/api/v1/monitoring/periods/{period_id}/responses", as_="rev-220104").get_json()
    assert [i["enterprise"]["name"] for i in county["items"]] == ["p-c", "p-d"]
    assert (county["rate"]["members"], county["rate"]["submitted"]) == (2, 1)
    assert api.get("/api/v1/monitoring/periods", as_="rev-220000").get_json()["total"] == 1
    # the county follows up; the city cannot
    url = f"/api/v1/monitoring/reports/{reps['p-a']['id']}/follow-up"
    assert api.post(url, as_="rev-220600", json={"note": "x"}).status_code == 409
    assert api.post(url, as_="rev-220602", json={"note": " "}).status_code == 422
    r = api.post(url, as_="rev-220602", json={"note": "订单转移，已协调银行续贷"})
    assert r.status_code == 200 and r.get_json()["follow_up"] == "done"
    rate = api.get(f"/api/v1/monitoring/periods/{period_id}/responses", as_="rev-220000").get_json()["rate"]
    assert rate["follow_ups_open"] == 0 and rate["alerts"] == 1


def test_office_opens_a_period_once(app, api, enterprise, grant):
    enterprise("prov", "220602", name="省级企业")
    grant("prov", "province")
    setup_programmes(app)
    assert api.post("/api/v1/monitoring/periods", as_="rev-220602", json={}).status_code == 403
    r = api.post("/api/v1/monitoring/periods", as_="rev-220000", json={"year": 2026, "seq": 2})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["rate"]["members"] == 1 and r.get_json()["label"]
    assert api.post("/api/v1/monitoring/periods", as_="rev-220000", json={"year": 2026, "seq": 2}).status_code == 409
    r = api.post("/api/v1/monitoring/periods", as_="rev-220000", json={"year": 2099, "seq": 5})
    assert r.status_code == 422 and "seq" in r.get_json()["error"]["fields"]


def test_demo_monitoring(app, api):
    from app import demo

    with app.app_context():
        demo.seed()
        db.session.commit()
        demo.seed()
        db.session.commit()
    listed = api.get("/api/v1/monitoring/periods", as_="rev-220000").get_json()
    assert listed["total"] == 2 and len(listed["programmes"]) == 2  # Jilin and Baishan
    mine = api.get("/api/v1/monitoring/reports", as_="ent-provincial").get_json()["items"]
    assert [r["status"] for r in mine] == ["waiting", "submitted"]
    assert mine[1]["alerts"] == ["revenue_drop"] and mine[1]["follow_up"] == "open"
    county = api.get(f"/api/v1/monitoring/periods/{mine[1]['period']['id']}/responses?alert=1",
                     as_="rev-220602").get_json()  # the county reads its own part of the province's period
    assert county["total"] == 1 and county["rate"]["follow_ups_open"] == 1
    assert api.get(f"/api/v1/monitoring/periods/{mine[1]['period']['id']}/responses",
                   as_="rev-140502").status_code == 404
    r = api.post(f"/api/v1/monitoring/reports/{mine[1]['id']}/follow-up", as_="rev-220602",
                 json={"note": "企业反映订单下滑"})
    assert r.status_code == 200

