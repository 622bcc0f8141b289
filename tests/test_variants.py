"""The shipped process variants (workflows/*.bpmn, bound in workflows/bindings.json) on the real engine.

Each variant runs for the applications its binding matches and for no other:
- recognition_jilin_construction_seed (000 §三): a Jilin construction firm's seed tier is decided by the
  provincial construction department after the county and the city;
- recognition_sector_national (001 §二(一)4): a Jilin sector firm's national application is recommended by
  the provincial SME authority after its sector department's review;
- jinhu_library_entry (004 §三(一), 附件2): Jinhu's county library entry is decided by the county.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from app.core.vocabulary import Decision
from app.extensions import db
from app.workflow import subjects
from tests.conftest import score_panel, task_for, text

WORKFLOWS = Path(__file__).resolve().parents[1] / "workflows"
VARIANTS = ("recognition_jilin_construction_seed", "recognition_sector_national", "jinhu_library_entry")
# processes about something else than an application
LIFECYCLE = ("reverification", "revocation", "reward_claim", "monitoring_cycle",
             "monitoring_report", "periodic_report", "uscc_claim", "problem")
SECTOR_DEPARTMENTS = ("agriculture", "construction", "commerce", "culture_tourism", "energy")


def decide(api, reviewer: str, application_id: int, decision: str = "approve", comment: str = "") -> dict:
    task = task_for(api, reviewer, application_id)
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_=reviewer,
                 json={"decision": decision, "comment": comment})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["application"]


def labels(task: dict) -> dict[str, str | None]:
    return {d["decision"]: d["label"] for d in task["decisions"]}


def running(api) -> dict[str, int]:
    """Live instances per definition key (what the admin's catalogue shows)."""
    items = api.get("/api/v1/process-definitions", as_="admin").get_json()["items"]
    return {d["key"]: sum(v["running"] for v in d["versions"]) for d in items if d["kind"] == "bpmn"
            and d["key"] not in LIFECYCLE}


def assert_waits(application: dict, step: str, office: str) -> None:
    assert application["status"] == "in_review", application
    assert (application["current_step"], application["current_office"]["code"]) == (step, office), application


# --- the shipped files -------------------------------------------------------------------------------

def test_variants_are_deployed_with_their_shipped_bindings(api):
    keys = {d["key"]: d for d in api.get("/api/v1/process-definitions", as_="admin").get_json()["items"]}
    for key in VARIANTS:
        assert keys[key]["kind"] == "bpmn" and keys[key]["active_version"] == 1
    shipped = json.loads((WORKFLOWS / "bindings.json").read_text(encoding="utf-8"))
    listed = api.get("/api/v1/process-bindings", as_="admin").get_json()["items"]
    assert sorted((sorted((b | {"id": None}).items()) for b in listed), key=str) == sorted(
        (sorted((b | {"id": None}).items()) for b in shipped), key=str)
    assert {b["definition_key"] for b in shipped} == set(VARIANTS) | {"recognition"}
    assert sorted(b["sector"] for b in shipped if b["definition_key"] == "recognition_sector_national") == sorted(
        SECTOR_DEPARTMENTS)


BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"
DI = "{http://www.omg.org/spec/DD/20100524/DI}"
SPIFF = "{http://spiffworkflow.org/bpmn/schema/1.0/core}"
NODES = ("startEvent", "endEvent", "userTask", "scriptTask", "serviceTask", "businessRuleTask", "exclusiveGateway",
         "eventBasedGateway", "intermediateCatchEvent", "boundaryEvent", "subProcess")


def _props(el) -> dict[str, str]:
    return {p.get("name"): p.get("value") for p in el.iter(f"{SPIFF}property")}


def _on_border(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    x, y = point
    bx, by, bw, bh = box
    inside = bx - 1 <= x <= bx + bw + 1 and by - 1 <= y <= by + bh + 1
    return inside and min(abs(x - bx), abs(x - bx - bw), abs(y - by), abs(y - by - bh)) <= 1


def _drawing(root) -> tuple[dict[str, tuple[float, ...]], dict[str, list[tuple[float, float]]]]:
    """The diagram's shapes (element id → x, y, width, height) and edges (flow id → waypoints)."""
    shapes = {s.get("bpmnElement"): tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))
              for s in root.iter(f"{BPMNDI}BPMNShape") for b in [s.find(f"{DC}Bounds")]}
    edges = {e.get("bpmnElement"): [(float(p.get("x")), float(p.get("y"))) for p in e.iter(f"{DI}waypoint")]
             for e in root.iter(f"{BPMNDI}BPMNEdge")}
    return shapes, edges


