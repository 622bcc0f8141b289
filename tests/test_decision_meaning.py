"""Decisions with their meaning (issue 17 item 7): each step's decisions carry the effect the BPMN declares
(`<decision>_effect` on the user task, read through the engine), a final decision and any bulk decision are
confirmed after seeing the effect ("将认定为…，共3家"), and a warning says when the enterprise already holds the
tier."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import engine
from app.extensions import db
from app.models import Application, HumanTask
from app.workflow import definitions, validation
from tests.conftest import checklist_ticks, csrf_token, task_for, text

ROOT = Path(__file__).resolve().parents[1]
RECOGNITION = (ROOT / "workflows" / "recognition.bpmn").read_text(encoding="utf-8")


def _post(client, url: str, **fields):
    """POST the task form; the reviewer's checklist (criteria only a reviewer judges) ticked 符合 unless given."""
    html = client.get(url).get_data(as_text=True)
    ticks = checklist_ticks(html)
    return client.post(url, data={"csrf_token": csrf_token(client, url), **ticks, **fields})


def test_the_engine_reads_the_declared_effects():
    spec = engine.parse_spec(RECOGNITION, dmn_xml=[(ROOT / "workflows" / "eligibility_check.dmn").read_text()])
    assert engine.step_effects(spec, "county_review", {"target_tier": "seed"}) == {
        "approve": "recognize", "return": "return", "reject": "reject"}
    assert engine.step_effects(spec, "county_review", {"target_tier": "city"})["approve"] == "forward"
    assert engine.step_effects(spec, "province_review", {"target_tier": "province", "experts_done": False}) \
        ["approve"] == "experts"
    assert engine.step_effects(spec, "province_review", {"target_tier": "province", "experts_done": True}) \
        ["approve"] == "notice"
    assert engine.step_effects(spec, "province_review", {"target_tier": "national", "experts_done": True}) \
        ["approve"] == "forward"
    assert engine.step_effects(spec, "objection_review", {})["approve"] == "dismiss"


def test_an_unsafe_effect_expression_is_refused_at_deploy(app_ctx):
    bad = RECOGNITION.replace('name="return_effect" value="return"',
                              'name="return_effect" value="=().__class__.__base__.__subclasses__()"', 1)
    found = validation.problems(definitions.RECOGNITION, bad, "bpmn")
    assert [p for p in found if p["code"] == "forbidden_expression" and p["element"] == "county_review"], found


def test_the_task_page_says_what_each_decision_does(api, user_client, submitted):
    city = submitted("city")
    rev = user_client("rev-220602")
    page = rev.get(f"/tasks/{task_for(api, 'rev-220602', city['id'])['id']}")
    effects = text(page)
    html = page.get_data(as_text=True)
    assert '<span class="fw-semibold">推荐至市级</span>：将推荐上报，由上一级继续审核' in html  # label, effect
    assert "将退回企业修改补正" in effects and "将不予认定，申报办结" in effects
    assert 'data-testid="holds-tier"' not in html


def test_a_final_decision_is_confirmed_first(app, api, user_client, submitted):
    seed = submitted("seed")
    task_id = task_for(api, "rev-220602", seed["id"])["id"]
    rev = user_client("rev-220602")
    url = f"/tasks/{task_id}"
    assert '<span class="fw-semibold">予以认定</span>：将认定为' in rev.get(url).get_data(as_text=True)
    first = _post(rev, url, decision="approve", comment="符合条件")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert 'data-testid="confirm-decision"' in html and 'name="confirmed" value="approve"' in html
    assert "将认定为创新型中小企业" in text(first) and "测试精密制造有限公司" in text(first)
    with app.app_context():  # nothing was decided
        assert db.session.get(HumanTask, task_id).state == "open"
    # a confirmation of another decision does not count for this one
    again = _post(rev, url, decision="approve", comment="符合条件", confirmed="reject")
    assert again.status_code == 200 and 'data-testid="confirm-decision"' in again.get_data(as_text=True)
    done = _post(rev, url, decision="approve", comment="符合条件", confirmed="approve")
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Application, seed["id"]).status == "recognized"


def test_a_decision_that_is_not_final_needs_no_confirmation(app, api, user_client, submitted):
    city = submitted("city")
    task_id = task_for(api, "rev-220602", city["id"])["id"]
    r = _post(user_client("rev-220602"), f"/tasks/{task_id}", decision="approve", comment="材料齐全")
    assert r.status_code == 302
    with app.app_context():
        assert db.session.get(HumanTask, task_id).state == "completed"


