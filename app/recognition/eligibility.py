"""Eligibility: pick the rule set that judges an application and explain its verdict.

Rule sets are registered at the jurisdiction that issued them (workflows/rules/rule_sets.json). Each tier's
standard is set by one office level (`issued_by`: 001 §二（一）1–4). An application is judged by the most
specific rule set of its tier issued at that level or below in its region's lineage; where none is loaded
(白山、长春、晋城 city tiers, Jilin's and Shanxi's provincial standards), by the nearest published one — a
rule set higher up the lineage, else the tier's designated stand-in — and the verdict says so.
A provisional rule set (not verified against a text) is applied only once an admin activates it; a call may
pin the rule set its applications are judged by.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from app import engine
from app.core import audit, permissions
from app.core.errors import Invalid, NotFound
from app.core.workdays import china_date
from app.extensions import db
from app.models import Application, ProcessDefinition, Region, RuleSet, User
from app.recognition import indicators
from app.workflow import definitions

LEVEL_RANK = {"county": 0, "city": 1, "province": 2, "national": 3}
MANIFEST = definitions.SHIPPED_DIR / "rules" / "rule_sets.json"
CRITERION_KEYS = ("id", "name", "value", "threshold", "points", "passed", "hard", "kind", "group", "track")
MANIFEST_FIELDS = ("name", "tier", "region_code", "effective_from", "effective_to", "status", "source", "fallback")


def manifest() -> dict[str, Any]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def _fields(entry: dict[str, Any]) -> dict[str, Any]:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return {"name": entry["name"], "tier": entry["tier"], "region_code": entry["region_code"],
            "effective_from": day(entry["effective_from"]), "effective_to": day(entry.get("effective_to")),
            "status": entry.get("status", "verified"), "source": entry.get("source"),
            "fallback": bool(entry.get("fallback"))}


def ensure_shipped(*, upgrade: bool = False) -> list[RuleSet]:
    """Create the shipped rule sets (and deploy their DMN as version 1) where they do not exist yet, and keep
    the shipped ones' provenance as the manifest says (name, jurisdiction, life, status, source). With
    `upgrade`, a shipped DMN that differs from the active version is deployed as the next version.
    Whether a provisional rule set is applied stays the admin's choice (`active`)."""
    created = []
    for entry in manifest()["rule_sets"]:
        if db.session.get(Region, entry["region_code"]) is None:
            continue  # a jurisdiction this installation does not have
        xml = (MANIFEST.parent / f"{entry['key']}.dmn").read_text(encoding="utf-8")
        current = definitions._active_row(entry["key"])
        if current is None and db.session.scalar(
                db.select(ProcessDefinition.id).where(ProcessDefinition.key == entry["key"])) is None:
            definitions.deploy(entry["key"], xml, kind="dmn", comment="shipped with Tierflow")
        elif upgrade and current is not None and current.xml != xml:
            definitions.deploy(entry["key"], xml, kind="dmn", comment="shipped with Tierflow (upgrade)")
        fields = _fields(entry)
        rule_set = db.session.scalar(db.select(RuleSet).where(RuleSet.key == entry["key"]))
        if rule_set is None:
            rule_set = RuleSet(key=entry["key"], active=fields["status"] == "verified", **fields)
            db.session.add(rule_set)
            created.append(rule_set)
        else:
            for name, value in fields.items():
                if getattr(rule_set, name) != value:
                    setattr(rule_set, name, value)
    db.session.flush()
    return created


@dataclass(frozen=True)
class Choice:
    """The rule set that judges, and why: its own jurisdiction's, a stand-in (`fallback`), or a call's pin."""

    rule_set: RuleSet
    fallback: bool = False
    pinned: bool = False

    def summary(self, version: int) -> dict[str, Any]:
        note = _("This jurisdiction's own standard is not loaded; judged by %(name)s",
                 name=self.rule_set.name) if self.fallback else None
        return self.rule_set.summary() | {"version": version, "fallback": self.fallback, "pinned": self.pinned,
                                          "note": note}


def _issuing_level(tier: str) -> str:
    return manifest().get("issued_by", {}).get(tier, {}).get("level", "national")


def select(tier: str, region: Region, on: date, *, pinned: str | None = None) -> RuleSet:
    return choose(tier, region, on, pinned=pinned).rule_set