def _check_drawing(process, shapes, edges) -> None:
    """Every element drawn, inside its lane; every flow drawn from its source to its target, at right angles."""
    nodes = [el.get("id") for tag in NODES for el in process.iter(f"{BPMN}{tag}")]
    flows = {el.get("id"): el for el in process.iter(f"{BPMN}sequenceFlow")}
    assert set(nodes) <= set(shapes), set(nodes) - set(shapes)
    assert set(flows) == set(edges), set(flows) ^ set(edges)
    for flow_id, flow in flows.items():
        points = edges[flow_id]
        assert len(points) >= 2
        assert _on_border(points[0], shapes[flow.get("sourceRef")]), flow_id
        assert _on_border(points[-1], shapes[flow.get("targetRef")]), flow_id
        assert all(a[0] == b[0] or a[1] == b[1] for a, b in zip(points, points[1:], strict=False)), flow_id
    for lane in process.iter(f"{BPMN}lane"):
        lx, ly, lw, lh = shapes[lane.get("id")]
        for ref in lane.iter(f"{BPMN}flowNodeRef"):
            x, y, w, h = shapes[ref.text]
            assert lx <= x and x + w <= lx + lw and ly <= y and y + h <= ly + lh, (ref.text, lane.get("name"))


def _check_declarations(process, lifecycle: bool = False) -> None:
    """Each step declares what the runtime needs: gateways a default, decisions their kind, labels, English name,
    deadline and reminder/overdue timers, end events the outcome for the application."""
    timers: dict[str, set[str]] = {}
    for boundary in process.iter(f"{BPMN}boundaryEvent"):
        timers.setdefault(boundary.get("attachedToRef"), set()).add(boundary.get("id"))
    for tag in NODES:
        for el in process.iter(f"{BPMN}{tag}"):
            node_id, props, outgoing = el.get("id"), _props(el), {o.text for o in el.findall(f"{BPMN}outgoing")}
            if tag == "exclusiveGateway" and len(outgoing) > 1:
                assert el.get("default") in outgoing, node_id
            if tag == "userTask":
                # a deadline in working days, or (a campaign's update) a timer on the campaign's due date
                assert props.get("kind") and props.get("name_en") and (
                    props.get("deadline_working_days") or (lifecycle and timers.get(node_id))), node_id
            if tag == "userTask" and props["kind"] == "decision" and lifecycle:
                assert set(props["decisions"].split(",")) <= set(Decision.values()), node_id
            elif tag == "userTask" and props["kind"] == "decision":
                assert props["decisions"].split(",") == ["approve", "return", "reject"], node_id
                assert props.get("approve_label"), node_id
                assert timers.get(node_id) == {f"{node_id}_reminder", f"{node_id}_overdue"}, node_id
            if tag == "endEvent" and el.getparent() is process:
                allowed = subjects.outcomes() if lifecycle else ("recognized", "rejected")
                assert props.get("outcome") in allowed, node_id


@pytest.mark.parametrize("key", ("recognition",) + VARIANTS + LIFECYCLE)
def test_a_shipped_diagram_is_complete_for_the_engine_and_the_modeler(app_ctx, key):
    """What deploy-time validation checks, plus what it does not: the drawing and the declared steps."""
    from app.core.vocabulary import Lane
    from app.workflow import validation

    xml = (WORKFLOWS / f"{key}.bpmn").read_text(encoding="utf-8")
    assert validation.problems(key, xml, "bpmn") == []
    root = etree.fromstring(xml.encode())
    process = root.find(f"{BPMN}process")
    assert process.get("id") == key  # the key a shipped file deploys under is its stem
    assert {lane.get("name") for lane in process.iter(f"{BPMN}lane")} <= set(Lane.values())
    _check_drawing(process, *_drawing(root))
    _check_declarations(process, lifecycle=key in LIFECYCLE)


# --- a. Jilin construction: the province decides the seed tier (000 §三) --------------------------------

def test_a_jilin_construction_seed_application_is_decided_by_the_construction_department(api, submitted):
    app = submitted("seed", username="builder", region_code="220104", sector="construction")
    assert running(api)["recognition_jilin_construction_seed"] == 1
    assert_waits(app, "county_review", "220104")
    assert labels(task_for(api, "rev-220104", app["id"])) == {"approve": "通过/推荐", "return": None, "reject": None}
    app = decide(api, "rev-220104", app["id"])
    assert_waits(app, "city_review", "220100")
    app = decide(api, "rev-220100", app["id"])
    assert_waits(app, "province_review", "220000-construction")
    task = task_for(api, "rev-220000-construction", app["id"])
    assert task["kind"] == "decision" and labels(task)["approve"] == "确定为省级优质种子企业"
    assert api.get("/api/v1/tasks", as_="rev-220000").get_json()["total"] == 0
    app = decide(api, "rev-220000-construction", app["id"])
    assert app["status"] == "recognized" and app["current_step"] is None
    steps = [h["step"] for h in app["history"] if h["action"] == "approve"]
    assert steps == ["county_review", "city_review", "province_review"]
    # the register names the department that decided (the service task's lane is the province's)
    entry = api.get("/api/v1/recognitions", as_="builder").get_json()["items"][0]
    assert (entry["tier"], entry["office"]["code"], entry["application_id"]) == ("seed", "220000-construction",
                                                                                app["id"])
    assert entry["document_no"].startswith("吉林省住房和城乡建设厅认定〔")
    assert not any(h["action"] in ("expert_panel_drawn", "notice_published") for h in app["history"])


