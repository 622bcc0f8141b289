"""Periodic reports (定期调度, 000 §四(三)): the due rule, opening by the worker, filing, the province's
decision, the figures, scope."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.core import workdays
from app.extensions import db
from tests.conftest import run_worker
from tests.periodic_support import SECTIONS, add_accounts, open_period


@pytest.fixture(autouse=True)
def accounts(app, password_hash):
    add_accounts(app, password_hash)


def china(*args) -> datetime:
    return datetime(*args, tzinfo=workdays.CHINA)


def test_due_rule_last_week_and_last_working_day(app_ctx):
    from app.reporting.periodic_schedules import period, periods

    q3 = period(2023, "quarterly", 3)  # 30 Sep 2023 is a Saturday inside the Mid-Autumn / National Day holiday
    assert (q3.starts_on, q3.ends_on, q3.opens_on, q3.due_on) == (
        date(2023, 7, 1), date(2023, 9, 30), date(2023, 9, 24), date(2023, 9, 28))
    assert period(2024, "quarterly", 1).due_on == date(2024, 3, 29)  # 31 Mar 2024: a Sunday
    assert period(2023, "year", 1).due_on == date(2023, 12, 29)  # 31 Dec 2023: a Sunday
    assert period(2026, "half_year", 1).due_on == date(2026, 6, 30)  # a Tuesday: the last day itself
    # each quarter, half-year and year end: where periods end together the longest wins
    assert [(p.frequency, p.seq, p.ends_on) for p in periods(["quarterly", "half_year", "year"], 2026)] == [
        ("quarterly", 1, date(2026, 3, 31)), ("half_year", 1, date(2026, 6, 30)),
        ("quarterly", 3, date(2026, 9, 30)), ("year", 1, date(2026, 12, 31))]


def test_the_worker_opens_each_due_report_once(app, api):
    from app.models import HumanTask, PeriodicReport

    assert run_worker(app, china(2026, 12, 20, 10)).get("periodic_reports_opened", 0) == 0  # before the last week
    counts = run_worker(app, china(2026, 12, 25, 10))
    assert counts["periodic_reports_opened"] == 4  # 长春, 白山 → 吉林; 晋城 → 山西; 淮安 → 江苏 (Jinhu's is inactive)
    assert "periodic_reports_opened" not in run_worker(app, china(2026, 12, 28, 10))  # idempotent
    with app.app_context():
        rows = db.session.scalars(db.select(PeriodicReport).order_by(PeriodicReport.office_id)).all()
        assert {(r.frequency, r.seq, r.year, r.opens_on, r.due_on, r.status) for r in rows} == {
            ("year", 1, 2026, date(2026, 12, 25), date(2026, 12, 31), "open")}
        tasks = db.session.scalars(db.select(HumanTask).where(HumanTask.subject_type == "periodic_report")).all()
        assert len(tasks) == 4 and {t.kind for t in tasks} == {"periodic_report"}
        assert {t.office.code for t in tasks} == {"220100", "220600", "140500", "320800"}
        assert all(workdays.china_date(t.due_at) == date(2026, 12, 31) for t in tasks)
        assert all(t.application_id is None for t in tasks)  # never in the application inbox
    # the city's reviewer does not see the reporter's task in its inbox
    assert api.get("/api/v1/tasks", as_="rev-220600").get_json()["total"] == 0
    # reminder the working day before, then the overdue flag after the due day
    assert run_worker(app, china(2026, 12, 30, 10))["reminded"] == 4
    assert run_worker(app, china(2027, 1, 4, 10))["escalated"] == 4
    r = api.get("/api/v1/periodic-reports", as_="reporter-220600").get_json()
    assert r["total"] == 1 and r["items"][0]["overdue"] is True


def test_reporter_fills_and_submits_province_returns_then_accepts(app, api):
    reports = open_period(api)
    assert set(reports) == {"220100", "220600"}
    rid = reports["220600"]["id"]
    r = api.put(f"/api/v1/periodic-reports/{rid}", as_="reporter-220600", json={"achievements": "草稿"})
    assert r.status_code == 200 and r.get_json()["sections"]["achievements"] == "草稿"
    # each heading is required at submission, nothing changes on refusal
    r = api.post(f"/api/v1/periodic-reports/{rid}/submit", as_="reporter-220600")
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == set(SECTIONS)
    assert "工作成果" in r.get_json()["error"]["fields"]["achievements"]
    r = api.put(f"/api/v1/periodic-reports/{rid}", as_="reporter-220600", json={"measures": "长" * 5001})
    assert r.status_code == 422 and "5000" in r.get_json()["error"]["fields"]["measures"]
    # another city's reporter cannot see it; the city's reviewer cannot file it
    assert api.put(f"/api/v1/periodic-reports/{rid}", as_="reporter-220100", json=SECTIONS).status_code == 404
    assert api.post(f"/api/v1/periodic-reports/{rid}/submit", as_="rev-220600").status_code in (403, 404)
    r = api.post(f"/api/v1/periodic-reports/{rid}/submit", as_="reporter-220600", json=SECTIONS)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "submitted" and body["waiting"]["office"]["code"] == "220000"
    assert body["waiting"]["decisions"] == ["approve", "return"]
    assert api.put(f"/api/v1/periodic-reports/{rid}", as_="reporter-220600", json=SECTIONS).status_code == 409
    # the province returns with a reason (required)
    r = api.post(f"/api/v1/periodic-reports/{rid}/decision", as_="rev-220000", json={"decision": "return"})
    assert r.status_code == 422
    r = api.post(f"/api/v1/periodic-reports/{rid}/decision", as_="rev-220000",
                 json={"decision": "return", "comment": "请补充典型案例"})
    assert r.status_code == 200 and r.get_json()["status"] == "returned"
    r = api.get(f"/api/v1/periodic-reports/{rid}", as_="reporter-220600").get_json()
    assert r["reason"] == "请补充典型案例" and r["waiting"]["step"] == "report_revise"
    r = api.post(f"/api/v1/periodic-reports/{rid}/submit", as_="reporter-220600",
                 json={"methods": SECTIONS["methods"] + "典型案例：某企业获评小巨人。"})
    assert r.status_code == 200 and r.get_json()["status"] == "submitted"
    assert api.post(f"/api/v1/periodic-reports/{rid}/decision", as_="rev-220600",
                    json={"decision": "approve"}).status_code == 404  # a city reviewer: not its report
    r = api.post(f"/api/v1/periodic-reports/{rid}/decision", as_="rev-220000", json={"decision": "approve"})
    assert r.status_code == 200 and r.get_json()["status"] == "accepted" and r.get_json()["waiting"] is None
    assert api.post(f"/api/v1/periodic-reports/{rid}/decision", as_="rev-220000",
                    json={"decision": "approve"}).status_code == 409


def test_figures_equal_direct_counts(app, api, enterprise, grant, submitted):
    from app.models import (
        Application,
        Enterprise,
        MonitoringPeriod,
        MonitoringProgramme,
        MonitoringReport,
        Office,
        Recognition,
    )

    enterprise("baishan-a", "220602")
    grant("baishan-a", "province")
    grant("baishan-a", "city")
    enterprise("changchun-a", "220104")
    grant("changchun-a", "seed")
    submitted("city", username="baishan-b", region_code="220602")
    with app.app_context():  # a monitoring period of this year with two Baishan members, one filed
        office = db.session.scalar(db.select(Office).where(Office.code == "220600"))
        programme = MonitoringProgramme(region_code="220600", office_id=office.id)
        db.session.add(programme)
        db.session.flush()
        today = workdays.china_date()
        mp = MonitoringPeriod(programme_id=programme.id, region_code="220600", office_id=office.id, year=today.year,
                              frequency="quarterly", seq=1, starts_on=date(today.year, 1, 1),
                              ends_on=date(today.year, 3, 31), due_on=date(today.year, 4, 20))
        db.session.add(mp)
        db.session.flush()
        ids = db.session.scalars(db.select(Enterprise.id).where(Enterprise.region_code == "220602")
                                 .order_by(Enterprise.id)).all()
        for n, eid in enumerate(ids):
            db.session.add(MonitoringReport(period_id=mp.id, enterprise_id=eid, region_code="220602",
                                            sector="industry", status="submitted" if n == 0 else "waiting"))
        db.session.commit()
    reports = open_period(api, year=workdays.china_date().year)
    baishan = api.get(f"/api/v1/periodic-reports/{reports['220600']['id']}", as_="reporter-220600").get_json()
    with app.app_context():
        in_city = db.select(Enterprise.id).where(Enterprise.region_code.in_(("220600", "220602")))
        direct = {tier: db.session.scalar(db.select(db.func.count()).select_from(Recognition).where(
            Recognition.enterprise_id.in_(in_city), Recognition.tier == tier)) for tier in
            ("seed", "city", "province", "national")}
        apps = db.session.scalar(db.select(db.func.count()).select_from(Application).where(
            Application.enterprise_id.in_(in_city), Application.submitted_at.is_not(None)))
    assert baishan["figures"]["recognitions"] == direct == {"seed": 0, "city": 1, "province": 1, "national": 0}
    assert baishan["figures"]["applications_submitted"] == apps == 1
    assert baishan["figures"]["applications_in_review"] == 1
    assert baishan["figures"]["monitoring"] == {"total": 2, "submitted": 1, "rate": 0.5}
    changchun = api.get(f"/api/v1/periodic-reports/{reports['220100']['id']}", as_="admin").get_json()
    assert changchun["figures"]["recognitions"]["seed"] == 1 and changchun["figures"]["monitoring"] is None


def test_scope_other_province_gets_404(app, api):
    rid = open_period(api)["220600"]["id"]
    for outsider in ("reporter-140500", "leader-140000", "rev-140000", "reporter-220100"):
        assert api.get(f"/api/v1/periodic-reports/{rid}", as_=outsider).status_code == 404, outsider
    for insider in ("leader-220000", "rev-220000", "leader-220600", "reporter-220600", "admin"):
        assert api.get(f"/api/v1/periodic-reports/{rid}", as_=insider).status_code == 200, insider
    assert api.get("/api/v1/periodic-reports", as_="leader-140000").get_json()["total"] == 0
    assert api.get("/api/v1/periodic-reports", as_="leader-220000").get_json()["total"] == 2
    # only the receiving office or the admin opens a period
    r = api.post("/api/v1/report-schedules/jilin_srdi_dispatch/periods", as_="rev-140000",
                 json={"year": 2026, "frequency": "year", "seq": 1})
    assert r.status_code == 404
    r = api.post("/api/v1/report-schedules/jilin_srdi_dispatch/periods", as_="rev-220000",
                 json={"year": 2026, "frequency": "quarterly", "seq": 3})
    assert r.status_code == 201 and r.get_json()["total"] == 2
    r = api.post("/api/v1/report-schedules/jilin_srdi_dispatch/periods", as_="rev-220000",
                 json={"year": 2026, "frequency": "quarterly", "seq": 3})
    assert r.status_code == 201 and r.get_json()["total"] == 0  # opened once
    r = api.post("/api/v1/report-schedules/jilin_srdi_dispatch/periods", as_="admin",
                 json={"year": 2026, "frequency": "quarterly", "seq": 5})
    assert r.status_code == 422


def test_demo_opens_a_quarter_and_submits_changchun(app, api):
    from app import demo

    with app.app_context():
        demo.seed()
        db.session.commit()
        demo.seed()  # idempotent
        db.session.commit()
    mine = api.get("/api/v1/periodic-reports", as_="reporter-220600").get_json()["items"]
    assert [(r["frequency"], r["status"]) for r in mine] == [("quarterly", "open")]
    theirs = api.get("/api/v1/periodic-reports", as_="reporter-220100").get_json()["items"]
    assert [r["status"] for r in theirs] == ["submitted"]
    waiting = api.get("/api/v1/periodic-reports?status=submitted", as_="rev-220000").get_json()["items"]
    assert len(waiting) == 1 and waiting[0]["waiting"]["office"]["code"] == "220000"


def test_shipped_schedules(app_ctx):
    from app.reporting import periodic_schedules

    stored = {s.key: s for s in periodic_schedules.schedules(active_only=False)}
    assert {k: (s.recipient.code, [u.office.code for u in s.units], s.active) for k, s in stored.items()} == {
        "jilin_srdi_dispatch": ("220000", ["220100", "220600"], True),
        "shanxi_srdi_dispatch": ("140000", ["140500"], True),
        "jiangsu_srdi_dispatch": ("320000", ["320800"], True),
        "jinhu_quarterly_bulletin": ("320800", ["320831"], False)}
    assert all(s.clause.startswith(("000 §四(三)", "004 §四(一)")) for s in stored.values())
    assert periodic_schedules.ensure_shipped() == 0  # stored once


def test_the_province_review_has_its_deadline_and_overdue_flag(app, api):
    from datetime import UTC, timedelta

    from app.models import HumanTask

    rid = open_period(api)["220600"]["id"]
    assert api.post(f"/api/v1/periodic-reports/{rid}/submit", as_="reporter-220600", json=SECTIONS).status_code == 200
    waiting = api.get(f"/api/v1/periodic-reports/{rid}", as_="rev-220000").get_json()["waiting"]
    assert waiting["step"] == "report_review" and waiting["due_at"] is not None
    counts = run_worker(app, datetime.now(UTC) + timedelta(days=30))
    assert counts["reminded"] >= 1 and counts["escalated"] >= 1
    with app.app_context():
        task = db.session.get(HumanTask, waiting["task_id"])
        assert task.reminded_at is not None and task.escalated_at is not None
    notes = api.get("/api/v1/notifications", as_="rev-220000").get_json()["items"]
    assert any("逾期" in n["message"] or "Overdue" in n["message"] for n in notes)


def test_unknown_fields_and_stale_versions_change_nothing(api):
    rid = open_period(api)["220600"]["id"]
    r = api.put(f"/api/v1/periodic-reports/{rid}", as_="reporter-220600", json={"achievement": "拼写错误"})
    assert r.status_code == 422 and "achievement" in r.get_json()["error"]["fields"]
    version = api.get(f"/api/v1/periodic-reports/{rid}", as_="reporter-220600").get_json()["lock_version"]
    r = api.put(f"/api/v1/periodic-reports/{rid}", as_="reporter-220600",
                json={"achievements": "第一次保存", "lock_version": version})
    assert r.status_code == 200
    r = api.put(f"/api/v1/periodic-reports/{rid}", as_="reporter-220600",
                json={"achievements": "过期版本", "lock_version": version})
    assert r.status_code == 409
    body = api.get(f"/api/v1/periodic-reports/{rid}", as_="reporter-220600").get_json()
    assert body["sections"]["achievements"] == "第一次保存"


def test_deploy_shipped_stores_the_schedules_once(app):
    from app.models import ReportSchedule

    with app.app_context():
        db.session.execute(db.text("DELETE FROM report_schedule_unit"))  # as on a new installation
        db.session.execute(db.text("DELETE FROM report_schedule"))
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["deploy-shipped"])
    assert result.exit_code == 0 and "report schedules stored" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ReportSchedule)) == 4
    assert "report schedules" not in runner.invoke(args=["deploy-shipped"]).output
