"""Deploy-time validation: each bad upload is refused with the element it concerns, and nothing is stored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.core.errors import Invalid
from app.extensions import db
from app.models import ProcessDefinition
from app.recognition import policies
from app.workflow import definitions, validation

WORKFLOWS = Path(__file__).resolve().parents[1] / "workflows"
RECOGNITION = (WORKFLOWS / "recognition.bpmn").read_text(encoding="utf-8")
ELIGIBILITY_DMN = (WORKFLOWS / "eligibility_check.dmn").read_text(encoding="utf-8")
SEED_DMN = (WORKFLOWS / "rules" / "seed_2022.dmn").read_text(encoding="utf-8")
DUNDER = "().__class__.__base__.__subclasses__()"
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>'


def _replace(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


def _rows() -> int:
    return db.session.scalar(db.select(db.func.count(ProcessDefinition.id)))


def _refused(key: str, xml: str, kind: str = "bpmn") -> list[dict]:
    """Deploy `xml`; assert it is refused and stores nothing; return the problems."""
    before = _rows()
    with pytest.raises(Invalid) as caught:
        definitions.deploy(key, xml, kind=kind)
    assert _rows() == before
    err = caught.value
    assert err.status == 422 and err.code == "invalid_definition"
    found = err.extra["problems"]
    assert found and all(set(p) >= {"code", "element", "element_name", "message"} for p in found)
    return found


def _has(found: list[dict], code: str, element: str | None) -> dict:
    matches = [p for p in found if p["code"] == code and p["element"] == element]
    assert matches, f"no {code} on {element}: {found}"
    return matches[0]


# --- what ships validates ------------------------------------------------------------------------

def test_shipped_recognition_has_no_problems(app_ctx):
    assert validation.problems(definitions.RECOGNITION, RECOGNITION, "bpmn") == []
    definition = definitions.deploy(definitions.RECOGNITION, RECOGNITION)
    assert definition.version == 1


@pytest.mark.parametrize("path", [WORKFLOWS / "eligibility_check.dmn", *sorted((WORKFLOWS / "rules").glob("*.dmn"))],
                         ids=lambda p: p.stem)
def test_shipped_dmn_has_no_problems(app_ctx, path):
    assert validation.problems(path.stem, path.read_text(encoding="utf-8"), "dmn") == []


# --- BPMN ----------------------------------------------------------------------------------------

def test_unknown_lane(app_ctx):
    found = _refused("recognition", _replace(RECOGNITION, 'name="county"', 'name="countyy"'))
    problem = _has(found, "unknown_lane", "Lane_county")
    assert problem["element_name"] == "countyy"
    assert "countyy" in problem["message"] and "service_team" in problem["message"]


def test_known_lanes_are_a_parameter(app_ctx):
    xml = _replace(RECOGNITION, 'name="county"', 'name="expert"')
    assert validation.problems("recognition", xml, "bpmn") == []
    found = validation.problems("recognition", xml, "bpmn", known_lanes=("enterprise", "city", "province", "national"))
    _has(found, "unknown_lane", "Lane_county")


def test_user_task_outside_the_lanes(app_ctx):
    found = _refused("recognition", _replace(RECOGNITION, "<bpmn:flowNodeRef>county_review</bpmn:flowNodeRef>", ""))
    assert _has(found, "task_outside_lane", "county_review")["element_name"] == "县级初审"


def test_user_tasks_need_lanes_even_without_a_lane_set(app_ctx):
    xml = re.sub(r"<bpmn:laneSet .*?</bpmn:laneSet>", "", RECOGNITION, flags=re.S)
    found = _refused("recognition", xml)
    assert {p["element"] for p in found if p["code"] == "task_outside_lane"} == {
        "amend", "county_review", "city_review", "province_review", "spot_check", "national_review",
        "objection_review", "expert_review"}  # expert_review: its subprocess is in no lane either


def test_gateway_without_default(app_ctx):
    found = _refused("recognition", _replace(RECOGNITION, ' default="Flow_county_up"', ""))
    _has(found, "gateway_without_default", "county_decision")
    _has(found, "empty_condition", "Flow_county_up")  # no longer the default, and has no condition


def test_empty_condition_out_of_a_gateway(app_ctx):
    xml = _replace(RECOGNITION, "decision == 'reject'</bpmn:conditionExpression>", "  </bpmn:conditionExpression>")
    found = _refused("recognition", xml)
    assert _has(found, "empty_condition", "Flow_county_reject")["element_name"] == "驳回"


def test_converging_gateway_needs_no_default(app_ctx):
    assert 'id="merge_submit" gatewayDirection="Converging">' in RECOGNITION  # two in, one out, no default
    assert not [p for p in validation.problems("recognition", RECOGNITION, "bpmn") if p["element"] == "merge_submit"]


def test_gateway_condition_escaping_the_sandbox(app_ctx):
    found = _refused("recognition", _replace(RECOGNITION, "decision == 'return'", DUNDER))
    problem = _has(found, "forbidden_expression", "Flow_county_return")
    assert "__class__" in problem["message"]


def test_script_task_with_an_import(app_ctx):
    script_task = ('<bpmn:scriptTask id="eligibility" name="资格自动核验">'
                   "<bpmn:incoming>Flow_to_eligibility</bpmn:incoming>"
                   "<bpmn:outgoing>Flow_to_county</bpmn:outgoing>"
                   "<bpmn:script>import os\nresult = os.listdir('/')</bpmn:script></bpmn:scriptTask>")
    xml = re.sub(r"<bpmn:businessRuleTask .*?</bpmn:businessRuleTask>", script_task, RECOGNITION, flags=re.S)
    found = _refused("recognition", xml)
    assert "Import is not allowed" in _has(found, "forbidden_expression", "eligibility")["message"]


def test_pre_script_escaping_the_sandbox(app_ctx):
    xml = _replace(RECOGNITION, '<bpmn:userTask id="city_review" name="市级审核">',
                   '<bpmn:userTask id="city_review" name="市级审核"><bpmn:extensionElements>'
                   f"<spiffworkflow:preScript>x = {DUNDER}</spiffworkflow:preScript></bpmn:extensionElements>")
    _has(_refused("recognition", xml), "forbidden_expression", "city_review")


def test_condition_with_a_syntax_error(app_ctx):
    found = _refused("recognition", _replace(RECOGNITION, "decision == 'return'", "decision == = 'return'"))
    _has(found, "expression_syntax", "Flow_county_return")


def test_broken_xml(app_ctx):
    found = _refused("recognition", RECOGNITION.replace("</bpmn:process>", "", 1))
    problem = _has(found, "xml_syntax", None)
    assert isinstance(problem["line"], int) and problem["line"] > 1
    assert f"第 {problem['line']} 行" in problem["message"]


def test_xxe(app_ctx):
    xml = _replace(RECOGNITION, XML_DECL, XML_DECL + '\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    xml = _replace(xml, 'name="县级初审"', 'name="&xxe;"')
    assert [p["code"] for p in _refused("recognition", xml)] == ["xml_doctype"]


def test_billion_laughs(app_ctx):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    xml = _replace(RECOGNITION, XML_DECL, f"{XML_DECL}\n<!DOCTYPE lolz [{entities}]>")
    xml = _replace(xml, 'name="县级初审"', 'name="&lol9;"')
    assert [p["code"] for p in _refused("recognition", xml)] == ["xml_doctype"]


def test_xinclude(app_ctx):
    xml = _replace(RECOGNITION, '<bpmn:userTask id="county_review" name="县级初审">',
                   '<bpmn:userTask id="county_review" name="县级初审">'
                   '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>')
    found = _refused("recognition", xml)
    assert [p["code"] for p in found] == ["xml_external"]
    assert _has(found, "xml_external", "county_review")["element_name"] == "xi:include"


def test_bpmn_import(app_ctx):
    xml = _replace(RECOGNITION, '<bpmn:collaboration id="Collaboration_recognition">',
                   '<bpmn:import importType="http://www.omg.org/spec/BPMN/20100524/MODEL" '
                   'location="http://evil.example/x.bpmn" namespace="http://evil.example/"/>'
                   '<bpmn:collaboration id="Collaboration_recognition">')
    problem = _has(_refused("recognition", xml), "xml_external", "Definitions_recognition")
    assert problem["element_name"] == "bpmn:import"


def test_oversized_file(app_ctx):
    from app.engine.xml import MAX_XML_BYTES

    xml = _replace(RECOGNITION, "</bpmn:definitions>", "<!--" + "x" * MAX_XML_BYTES + "--></bpmn:definitions>")
    assert [p["code"] for p in _refused("recognition", xml)] == ["xml_too_large"]


def test_root_is_not_bpmn(app_ctx):
    assert _refused("recognition", ELIGIBILITY_DMN)[0]["code"] == "not_bpmn"


def test_no_executable_process(app_ctx):
    xml = _replace(RECOGNITION, 'isExecutable="true"', 'isExecutable="false"')
    assert [p["code"] for p in _refused("recognition", xml)] == ["no_executable_process"]


def test_key_is_not_the_process_id(app_ctx):
    _has(_refused("other_process", RECOGNITION), "process_not_found", "other_process")


def test_engine_cannot_load(app_ctx):
    xml = _replace(RECOGNITION, 'sourceRef="eligibility" targetRef="county_review"',
                   'sourceRef="eligibility" targetRef="nowhere"')
    problem = [p for p in _refused("recognition", xml) if p["code"] == "engine_load"]
    assert problem and problem[0]["message"].startswith("流程引擎无法加载该定义")


def test_called_decision_must_exist(app_ctx):
    xml = _replace(RECOGNITION, ">eligibility_check<", ">no_such_decision<")
    found = _refused("recognition", xml)
    assert _has(found, "missing_decision", "eligibility")["message"].count("no_such_decision") == 1


def test_validating_a_process_deploys_no_decision(app_ctx):
    """The decision is looked up (active version or shipped file) without being deployed."""
    _refused("recognition", _replace(RECOGNITION, 'name="county"', 'name="countyy"'))
    assert _rows() == 0


def test_every_problem_is_reported(app_ctx):
    xml = _replace(RECOGNITION, 'name="county"', 'name="countyy"')
    xml = _replace(xml, ' default="Flow_city_up"', "")
    xml = _replace(xml, "decision == 'return'", DUNDER)
    found = _refused("recognition", xml)
    assert {"unknown_lane", "gateway_without_default", "forbidden_expression"} <= {p["code"] for p in found}


def test_messages_are_chinese_by_default(app_ctx):
    xml = _replace(RECOGNITION, 'name="county"', 'name="countyy"')
    with pytest.raises(Invalid) as caught:
        definitions.deploy("recognition", xml)
    assert caught.value.message.startswith("该定义有 1 个问题：")
    assert "泳道" in caught.value.message
    assert caught.value.extra["problems"][0]["message"].startswith("泳道")


# --- DMN -----------------------------------------------------------------------------------------

def test_rule_set_input_must_be_an_indicator(app_ctx):
    found = _refused("seed_2022", _replace(SEED_DMN, "<text>rd_ratio</text>", "<text>rd_ratoi</text>"), kind="dmn")
    problem = _has(found, "unknown_input", "seed_2022_in_1")
    assert problem["element_name"] == "上年研发费用总额占营业收入总额比重"
    assert "rd_ratoi" in problem["message"]


def test_dmn_output_entry_escaping_the_sandbox(app_ctx):
    xml = _replace(SEED_DMN, '<outputEntry id="seed_2022_r10_o_name"><text>"上年研发费用总额占营业收入总额比重"</text>',
                   f'<outputEntry id="seed_2022_r10_o_name"><text>{DUNDER}</text>')
    _has(_refused("seed_2022", xml, kind="dmn"), "forbidden_expression", "seed_2022_r10_o_name")


def test_dmn_input_entry_escaping_the_sandbox(app_ctx):
    xml = _replace(SEED_DMN, '<inputEntry id="seed_2022_r10_i1"><text>&gt;= 0.05</text>',
                   '<inputEntry id="seed_2022_r10_i1"><text>0.05 &lt;= ? &lt; ?.__class__</text>')
    _has(_refused("seed_2022", xml, kind="dmn"), "forbidden_expression", "seed_2022_r10_i1")


def test_rule_set_convention(app_ctx):
    found = _refused("seed_2022", _replace(SEED_DMN, 'hitPolicy="COLLECT"', 'hitPolicy="FIRST"'), kind="dmn")
    _has(found, "rules_invalid", "seed_2022")


def test_eligibility_inputs_are_a_small_set(app_ctx):
    found = _refused(policies.ELIGIBILITY_CHECK, _replace(ELIGIBILITY_DMN, "<text>eligibility_passed</text>",
                                                             "<text>revenue_last_year</text>"), kind="dmn")
    assert "eligibility_score" in _has(found, "unknown_input", "eligibility_check_in_passed")["message"]


def test_dmn_root_and_xxe(app_ctx):
    assert _refused("seed_2022", RECOGNITION, kind="dmn")[0]["code"] == "not_dmn"
    xml = _replace(SEED_DMN, XML_DECL, XML_DECL + '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    assert [p["code"] for p in _refused("seed_2022", xml, kind="dmn")] == ["xml_doctype"]


# --- through the admin API ----------------------------------------------------------------------

def _api_deploy(api, key: str, xml: str):
    return api.post(f"/api/v1/process-definitions/{key}/versions", as_="admin", data=xml.encode(),
                    content_type="application/xml")


def _count(app) -> int:
    with app.app_context():
        return _rows()


def test_api_refuses_a_bad_process_with_the_problems(app, api):
    before = _count(app)
    r = _api_deploy(api, "recognition", _replace(RECOGNITION, "decision == 'return'", DUNDER))
    assert r.status_code == 422, r.get_json()
    error = r.get_json()["error"]
    assert error["code"] == "invalid_definition"
    assert error["message"].startswith("该定义有")
    problem = _has(error["problems"], "forbidden_expression", "Flow_county_return")
    assert problem["element_name"] == "退回"
    assert _count(app) == before


def test_api_refuses_xxe_and_a_bad_rule_set(app, api):
    before = _count(app)
    xml = _replace(RECOGNITION, XML_DECL, XML_DECL + '\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    r = _api_deploy(api, "recognition", xml)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "invalid_definition"
    r = _api_deploy(api, "seed_2022", _replace(SEED_DMN, "<text>rd_ratio</text>", "<text>rd_ratoi</text>"))
    assert r.status_code == 422, r.get_json()
    _has(r.get_json()["error"]["problems"], "unknown_input", "seed_2022_in_1")
    assert _count(app) == before


def test_api_english_messages_on_request(api):
    r = api.post("/api/v1/process-definitions/recognition/versions", as_="admin",
                 data=_replace(RECOGNITION, 'name="county"', 'name="countyy"').encode(),
                 content_type="application/xml", headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert r.get_json()["error"]["problems"][0]["message"].startswith('Lane "countyy"')
