"""What a review of the monitoring and reporting code found: a firm recognized again after its entry expired is
counted once; a sector department reads its own sector's monitoring reports only and its region-wide targets do
not drill into a sector-limited list; the compiled provincial report is for the recipient office; an absurd
amount is a form error, not a crash."""

from __future__ import annotations

from app.extensions import db
from tests.test_monitoring import open_jilin, setup_programmes


def test_a_firm_recognized_again_after_expiry_is_counted_once(app, api, enterprise, grant):
    from app.models import Recognition

    enterprise("acme", "220602", name="甲精密制造有限公司")
    first = grant("acme", "province")
    with app.app_context():  # the expiry pass ended the first entry; the firm was recognized again later
        db.session.get(Recognition, first).status = "expired"
        db.session.commit()
    grant("acme", "province")
    body = api.get("/api/v1/stats/recognitions?group_by=tier", as_="admin").get_json()
    assert body["items"] == [{"tier": "province", "region_code": None, "region": None, "year": None,
                              "sector": None, "count": 1}], body


def test_a_sector_department_reads_its_own_sector_of_a_period(app, api, enterprise, grant):
    setup_programmes(app)
    enterprise("acme", "220602", "industry", name="甲精密制造有限公司")
    enterprise("builder", "220104", "construction", name="乙建设工程有限公司")
    grant("acme", "province")
    grant("builder", "province")
    period = open_jilin(app)
    general = api.get(f"/api/v1/monitoring/periods/{period}/responses", as_="rev-220000").get_json()
    assert sorted(i["enterprise"]["name"] for i in general["items"]) == ["乙建设工程有限公司", "甲精密制造有限公司"]
    sector = api.get(f"/api/v1/monitoring/periods/{period}/responses", as_="rev-220000-construction").get_json()
    assert [i["enterprise"]["name"] for i in sector["items"]] == ["乙建设工程有限公司"]
    assert sector["rate"]["members"] == 1 and sector["total"] == 1
    other = next(i for i in general["items"] if i["sector"] == "industry")
    assert api.get(f"/api/v1/monitoring/reports/{other['id']}", as_="rev-220000-construction").status_code == 404


def test_region_wide_targets_do_not_drill_into_a_sector_list(app, api):
    from app.reporting import targets

    with app.app_context():
        targets.ensure_shipped()
        db.session.commit()
    general = api.get("/api/v1/targets?region=220000", as_="rev-220000").get_json()["items"]
    sector = api.get("/api/v1/targets?region=220000", as_="rev-220000-construction").get_json()["items"]
    assert any(t["drill"] for t in general) and sector and not any(t["drill"] for t in sector)


def test_an_absurd_amount_is_a_field_error():
    from app.monitoring.figures import wan_to_yuan

    assert wan_to_yuan("1e26") == "1e26" and wan_to_yuan("12.34") == 123400
