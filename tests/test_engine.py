"""The engine package on the real recognition.bpmn: sandboxed conditions, spec-free saved state."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app import engine
from app.engine import sandbox

WORKFLOWS = Path(__file__).resolve().parents[1] / "workflows"
BPMN = (WORKFLOWS / "recognition.bpmn").read_text(encoding="utf-8")
DMN = [(WORKFLOWS / "eligibility_check.dmn").read_text(encoding="utf-8")]


@pytest.fixture(scope="module")
def pspec():
    return engine.parse_spec(BPMN, process_id="recognition", dmn_xml=DMN)


def operations(name, params, step, data):
    """The caller's side of the service tasks, as plain as the engine tests need: a panel and a spot-check
    draw come from the data the decision brought, a notice ends when its parameter says."""
    return {"draw_expert_panel": lambda: data.get("expert_panel", []),
            "draw_spot_check": lambda: data.get("spot_check", False),
            "open_public_notice": lambda: params["ends"],
            "record_recognition": lambda: "certificate"}[name]()


@pytest.fixture(autouse=True)
def _operations():
    with engine.serving(operations):
        yield


def run_to_end(pspec, tier: str, decisions: list[str]) -> engine.Advance:
    """Decide in turn; the province's first approval goes to an empty expert panel (straight back)."""
    result = engine.start(pspec, {"target_tier": tier, "eligibility_passed": True, "spot_check": False})
    for decision in decisions:
        assert len(result.ready) == 1
        result = engine.complete(pspec, result.state, result.ready[0].engine_task_id,
                                 {"decision": decision, "expert_panel": []})
    return result


def end_notice(pspec, result: engine.Advance) -> engine.Advance:
    """Move the clock past the public notice and fire its timer."""
    assert [t.step for t in result.timers] == ["public_notice"] and result.ready == []
    later = engine.calendar_clock(result.timers[0].due_at + timedelta(seconds=1))
    return engine.fire_timers(pspec, result.state, later)


def test_the_business_rule_task_needs_its_decision_table():
    assert engine.called_decisions(BPMN) == ["eligibility_check"]
    with pytest.raises(Exception, match="eligibility_check"):
        engine.parse_spec(BPMN, process_id="recognition")


def test_the_business_rule_task_sets_the_review_hint(pspec):
    for passed, attention in ((True, False), (False, True)):
        result = engine.start(pspec, {"target_tier": "seed", "eligibility_passed": passed, "spot_check": False})
        state = json.loads(result.state)
        # task data is saved as deltas against the parent task: the decision table's outputs appear once
        hints = [t["delta"]["updates"]["needs_attention"] for t in state["tasks"].values()
                 if "needs_attention" in (t.get("delta") or {}).get("updates", {})]
        assert hints == [attention]


def test_lanes_and_steps(pspec):
    result = engine.start(pspec, {"target_tier": "national", "eligibility_passed": True, "spot_check": False})
    steps = []
    while result.ready:
        task = result.ready[0]
        steps.append((task.step, task.lane))
        result = engine.complete(pspec, result.state, task.engine_task_id, {"decision": "approve", "expert_panel": []})
    assert steps == [("county_review", "county"), ("city_review", "city"), ("province_review", "province"),
                     ("province_review", "province"), ("national_review", "national")]
    assert result.completed and result.end_event == "recognized"


@pytest.mark.parametrize("tier,approvals", [("seed", 1), ("city", 2), ("province", 4), ("national", 5)])
def test_chain_ends_at_the_target_tier(pspec, tier, approvals):
    result = run_to_end(pspec, tier, ["approve"] * approvals)
    if tier == "province":  # recognized only once the public notice has ended
        assert not result.completed
        result = end_notice(pspec, result)
    assert result.completed and result.end_event == "recognized" and result.ready == []


def test_return_goes_to_amend_then_back_to_county(pspec):
    result = run_to_end(pspec, "city", ["approve", "return"])
    assert [(t.step, t.lane) for t in result.ready] == [("amend", "enterprise")]
    result = engine.complete(pspec, result.state, result.ready[0].engine_task_id, {"decision": None})
    assert [t.step for t in result.ready] == ["county_review"]


def test_reject_ends(pspec):
    result = run_to_end(pspec, "national", ["approve", "approve", "reject"])
    assert result.completed and result.end_event == "rejected"


def test_saved_state_carries_no_spec_and_does_not_grow(pspec):
    first = engine.start(pspec, {"target_tier": "city", "eligibility_passed": True, "spot_check": False})
    state = json.loads(first.state)
    assert "spec" not in state and "subprocess_specs" not in state
    assert "county_review" not in json.dumps({k: v for k, v in state.items() if k != "tasks"})
    start = {"target_tier": "city", "eligibility_passed": True, "spot_check": False}
    sizes = {len(engine.start(pspec, start).state) for _ in range(20)}
    assert max(sizes) - min(sizes) < 50  # same shape for every instance, independent of how many exist


def test_completing_a_task_that_is_not_ready(pspec):
    result = engine.start(pspec, {"target_tier": "city", "eligibility_passed": True, "spot_check": False})
    done = engine.complete(pspec, result.state, result.ready[0].engine_task_id, {"decision": "approve"})
    with pytest.raises(engine.TaskNotReady):
        engine.complete(pspec, done.state, result.ready[0].engine_task_id, {"decision": "approve"})
    with pytest.raises(engine.TaskNotReady):
        engine.complete(pspec, done.state, "not-a-uuid", {})


