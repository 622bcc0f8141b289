"""Eligibility: pick the rule set in force for an application and explain its verdict."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask_babel import gettext as _

from app import engine
from app.core.errors import Invalid, NotFound
from app.core.workdays import china_date
from app.extensions import db
from app.models import Application, ProcessDefinition, Region, RuleSet
from app.recognition import indicators
from app.workflow import definitions

LEVEL_RANK = {"county": 0, "city": 1, "province": 2, "national": 3}
MANIFEST = definitions.SHIPPED_DIR / "rules" / "rule_sets.json"
CRITERION_KEYS = ("id", "name", "value", "threshold", "points", "passed", "hard")


def ensure_shipped() -> list[RuleSet]:
    """Create the shipped rule sets (and deploy their DMN as version 1) where they do not exist yet."""
    created = []
    for entry in json.loads(MANIFEST.read_text(encoding="utf-8")):
        if db.session.scalar(db.select(RuleSet.id).where(RuleSet.key == entry["key"])) is not None:
            continue
        if db.session.scalar(db.select(ProcessDefinition.id).where(ProcessDefinition.key == entry["key"])) is None:
            xml = (MANIFEST.parent / f"{entry['key']}.dmn").read_text(encoding="utf-8")
            definitions.deploy(entry["key"], xml, kind="dmn", comment="shipped with Tierflow")
        rule_set = RuleSet(key=entry["key"], name=entry["name"], tier=entry["tier"],
                           region_code=entry["region_code"], effective_from=date.fromisoformat(entry["effective_from"]))
        db.session.add(rule_set)
        created.append(rule_set)
    db.session.flush()
    return created


def select(tier: str, region: Region, on: date) -> RuleSet:
    """The most specific rule set for `tier` in force on `on` in the region or above it."""
    chain = []
    node: Region | None = region
    while node is not None:
        chain.append(node)
        node = node.parent
    codes = {r.code: LEVEL_RANK.get(r.level, 9) for r in chain}
    candidates = list(db.session.scalars(db.select(RuleSet).where(
        RuleSet.tier == tier, RuleSet.region_code.in_(codes), RuleSet.effective_from <= on)))
    if not candidates and db.session.scalar(db.select(RuleSet.id).limit(1)) is None:
        ensure_shipped()
        return select(tier, region, on)
    if not candidates:
        raise NotFound(_("No rule set is in force for this tier and region."))
    return min(candidates, key=lambda r: (codes[r.region_code], -r.effective_from.toordinal()))


def _book(rule_set: RuleSet) -> tuple[engine.RuleBook, int]:
    definition = definitions.active(rule_set.key)
    return engine.rules_cache.get(definition.id, lambda: definition.xml), definition.version


def needed_keys(tier: str, region: Region, on: date | None = None) -> list[str]:
    """The indicator keys the rule set in force for `tier` in `region` reads, in form order."""
    book, _version = _book(select(tier, region, on or china_date()))
    return indicators.sources(book.inputs)


def evaluate(application: Application, on: date | None = None) -> dict[str, Any]:
    """The explained verdict for the application's data, by the rules in force on `on`.

    `on` defaults to the submission date, or today for an application not submitted yet.
    """
    on = on or china_date(application.submitted_at)
    rule_set = select(application.target_tier, application.enterprise.region, on)
    book, version = _book(rule_set)
    try:
        verdict = engine.evaluate_rules(book, indicators.derive(application.data or {}))
    except engine.EngineError as exc:
        raise Invalid(_("The rule set could not be evaluated: %(error)s", error=str(exc))) from exc
    return {
        "tier": application.target_tier,
        "rule_set": rule_set.summary() | {"version": version},
        "passed": verdict["passed"],
        "score": verdict["score"],
        "pass_score": verdict["pass_score"],
        "hard_passed": verdict["hard_passed"],
        "direct_passed": verdict["direct_passed"],
        "groups": verdict["groups"],
        "criteria": [{k: c[k] for k in CRITERION_KEYS} | {"kind": c["kind"]} for c in verdict["criteria"]],
        "missing": verdict["missing"],
        "evaluated_on": on.isoformat(),
    }


def hard_failures(evaluation: dict[str, Any]) -> list[str]:
    return [c["name"] for c in evaluation["criteria"] if c["hard"] and not c["passed"]]
