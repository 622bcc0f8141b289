"""Deploy-time validation of what a diagram declares about its steps: the operations its service tasks name
(from the catalogue, with typed parameters), the kinds and decisions its user tasks declare, the labels
computed by expressions. Each problem is refused with its code and element; nothing is stored."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app import engine
from app.core.errors import Invalid
from app.extensions import db
from app.models import ProcessDefinition
from app.workflow import definitions, operations, steps, validation
from tests.conftest import text

ROOT = Path(__file__).resolve().parents[1]
RECOGNITION = (ROOT / "workflows" / "recognition.bpmn").read_text(encoding="utf-8")
DUNDER = "().__class__.__base__.__subclasses__()"
PANEL_PARAMS = '<spiffworkflow:parameter id="exclude_home_city" type="bool" value="True" />'
SPOT_OPERATOR = '<spiffworkflow:serviceTaskOperator id="draw_spot_check" resultVariable="spot_check" />'
NOTICE_PARAM = '<spiffworkflow:parameter id="ends" type="str" value="deadline(&quot;public_notice&quot;)" />'


def _replace(xml: str, old: str, new: str) -> str:
    assert old in xml, old
    return xml.replace(old, new, 1)


def _panel(*params: str) -> str:
    """The recognition diagram with the expert panel draw's parameters replaced by `params`."""
    return _replace(RECOGNITION, PANEL_PARAMS, "".join(params))


def _size(value: str) -> str:
    return _panel(PANEL_PARAMS, f'<spiffworkflow:parameter id="size" type="int" value="{value}" />')


def _renamed_panel_draw(new_id: str) -> str:
    """The service task panel_draw renamed everywhere (lane, flows, diagram) to `new_id`."""
    return re.sub(r'(?<=["> ])panel_draw(?=["<])', new_id, RECOGNITION)


# (xml, code, element, words the message contains): one of each problem the checks report
CASES = {
    "no_operation": (_replace(RECOGNITION, SPOT_OPERATOR, ""), "no_operation", "spot_check_draw",
                     ["服务任务", "抽查抽签（spot_check_draw）", "没有指定操作"]),
    "unknown_operation": (_replace(RECOGNITION, 'id="draw_spot_check"', 'id="draw_lottery"'),
                          "unknown_operation", "spot_check_draw", ["draw_lottery", "draw_expert_panel, "]),
    "unknown_parameter": (_panel(PANEL_PARAMS, '<spiffworkflow:parameter id="colour" type="str" value="\'red\'" />'),
                          "unknown_parameter", "panel_draw", ["colour", "size, exclude_home_city"]),
    "missing_parameter": (_replace(RECOGNITION, NOTICE_PARAM, ""), "missing_parameter", "publish_notice",
                          ["open_public_notice", "ends", "缺少必填参数"]),
    "wrong_type": (_size("'three'"), "bad_parameter", "panel_draw", ["size", "'three'", "int"]),
    "bool_for_int": (_size("True"), "bad_parameter", "panel_draw", ["size", "int"]),
    "below_minimum": (_size("0"), "bad_parameter", "panel_draw", ["size", "小于最小值 1"]),
    "above_maximum": (_size("16"), "bad_parameter", "panel_draw", ["size", "大于最大值 15"]),
    "no_type_attribute": (_panel('<spiffworkflow:parameter id="exclude_home_city" value="True" />'),
                          "bad_parameter", "panel_draw", ["exclude_home_city", "type"]),
    "forbidden_parameter": (_replace(RECOGNITION, 'value="deadline(&quot;public_notice&quot;)"', f'value="{DUNDER}"'),
                            "forbidden_expression", "publish_notice", ["__class__"]),
    "parameter_syntax": (_replace(RECOGNITION, 'value="deadline(&quot;public_notice&quot;)"', 'value="deadline("'),
                         "expression_syntax", "publish_notice", ["deadline("]),
    "operation_id_clash": (_renamed_panel_draw("draw_expert_panel"), "operation_id_clash", "draw_expert_panel",
                           ["draw_expert_panel", "bpmn:serviceTask", "另取"]),
    "parameter_id_clash": (_panel('<spiffworkflow:parameter id="county_review" type="bool" value="True" />'),
                           "operation_id_clash", "panel_draw", ["county_review", "bpmn:userTask"]),
    "unknown_step_kind": (_replace(RECOGNITION, 'value="expert_score"', 'value="expert_scoring"'),
                          "unknown_step_kind", "expert_review", ["expert_scoring", "objections, amendment"]),
    "unknown_decision": (_replace(RECOGNITION, 'value="approve,reject,return"', 'value="approve,reject,forward"'),
                         "unknown_decision", "objection_review", ["forward", "approve, return, reject"]),
    "forbidden_label": (_replace(RECOGNITION, "value=\"=(&apos;通过，进入公示&apos; if target_tier",
                                 f"value=\"=({DUNDER} if target_tier"),
                        "forbidden_expression", "province_review", ["__class__"]),
    "label_syntax": (_replace(RECOGNITION, "value=\"=(&apos;通过，进入公示&apos; if target_tier",
                              "value=\"=(&apos;通过，进入公示&apos; if if target_tier"),
                     "expression_syntax", "province_review", ["语法错误"]),
    "missing_outcome": (_replace(RECOGNITION, '<spiffworkflow:property name="outcome" value="recognized" />', ""),
                        "missing_outcome", "recognized", ["outcome", "recognized, rejected"]),
    "unknown_outcome": (_replace(RECOGNITION, 'name="outcome" value="recognized"', 'name="outcome" value="recognised"'),
                        "unknown_outcome", "recognized", ["recognised", "recognized, rejected"]),
    "missing_assignee": (_replace(RECOGNITION, '<spiffworkflow:property name="assignee" value="expert" />', ""),
                         "missing_assignee", "expert_review", ["assignee", "expert_score"]),
    "unknown_timer_kind": (_replace(RECOGNITION, 'value="notice_period"', 'value="notice_end"'),
                           "unknown_timer_kind", "public_notice", ["notice_end", "notice_period"]),
}