def choose(tier: str, region: Region, on: date, *, pinned: str | None = None) -> Choice:
    """The rule set for `tier` in `region` on `on` (see the module's docstring)."""
    if pinned:
        rule_set = db.session.scalar(db.select(RuleSet).where(RuleSet.key == pinned, RuleSet.tier == tier))
        if rule_set is not None:
            return Choice(rule_set, pinned=True)
    lineage: list[Region] = []
    node: Region | None = region
    while node is not None:
        lineage.append(node)
        node = node.parent
    rank = {r.code: LEVEL_RANK.get(r.level, 9) for r in lineage}
    order = {r.code: i for i, r in enumerate(lineage)}
    candidates = [r for r in db.session.scalars(db.select(RuleSet).where(
        RuleSet.tier == tier, RuleSet.active.is_(True), RuleSet.effective_from <= on)) if r.in_force(on)]
    if not candidates and db.session.scalar(db.select(RuleSet.id).limit(1)) is None:
        ensure_shipped()
        return choose(tier, region, on)
    in_lineage = sorted((r for r in candidates if r.region_code in rank),
                        key=lambda r: (order[r.region_code], -r.effective_from.toordinal()))
    issuer = LEVEL_RANK.get(_issuing_level(tier), 3)
    own = [r for r in in_lineage if rank[r.region_code] <= issuer]
    if own:
        return Choice(own[0])
    if in_lineage:
        return Choice(in_lineage[0], fallback=True)
    stand_ins = sorted((r for r in candidates if r.fallback), key=lambda r: -r.effective_from.toordinal())
    if stand_ins:
        return Choice(stand_ins[0], fallback=True)
    raise NotFound(_("No rule set is in force for this tier and region."))


def _book(rule_set: RuleSet) -> tuple[engine.RuleBook, int]:
    definition = definitions.active(rule_set.key)
    return engine.rules_cache.get(definition.id, lambda: definition.xml), definition.version


def needed_keys(tier: str, region: Region, on: date | None = None) -> list[str]:
    """The indicator keys the rule set in force for `tier` in `region` reads, in form order."""
    book, _version = _book(select(tier, region, on or china_date()))
    keys = indicators.sources(book.inputs)
    return keys + ["track"] if book.tracks else keys


def evaluate(application: Application, on: date | None = None) -> dict[str, Any]:
    """The explained verdict for the application's data, by the rules in force on `on`.

    `on` defaults to the submission date, or today for an application not submitted yet.
    """
    on = on or china_date(application.submitted_at)
    call = getattr(application, "call", None)
    if call is None and getattr(application, "status", None) == "draft":  # the call it would be filed to
        from app.recognition import calls

        call = calls.current(application.target_tier, application.enterprise.region, on)
    choice = choose(application.target_tier, application.enterprise.region, on,
                    pinned=call.rule_set_key if call is not None else None)
    book, version = _book(choice.rule_set)
    data = application.data or {}
    try:
        verdict = engine.evaluate_rules(book, indicators.derive(data), track=data.get("track"))
    except engine.EngineError as exc:
        raise Invalid(_("The rule set could not be evaluated: %(error)s", error=str(exc))) from exc
    result = {
        "tier": application.target_tier,
        "rule_set": choice.summary(version),
        "passed": verdict["passed"],
        "score": verdict["score"],
        "pass_score": verdict["pass_score"],
        "hard_passed": verdict["hard_passed"],
        "direct_passed": verdict["direct_passed"],
        "groups": verdict["groups"],
        "criteria": [{k: c.get(k) for k in CRITERION_KEYS} for c in verdict["criteria"]],
        "missing": verdict["missing"],
        "reviewer_judged": verdict["reviewer_judged"],
        "evaluated_on": on.isoformat(),
    }
    if "track" in verdict:
        result["track"], result["tracks"] = verdict["track"], verdict["tracks"]
    return result


def hard_failures(evaluation: dict[str, Any]) -> list[str]:
    return [c["name"] for c in evaluation["criteria"] if c["hard"] and not c["passed"]]


def rule_sets() -> list[RuleSet]:
    if db.session.scalar(db.select(RuleSet.id).limit(1)) is None:
        ensure_shipped()  # a new installation: the shipped ones, as on first use
    return list(db.session.scalars(db.select(RuleSet).order_by(RuleSet.tier, RuleSet.region_code, RuleSet.key)))


def set_active(user: User, key: str, active: bool) -> RuleSet:
    """An admin applies (or stops applying) a rule set; a provisional one is applied only this way."""
    permissions.require_admin(user)
    rule_sets()
    rule_set = db.session.scalar(db.select(RuleSet).where(RuleSet.key == key))
    if rule_set is None:
        raise NotFound(_("No such rule set."))
    if not isinstance(active, bool):
        raise Invalid(_("Say whether the rule set is applied."), fields={"active": _("must be true or false")})
    if rule_set.active != active:
        rule_set.active = active
        audit.record("activate_rule_set" if active else "deactivate_rule_set", actor=user,
                     details={"rule_set": key, "status": rule_set.status})
    return rule_set