def test_a_rejection_is_confirmed_too(app, api, user_client, submitted):
    city = submitted("city")
    task_id = task_for(api, "rev-220602", city["id"])["id"]
    rev = user_client("rev-220602")
    r = _post(rev, f"/tasks/{task_id}", decision="reject", comment="不符合条件")
    assert r.status_code == 200 and "确认：将不予认定，申报办结" in text(r)
    with app.app_context():
        assert db.session.get(HumanTask, task_id).state == "open"


@pytest.fixture
def seeds(api, enterprise):
    from tests.conftest import FULL_DATA

    made = []
    for key, name in (("a", "甲科技有限公司"), ("b", "乙科技有限公司"), ("c", "丙科技有限公司")):
        username, _company = enterprise(f"ent-{key}", "220602", name=name)
        r = api.post("/api/v1/applications", as_=username, json={"target_tier": "seed", "data": dict(FULL_DATA)})
        r = api.post(f"/api/v1/applications/{r.get_json()['id']}/submit", as_=username)
        assert r.status_code == 200, r.get_json()
        made.append(r.get_json())
    return made


def test_a_bulk_decision_shows_its_effect_and_count_before_deciding(app, api, user_client, seeds, grant):
    grant("ent-b", "seed")  # recognized meanwhile (e.g. by an earlier call): the confirmation warns
    ids = [str(task_for(api, "rev-220602", a["id"])["id"]) for a in seeds]
    rev = user_client("rev-220602")
    r = rev.post("/tasks/bulk-decision", data={"csrf_token": csrf_token(rev, "/inbox"), "task_ids": ids,
                                               "decision": "approve", "comment": "", "next": "/inbox"})
    assert r.status_code == 200
    page = text(r)
    assert "将认定为创新型中小企业(种子企业)，共3家" in page or "将认定为创新型中小企业，共3家" in page, page
    assert "甲科技有限公司" in page and "丙科技有限公司" in page
    warning = r.get_data(as_text=True).split('data-testid="holds-tier"')[1].split("</div>")[0]
    assert "乙科技有限公司" in warning and "甲科技有限公司" not in warning
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(HumanTask).where(
            HumanTask.state == "completed")) == 0
    html = r.get_data(as_text=True)
    assert 'name="confirmed" value="approve"' in html and html.count('name="task_ids"') == 3
    done = rev.post("/tasks/bulk-decision", data={"csrf_token": csrf_token(rev, "/inbox"), "task_ids": ids,
                                                  "decision": "approve", "comment": "", "next": "/inbox",
                                                  "confirmed": "approve"})
    assert done.status_code == 200 and "3 件成功" in text(done)
    assert all(a["number"] in text(done) for a in seeds)  # the results name the application numbers
    with app.app_context():
        assert {db.session.get(Application, a["id"]).status for a in seeds} == {"recognized"}


def test_the_task_page_warns_when_the_tier_is_already_held(api, user_client, submitted, grant):
    seed = submitted("seed")
    grant("acme", "seed")
    page = user_client("rev-220602").get(f"/tasks/{task_for(api, 'rev-220602', seed['id'])['id']}")
    assert "已持有有效的" in text(page) and 'data-testid="holds-tier"' in page.get_data(as_text=True)


@pytest.mark.parametrize("name", ["recognition", "recognition_jilin_construction_seed",
                                  "recognition_sector_national"])
def test_every_shipped_decision_declares_a_known_effect(name):
    """Each decision a shipped recognition step offers says what it does, for every tier and panel state."""
    from lxml import etree

    from app.recognition import meaning

    xml = (ROOT / "workflows" / f"{name}.bpmn").read_text(encoding="utf-8")
    spec = engine.parse_spec(xml, dmn_xml=[(ROOT / "workflows" / "eligibility_check.dmn").read_text()])
    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
    checked = 0
    for task in etree.fromstring(xml.encode()).iterfind(".//bpmn:userTask", ns):
        offered = [d.strip() for d in spec.properties.get(task.get("id"), {}).get("decisions", "").split(",")
                   if d.strip()]
        for tier in ("seed", "city", "province", "national"):
            for experts_done in (False, True):
                found = engine.step_effects(spec, task.get("id"), {"target_tier": tier,
                                                                   "experts_done": experts_done})
                assert set(found) == set(offered), (task.get("id"), found)
                assert set(found.values()) <= set(meaning.EFFECTS), (task.get("id"), found)
        checked += bool(offered)
    assert checked >= 3
