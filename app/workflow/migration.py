"""Moving running instances from one version of a process to another: a dry run, then the real run."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app import engine
from app.core import audit, permissions
from app.core.errors import Invalid
from app.extensions import db
from app.models import ProcessDefinition, ProcessInstance, User
from app.workflow import definitions, instances, subjects, versions

LIVE = versions.LIVE


def _candidates(definition_id: int) -> list[ProcessInstance]:
    return list(db.session.scalars(db.select(ProcessInstance).where(
        ProcessInstance.definition_id == definition_id, ProcessInstance.status.in_(LIVE))
        .order_by(ProcessInstance.id)))


def _row(instance: ProcessInstance, problems: list[str]) -> dict[str, Any]:
    adapter = subjects.adapter(instance.subject_type)
    waiting = instances.open_task(instance)
    return {"instance_id": instance.id, "subject_type": instance.subject_type, "subject_id": instance.subject_id,
            **adapter.summary(instances.subject_of(instance)),
            "current_step": waiting.step if waiting else None, "can_move": not problems, "reasons": problems}


def plan(key: str, from_version: int, to_version: int) -> list[dict[str, Any]]:
    """Per running instance on `from_version`: can it move to `to_version`, and if not, why not."""
    source, target = versions.get(key, from_version), versions.get(key, to_version)
    if source.kind != "bpmn" or source.id == target.id:
        raise Invalid(_("Choose two different versions of a BPMN process."))
    pspec = definitions.process_spec(target.id)
    return [_row(i, engine.migration_problems(pspec, i.state)) for i in _candidates(source.id)]


def run(user: User, key: str, from_version: int, to_version: int, reason: str) -> list[dict[str, Any]]:
    """Move every instance that can move, each in its own savepoint; the others stay untouched."""
    permissions.require_admin(user)
    if not (reason or "").strip():
        raise Invalid(_("A reason is required."), fields={"reason": _("required")})
    return _move(user, key, versions.get(key, from_version), versions.get(key, to_version), reason)


def to_active(key: str, reason: str) -> list[dict[str, Any]]:
    """After an upgrade (`flask deploy-shipped --upgrade --migrate`): move the running instances of every
    older version of `key` to its active version where they can move (the system, not a person, moves them)."""
    target = definitions.active(key)
    older = db.session.scalars(db.select(ProcessDefinition).where(
        ProcessDefinition.key == key, ProcessDefinition.id != target.id).order_by(ProcessDefinition.version))
    return [row for source in older for row in _move(None, key, source, target, reason)]


def _move(user: User | None, key: str, source: ProcessDefinition, target: ProcessDefinition,
          reason: str) -> list[dict[str, Any]]:
    from_version, to_version = source.version, target.version
    pspec = definitions.process_spec(target.id)
    results = []
    for candidate in _candidates(source.id):
        with db.session.begin_nested():
            instance = instances.lock(candidate.id)
            problems = engine.migration_problems(pspec, instance.state)
            if not problems:
                moved = engine.migrate(pspec, instance.state)
                instance.state = moved.state
                instance.definition_id = target.id
                instances.rename_open_tasks(instance, moved)
                audit.record("migrate", **subjects.adapter(instance.subject_type).audit_refs(
                    instances.subject_of(instance)), actor=user, comment=reason,
                             details={"key": key, "from": from_version, "to": to_version})
                db.session.flush()
        results.append(_row(instance, problems) | {"moved": not problems})
    return results
