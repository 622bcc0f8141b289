"""`flask seed-demo`: the demo data shows every kind of waiting step, and running it again adds nothing."""

from __future__ import annotations


def test_seed_demo_fills_inboxes_panels_and_the_public_notice(app, api):
    from app import demo
    from app.extensions import db
    from app.models import Application, HumanTask, User

    with app.app_context():
        demo.seed()
        db.session.commit()
        counts = (db.session.scalar(db.select(db.func.count(Application.id))),
                  db.session.scalar(db.select(db.func.count(User.id))))
        demo.seed()
        db.session.commit()
        assert (db.session.scalar(db.select(db.func.count(Application.id))),
                db.session.scalar(db.select(db.func.count(User.id)))) == counts
        experts = db.session.scalars(db.select(User.username).where(User.role == "expert")).all()
        assert sorted(experts) == [f"expert-{n}" for n in range(1, 7)]
        scored = db.session.scalar(db.select(db.func.count(HumanTask.id)).where(
            HumanTask.step == "expert_review", HumanTask.state == "completed"))
        assert scored == 6  # two panels of three
    # MIIT holds the Jinhu national application, with the panel's result on the province's task
    national = api.get("/api/v1/tasks", as_="rev-100000").get_json()["items"]
    assert [t["step"] for t in national] == ["national_review"]
    # the Jincheng province-tier application is under public notice
    notices = api.get("/api/v1/notices").get_json()["items"]
    assert [(n["region"], n["target_tier"]) for n in notices] == [("山西省 晋城市 城区", "province")]
    application = api.get(f"/api/v1/applications/{notices[0]['application_id']}", as_="admin").get_json()
    assert application["current_step"] == "public_notice" and application["current_office"]["code"] == "140000"
    # the Changchun construction firm waits at the provincial construction department
    assert [t["step"] for t in api.get("/api/v1/tasks", as_="rev-220000-construction").get_json()["items"]] == [
        "province_review"]


def test_demo_has_the_jilin_sector_departments_the_changchun_construction_offices_and_second_reviewers(app, api):
    from app import demo
    from app.extensions import db
    from app.models import Office, RoutingRule, User

    with app.app_context():
        demo.seed()
        db.session.commit()
        codes = set(db.session.scalars(db.select(Office.code)))
        assert {"220000", "220000-agriculture", "220000-construction", "220000-commerce", "220000-culture_tourism",
                "220000-energy", "220100-construction", "220104-construction"} <= codes
        users = set(db.session.scalars(db.select(User.username).where(User.role == "reviewer")))
        assert {f"rev-{code}" for code in codes} <= users
        provincial = {o.code for o in db.session.scalars(db.select(Office)) if o.region.level == "province"}
        assert {f"rev-{code}-b" for code in provincial} <= users
        rules = {(r.lane, r.region_code, r.sector, r.office.code) for r in db.session.scalars(db.select(RoutingRule))}
        assert rules == {("province", "220000", s, f"220000-{s}")
                         for s in ("agriculture", "construction", "commerce", "culture_tourism", "energy")}
    # both provincial reviewers of a department log in with the demo password
    for username in ("rev-220000-commerce", "rev-220000-commerce-b", "rev-220104-construction"):
        r = api.post("/api/v1/auth/token", json={"username": username, "password": "demo12345"})
        assert r.status_code == 200 and r.get_json()["user"]["role"] == "reviewer"


