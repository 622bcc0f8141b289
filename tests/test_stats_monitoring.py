"""The monitored cohort's aggregates (latest period with data) and the pipeline's figures equal direct
computations over the rows; the R&D targets read the cohort."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import (
    Enterprise,
    HumanTask,
    MonitoringPeriod,
    MonitoringProgramme,
    MonitoringReport,
    Office,
    User,
)


@pytest.fixture
def leaders(app, password_hash):
    def make(*codes: str) -> None:
        with app.app_context():
            for code in codes:
                db.session.add(User(username=f"leader-{code}", role="leader", region_code=code,
                                    password_hash=password_hash))
            db.session.commit()

    return make


# (username, region, tier, revenue, revenue_prior, rd_expense, employees, rd_staff, status)
FIRMS = [
    ("mo1", "220602", "province", 10_000_000, 8_000_000, 300_000, 100, 12, "submitted"),   # rd 3 %, staff 12 %
    ("mo2", "220602", "national", 50_000_000, 50_000_000, 500_000, 200, 10, "submitted"),  # rd 1 %, staff 5 %
    ("mo3", "220602", "city", 4_000_000, 5_000_000, 40_000, 40, 2, "submitted"),
    ("mo4", "220602", "province", None, None, None, None, None, "waiting"),
    ("mo5", "220104", "province", 20_000_000, 10_000_000, 2_000_000, 100, 50, "submitted"),  # another city
]


@pytest.fixture
def filed(app, enterprise):
    """One Jilin programme, an old period (2025 Q4) and the latest (2026 Q3), reports of five firms."""
    ids = {username: enterprise(username, region)[1]["id"] for username, region, *_rest in FIRMS}
    with app.app_context():
        office = db.session.scalar(db.select(Office).where(Office.code == "220000"))
        programme = MonitoringProgramme(region_code="220000", office_id=office.id)
        db.session.add(programme)
        db.session.flush()
        periods = []
        for year, seq, ends in ((2025, 4, date(2025, 12, 31)), (2026, 3, date(2026, 9, 30))):
            period = MonitoringPeriod(programme_id=programme.id, region_code="220000", office_id=office.id,
                                      year=year, frequency="quarterly", seq=seq, starts_on=date(year, 1, 1),
                                      ends_on=ends, due_on=ends + timedelta(days=20))
            db.session.add(period)
            periods.append(period)
        db.session.flush()
        old = MonitoringReport(period_id=periods[0].id, enterprise_id=ids["mo1"], region_code="220602",
                               sector="industry", tier="province", status="submitted", revenue=1, revenue_prior=1)
        db.session.add(old)
        for username, region, tier, revenue, prior, rd, employees, staff, status in FIRMS:
            db.session.add(MonitoringReport(
                period_id=periods[1].id, enterprise_id=ids[username], region_code=region, sector="industry",
                tier=tier, status=status, revenue=revenue, revenue_prior=prior, rd_expense=rd, employees=employees,
                rd_staff=staff))
        db.session.commit()


def test_cohort_of_the_latest_period(api, leaders, filed):
    leaders("220600", "220000")
    body = api.get("/api/v1/stats/monitoring", as_="leader-220600").get_json()
    assert body["period_end"] == "2026-09-30"
    assert (body["reports"], body["submitted"]) == (4, 3)
    assert body["response_rate"] == 0.75
    assert body["totals"]["revenue"] == 64_000_000 and body["totals"]["rd_expense"] == 840_000
    assert body["revenue_growth"] == round(64_000_000 / 63_000_000 - 1, 4)
    provincial = body["provincial"]  # mo1 and mo2 (national firms hold the provincial tier)
    assert provincial["firms"] == 2 and provincial["rd_2pct"] == 1 and provincial["rd_staff_10pct"] == 1
    assert provincial["rd_2pct_share"] == 0.5
    assert provincial["rd_intensity"] == round(800_000 / 60_000_000, 4)
    province = api.get("/api/v1/stats/monitoring", as_="leader-220000").get_json()
    assert (province["reports"], province["submitted"]) == (5, 4)
    assert province["provincial"]["rd_2pct"] == 2


def test_rd_targets_read_the_cohort(api, leaders, filed):
    leaders("220000")
    items = {t["metric"]: t for t in api.get("/api/v1/targets?year=2025", as_="leader-220000").get_json()["items"]}
    # Σrd / Σrevenue of the provincial cohort: (0.3 + 0.5 + 2.0) / (10 + 50 + 20) million = 3.5 %
    assert items["rd_intensity"]["actual"] == 3.5 and items["rd_intensity"]["status"] == "green"
    assert items["rd_staff_share"]["actual"] == round(72 / 400 * 100, 2)
    assert items["rd_staff_share"]["source"] == "monitoring"


def test_pipeline_figures(app, api, submitted, leaders):
    leaders("220600")
    first = submitted("city", "pa1", "220602")
    submitted("city", "pa2", "220602")
    submitted("city", "pa3", "220104")
    reviewer = "rev-220602"
    task = next(t for t in api.get("/api/v1/tasks", as_=reviewer).get_json()["items"]
                if t["application_id"] == first["id"])
    assert api.post(f"/api/v1/tasks/{task['id']}/decision", as_=reviewer,
                    json={"decision": "approve"}).status_code == 200
    with app.app_context():  # the other county task is overdue; the decided one took two days
        for row in db.session.scalars(db.select(HumanTask).where(HumanTask.region_code == "220602")):
            if row.state == "open" and row.step == "county_review":
                row.due_at = datetime.now(UTC) - timedelta(days=1)
            elif row.state == "completed":
                row.created_at = row.completed_at - timedelta(days=2)
        db.session.commit()
        open_here = db.session.scalar(db.select(db.func.count(HumanTask.id)).where(
            HumanTask.state == "open", HumanTask.region_code.startswith("2206")))
    body = api.get("/api/v1/stats/pipeline", as_="leader-220600").get_json()
    assert body["open"] == open_here == 2
    assert body["overdue"] == 1
    assert body["statuses"] == {"in_review": 2}
    county = next(s for s in body["steps"] if s["step"] == "county_review")
    assert (county["open"], county["overdue"], county["median_days"]) == (1, 1, 2.0)
    assert next(r for r in body["levels"] if r["lane"] == "county")["pass_rate"] == 1.0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Enterprise.id))) == 3


def test_dashboard_shows_the_cohort(user_client, leaders, filed):
    from tests.conftest import text

    leaders("220600")
    page = user_client("leader-220600").get("/dashboard/")
    assert page.status_code == 200
    shown = text(page)
    assert "2026-09-30" in shown and "75.0%" in shown  # response rate 3 of 4
    assert "50.0%" in shown  # one of the two provincial firms spends ≥ 2 % on R&D


def test_pipeline_statuses_count_open_ones_and_those_ended_in_twelve_months(app, api, submitted, leaders):
    from app.models import Application

    leaders("220600")
    old, recent = submitted("city", "pb1", "220602"), submitted("city", "pb2", "220602")
    submitted("city", "pb3", "220602")
    with app.app_context():
        for application_id, days in ((old["id"], 400), (recent["id"], 30)):
            row = db.session.get(Application, application_id)
            row.status = "rejected"
            row.updated_at = datetime.now(UTC) - timedelta(days=days)
        db.session.commit()
    body = api.get("/api/v1/stats/pipeline", as_="leader-220600").get_json()
    assert body["statuses"] == {"in_review": 1, "rejected": 1}
