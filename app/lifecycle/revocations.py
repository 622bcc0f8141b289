"""Revocation (撤销): any office on the enterprise's chain opens one for a recognition, on a ground of
POLICY.md ("After recognition") with details and evidence; the `revocation` process hears the enterprise and
the recognizing office decides (never the reviewer who opened it)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.core.errors import Conflict, Forbidden, Invalid
from app.core.vocabulary import CaseKind, RecognitionStatus, RevocationGround
from app.extensions import db
from app.lifecycle import cases, register
from app.models import LifecycleCase, User

PROCESS = "revocation"


def open_revocation(user: User, recognition_id: Any, values: dict[str, Any]) -> LifecycleCase:
    """`{"ground", "details"}` → the case; 422 per field, 409 when one is open already or the entry ended."""
    if user.role != "reviewer" or user.office is None:
        raise Forbidden(_("Only a reviewer of an office can do this."))
    entry = register.get_for(user, recognition_id)  # 404 outside the reviewer's jurisdiction
    office, enterprise = user.office, entry.enterprise
    if office.region_code not in enterprise.region.lineage() or office.sector not in (None, enterprise.sector):
        raise Forbidden(_("Only an office on the enterprise's chain can open a revocation."))
    ground, details = values.get("ground"), values.get("details")
    errors = {}
    if ground not in RevocationGround.values():
        errors["ground"] = _("one of: %(grounds)s", grounds=", ".join(RevocationGround.values()))
    if not isinstance(details, str) or not details.strip():
        errors["details"] = _("describe the facts and the evidence")
    elif len(details) > 10000:
        errors["details"] = _("at most 10000 characters")
    if errors:
        raise Invalid(_("The revocation cannot be opened; check the marked fields."), fields=errors)
    if entry.status != RecognitionStatus.ACTIVE.value:
        raise Conflict(_("Only an active recognition can be revoked; this one is %(status)s.",
                         status=RecognitionStatus(entry.status).label))
    busy = db.session.scalar(db.select(LifecycleCase.id).where(
        LifecycleCase.recognition_id == entry.id, LifecycleCase.kind == CaseKind.REVOCATION.value,
        LifecycleCase.status == "open"))
    if busy is not None:
        raise Conflict(_("A revocation of this recognition is open already."), code="duplicate")
    case = LifecycleCase(kind=CaseKind.REVOCATION.value, enterprise_id=entry.enterprise_id, recognition_id=entry.id,
                         office_id=entry.office_id, status="open", ground=ground, details=details.strip(),
                         opened_by_id=user.id)
    cases.start(case, PROCESS)
    return case
