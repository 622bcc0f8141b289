"""Deploying BPMN definitions as numbered versions and finding the active one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import has_app_context
from flask_babel import gettext as _

from app import engine
from app.core import audit, txcache
from app.core.errors import Invalid, NotFound
from app.core.vocabulary import Lane, StepKind
from app.extensions import db
from app.models import ProcessDefinition, User

RECOGNITION = "recognition"
SHIPPED_DIR = Path(__file__).resolve().parents[2] / "workflows"


def _check(key: str, xml: str, kind: str) -> None:
    """Raise Invalid unless the engine can load `xml` as a `kind` definition."""
    # --- deploy-time validation (app/workflow/validation.py): every problem, nothing stored when any
    from app.workflow import validation

    found = validation.problems(key, xml, kind)
    if found:
        raise Invalid(validation.summary(found), code="invalid_definition", extra={"problems": found})
    # --- end of deploy-time validation
    try:
        if kind == "dmn":
            policy = validation.dmn_policy(key)
            book = engine.parse_rules(xml) if policy.rule_set else None
            unknown = sorted(set(book.inputs) - policy.inputs) if book and policy.inputs is not None else []
            if unknown:
                raise engine.EngineError(f"inputs it may not read: {', '.join(unknown)}")
        else:
            engine.parse_spec(xml, process_id=key, dmn_xml=_decision_xml(engine.called_decisions(xml)))
    except Invalid:
        raise
    except Exception as exc:  # any parse or load failure means nothing is stored
        raise Invalid(_("The engine cannot load this definition: %(error)s", error=str(exc))) from exc


def _decision_xml(decision_ids: list[str]) -> list[str]:
    """The active DMN XML for each decision a BPMN calls (deploying the shipped one when needed)."""
    found = []
    for decision_id in decision_ids:
        row = _active_row(decision_id)
        if row is None and (SHIPPED_DIR / f"{decision_id}.dmn").exists():
            row = deploy(decision_id, (SHIPPED_DIR / f"{decision_id}.dmn").read_text(encoding="utf-8"), kind="dmn",
                         comment="shipped with Tierflow")
        if row is not None:
            found.append(row.xml)
    return found


def deploy(key: str, xml: str, *, kind: str = "bpmn", user: User | None = None,
           comment: str | None = None) -> ProcessDefinition:
    """Check that the engine can load `xml`, then store it as the next, active version of `key`. A key keeps
    its kind: a DMN is never a new version of a process, nor a BPMN of a decision table."""
    held = _held_kind(key)
    if held is not None and held != kind:
        raise Invalid(_("%(key)s holds %(held)s definitions; this XML is %(kind)s. Deploy it under its own key.",
                        key=key, held=held.upper(), kind=kind.upper()), code="wrong_kind")
    _check(key, xml, kind)
    current = db.session.scalar(
        db.select(db.func.max(ProcessDefinition.version)).where(ProcessDefinition.key == key))
    db.session.execute(db.update(ProcessDefinition).where(ProcessDefinition.key == key).values(is_active=False))
    definition = ProcessDefinition(key=key, version=(current or 0) + 1, kind=kind, xml=xml, comment=comment,
                                   deployed_by_id=user.id if user else None, is_active=True)
    db.session.add(definition)
    db.session.flush()
    txcache.forget("active_bpmn")
    txcache.forget("step_catalog")
    audit.record("deploy", actor=user, details={"key": key, "kind": kind, "version": definition.version})
    return definition


def _held_kind(key: str) -> str | None:
    """The kind of the definitions stored under `key`, or of the file Tierflow ships under it."""
    held = db.session.scalar(db.select(ProcessDefinition.kind).where(ProcessDefinition.key == key).limit(1))
    if held is None:
        shipped = (SHIPPED_DIR / f"{key}.bpmn", SHIPPED_DIR / f"{key}.dmn", SHIPPED_DIR / "rules" / f"{key}.dmn")
        held = next((path.suffix[1:] for path in shipped if path.exists()), None)
    return held


def _active_row(key: str) -> ProcessDefinition | None:
    return db.session.scalar(db.select(ProcessDefinition).where(
        ProcessDefinition.key == key, ProcessDefinition.is_active.is_(True)))


def active(key: str) -> ProcessDefinition:
    """The version new instances of `key` start on; the shipped file is deployed on first use."""
    definition = _active_row(key)
    if definition is None:
        deploy_shipped()
        definition = _active_row(key)
    if definition is None:
        raise NotFound(_("No active version of process %(key)s is deployed.", key=key))
    return definition


def deploy_shipped(workflows_dir: Path = SHIPPED_DIR, *, upgrade: bool = False) -> list[ProcessDefinition]:
    """Deploy each shipped BPMN file as version 1 of its key when the key has no version yet; with
    `upgrade`, also as the next version where it differs from the active one (after a release). An active
    version from before steps were declared in the BPMN (no user task says its `kind`) is always replaced:
    the runtime takes every step's behaviour from those declarations."""
    deployed = []
    for path in sorted(workflows_dir.glob("*.bpmn")):
        key, xml = path.stem, path.read_text(encoding="utf-8")
        current = _active_row(key)
        exists = current is not None or db.session.scalar(
            db.select(ProcessDefinition.id).where(ProcessDefinition.key == key).limit(1)) is not None
        if not exists:
            deployed.append(deploy(key, xml, comment="shipped with Tierflow"))
            _bind_shipped(key)
        elif (upgrade or (current is not None and engine.undeclared(current.xml))) and \
                (current is None or current.xml != xml):
            deployed.append(deploy(key, xml, comment="shipped with Tierflow (upgrade)"))
    if upgrade:
        from app.workflow import bindings

        bindings.sync_shipped()
    return deployed


