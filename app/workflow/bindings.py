"""Which definition runs: a process binding names the definition for a process kind, tier, jurisdiction,
sector and effective date (null = any). Without a binding, a process runs the definition of its own name."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from app.core import audit, permissions
from app.core.errors import Invalid, NotFound
from app.extensions import db
from app.models import SECTORS, TIERS, Library, ProcessBinding, ProcessDefinition, Region, User

PROCESSES = ("recognition", "reverification", "revocation", "reward_claim", "monitoring_report", "monitoring_cycle",
             "periodic_report", "uscc_claim", "problem")  # the process kinds subjects start
SHIPPED = Path(__file__).resolve().parents[2] / "workflows" / "bindings.json"


def resolve(process: str, *, region: Region, sector: str | None, tier: str | None, on: date) -> ProcessBinding | None:
    """The binding in force for these facts: the most specific region, then sector, then tier, then the
    latest effective date."""
    from app.workflow import definitions

    definitions.active_bpmn_ids()  # a new installation deploys the shipped definitions and their bindings first
    chain = region.lineage()
    rows = db.session.scalars(db.select(ProcessBinding).where(
        ProcessBinding.process == process,
        ProcessBinding.region_code.in_(chain) | ProcessBinding.region_code.is_(None),
        ProcessBinding.sector.is_(None) | (ProcessBinding.sector == sector),
        ProcessBinding.tier.is_(None) | (ProcessBinding.tier == tier),
        ProcessBinding.effective_from.is_(None) | (ProcessBinding.effective_from <= on)))
    return min(rows, default=None, key=lambda b: (
        chain.index(b.region_code) if b.region_code in chain else len(chain), b.sector is None, b.tier is None,
        -(b.effective_from or date.min).toordinal(), -b.id))


def definition_key(process: str, **facts: Any) -> str:
    binding = resolve(process, **facts)
    return binding.definition_key if binding is not None else process


# --- administration --------------------------------------------------------------------------------

def to_dict(binding: ProcessBinding) -> dict[str, Any]:
    return {"id": binding.id, "process": binding.process, "definition_key": binding.definition_key,
            "tier": binding.tier, "region_code": binding.region_code, "sector": binding.sector,
            "effective_from": binding.effective_from.isoformat() if binding.effective_from else None,
            "requires_tier": binding.requires_tier, "requires_library": binding.requires_library,
            "clause": binding.clause}


def bindings() -> list[ProcessBinding]:
    return list(db.session.scalars(db.select(ProcessBinding).order_by(
        ProcessBinding.process, ProcessBinding.region_code, ProcessBinding.tier, ProcessBinding.sector,
        ProcessBinding.effective_from, ProcessBinding.id)))


def _optional(values: dict[str, Any], key: str) -> Any:
    value = values.get(key)
    return None if value in (None, "") else value


def add(user: User | None, values: dict[str, Any], *, check_regions: bool = True) -> ProcessBinding:
    """Add a binding (`user` None: shipped with Tierflow); 422 per field and nothing stored on any problem."""
    if user is not None:

        permissions.require_admin(user)
    errors: dict[str, str] = {}
    process, key = values.get("process"), values.get("definition_key")
    tier, sector = _optional(values, "tier"), _optional(values, "sector")
    region_code, effective = _optional(values, "region_code"), _optional(values, "effective_from")
    requires_tier, requires_library = _optional(values, "requires_tier"), _optional(values, "requires_library")
    clause = _optional(values, "clause")
    from app.workflow import definitions

    definitions.active_bpmn_ids()  # a new installation deploys the shipped definitions first
    if process not in PROCESSES:
        errors["process"] = _("unknown process; use one of %(names)s", names=", ".join(PROCESSES))
    kind = db.session.scalar(db.select(ProcessDefinition.kind).where(ProcessDefinition.key == key).limit(1)) \
        if isinstance(key, str) else None
    if kind != "bpmn":
        errors["definition_key"] = _("no BPMN definition is deployed under this key")
    if tier is not None and tier not in TIERS:
        errors["tier"] = _("unknown tier")
    if sector is not None and sector not in SECTORS:
        errors["sector"] = _("unknown sector")
    if requires_tier is not None and requires_tier not in TIERS:
        errors["requires_tier"] = _("unknown tier")
    if requires_library is not None and (not isinstance(requires_library, str) or (
            check_regions and db.session.get(Library, requires_library) is None)):
        errors["requires_library"] = _("unknown library")
    if clause is not None and (not isinstance(clause, str) or len(clause) > 200):
        errors["clause"] = _("text of at most 200 characters")
    if region_code is not None and (not isinstance(region_code, str) or (
            check_regions and db.session.get(Region, region_code) is None)):
        errors["region_code"] = _("unknown region code")
    if effective is not None and not isinstance(effective, date):
        try:
            effective = date.fromisoformat(effective) if isinstance(effective, str) else None
        except ValueError:
            effective = None
        if effective is None:
            errors["effective_from"] = _("a date YYYY-MM-DD")
    if errors:
        raise Invalid(_("The process binding cannot be saved; check the marked fields."), fields=errors)
    binding = ProcessBinding(process=process, definition_key=key, tier=tier, region_code=region_code,
                             sector=sector, effective_from=effective, requires_tier=requires_tier,
                             requires_library=requires_library, clause=clause)
    db.session.add(binding)
    db.session.flush()
    audit.record("binding_added", actor=user, details=to_dict(binding))
    return binding


def delete(user: User, binding_id: Any) -> None:
    permissions.require_admin(user)
    binding = db.session.get(ProcessBinding, binding_id) if isinstance(binding_id, int) else None
    if binding is None:
        raise NotFound(_("Process binding not found."))
    details = to_dict(binding)
    db.session.delete(binding)
    db.session.flush()
    audit.record("binding_deleted", actor=user, details=details)


def shipped_for(key: str) -> list[dict[str, Any]]:
    """The bindings Tierflow ships for definition `key` (workflows/bindings.json)."""
    items = json.loads(SHIPPED.read_text(encoding="utf-8")) if SHIPPED.is_file() else []
    return [item for item in items if item["definition_key"] == key]


def sync_shipped() -> int:
    """After a release: store the shipped bindings of deployed keys that are missing, and give a stored one
    the prerequisites it ships with when it has none (an administrator's own bindings are left alone)."""
    items = json.loads(SHIPPED.read_text(encoding="utf-8")) if SHIPPED.is_file() else []
    deployed = set(db.session.scalars(db.select(ProcessDefinition.key).distinct()))
    changed = 0
    for item in items:
        if item["definition_key"] not in deployed:
            continue
        effective = date.fromisoformat(item["effective_from"]) if item.get("effective_from") else None
        same = db.session.scalar(db.select(ProcessBinding).where(
            ProcessBinding.process == item["process"], ProcessBinding.definition_key == item["definition_key"],
            *[(getattr(ProcessBinding, name).is_(None) if item.get(name) is None
               else getattr(ProcessBinding, name) == item[name]) for name in ("tier", "region_code", "sector")],
            ProcessBinding.effective_from.is_(None) if effective is None
            else ProcessBinding.effective_from == effective).limit(1))
        if same is None:
            add(None, item, check_regions=False)
            changed += 1
        elif not (same.requires_tier or same.requires_library) and (item.get("requires_tier") or
                                                                     item.get("requires_library")):
            same.requires_tier, same.requires_library = item.get("requires_tier"), item.get("requires_library")
            same.clause = item.get("clause")
            changed += 1
    db.session.flush()
    return changed
