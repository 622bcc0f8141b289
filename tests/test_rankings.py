"""Rankings (考评, 001 §二(一)6, 002 §四(五)): a run of Jilin's city scheme equals a hand computation on data
built here; 零突破; who reads and who runs; runs keep their history; the API."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from tests.ranking_data import WAN, add_leader, build_jilin, record, ship, this_year


@pytest.fixture
def schemes(app):
    ship(app)


@pytest.fixture
def leader(app, password_hash):
    return lambda region_code: add_leader(app, password_hash, region_code)


@pytest.fixture
def jilin(app, schemes, enterprise, grant):
    """See ranking_data.build_jilin: the hand-checked data of 长春 and 白山 this year."""
    return build_jilin(app, enterprise, grant)


def test_a_run_of_jilins_scheme_equals_the_hand_computation(app, api, jilin):
    r = api.post(f"/api/v1/rankings/jilin_cities/{jilin}/runs", as_="rev-220000")
    assert r.status_code == 201, r.get_json()
    run = r.get_json()
    # by hand, weights 50 / 25 / 25 (workflows/rankings.json):
    # provincial recognitions this year: 长春 2 (cc1, cc2), 白山 1 (bs1; bs2 revoked) → scaled 100, 50
    # revenue growth: 长春 (1200+600)/(1000+500) − 1 = 0.2, 白山 1100/1000 − 1 = 0.1 → scaled 100, 50
    # R&D growth: 长春 (120+50)/(100+50) − 1 = 0.1333…, 白山 90/60 − 1 = 0.5 → scaled 26.67, 100
    changchun_rd = 170 / 150 - 1
    changchun = (50 * 100 + 25 * 100 + 25 * (changchun_rd / 0.5 * 100)) / 100  # 81.67
    baishan = (50 * 50 + 25 * 50 + 25 * 100) / 100  # 62.5
    assert [(i["rank"], i["region_code"], i["region"]) for i in run["items"]] == [
        (1, "220100", "长春市"), (2, "220600", "白山市")]
    by_code = {i["region_code"]: i for i in run["items"]}
    assert by_code["220100"]["score"] == pytest.approx(changchun, abs=0.005)
    assert by_code["220600"]["score"] == pytest.approx(baishan, abs=0.005)
    assert by_code["220100"]["inputs"]["recognitions_province"] == 2
    assert by_code["220600"]["inputs"]["recognitions_province"] == 1
    assert by_code["220100"]["inputs"]["revenue_growth"] == pytest.approx(0.2)
    assert by_code["220600"]["inputs"]["revenue_growth"] == pytest.approx(0.1)
    assert by_code["220100"]["inputs"]["rd_growth"] == pytest.approx(changchun_rd)
    assert by_code["220600"]["inputs"]["rd_growth"] == pytest.approx(0.5)
    assert by_code["220100"]["basis"]["revenue_growth"] == {"revenue": 1800 * WAN, "revenue_prior": 1500 * WAN,
                                                            "reports": 2}
    assert run["scheme"] == "jilin_cities" and run["year"] == jilin and run["level"] == "city"
    assert [(m["metric"], m["weight"]) for m in run["metrics"]] == [
        ("recognitions_province", 50), ("revenue_growth", 25), ("rd_growth", 25)]
    assert [c["region_code"] for c in run["commended"]] == ["220100", "220600"]  # top 3 of two cities
    # 零突破 at the national tier: 白山 got its first 小巨人 this year; 长春 has none
    assert run["breakthroughs"] == [{"region_code": "220600", "region": "白山市"}]
    assert run["zero_breakthrough"] == [{"region_code": "220100", "region": "长春市"}]
    assert by_code["220600"]["key_tier"] == {"in_year": 1, "before": 0}
    # the stored run answers the GET
    got = api.get(f"/api/v1/rankings/jilin_cities/{jilin}", as_="rev-220000").get_json()
    assert got["items"] == run["items"] and got["run_at"] == run["run_at"]


def test_last_years_recognitions_count_in_last_years_run_only(app, api, jilin):
    r = api.post(f"/api/v1/rankings/jilin_cities/{jilin - 1}/runs", as_="admin")
    assert r.status_code == 201
    items = {i["region_code"]: i for i in r.get_json()["items"]}
    assert items["220100"]["inputs"] == {"recognitions_province": 1, "revenue_growth": None, "rd_growth": None}
    assert items["220600"]["inputs"]["recognitions_province"] == 0
    # 1 of 1 provincial → 100 × 50 / 100; no monitoring that year
    assert (items["220100"]["score"], items["220600"]["score"]) == (50.0, 0.0)
    assert [c["region_code"] for c in r.get_json()["commended"]] == ["220100"]  # a score of 0 is not commended
    assert {z["region_code"] for z in r.get_json()["zero_breakthrough"]} == {"220100", "220600"}


def test_scaling_by_the_best_region_and_below_zero_growth():
    from app.reporting.ranking_runs import scale

    assert scale({"a": 2, "b": 1, "c": 0}) == {"a": 100.0, "b": 50.0, "c": 0.0}
    assert scale({"a": -0.1, "b": 0.3, "c": 0.1, "d": None}) == pytest.approx(
        {"a": 0.0, "b": 100.0, "c": 50.0, "d": 0.0})
    assert scale({"a": None, "b": None}) == {"a": 0.0, "b": 0.0}
    assert scale({"a": 0, "b": 0}) == {"a": 0.0, "b": 0.0}


def test_a_breakthrough_of_an_earlier_year_is_not_one_again(app, api, schemes, enterprise):
    year = this_year()
    enterprise("gone1", "220104")
    record(app, "gone1", "national", date(year - 2, 3, 1))
    run = api.post(f"/api/v1/rankings/jilin_cities/{year}/runs", as_="admin").get_json()
    assert run["breakthroughs"] == []
    assert run["zero_breakthrough"] == [{"region_code": "220600", "region": "白山市"}]
    earlier = api.post(f"/api/v1/rankings/jilin_cities/{year - 2}/runs", as_="admin").get_json()
    assert earlier["breakthroughs"] == [{"region_code": "220100", "region": "长春市"}]


def test_ties_share_a_rank_and_fall_to_the_first_metric(app, api, schemes, enterprise, grant):
    year = this_year()
    enterprise("tie1", "220104")
    enterprise("tie2", "220602")
    grant("tie1", "province")
    grant("tie2", "province")
    items = api.post(f"/api/v1/rankings/jilin_cities/{year}/runs", as_="admin").get_json()["items"]
    assert [(i["rank"], i["score"]) for i in items] == [(1, 50.0), (1, 50.0)]


def test_who_reads_and_who_runs(app, api, schemes, leader, enterprise):
    year = this_year()
    leader("220000")
    leader("220600")
    leader("220100")
    enterprise("someone", "220602")
    # runs: the admin and the province's general office; not a provincial sector department nor a city
    assert api.post(f"/api/v1/rankings/jilin_cities/{year}/runs", as_="rev-220000").status_code == 201
    assert api.post(f"/api/v1/rankings/jilin_cities/{year}/runs", as_="rev-220000-construction").status_code == 403
    assert api.post(f"/api/v1/rankings/jilin_cities/{year}/runs", as_="leader-220000").status_code == 403
    for outsider in ("rev-220100", "rev-140000", "leader-220100", "leader-220600", "someone", "expert-1"):
        assert api.post(f"/api/v1/rankings/jilin_cities/{year}/runs", as_=outsider).status_code == 404, outsider
        assert api.get(f"/api/v1/rankings/jilin_cities/{year}", as_=outsider).status_code == 404, outsider
    # reads: the jurisdiction's leading group and offices and those above
    for reader in ("leader-220000", "rev-220000-construction", "admin"):
        assert api.get(f"/api/v1/rankings/jilin_cities/{year}", as_=reader).status_code == 200, reader
    # Baishan's scheme: its city office runs it, Jilin's leading group reads it, a county does not
    assert api.post(f"/api/v1/rankings/baishan_counties/{year}/runs", as_="rev-220600").status_code == 201
    assert api.get(f"/api/v1/rankings/baishan_counties/{year}", as_="leader-220000").status_code == 200
    assert api.get(f"/api/v1/rankings/baishan_counties/{year}", as_="rev-220602").status_code == 404
    listed = {s["key"]: s for s in api.get("/api/v1/rankings", as_="leader-220600").get_json()["items"]}
    assert set(listed) == {"baishan_counties"} and listed["baishan_counties"]["years"] == [year]
    assert listed["baishan_counties"]["can_run"] is False
    assert {s["key"] for s in api.get("/api/v1/rankings", as_="leader-220000").get_json()["items"]} == {
        "jilin_cities", "baishan_counties"}
    assert api.get("/api/v1/rankings", as_="someone").get_json()["items"] == []
    assert api.get("/api/v1/rankings").status_code == 401


def test_bad_years_and_an_inactive_scheme_change_nothing(app, api, schemes):
    from app.models import RankingRun

    year = this_year()
    assert api.post(f"/api/v1/rankings/jilin_cities/{year + 1}/runs", as_="admin").status_code == 422
    assert api.post("/api/v1/rankings/jilin_cities/1999/runs", as_="admin").status_code == 422
    assert api.get(f"/api/v1/rankings/jilin_cities/{year}", as_="admin").status_code == 404  # not run yet
    assert api.get(f"/api/v1/rankings/nope/{year}", as_="admin").status_code == 404
    r = api.put("/api/v1/rankings/jilin_cities", as_="admin", json={"active": False})
    assert r.status_code == 200 and r.get_json()["active"] is False
    r = api.post(f"/api/v1/rankings/jilin_cities/{year}/runs", as_="admin")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "conflict"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(RankingRun.id))) == 0


def test_running_again_keeps_the_earlier_run_and_shows_the_latest(app, api, schemes, enterprise, grant):
    year = this_year()
    enterprise("hist1", "220602")
    grant("hist1", "province")
    first = api.post(f"/api/v1/rankings/jilin_cities/{year}/runs", as_="rev-220000").get_json()
    enterprise("hist2", "220104")
    enterprise("hist3", "220104")
    grant("hist2", "province")
    grant("hist3", "province")
    second = api.post(f"/api/v1/rankings/jilin_cities/{year}/runs", as_="rev-220000").get_json()
    assert second["id"] > first["id"]
    assert [i["region_code"] for i in first["items"]] == ["220600", "220100"]
    assert [i["region_code"] for i in second["items"]] == ["220100", "220600"]
    latest = api.get(f"/api/v1/rankings/jilin_cities/{year}", as_="admin").get_json()
    assert latest["id"] == second["id"]
    runs = api.get(f"/api/v1/rankings/jilin_cities/{year}/runs", as_="admin").get_json()["items"]
    assert [r["id"] for r in runs] == [second["id"], first["id"]]
    assert runs[1]["items"] == first["items"]  # the earlier run is kept as it was


def test_the_admin_edits_weights_and_bad_input_saves_nothing(app, api, schemes):
    from app.models import AuditEvent, RankingScheme

    bad = api.put("/api/v1/rankings/jilin_cities", as_="admin",
                  json={"weights": {"revenue_growth": 101, "rd_growth": -1}, "top_n": 0, "colour": "red"})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"weight_revenue_growth", "weight_rd_growth", "top_n", "colour"}
    zero = api.put("/api/v1/rankings/jilin_cities", as_="admin",
                   json={"weights": {"recognitions_province": 0, "revenue_growth": 0, "rd_growth": 0}})
    assert zero.status_code == 422 and "weights" in zero.get_json()["error"]["fields"]
    assert api.put("/api/v1/rankings/jilin_cities", as_="rev-220000", json={"top_n": 5}).status_code == 403
    with app.app_context():
        scheme = db.session.scalar(db.select(RankingScheme).where(RankingScheme.key == "jilin_cities"))
        assert [m["weight"] for m in scheme.metrics] == [50, 25, 25] and scheme.top_n == 3
    good = api.put("/api/v1/rankings/jilin_cities", as_="admin", json={"weights": {"revenue_growth": 30}, "top_n": 2})
    assert good.status_code == 200
    assert [m["weight"] for m in good.get_json()["metrics"]] == [50, 30, 25] and good.get_json()["top_n"] == 2
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "ranking_scheme_changed"))
        assert event.details["before"]["weights"]["revenue_growth"] == 25
        assert event.details["after"]["weights"]["revenue_growth"] == 30


def test_the_shipped_schemes_cite_their_clauses(app, api, schemes):
    items = {s["key"]: s for s in api.get("/api/v1/rankings", as_="admin").get_json()["items"]}
    assert items["jilin_cities"]["clause"].startswith("001 §二(一)6")
    assert items["jilin_cities"]["level"] == "city" and items["jilin_cities"]["region_code"] == "220000"
    assert items["baishan_counties"]["clause"].startswith("002 §四(五)")
    assert items["baishan_counties"]["level"] == "county"
    assert [m["metric"] for m in items["baishan_counties"]["metrics"]] == [
        "recognitions_national", "recognitions_province", "recognitions_city", "revenue_growth", "rd_growth"]
    assert all(s["note"] for s in items.values())  # the weights chosen where the seeds give none, explained


def test_the_demo_ships_the_schemes_and_runs_jilins_once(app, api):
    from app import demo
    from app.models import RankingRun, RankingScheme

    with app.app_context():
        demo.seed()
        db.session.commit()
        demo.seed()
        db.session.commit()
        assert set(db.session.scalars(db.select(RankingScheme.key))) == {"jilin_cities", "baishan_counties"}
        assert db.session.scalar(db.select(db.func.count(RankingRun.id))) == 1
    year = this_year()
    run = api.get(f"/api/v1/rankings/jilin_cities/{year}", as_="leader-220000").get_json()
    assert sorted(i["region_code"] for i in run["items"]) == ["220100", "220600"]
    with app.app_context():  # each count equals a direct count over the register (by the enterprise's city)
        from app.models import Enterprise, Recognition

        for item in run["items"]:
            direct = sum(1 for r in db.session.scalars(db.select(Recognition).join(Enterprise).where(
                Recognition.tier == "province", Enterprise.region_code.startswith(item["region_code"][:4])))
                if r.valid_from.year == year and r.status != "revoked")
            assert item["inputs"]["recognitions_province"] == direct


def test_baishans_county_scheme_weighs_three_tiers(app, api, schemes, enterprise, grant):
    from app.models import Region

    with app.app_context():  # a second county of Baishan, so that two are ranked
        db.session.add(Region(code="220605", name="江源区", level="county", parent_code="220600"))
        db.session.commit()
    for name, region in (("hj-national", "220602"), ("hj-city", "220602"), ("jy-prov1", "220605"),
                         ("jy-prov2", "220605"), ("jy-city", "220605"), ("cc-prov", "220104")):
        enterprise(name, region, name=f"{name}有限公司")
    grant("hj-national", "national")
    grant("hj-city", "city")
    grant("jy-prov1", "province")
    grant("jy-prov2", "province")
    grant("jy-city", "city")
    grant("cc-prov", "province")  # 长春: not Baishan's
    run = api.post(f"/api/v1/rankings/baishan_counties/{this_year()}/runs", as_="rev-220600").get_json()
    # by hand, weights national 25, provincial 20, city 15, revenue 20, R&D 20 (no monitoring: 0 on both):
    # 浑江区 national 1/1 → 100, provincial 0/2 → 0, city 1/1 → 100: (25×100 + 15×100) / 100 = 40
    # 江源区 national 0 → 0, provincial 2/2 → 100, city 1/1 → 100: (20×100 + 15×100) / 100 = 35
    assert [(i["rank"], i["region"], i["score"]) for i in run["items"]] == [(1, "浑江区", 40.0), (2, "江源区", 35.0)]
    assert run["items"][1]["inputs"] == {"recognitions_national": 0, "recognitions_province": 2,
                                         "recognitions_city": 1, "revenue_growth": None, "rd_growth": None}
    assert run["breakthroughs"] == [{"region_code": "220602", "region": "浑江区"}]
    assert run["zero_breakthrough"] == [{"region_code": "220605", "region": "江源区"}]