def test_the_construction_department_can_return_and_the_chain_restarts_at_the_county(api, submitted):
    app = submitted("seed", username="builder", region_code="220104", sector="construction")
    decide(api, "rev-220104", app["id"])
    decide(api, "rev-220100", app["id"])
    app = decide(api, "rev-220000-construction", app["id"], "return", "请补充近两年业绩证明")
    assert app["status"] == "returned" and app["current_step"] == "amend"
    app = api.post(f"/api/v1/applications/{app['id']}/submit", as_="builder").get_json()
    assert_waits(app, "county_review", "220104")
    decide(api, "rev-220104", app["id"])
    app = decide(api, "rev-220100", app["id"], "reject", "不符合条件")
    assert app["status"] == "rejected"


@pytest.mark.parametrize(("tier", "sector", "region_code", "recognized_by"), [
    ("seed", "industry", "220602", "rev-220602"),  # an industry seed firm in Jilin: still the county
    ("city", "construction", "220104", "rev-220100"),  # the construction variant is for the seed tier only
])
def test_other_jilin_applications_keep_the_shipped_chain(api, submitted, tier, sector, region_code, recognized_by):
    app = submitted(tier, region_code=region_code, sector=sector)
    assert running(api) == {"recognition": 1, "recognition_jilin_construction_seed": 0,
                            "recognition_sector_national": 0, "jinhu_library_entry": 0}
    if tier == "city":
        app = decide(api, f"rev-{region_code}", app["id"])
    assert labels(task_for(api, recognized_by, app["id"]))["approve"] == "予以认定"
    app = decide(api, recognized_by, app["id"])
    assert app["status"] == "recognized"


# --- b. a sector firm's national application: the SME authority recommends (001 §二(一)4) -------------

def test_a_jilin_commerce_national_application_is_recommended_by_the_sme_authority(api, submitted):
    app = submitted("national", username="trader", region_code="220104", sector="commerce")
    assert running(api)["recognition_sector_national"] == 1
    app = decide(api, "rev-220104", app["id"])
    app = decide(api, "rev-220100", app["id"])
    assert_waits(app, "province_review", "220000-commerce")
    app = decide(api, "rev-220000-commerce", app["id"])
    assert app["current_step"] == "expert_review"
    score_panel(api, app["id"], {"expert-2": 82, "expert-3": 78, "expert-4": 80})  # expert-1 is from 长春
    second = api.get(f"/api/v1/tasks/{task_for(api, 'rev-220000-commerce', app['id'])['id']}",
                     as_="rev-220000-commerce").get_json()
    assert second["expert_panel"] == {"count": 3, "scored": 3, "mean": 80.0, "spread": 4.0}
    app = decide(api, "rev-220000-commerce", app["id"])
    # the provincial SME authority (the province's general office, 工信厅) recommends to MIIT
    assert_waits(app, "province_recommend", "220000")
    task = task_for(api, "rev-220000", app["id"])
    assert task["step"] == "province_recommend" and task["kind"] == "decision"
    assert labels(task) == {"approve": "推荐至工业和信息化部", "return": "退回修改", "reject": "不予推荐"}
    app = decide(api, "rev-220000", app["id"])
    assert_waits(app, "national_review", "100000")
    app = decide(api, "rev-100000", app["id"])
    assert app["status"] == "recognized"
    approvals = [(h["step"], h["office"]["code"]) for h in app["history"] if h["action"] == "approve"]
    assert approvals == [("county_review", "220104"), ("city_review", "220100"),
                         ("province_review", "220000-commerce"), ("province_review", "220000-commerce"),
                         ("province_recommend", "220000"), ("national_review", "100000")]


def test_the_sme_authority_may_decline_to_recommend(api, submitted):
    app = submitted("national", username="farm", region_code="220602", sector="agriculture")
    decide(api, "rev-220602", app["id"])
    decide(api, "rev-220600", app["id"])
    decide(api, "rev-220000-agriculture", app["id"])
    score_panel(api, app["id"])
    decide(api, "rev-220000-agriculture", app["id"])
    app = decide(api, "rev-220000", app["id"], "reject", "本年度推荐名额已满")
    assert app["status"] == "rejected" and app["history"][-2]["step"] == "province_recommend"
    assert api.get("/api/v1/tasks", as_="rev-100000").get_json()["total"] == 0


