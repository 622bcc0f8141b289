"""Policy rule sets as DMN: one decision, one COLLECT table whose rows are the criteria's bands.

Each row's outputs say what it is about (`item`, `name`, `kind`, `group`) and what it gives
(`points`, `passed`, `threshold`, `min_required`):

- kind `total`: the pass mark of the whole score (`points` = maximum, `min_required`);
- kind `group`: a score group (`item` = group id, `points` = maximum, `min_required` or empty);
- kind `score`: one band of a scored criterion (`group`, awarded `points`, `threshold` = the band);
- kind `hard`: a condition every application must meet (`passed` true/false, `threshold`);
- kind `direct`: a direct condition: meeting one waives the score requirements.

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

KINDS = ("total", "group", "score", "hard", "direct")
OUTPUTS = ("item", "name", "kind", "group", "points", "passed", "threshold", "min_required")
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
        facts = items.setdefault(item, {"name": out.get("name") or item, "kind": kind, "group": out.get("group")})
        if facts["kind"] != kind:
            raise EngineError(f"row {rule.row_number}: item {item} is both {facts['kind']} and {kind}")
        if kind == "score":
            facts["max"] = max(facts.get("max", 0), out.get("points") or 0)
        if out.get("threshold") and (out.get("passed") or out.get("points")):
            hints.setdefault(item, []).append(str(out["threshold"]))
        used = item_inputs.setdefault(item, set())
        for idx, entry in enumerate(rule.inputEntries):
            if any(lhs is not None and lhs.strip() not in ("", "-") for lhs in entry.lhs):
                used.add(inputs[idx])
    groups = {i for i, f in items.items() if f["kind"] == "group"}
    for item, facts in items.items():
        if facts["kind"] == "score" and groups and facts["group"] not in groups:
            raise EngineError(f"criterion {item} belongs to group {facts['group']!r}, which has no group row")
    return RuleBook(decision.id, decision.name or decision.id, table, inputs, items,
                    {k: tuple(sorted(v)) for k, v in item_inputs.items()},
                    {k: " / ".join(dict.fromkeys(v)) for k, v in hints.items()})


def evaluate_rules(book: RuleBook, data: dict[str, Any]) -> dict[str, Any]:
    """Evaluate the table on `data`; the explained verdict (see DESIGN/issue 3 for the shape)."""
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

    def value_of(item: str) -> Any:
        keys = book.item_inputs.get(item, ())
        values = {k: data.get(k) for k in keys}
        return values[keys[0]] if len(keys) == 1 else values

    criteria, missing = [], []
    for item, facts in book.items.items():
        kind = facts["kind"]
        if kind not in ("score", "hard", "direct"):
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
            "kind": kind, "group": facts.get("group"),
        })

    def static(kind: str) -> list[tuple[str, dict]]:
        return [(i, f) for i, f in book.items.items() if f["kind"] == kind]

    groups = []
    for gid, _facts in static("group"):
        row = by_item.get(gid, {})
        score = sum(c["points"] for c in criteria if c["kind"] == "score" and c["group"] == gid)
        minimum = row.get("min_required")
        minimum = minimum if isinstance(minimum, (int, float)) else None
        groups.append({"id": gid, "name": row.get("name") or gid, "score": score,
                       "max": row.get("points") if isinstance(row.get("points"), (int, float)) else None,
                       "min_required": minimum, "passed": minimum is None or score >= minimum})
    scored = [c for c in criteria if c["kind"] == "score"]
    score = sum(c["points"] for c in scored) if scored else None
    total = next((by_item.get(i, {}) for i, _f in static("total")), {})
    pass_mark = total.get("min_required") if isinstance(total.get("min_required"), (int, float)) else None
    hard_ok = all(c["passed"] for c in criteria if c["kind"] == "hard")
    score_ok = (score is None or pass_mark is None or score >= pass_mark) and all(g["passed"] for g in groups)
    directs = [c for c in criteria if c["kind"] == "direct"]
    direct_ok = any(c["passed"] for c in directs)
    if scored or directs:
        passed = hard_ok and ((bool(scored) and score_ok) or direct_ok)
    else:
        passed = hard_ok
    return {
        "passed": passed, "hard_passed": hard_ok, "score": score, "pass_score": pass_mark,
        "direct_passed": direct_ok, "groups": groups, "criteria": criteria, "missing": missing,
    }


_engine = script_engine()


rules_cache: DefinitionCache[RuleBook] = DefinitionCache(parse_rules)
