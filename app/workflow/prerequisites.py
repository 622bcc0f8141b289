"""The ladder: a process binding may require that the enterprise already holds something before the
process starts — an active recognition at a tier, an active membership of a library (001 §二(一)4:
national candidates come from the provincial tier; 004 §三(三)12: Jinhu recommends from its library).

The register that knows what an enterprise holds registers itself here (`provide`), so the runtime asks
it without importing a domain. A refusal is 422 `prerequisite_missing`, naming what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.core.errors import Invalid
from app.models import Region
from app.workflow import bindings


@dataclass(frozen=True)
class Holdings:
    """What an enterprise holds actively: tier → label of its recognition, library key → library name."""

    tiers: dict[str, str] = field(default_factory=dict)
    libraries: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Requirement:
    """What a binding asks for, in words (with the clause), and whether it is held."""

    kind: str  # tier, library
    code: str
    label: str
    clause: str | None
    held: bool

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "code": self.code, "label": self.label, "clause": self.clause,
                "held": self.held}


_provider: dict[str, Callable[..., Any]] = {}


def provide(holdings: Callable[[int], Holdings], label: Callable[[str, str, Region], str]) -> None:
    """Register the register: `holdings(enterprise_id)` and `label(kind, code, region)` (a tier's or a
    library's name as the jurisdiction calls it)."""
    _provider["holdings"], _provider["label"] = holdings, label


def holdings(enterprise_id: int) -> Holdings:
    return _provider["holdings"](enterprise_id) if "holdings" in _provider else Holdings()


def requirements(process: str, *, enterprise_id: int, region: Region, sector: str | None, tier: str | None,
                 on: date) -> list[Requirement]:
    """What the binding in force requires for these facts, each with whether the enterprise holds it."""
    binding = bindings.resolve(process, region=region, sector=sector, tier=tier, on=on)
    if binding is None or not (binding.requires_tier or binding.requires_library):
        return []
    held = holdings(enterprise_id)
    label = _provider.get("label", lambda kind, code, region: code)
    found = []
    if binding.requires_tier:
        found.append(Requirement("tier", binding.requires_tier, label("tier", binding.requires_tier, region),
                                 binding.clause, binding.requires_tier in held.tiers))
    if binding.requires_library:
        found.append(Requirement("library", binding.requires_library,
                                 label("library", binding.requires_library, region), binding.clause,
                                 binding.requires_library in held.libraries))
    return found


def check(process: str, *, enterprise_id: int, region: Region, sector: str | None, tier: str | None,
          on: date, refuse_held: bool = False) -> None:
    """422 `prerequisite_missing` when the enterprise lacks what the binding requires, or (`refuse_held`)
    already holds `tier` actively: nothing is stored."""
    found = requirements(process, enterprise_id=enterprise_id, region=region, sector=sector, tier=tier, on=on)
    missing = [r for r in found if not r.held]
    if missing:
        names = _("; ").join(f"{r.label}（{r.clause}）" if r.clause else r.label for r in missing)
        message = _("This application needs an active %(missing)s first.", missing=names)
        raise Invalid(message, code="prerequisite_missing", fields={"target_tier": message},
                      extra={"missing": [r.to_dict() for r in missing]})
    if refuse_held and tier is not None and tier in holdings(enterprise_id).tiers:
        label = _provider.get("label", lambda kind, code, region: code)("tier", tier, region)
        message = _("The enterprise already holds an active recognition as %(tier)s; apply again when it "
                    "expires or for a higher tier.", tier=label)
        raise Invalid(message, code="prerequisite_missing", fields={"target_tier": message},
                      extra={"held": [{"kind": "tier", "code": tier, "label": label}]})