def _has(found: list[dict], code: str, element: str) -> dict:
    matches = [p for p in found if p["code"] == code and p["element"] == element]
    assert matches, f"no {code} on {element}: {found}"
    return matches[0]


def _versions() -> int:
    return db.session.scalar(db.select(db.func.count(ProcessDefinition.id)).where(
        ProcessDefinition.key == definitions.RECOGNITION))


# --- what ships validates ------------------------------------------------------------------------

def test_shipped_recognition_passes_with_the_catalogue(app_ctx):
    assert validation.problems(definitions.RECOGNITION, RECOGNITION, "bpmn") == []
    found = engine.validate_bpmn(RECOGNITION, "recognition", known_lanes=validation.KNOWN_LANES,
                                 operations=operations.signatures(), step_kinds=tuple(steps.STEP_KINDS),
                                 decisions=steps.DECISIONS, load_decision=validation._decision_xml)
    assert found == []


def test_the_catalogue_has_the_recognition_operations():
    assert operations.signatures()["draw_expert_panel"] == {"size": ("int", False, 1, 15),
                                                            "exclude_home_city": ("bool", False, None, None)}
    assert operations.signatures()["open_public_notice"] == {"ends": ("str", True, None, None)}


# --- each problem, through the service -----------------------------------------------------------

@pytest.mark.parametrize("case", list(CASES))
def test_each_problem_is_refused_with_its_element(app_ctx, case):
    xml, code, element, words = CASES[case]
    found = validation.problems(definitions.RECOGNITION, xml, "bpmn")
    problem = _has(found, code, element)
    for word in words:
        assert word in problem["message"], (word, problem["message"])
    # a problem SpiffWorkflow also trips on is reported once, in our words
    assert not [p for p in found if p["code"] == "engine_load"], found
    before = _versions()
    with pytest.raises(Invalid) as caught:
        definitions.deploy(definitions.RECOGNITION, xml)
    assert caught.value.code == "invalid_definition"
    assert _versions() == before


def test_bad_parameter_names_the_bound_and_the_value(app_ctx):
    problem = _has(validation.problems("recognition", _size("16"), "bpmn"), "bad_parameter", "panel_draw")
    assert problem["message"] == ("服务任务 抽取专家（panel_draw） 中操作 draw_expert_panel 的参数 size 的值为 16，"
                                  "大于最大值 15。")


def test_parameters_in_range_and_expressions_pass(app_ctx):
    """A literal in range passes; an expression is checked when the task runs, not at deploy time."""
    assert validation.problems("recognition", _size("15"), "bpmn") == []
    assert validation.problems("recognition", _size("1 if target_tier == 'national' else 3"), "bpmn") == []
    xml = _replace(RECOGNITION, 'value="deadline(&quot;public_notice&quot;)"', 'value="&apos;2030-01-01&apos;"')
    assert validation.problems("recognition", xml, "bpmn") == []


def test_an_operation_without_parameters_refuses_one(app_ctx):
    xml = _replace(RECOGNITION, SPOT_OPERATOR,
                   '<spiffworkflow:serviceTaskOperator id="draw_spot_check" resultVariable="spot_check">'
                   '<spiffworkflow:parameters><spiffworkflow:parameter id="share" type="float" value="0.1" />'
                   "</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator>")
    problem = _has(validation.problems("recognition", xml, "bpmn"), "unknown_parameter", "spot_check_draw")
    assert "不接受任何参数" in problem["message"] and "share" in problem["message"]