def test_demo_has_the_register_a_library_member_and_an_open_campaign(app, api):
    """ent-provincial holds an active provincial recognition, so its national application passes the ladder;
    the Jinhu firm is in the county library; Jilin's province office runs a re-verification campaign."""
    from app import demo
    from app.extensions import db

    with app.app_context():
        demo.seed()
        db.session.commit()
    mine = api.get("/api/v1/recognitions", as_="ent-provincial").get_json()["items"]
    assert [(r["tier"], r["status"], r["office"]["code"]) for r in mine] == [("province", "active", "220000")]
    assert mine[0]["tier_label"] == "省级“专精特新”中小企业"  # Jilin's own name (001 §二(一)3)
    r = api.post("/api/v1/applications", as_="ent-provincial", json={"target_tier": "national", "data": {}})
    assert r.status_code == 201, r.get_json()
    members = api.get("/api/v1/libraries/jinhu_county/members", as_="rev-320831").get_json()["items"]
    assert [m["enterprise"]["name"] for m in members] == ["金湖华宁仪表股份有限公司"]
    assert members[0]["source"] == "application"
    campaigns = api.get("/api/v1/campaigns", as_="rev-220000").get_json()["items"]
    assert len(campaigns) == 1 and campaigns[0]["status"] == "open" and campaigns[0]["due_on"].endswith("-04-30")
    assert campaigns[0]["progress"]["members"] == 1
    cases = api.get(f"/api/v1/campaigns/{campaigns[0]['id']}", as_="rev-220000").get_json()["cases"]
    assert cases[0]["enterprise"]["name"] == "白山鸿图新材料科技有限公司" and cases[0]["status"] == "open"


def test_library_members_are_listed_for_its_offices_and_the_members_own_entry_only(app, api):
    from app import demo
    from app.extensions import db

    with app.app_context():
        demo.seed()
        db.session.commit()
    path = "/api/v1/libraries/jinhu_county/members"
    for office in ("rev-320831", "rev-320800", "rev-320000", "rev-100000"):  # the county and every office above
        body = api.get(path, as_=office).get_json()
        assert body["total"] == 1 and body["items"][0]["enterprise"]["name"] == "金湖华宁仪表股份有限公司", office
    for outsider in ("rev-220602", "expert-1"):
        assert api.get(path, as_=outsider).status_code == 403
    assert api.get(path, as_="ent-jinhu").get_json()["total"] == 1
    assert api.get(path, as_="ent-baishan").get_json() == {"items": [], "total": 0}
    assert api.get(path + "?status=gone", as_="rev-320831").status_code == 422


def test_demo_rewards_budgets_and_the_provincial_firms_claim(app, api):
    from app import demo
    from app.extensions import db

    with app.app_context():
        demo.seed()
        db.session.commit()
        demo.seed()  # again: no second budget
        db.session.commit()
    claims = api.get("/api/v1/reward-claims", as_="ent-provincial").get_json()["items"]
    assert [(c["policy"], c["amount"], c["status"]) for c in claims] == [("jilin_province_first", 200_000,
                                                                          "in_review")]
    fund = api.get(f"/api/v1/reward-claims/{claims[0]['id']}", as_="rev-220000").get_json()["fund"]
    assert fund == "jilin_sme"
    funds = {f: api.get(f"/api/v1/funds/{i}", as_="admin").get_json() for f, i in (("jilin", 1), ("baishan", 2))}
    assert funds["jilin"]["balances"] == {"budget": 20_000_000, "committed": 200_000, "paid": 0,
                                          "available": 19_800_000}
    assert funds["baishan"]["balances"]["budget"] == 2_000_000


def test_a_fresh_demo_has_an_open_expert_task_and_seed_demo_names_the_experts(app, api):
    from app.extensions import db
    from app.models import Application, Enterprise

    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("Open expert panel tasks"))
    waiting = line.split(": ", 1)[1].split(", ")
    assert len(waiting) == 3 and all(name.startswith("expert-") for name in waiting)
    assert "expert-2" not in waiting  # the Baishan expert never reviews a Baishan firm
    with app.app_context():
        application_id = db.session.scalar(db.select(Application.id).join(Enterprise).where(
            Enterprise.name == "白山云杉电子科技有限公司"))
    for expert in waiting:
        items = api.get("/api/v1/tasks", as_=expert).get_json()["items"]
        assert [t["application_id"] for t in items] == [application_id]
