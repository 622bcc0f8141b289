"""The materials an application carries (workflows/materials.json, after POLICY.md "Real documents an
application carries"): required and optional documents per tier and jurisdiction, what is still missing before
a submission, and the documents Tierflow generates as templates (申报书, 真实性声明, 合规经营承诺).

Documents a reviewer asked for with a return (DocumentRequest) are required for the resubmission as well.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import DOC_TYPES, Application, Attachment, DocumentRequest

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "workflows" / "materials.json"
LABELS = {
    "application_form": _l("Application form"),
    "business_license": _l("Business licence"),
    "audit_report": _l("Audit report"),
    "social_insurance": _l("Proof of social insurance payments"),
    "ip_certificate": _l("Intellectual property certificates"),
    "direct_condition": _l("Evidence for a direct recognition condition"),
    "truthfulness_statement": _l("Declaration of truthfulness"),
    "compliance_pledge": _l("Pledge of lawful operation"),
    "other": _l("Other"),
}


@dataclass(frozen=True)
class Material:
    doc_type: str
    required: bool
    template: bool  # Tierflow generates a template to download
    uploaded: int = 0  # how many files of this type the application holds
    requested: bool = False  # a reviewer asked for it with a return, not uploaded since
    note: str | None = None  # the reviewer's note on the requested document

    @property
    def missing(self) -> bool:
        return (self.required and not self.uploaded) or self.requested

    def to_dict(self) -> dict[str, Any]:
        return {"doc_type": self.doc_type, "required": self.required, "template": self.template,
                "uploaded": self.uploaded, "requested": self.requested, "note": self.note, "missing": self.missing}


@cache
def _load(path: str) -> dict[str, Any]:
    config = json.loads(Path(path).read_text(encoding="utf-8"))
    for entry in config["sets"]:
        unknown = (set(entry.get("required", [])) | set(entry.get("optional", []))) - set(DOC_TYPES)
        if unknown:
            raise ValueError(f"materials: unknown document types {sorted(unknown)}")
    return config


def config() -> dict[str, Any]:
    return _load(str(current_app.config.get("MATERIALS_FILE") or DEFAULT_FILE))


def applicable_set(tier: str, region_codes: list[str]) -> dict[str, Any]:
    """The most specific set for a tier and a region lineage (the region first, then the ones above it)."""
    def rank(entry: dict[str, Any]) -> tuple[int, int]:
        region = entry.get("region")
        depth = len(region_codes) - region_codes.index(region) if region in region_codes else 0
        return depth, 1 if entry.get("tier") == tier else 0

    fitting = [e for e in config()["sets"] if e.get("tier") in (None, tier)
               and (e.get("region") is None or e.get("region") in region_codes)]
    return max(fitting, key=rank) if fitting else {"required": [], "optional": []}


def for_application(application: Application) -> list[Material]:
    """The materials of `application`: the set's required then optional ones, then any other type it was asked
    for or holds, each with what was uploaded and what a reviewer still asks for."""
    chosen = applicable_set(application.target_tier, application.enterprise.region.lineage())
    templates = set(config().get("templates", []))
    counts = dict(db.session.execute(db.select(Attachment.doc_type, db.func.count(Attachment.id)).where(
        Attachment.application_id == application.id).group_by(Attachment.doc_type)).all())
    requests = {}
    for r in db.session.scalars(db.select(DocumentRequest).where(
            DocumentRequest.application_id == application.id, DocumentRequest.fulfilled_by_id.is_(None))
            .order_by(DocumentRequest.id)):
        requests.setdefault(r.doc_type, r.note)
    order = [*chosen.get("required", []), *chosen.get("optional", [])]
    order += [t for t in DOC_TYPES if t not in order and (t in requests or t in counts)]
    required = set(chosen.get("required", []))
    return [Material(t, t in required, t in templates, int(counts.get(t, 0)), t in requests, requests.get(t))
            for t in order]


def missing(application: Application) -> list[str]:
    """Document types that block a (re)submission: required and not uploaded, or asked for and not uploaded."""
    return [m.doc_type for m in for_application(application) if m.missing]


def missing_message(doc_types: list[str]) -> str:
    """"提交前请上传以下材料：营业执照、审计报告" — the list a refused submission shows."""
    return _("Upload these materials before submitting: %(list)s",
             list=_(", ").join(str(LABELS.get(t, t)) for t in doc_types))
