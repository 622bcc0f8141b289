"""After upgrading to the register: applications recognized before it existed get the entry their process
would write now. What a process writes is read from the service tasks its definition declares
(`record_recognition`, `enter_library`), for the definition the application's binding picks today."""

from __future__ import annotations

from typing import Any

from app import engine
from app.core import workdays
from app.core.vocabulary import ApplicationStatus
from app.extensions import db
from app.lifecycle import libraries, register
from app.models import Application, Library, LibraryMembership, Recognition
from app.workflow import bindings, definitions, subjects


def _writes(application: Application) -> list[tuple[str, dict[str, Any]]]:
    adapter = subjects.adapter("application")
    region, sector = adapter.jurisdiction(application)
    facts = adapter.binding_facts(application)
    key = bindings.definition_key("recognition", region=region, sector=sector, tier=facts.get("tier"),
                                  on=facts.get("on") or workdays.china_date())
    return [(name, params) for name, params in engine.declared_operations(definitions.active(key).xml)
            if name in ("record_recognition", "enter_library")]


def run() -> dict[str, int]:
    """Write the missing entries (idempotent); counts of what was written."""
    libraries.ensure_shipped()
    done = {"recognitions": 0, "memberships": 0, "skipped": 0}
    recorded = db.select(Recognition.application_id).where(Recognition.application_id.is_not(None))
    entered = db.select(LibraryMembership.application_id).where(LibraryMembership.application_id.is_not(None))
    for application in db.session.scalars(db.select(Application).where(
            Application.status == ApplicationStatus.RECOGNIZED.value, Application.id.not_in(recorded),
            Application.id.not_in(entered)).order_by(Application.updated_at, Application.id)):
        on = workdays.china_date(application.updated_at)
        writes = _writes(application)
        for name, params in writes:
            if name == "enter_library" and (library := db.session.get(Library, params.get("library"))) is not None:
                libraries.enter(library, application.enterprise, on=on, source="application",
                                source_ref=f"application {application.id} (backfill)", application=application)
                done["memberships"] += 1
            elif name == "record_recognition":
                office = register.recognizing_office(application.target_tier, application.enterprise,
                                                     params.get("lane"))
                if office is None:
                    continue
                rule_set = ((application.evaluation or {}).get("rule_set") or {}).get("id")
                register.record(application.enterprise, application.target_tier, office, on=on,
                                valid_years=params.get("valid_years", 3), application=application,
                                rule_set=rule_set, source="backfill")
                done["recognitions"] += 1
        done["skipped"] += not writes
    db.session.flush()
    return done
