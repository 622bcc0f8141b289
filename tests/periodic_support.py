"""Helpers for the periodic report tests: the reporter and leader accounts, opening a period."""

from __future__ import annotations

from app.extensions import db


def add_accounts(app, password_hash: str) -> None:
    """The shipped report schedules, the demo's reporters (a city's general office) and the leaders the tests use."""
    from app.models import Office, User
    from app.reporting import periodic_schedules

    with app.app_context():
        periodic_schedules.ensure_shipped()  # as `flask seed-demo` / `flask deploy-shipped` do
        for city in ("220100", "220600", "140500", "320800"):
            office = db.session.scalar(db.select(Office).where(Office.code == city))
            db.session.add(User(username=f"reporter-{city}", role="reporter", office_id=office.id,
                                region_code=city, password_hash=password_hash))
        for region in ("220000", "140000", "220600"):
            db.session.add(User(username=f"leader-{region}", role="leader", region_code=region,
                                password_hash=password_hash))
        db.session.commit()


def open_period(api, key: str = "jilin_srdi_dispatch", year: int = 2026, frequency: str = "year", seq: int = 1,
                as_: str = "admin") -> dict[str, dict]:
    """Open a period now through the API; office code → report JSON."""
    r = api.post(f"/api/v1/report-schedules/{key}/periods", as_=as_,
                 json={"year": year, "frequency": frequency, "seq": seq})
    assert r.status_code == 201, r.get_json()
    return {item["office"]["code"]: item for item in r.get_json()["items"]}


SECTIONS = {
    "achievements": "本季度新认定省级专精特新中小企业3户，梯度培育库新增企业12户。",
    "measures": "组织服务秘书走访企业40余次，协调解决融资、用地问题8件。",
    "methods": "建立“一企一策”培育台账，按月跟踪企业研发投入变化。",
    "policies": "出台市级专精特新企业首贷贴息政策，单户贴息最高20万元。",
}
