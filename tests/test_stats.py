"""Statistics of the register: every figure equals a direct count over the register, in the caller's scope."""

from __future__ import annotations

import pytest
from sqlalchemy import func

from app.extensions import db
from app.models import Enterprise, Recognition, User


@pytest.fixture
def leaders(app, password_hash):
    """Leader accounts (领导小组) of the given regions."""

    def make(*codes: str) -> None:
        with app.app_context():
            for code in codes:
                db.session.add(User(username=f"leader-{code}", role="leader", region_code=code,
                                    password_hash=password_hash))
            db.session.commit()

    return make


@pytest.fixture
def register_data(enterprise, grant):
    """Recognitions across two provinces and several cities and sectors."""
    enterprise("bs1", "220602")
    enterprise("bs2", "220602", "construction")
    enterprise("cc1", "220104")
    enterprise("cc2", "220104", "agriculture")
    enterprise("jc1", "140502")
    enterprise("jh1", "320831")
    grant("bs1", "province")
    grant("bs1", "city")
    grant("bs2", "city")
    grant("cc1", "province")
    grant("cc2", "seed")
    grant("jc1", "city")
    grant("jh1", "national")


def direct(app, prefix: str = "", **where) -> int:
    with app.app_context():
        query = db.select(func.count(Recognition.id)).join(Enterprise, Enterprise.id == Recognition.enterprise_id)
        query = query.where(Enterprise.region_code.startswith(prefix),
                            Recognition.status.in_(("active", "under_review", "expired")))
        for key, value in where.items():
            model = Recognition if key == "tier" else Enterprise
            query = query.where(getattr(model, key) == value)
        return db.session.scalar(query)


def test_group_by_tier_region_year_equals_direct_counts(app, api, register_data):
    r = api.get("/api/v1/stats/recognitions?group_by=tier,region,year", as_="admin")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["group_by"] == ["tier", "region", "year"]
    assert body["total"] == direct(app) == 7
    # admin: regions roll up to provinces by default
    by = {(i["tier"], i["region_code"]): i["count"] for i in body["items"]}
    assert by[("city", "220000")] == direct(app, "22", tier="city") == 2
    assert by[("national", "320000")] == 1
    assert {i["region"] for i in body["items"]} >= {"吉林省", "山西省", "江苏省"}
    assert all(i["year"] == body["items"][0]["year"] for i in body["items"])


def test_leader_scope_and_roll_up(app, api, leaders, register_data):
    leaders("220000", "220600", "140500")
    r = api.get("/api/v1/stats/recognitions?group_by=region", as_="leader-220000")
    assert r.status_code == 200
    items = {i["region_code"]: i["count"] for i in r.get_json()["items"]}
    assert items == {"220600": direct(app, "2206"), "220100": direct(app, "2201")} == {"220600": 3, "220100": 2}
    r = api.get("/api/v1/stats/recognitions?group_by=sector,tier&level=county", as_="leader-220600")
    body = r.get_json()
    assert body["total"] == 3
    assert {(i["sector"], i["tier"]): i["count"] for i in body["items"]} == {
        ("industry", "province"): 1, ("industry", "city"): 1, ("construction", "city"): 1}
    # a city leader never sees another city: asking for it is 404; another province's figures never show
    assert api.get("/api/v1/stats/recognitions?group_by=tier&region=220100", as_="leader-220600").status_code == 404
    body = api.get("/api/v1/stats/recognitions?group_by=tier", as_="leader-140500").get_json()
    assert body["total"] == direct(app, "1405") == 1


def test_filters_and_bad_keys(app, api, register_data):
    r = api.get("/api/v1/stats/recognitions?group_by=region&tier=city&level=city", as_="admin")
    assert {i["region_code"]: i["count"] for i in r.get_json()["items"]} == {"220600": 2, "140500": 1}
    r = api.get("/api/v1/stats/recognitions?group_by=tier,colour", as_="admin")
    assert r.status_code == 422
    assert r.get_json()["error"]["code"] == "invalid"
    assert api.get("/api/v1/stats/recognitions?group_by=tier&tier=gold", as_="admin").status_code == 422
    assert api.get("/api/v1/stats/recognitions?group_by=tier&region=999999", as_="admin").status_code == 422


def test_only_leaders_offices_and_admin(api, register_data):
    assert api.get("/api/v1/stats/recognitions?group_by=tier", as_="bs1").status_code == 403
    assert api.get("/api/v1/stats/recognitions?group_by=tier").status_code == 401
    r = api.get("/api/v1/stats/recognitions?group_by=tier", as_="rev-220000-construction")
    assert r.get_json()["total"] == 1  # a sector department reads its sector


def test_status_sets(app, api, register_data):
    with app.app_context():
        entry = db.session.scalar(db.select(Recognition).where(Recognition.tier == "national"))
        entry.status = "revoked"
        other = db.session.scalar(db.select(Recognition).where(Recognition.tier == "seed"))
        other.status = "expired"
        db.session.commit()
    stock = api.get("/api/v1/stats/recognitions?group_by=tier", as_="admin").get_json()
    assert stock["total"] == 6  # a revoked entry is not cultivated stock; an expired one is
    held = api.get("/api/v1/stats/recognitions?group_by=tier&status=held", as_="admin").get_json()
    assert held["total"] == 5
    assert api.get("/api/v1/stats/recognitions?group_by=tier&status=all", as_="admin").get_json()["total"] == 7


def test_the_dashboards_breakdown_sums_to_the_same_counts(app, leaders, register_data):
    """The page reads the register once (stats.Breakdown); its sums equal the grouped counts of the API."""
    from app.reporting import stats

    leaders("220000")
    with app.test_request_context():
        for username in ("admin", "leader-220000"):
            user = db.session.scalar(db.select(User).where(User.username == username))
            counts = stats.Breakdown(user)
            for key in stats.GROUP_KEYS:
                assert counts.by(key) == stats.recognitions(user, [key])["items"], (username, key)
            assert counts.ranked() == stats.ranked_regions(user)
        year = db.session.scalar(db.select(Recognition.valid_from)).year
        assert counts.tiers(year, "stock") == counts.tiers(year, "new") == {"province": 2, "city": 2, "seed": 1}
        assert counts.tiers(year - 1, "stock") == {}
