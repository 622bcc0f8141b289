"""Policy rule sets as DMN: one decision, one COLLECT table whose rows are the criteria's bands.

Each row's outputs say what it is about (`item`, `name`, `kind`, `group`) and what it gives
(`points`, `passed`, `threshold`, `min_required`):

- kind `total`: the pass mark of the whole score (`points` = maximum, `min_required`);
- kind `group`: a score group (`item` = group id, `points` = maximum, `min_required` or empty);
- kind `score`: one band of a scored criterion (`group`, awarded `points`, `threshold` = the band);
- kind `hard`: a condition every application must meet (`passed` true/false, `threshold`);
- kind `direct`: a direct condition: meeting one waives the score requirements;
- kind `reviewer_judged`: a condition no figure can show (省内领先, 管理规范…): it never blocks submission and
  is never passed by the data (`passed` null); the reviewer ticks it on the task, or returns/rejects with a reason;
- kind `track`: one alternative column of a standard (制造类 / 创新类, 企业 / 产品): `item` = track id,
  `name` its label.

An optional `track` output puts a row's item in one track; items without a track belong to every track. An
application that names its track (indicator `track`) is judged by that track; otherwise every track is judged
and the first that passes (or the closest) is reported, with each track's verdict.

Alternatives inside one criterion ("或") are rows of the same item: the first row that fires decides, so the
rows that pass come first. A group passes when every condition in it passes and its score reaches its minimum;
a group with no condition the data can show never passes by itself (no vacuous pass).

Inputs are indicator keys; the table is evaluated by SpiffWorkflow's DMN engine with the sandboxed
script engine. A missing indicator matches no row, so its criterion is reported as missing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser
from SpiffWorkflow.exceptions import SpiffWorkflowException

from app.engine.runtime import DefinitionCache, EngineError
from app.engine.sandbox import SandboxViolation, script_engine
from app.engine.xml import parse_xml

KINDS = ("total", "group", "score", "hard", "direct", "reviewer_judged", "track")
JUDGED = "reviewer_judged"
OUTPUTS = ("item", "name", "kind", "group", "track", "points", "passed", "threshold", "min_required")
PARSED_BY_XML = 32  # rule sets kept parsed by their XML text


class _Missing:
    """Stands for an indicator the application did not give: it matches no rule entry."""

    def _false(self, *_args: Any) -> bool:
        return False

    __eq__ = __lt__ = __le__ = __gt__ = __ge__ = _false

    def __ne__(self, _other: Any) -> bool:
        return True

    def __bool__(self) -> bool:
        return False

    __hash__ = object.__hash__


MISSING = _Missing()


@dataclass(frozen=True)
class RuleBook:
    """A parsed rule set table."""

    decision_id: str
    name: str
    table: Any
    inputs: tuple[str, ...]
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # item id → static facts
    item_inputs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)  # item id → its requirement, for a missing input
    tracks: dict[str, str] = field(default_factory=dict)  # track id → its label, in table order


def _literal(text: str | None) -> Any:
    if not text:
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None


@lru_cache(maxsize=PARSED_BY_XML)
def parse_rules(dmn_xml: str | bytes) -> RuleBook:
    """Parse and check a rule set DMN; raise EngineError with the problem when it is not usable.

    The same XML gives the same RuleBook (read-only, shared like the ones in `rules_cache`): deploying a
    file that was parsed before (the shipped rule sets on a fresh schema, a redeploy) parses nothing.
    """
    root = parse_xml(dmn_xml)
    parser = BpmnDmnParser()
    try:
        parser.add_dmn_xml(root)
        dmn = next(iter(parser.dmn_parsers.values()))
        dmn.parse()
    except (SpiffWorkflowException, StopIteration, KeyError, IndexError, SyntaxError) as exc:
        raise EngineError(f"DMN cannot be loaded: {exc}") from exc
    decision = dmn.decision
    if len(decision.decisionTables) != 1:
        raise EngineError("a rule set has exactly one decision table")
    table = decision.decisionTables[0]
    if table.hit_policy != "COLLECT":
        raise EngineError("the rule set table must use the COLLECT hit policy")
    names = [o.name for o in table.outputs]
    if missing := [o for o in ("item", "kind") if o not in names]:
        raise EngineError(f"the rule set table needs the outputs {', '.join(missing)}")
    inputs = tuple((i.expression or "").strip() for i in table.inputs)
    items: dict[str, dict[str, Any]] = {}
    item_inputs: dict[str, set[str]] = {}
    hints: dict[str, list[str]] = {}
    for rule in table.rules:
        out = {e.output.name: _literal(e.text) for e in rule.outputEntries}
        item, kind = out.get("item"), out.get("kind")
        if not item or kind not in KINDS:
            raise EngineError(f"row {rule.row_number}: needs an item and a kind ({', '.join(KINDS)})")
        facts = items.setdefault(item, {"name": out.get("name") or item, "kind": kind, "group": out.get("group"),
                                        "track": out.get("track")})
        if facts["kind"] != kind:
            raise EngineError(f"row {rule.row_number}: item {item} is both {facts['kind']} and {kind}")
        if kind == "score":
            facts["max"] = max(facts.get("max", 0), out.get("points") or 0)
        if out.get("threshold") and (out.get("passed") or out.get("points") or kind == JUDGED):
            hints.setdefault(item, []).append(str(out["threshold"]))
        used = item_inputs.setdefault(item, set())
        for idx, entry in enumerate(rule.inputEntries):
            if any(lhs is not None and lhs.strip() not in ("", "-") for lhs in entry.lhs):
                used.add(inputs[idx])
    groups = {i for i, f in items.items() if f["kind"] == "group"}
    for item, facts in items.items():
        if facts["kind"] == "score" and groups and facts["group"] not in groups:
            raise EngineError(f"criterion {item} belongs to group {facts['group']!r}, which has no group row")
        if facts["group"] and facts["kind"] in ("hard", JUDGED) and facts["group"] not in groups:
            raise EngineError(f"criterion {item} belongs to group {facts['group']!r}, which has no group row")
    tracks = {i: str(f["name"]) for i, f in items.items() if f["kind"] == "track"}
    for item, facts in items.items():
        if facts["track"] and facts["track"] not in tracks:
            raise EngineError(f"item {item} belongs to track {facts['track']!r}, which has no track row")
    return RuleBook(decision.id, decision.name or decision.id, table, inputs, items,
                    {k: tuple(sorted(v)) for k, v in item_inputs.items()},
                    {k: " / ".join(dict.fromkeys(v)) for k, v in hints.items()}, tracks)


def evaluate_rules(book: RuleBook, data: dict[str, Any], track: str | None = None) -> dict[str, Any]:
    """Evaluate the table on `data`; the explained verdict (see DESIGN/issue 3 for the shape).

    `track` (or `data["track"]`) chooses one alternative column of a standard with tracks.
    """
    scope = {key: (data[key] if data.get(key) is not None else MISSING) for key in book.inputs}
    task = SimpleNamespace(data=scope, workflow=SimpleNamespace(script_engine=_engine),
                           task_spec=SimpleNamespace(name=book.decision_id, bpmn_id=book.decision_id,
                                                     bpmn_name=book.name))
    try:
        fired = DMNEngine(book.table).result(task)
    except SandboxViolation as exc:
        raise EngineError(f"forbidden expression in the rule set: {exc}") from exc
    except Exception as exc:  # a broken entry: the DMN engine wraps it in its own exceptions
        raise EngineError(f"the rule set could not be evaluated: {exc}") from exc
    rows = [dict(zip(fired, values, strict=True)) for values in zip(*fired.values(), strict=True)] if fired else []
    by_item: dict[str, dict[str, Any]] = {}
    for row in rows:
        by_item.setdefault(row["item"], row)  # the first row that fires decides
    if not book.tracks:
        return _verdict(book, by_item, data, None)
    chosen = track if track is not None else data.get("track")
    verdicts = {t: _verdict(book, by_item, data, t) for t in book.tracks}
    if chosen not in verdicts:
        passing = [t for t, v in verdicts.items() if v["passed"]]
        chosen = passing[0] if passing else max(verdicts, key=lambda t: _closeness(verdicts[t]))
        picked_by = "best"
    else:
        picked_by = "application"
    result = verdicts[chosen]
    result["track"] = {"id": chosen, "name": book.tracks[chosen], "chosen_by": picked_by}
    result["tracks"] = [{"id": t, "name": name, "passed": verdicts[t]["passed"]} for t, name in book.tracks.items()]
    return result


def _closeness(verdict: dict[str, Any]) -> tuple[int, int, float]:
    """How near a failing track came: fewer failed conditions, fewer missing figures, then the score."""
    failed = sum(1 for c in verdict["criteria"] if c["kind"] == "hard" and not c["passed"])
    return (-failed, -len(verdict["missing"]), verdict["score"] or 0)


def _verdict(book: RuleBook, by_item: dict[str, dict[str, Any]], data: dict[str, Any],
             track: str | None) -> dict[str, Any]:
    def in_track(facts: dict[str, Any]) -> bool:
        return not facts.get("track") or facts["track"] == track

    def value_of(item: str) -> Any:
        keys = book.item_inputs.get(item, ())
        values = {k: data.get(k) for k in keys}
        return values[keys[0]] if len(keys) == 1 else values

    criteria, missing = [], []
    for item, facts in book.items.items():
        kind = facts["kind"]
        if kind not in ("score", "hard", "direct", JUDGED) or not in_track(facts):
            continue
        if kind == JUDGED:
            criteria.append({"id": item, "name": facts["name"], "value": None,
                             "threshold": book.hints.get(item),
                             "points": None, "passed": None, "hard": False, "kind": kind,
                             "group": facts.get("group"), "track": facts.get("track")})
            continue
        row = by_item.get(item)
        absent = [k for k in book.item_inputs.get(item, ()) if data.get(k) is None]
        if row is None:
            missing.extend(k for k in absent if k not in missing)
        points = (row.get("points") or 0) if (row and kind == "score") else (0 if kind == "score" else None)
        if kind == "score":
            passed = points > 0
        else:
            passed = bool(row and row.get("passed") is True)
        criteria.append({
            "id": item, "name": facts["name"], "value": value_of(item),
            "threshold": (row or {}).get("threshold") or book.hints.get(item),
            "points": points, "passed": passed, "hard": kind == "hard",
            "kind": kind, "group": facts.get("group"), "track": facts.get("track"),
        })

    def static(kind: str) -> list[tuple[str, dict]]:
        return [(i, f) for i, f in book.items.items() if f["kind"] == kind and in_track(f)]

    groups = []
    for gid, _facts in static("group"):
        row = by_item.get(gid, {})
        members = [c for c in criteria if c["group"] == gid]
        score = sum(c["points"] for c in members if c["kind"] == "score")
        minimum = row.get("min_required")
        minimum = minimum if isinstance(minimum, (int, float)) else None
        judged_by_data = [c for c in members if c["kind"] in ("score", "hard")]
        conditions_met = all(c["passed"] for c in members if c["kind"] == "hard")
        score_met = minimum is None or score >= minimum
        if judged_by_data:
            group_passed: bool | None = conditions_met and score_met
        elif any(c["kind"] == JUDGED for c in members):
            group_passed = None  # only the reviewer can say
        else:
            group_passed = False  # nothing in it was shown: no vacuous pass
        groups.append({"id": gid, "name": row.get("name") or gid, "score": score,
                       "max": row.get("points") if isinstance(row.get("points"), (int, float)) else None,
                       "min_required": minimum, "passed": group_passed,
                       "judged_by_reviewer": [c["id"] for c in members if c["kind"] == JUDGED]})
    scored = [c for c in criteria if c["kind"] == "score"]
    score = sum(c["points"] for c in scored) if scored else None
    total = next((by_item.get(i, {}) for i, _f in static("total")), {})
    pass_mark = total.get("min_required") if isinstance(total.get("min_required"), (int, float)) else None
    hard_ok = all(c["passed"] for c in criteria if c["kind"] == "hard")
    score_groups_ok = all(g["passed"] is not False for g in groups
                          if any(c["group"] == g["id"] and c["kind"] == "score" for c in scored))
    score_ok = (score is None or pass_mark is None or score >= pass_mark) and score_groups_ok
    groups_ok = all(g["passed"] is not False for g in groups)
    directs = [c for c in criteria if c["kind"] == "direct"]
    direct_ok = any(c["passed"] for c in directs)
    if scored or directs:
        passed = hard_ok and ((bool(scored) and score_ok) or direct_ok)
        # groups of conditions (not of points) are required whatever the score
        passed = passed and all(g["passed"] is not False for g in groups
                                if not any(c["group"] == g["id"] and c["kind"] == "score" for c in scored))
    else:
        passed = hard_ok and groups_ok
    return {
        "passed": passed, "hard_passed": hard_ok, "score": score, "pass_score": pass_mark,
        "direct_passed": direct_ok, "groups": groups, "criteria": criteria, "missing": missing,
        "reviewer_judged": [{"id": c["id"], "name": c["name"], "threshold": c["threshold"]}
                            for c in criteria if c["kind"] == JUDGED],
    }


_engine = script_engine()


rules_cache: DefinitionCache[RuleBook] = DefinitionCache(parse_rules)