def test_only_jilin_sector_firms_national_applications_run_the_sector_variant(api, submitted):
    for n, sector in enumerate(SECTOR_DEPARTMENTS):
        submitted("national", username=f"sector{n}", region_code="220104", sector=sector)
    submitted("national", username="maker", region_code="220104", sector="industry")  # 工信厅 itself reviews
    submitted("province", username="builder", region_code="220104", sector="construction")  # another tier
    submitted("national", username="shanxi", region_code="140502", sector="commerce")  # another province
    assert running(api) == {"recognition": 3, "recognition_sector_national": 5,
                            "recognition_jilin_construction_seed": 0, "jinhu_library_entry": 0}


# --- c. Jinhu's county library (004 §三(一), 附件2) ----------------------------------------------------

def test_a_jinhu_seed_application_enters_the_county_library(api, submitted, user_client):
    app = submitted("seed", username="jinhu", region_code="320831")
    assert running(api)["jinhu_library_entry"] == 1
    assert_waits(app, "county_review", "320831")
    task = task_for(api, "rev-320831", app["id"])
    assert task["kind"] == "decision"
    assert labels(task) == {"approve": "同意入库", "return": "退回修改", "reject": "不予入库"}
    page = user_client("rev-320831").get(f"/tasks/{task['id']}")
    assert page.status_code == 200 and "同意入库" in text(page) and "不予入库" in text(page)
    app = decide(api, "rev-320831", app["id"], "return", "请补充发明专利证书")
    assert app["status"] == "returned" and app["current_step"] == "amend"
    app = api.post(f"/api/v1/applications/{app['id']}/submit", as_="jinhu").get_json()
    assert_waits(app, "county_review", "320831")
    app = decide(api, "rev-320831", app["id"])
    assert app["status"] == "recognized" and app["current_step"] is None
    assert [h["step"] for h in app["history"] if h["action"] in ("approve", "return")] == ["county_review"] * 2
    assert api.get("/api/v1/tasks", as_="rev-320800").get_json()["total"] == 0


def test_the_county_may_refuse_entry(api, submitted):
    app = submitted("seed", username="jinhu", region_code="320831")
    app = decide(api, "rev-320831", app["id"], "reject", "主营业务收入不足2000万元")
    assert app["status"] == "rejected" and app["history"][-1]["action"] == "rejected"


@pytest.fixture
def qingjiangpu(app, password_hash):
    """A second county of 淮安 (清江浦区) with its office and reviewer."""
    from app.models import Office, Region, User

    with app.app_context():
        db.session.add(Region(code="320812", name="清江浦区", level="county", parent_code="320800"))
        db.session.flush()
        office = Office(code="320812", name="清江浦区工业和信息化局", region_code="320812")
        db.session.add(office)
        db.session.flush()
        db.session.add(User(username="rev-320812", role="reviewer", office_id=office.id,
                            password_hash=password_hash))
        db.session.commit()
    return "320812"


def test_other_applications_in_huaian_keep_the_shipped_chain(api, submitted, qingjiangpu):
    seed = submitted("seed", username="qjp", region_code=qingjiangpu)  # 淮安, outside Jinhu
    city = submitted("city", username="jinhu", region_code="320831")  # Jinhu, another tier
    assert running(api) == {"recognition": 2, "jinhu_library_entry": 0, "recognition_jilin_construction_seed": 0,
                            "recognition_sector_national": 0}
    assert labels(task_for(api, "rev-320812", seed["id"]))["approve"] == "予以认定"
    assert decide(api, "rev-320812", seed["id"])["status"] == "recognized"
    assert labels(task_for(api, "rev-320831", city["id"]))["approve"] == "推荐至市级"
    assert_waits(decide(api, "rev-320831", city["id"]), "city_review", "320800")


def test_the_timeline_shows_the_lanes_a_variant_reaches(app, api, submitted):
    """A Jilin construction seed application: the timeline has the county, the city and the construction
    department (a seed firm's shipped chain ends at the county), and a return from the department carries
    its reason and office on the amendment card."""
    from app.models import Application
    from app.recognition import timeline

    application = submitted("seed", username="builder", region_code="220104", sector="construction")
    decide(api, "rev-220104", application["id"])
    decide(api, "rev-220100", application["id"])
    with app.app_context():
        view = timeline.build(db.session.get(Application, application["id"]))
        assert [(s.step, s.state) for s in view.steps] == [
            ("county_review", "done"), ("city_review", "done"), ("province_review", "current")]
        assert view.steps[2].office.code == "220000-construction"
    decide(api, "rev-220000-construction", application["id"], "return", "请补充住建资质证明")
    with app.app_context():
        view = timeline.build(db.session.get(Application, application["id"]))
        assert view.amend is not None and view.amend.comment == "请补充住建资质证明"
        assert view.amend.office.code == "220000-construction"