def test_plain_labels_and_tasks_without_kind_pass(app_ctx):
    xml = _replace(RECOGNITION, 'value="异议不成立"', 'value="__class__ 不是表达式"')
    xml = _replace(xml, '<spiffworkflow:property name="kind" value="amendment" />', "")
    assert validation.problems("recognition", xml, "bpmn") == []


def test_every_problem_is_reported_at_once(app_ctx):
    xml = _replace(CASES["unknown_decision"][0], 'value="expert_score"', 'value="expert_scoring"')
    xml = _replace(xml, 'id="draw_spot_check"', 'id="draw_lottery"')
    xml = _replace(xml, NOTICE_PARAM, "")
    found = validation.problems("recognition", xml, "bpmn")
    assert {(p["code"], p["element"]) for p in found} >= {
        ("unknown_decision", "objection_review"), ("unknown_step_kind", "expert_review"),
        ("unknown_operation", "spot_check_draw"), ("missing_parameter", "publish_notice")}


def test_the_engine_checks_the_catalogue_only_when_given_one(app_ctx):
    """The engine knows no operation: without signatures an unknown name passes, a missing operator not."""
    unknown = CASES["unknown_operation"][0]
    assert engine.validate_bpmn(unknown, "recognition", known_lanes=validation.KNOWN_LANES,
                                load_decision=validation._decision_xml) == []
    found = engine.validate_bpmn(CASES["no_operation"][0], "recognition", known_lanes=validation.KNOWN_LANES,
                                 load_decision=validation._decision_xml)
    assert [p.code for p in found] == ["no_operation"]


def test_the_engine_does_not_import_the_workflow_layer():
    for path in sorted((ROOT / "app" / "engine").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            assert not [n for n in names if n.startswith("app.") and not n.startswith("app.engine")], path.name


# --- through the admin API ----------------------------------------------------------------------

def _count(app) -> int:
    with app.app_context():
        return _versions()


@pytest.mark.parametrize("case", list(CASES))
def test_api_refuses_each_problem_and_stores_nothing(app, api, case):
    xml, code, element, _words = CASES[case]
    assert api.post("/api/v1/process-definitions/recognition/versions", as_="admin", data=RECOGNITION.encode(),
                    content_type="application/xml").status_code == 201
    before = _count(app)
    r = api.post("/api/v1/process-definitions/recognition/versions", as_="admin", data=xml.encode(),
                 content_type="application/xml")
    assert r.status_code == 422, r.get_json()
    error = r.get_json()["error"]
    assert error["code"] == "invalid_definition" and error["message"].startswith("该定义有")
    _has(error["problems"], code, element)
    assert _count(app) == before


def test_api_words_the_problems_in_english_on_request(api):
    r = api.post("/api/v1/process-definitions/recognition/versions", as_="admin",
                 data=CASES["unknown_step_kind"][0].encode(), content_type="application/xml",
                 headers={"Accept-Language": "en"})
    assert r.status_code == 422
    problem = _has(r.get_json()["error"]["problems"], "unknown_step_kind", "expert_review")
    assert problem["message"].startswith("User task 专家评审 (expert_review) declares the kind expert_scoring")


# --- the editor's side panel --------------------------------------------------------------------

def test_editor_lists_the_operation_catalogue_in_chinese(user_client, api):
    assert api.post("/api/v1/process-definitions/recognition/versions", as_="admin", data=RECOGNITION.encode(),
                    content_type="application/xml").status_code == 201
    r = user_client("admin").get("/admin/definitions/recognition/edit")
    assert r.status_code == 200
    html, page = r.get_data(as_text=True), text(r)
    for name in ("draw_expert_panel", "draw_spot_check", "open_public_notice", "decision", "expert_score",
                 "data_update", "approve", "return", "reject"):
        assert f'data-name="{name}"' in html, name
    for words in ("服务任务操作", "抽取专家组", "从专家库随机抽取专家", "专家组人数", "1–15", "可选", "必填",
                  "公示结束时间", "结果", "抽中专家的编号", "步骤类型", "专家评分", "修改补正", "通过"):
        assert words in page, words
    operations_panel = re.search(r'data-testid="operation-names".*?</ul>', html, re.S).group(0)
    assert operations_panel.count('data-kind="operation"') == len(operations.catalogue())
    assert 'data-name="record_recognition"' in operations_panel and "登记认定名录" in page
    assert 'data-name="size"' in operations_panel and 'data-name="ends"' in operations_panel
