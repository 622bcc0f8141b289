"""The register answers the ladder's question — what does this enterprise hold? — for the runtime's
prerequisite check (workflow/prerequisites.py), and names what a binding requires."""

from __future__ import annotations

from app.extensions import db
from app.lifecycle import libraries, names, register
from app.models import Library, Region
from app.workflow import prerequisites


def _holdings(enterprise_id: int) -> prerequisites.Holdings:
    tiers = {tier: names.tier_label(tier, entry.enterprise.region)
             for tier, entry in register.held_tiers(enterprise_id).items()}
    held = {key: libraries.label(member.library) for key, member in libraries.active(enterprise_id).items()}
    return prerequisites.Holdings(tiers=tiers, libraries=held)


def _label(kind: str, code: str, region: Region) -> str:
    if kind == "tier":
        return names.tier_label(code, region)
    library = db.session.get(Library, code)
    return libraries.label(library) if library is not None else code


prerequisites.provide(_holdings, _label)