def _bind_shipped(key: str) -> None:
    """The bindings Tierflow ships for a variant (workflows/bindings.json), stored with its first version."""
    from app.workflow import bindings

    for item in bindings.shipped_for(key):
        bindings.add(None, item, check_regions=False)


def process_spec(definition_id: int) -> engine.ProcessSpec:
    """The parsed spec of a version, from the per-process cache (the XML is read on a miss only). Its business
    rule tasks evaluate the decision table active when they run (`active_decision`), whatever was active when
    the process was parsed."""
    def load() -> tuple[str, list[str]]:
        xml = db.session.get(ProcessDefinition, definition_id).xml
        return xml, _decision_xml(engine.called_decisions(xml))

    return engine.spec_cache.get(definition_id, load)


def active_decision(decision_id: str) -> tuple[int, Callable[[], str]] | None:
    """The active version of a decision table (id, and its XML read only when that version is first parsed):
    what a business rule task evaluates, in every worker, from the moment it is deployed. Outside an app (engine
    tests) there is no database to ask: the table parsed with the process serves."""
    if not has_app_context():
        return None
    found = db.session.scalar(db.select(ProcessDefinition.id).where(
        ProcessDefinition.key == decision_id, ProcessDefinition.kind == "dmn", ProcessDefinition.is_active.is_(True)))
    if found is None:
        return None
    return found, lambda: db.session.get(ProcessDefinition, found).xml


engine.set_decision_resolver(active_decision)


def active_bpmn_ids() -> list[int]:
    """The active version of every BPMN definition (read once per transaction)."""

    def load() -> list[int]:
        query = db.select(ProcessDefinition.id).where(
            ProcessDefinition.kind == "bpmn", ProcessDefinition.is_active.is_(True)).order_by(ProcessDefinition.key)
        ids = list(db.session.scalars(query))
        if not ids:  # a new installation: the shipped processes are deployed on first use
            deploy_shipped()
            ids = list(db.session.scalars(query))
        return ids

    return txcache.cached("active_bpmn", load)


def step_catalog() -> dict[str, dict]:
    """Every step the active BPMN definitions declare: its name, English name, lane and properties (read
    once per transaction). The recognition definition comes first, so its names win where a variant reuses
    a step id."""
    return txcache.cached("step_catalog", _step_catalog)


def _step_catalog() -> dict[str, dict]:
    catalog: dict[str, dict] = {}
    ids = active_bpmn_ids()
    recognition = _active_row(RECOGNITION)
    if recognition is not None and recognition.id in ids:
        ids = [recognition.id] + [i for i in ids if i != recognition.id]
    for definition_id in ids:
        pspec = process_spec(definition_id)
        for step, name in pspec.step_names.items():
            props = pspec.properties.get(step, {})
            catalog.setdefault(step, {"name": name, "name_en": props.get("name_en"), "lane": pspec.lanes.get(step),
                                      "properties": props})
    return catalog


def deadline_steps() -> list[tuple[str, str]]:
    """Steps with a deadline in working days (a call may override each): (id, name)."""
    return [(step, item["name"]) for step, item in step_catalog().items()
            if item["properties"].get("deadline_working_days")]


# step kinds an office works in its inbox
OFFICE_KINDS = (StepKind.DECISION, StepKind.SPOT_CHECK, StepKind.OBJECTION_REVIEW)


def office_steps() -> list[str]:
    """Steps an office works in its inbox, across the active BPMN definitions (for the inbox filter)."""
    return [step for step, item in step_catalog().items()
            if item["lane"] not in (None, Lane.ENTERPRISE, Lane.EXPERT)
            and item["properties"].get("kind", StepKind.DECISION) in OFFICE_KINDS
            and "deadline_working_days" in item["properties"]]