@pytest.mark.parametrize("expression", [
    "().__class__.__base__.__subclasses__()",
    "__import__('os').system('id')",
    "open('/etc/passwd').read()",
    "decision.__class__",
    "getattr(decision, '__class__')",
    "[c for c in ().__class__.__mro__]",
    "exec('1')",
    "eval('1+1')",
])
def test_sandbox_refuses_escapes(expression):
    with pytest.raises((sandbox.SandboxViolation, NameError, AttributeError, TypeError)):
        sandbox.evaluate(expression, {"decision": "approve"})


def test_sandbox_reports_problems_before_running():
    assert sandbox.check("decision == 'approve' and target_tier != 'seed'") == []
    assert sandbox.check("().__class__.__base__") != []
    assert sandbox.check("import os", mode="exec") != []


def test_sandbox_evaluates_plain_expressions():
    assert sandbox.evaluate("decision == 'approve' and score >= 60", {"decision": "approve", "score": 72}) is True
    assert sandbox.evaluate("max(a, b) + len(items)", {"a": 1, "b": 5, "items": [1, 2]}) == 7
    assert sandbox.execute("total = a + b", {"a": 1, "b": 2})["total"] == 3


def test_a_gateway_condition_that_escapes_cannot_run():
    evil = BPMN.replace("decision == 'reject'", "().__class__.__base__.__subclasses__() or decision == 'reject'", 1)
    assert evil != BPMN
    pspec = engine.parse_spec(evil, process_id="recognition", dmn_xml=DMN)
    result = engine.start(pspec, {"target_tier": "city", "eligibility_passed": True, "spot_check": False})
    with pytest.raises(engine.EngineError):
        engine.complete(pspec, result.state, result.ready[0].engine_task_id, {"decision": "approve"})


@pytest.mark.parametrize("xml", [
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
    '<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>',
    "<x><unclosed></x>",
])
def test_unsafe_or_broken_xml_is_refused(xml):
    with pytest.raises(engine.UnsafeXML):
        engine.parse_xml(xml)


def test_timers_wait_with_their_due_times_and_fire_only_when_due(pspec):
    # in the future: a timer already due by the wall clock fires as soon as the engine runs
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    result = engine.start(pspec, {"target_tier": "city", "eligibility_passed": True, "spot_check": False},
                          engine.calendar_clock(start, days=10))
    due = {t.step: (t.kind, t.attached_to, t.due_at) for t in result.timers}
    assert due == {"county_review_reminder": ("reminder", "county_review", start + timedelta(days=8)),
                   "county_review_overdue": ("overdue", "county_review", start + timedelta(days=10))}
    # before the reminder: nothing fires and the state is the same task tree
    quiet = engine.fire_timers(pspec, result.state, engine.calendar_clock(start + timedelta(days=7)))
    assert quiet.fired == [] and len(quiet.timers) == 2
    reminded = engine.fire_timers(pspec, result.state, engine.calendar_clock(start + timedelta(days=9)))
    assert [t.kind for t in reminded.fired] == ["reminder"] and [t.step for t in reminded.ready] == ["county_review"]
    assert reminded.fired[0].attached_task_id == reminded.ready[0].engine_task_id
    both = engine.fire_timers(pspec, reminded.state, engine.calendar_clock(start + timedelta(days=11)))
    assert [t.kind for t in both.fired] == ["overdue"] and both.timers == []  # each fires once
    assert [t.step for t in both.ready] == ["county_review"]  # non-interrupting: the task still waits


def test_a_signal_nothing_waits_for_is_refused(pspec):
    result = engine.start(pspec, {"target_tier": "province", "eligibility_passed": True, "spot_check": False})
    with pytest.raises(engine.TaskNotReady):
        engine.signal(pspec, result.state, "objection")


def test_the_expert_panel_runs_one_task_per_expert_and_summarises(pspec):
    result = run_to_end(pspec, "province", ["approve", "approve"])
    result = engine.complete(pspec, result.state, result.ready[0].engine_task_id,
                             {"decision": "approve", "expert_panel": [7, 8, 9]})
    assert sorted((t.step, t.assignee) for t in result.ready) == [
        ("expert_review", 7), ("expert_review", 8), ("expert_review", 9)]
    for task, score in zip(result.ready[:2], (60, 90), strict=True):
        result = engine.complete(pspec, result.state, next(
            t.engine_task_id for t in result.ready if t.assignee == task.assignee), {"expert_score": score})
    assert [t.assignee for t in result.ready] == [9]
    deadline = next(t.due_at for t in result.timers if t.kind == "expert_deadline")
    result = engine.fire_timers(pspec, result.state, engine.calendar_clock(deadline + timedelta(minutes=1)))
    assert [t.kind for t in result.fired if t.kind == "expert_deadline"] == ["expert_deadline"]
    assert [t.step for t in result.ready] == ["province_review"]
    assert result.ready[0].context == {"experts_done": True, "expert_count": 3, "expert_scored": 2,
                                       "expert_mean": 75.0, "expert_spread": 30}
