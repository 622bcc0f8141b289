"""Claims to a unified social credit code (issue 16 §8). Anyone could register a real company's public USCC first
and lock the company out (409 "USCC taken"). The company files a claim without logging in: the USCC, its
registered name, a contact, the account it wants and its business licence (营业执照). The claim runs the
`uscc_claim` process: the county office of the registered enterprise's region (lane `county`) confirms or refuses;
on confirmation the service task `hand_over_enterprise_account` (uscc_operations.py) freezes the current accounts
and gives the enterprise to the claimant. One open claim per USCC and per wanted username (the database keeps it).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.core import audit, text
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.vocabulary import Decision, UsccClaimStatus
from app.extensions import db
from app.models import Application, Enterprise, HumanTask, ProcessInstance, UsccClaim, User
from app.models.base import utcnow
from app.models.user import hash_password
from app.org import accounts
from app.workbench import evidence
from app.workflow import instances

PROCESS = SUBJECT = "uscc_claim"
LIMITS = {"registered_name": 200, "contact_name": 64}
_PHONE = re.compile(r"^(?:\+?86|0086)?(\d{7,12})$")


def normalize_phone(value: Any) -> str | None:
    """Digits only, full-width folded, without +86 (`+86 139-0000-0000` is `13900000000`); None if not a number."""
    if not isinstance(value, str):
        return None
    compact = re.sub(r"[\s\-().]", "", unicodedata.normalize("NFKC", value))
    match = _PHONE.match(compact)
    return match.group(1) if match else None


def _check(values: dict[str, Any]) -> dict[str, Any]:
    """The cleaned fields; 422 naming every bad one (the same rules as self-registration for the account)."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    uscc = accounts.normalize_uscc(values.get("uscc") if isinstance(values.get("uscc"), str) else "")
    if problem := accounts.check_uscc(uscc):
        errors["uscc"] = problem
    cleaned["uscc"] = uscc
    for key, limit in LIMITS.items():
        value, problem = text.clean_name(values.get(key))
        if problem == "required":
            errors[key] = _("required")
        elif problem:
            errors[key] = _("one line of plain text, without control or direction characters")
        elif len(value) > limit:
            errors[key] = _("at most %(n)s characters", n=limit)
        cleaned[key] = value
    cleaned["contact_phone"] = normalize_phone(values.get("contact_phone"))
    if cleaned["contact_phone"] is None:
        errors["contact_phone"] = _("a telephone number (7 to 12 digits, +86 allowed)")
    username = values.get("username").strip() if isinstance(values.get("username"), str) else ""
    if not accounts.USERNAME_RE.match(username):
        errors["username"] = _("3 to 64 letters, digits, '.', '_' or '-'")
    if problem := accounts.check_password_strength(values.get("password"), username):
        errors["password"] = problem
    cleaned["username"], cleaned["password"] = username, values.get("password")
    if errors:
        raise Invalid(_("The claim cannot be filed; check the marked fields."), fields=errors)
    return cleaned


def username_taken(username: str, claim: UsccClaim | None = None) -> bool:
    """An account has this username, or another open claim wants it."""
    if db.session.scalar(db.select(User.id).where(User.username == username)) is not None:
        return True
    other = db.select(UsccClaim.id).where(UsccClaim.open_username == username)
    if claim is not None:
        other = other.where(UsccClaim.id != claim.id)
    return db.session.scalar(other) is not None


def file(values: dict[str, Any], filename: str | None, stream: IO[bytes] | None, upload_dir: Path,
         max_bytes: int = evidence.MAX_BYTES) -> UsccClaim:
    """File a claim (no login). 422 for bad fields, a USCC nobody registered (`not_registered`: just register) or
    a bad licence file; 409 when a claim on the USCC is open (`claim_open`) or the username is taken. The
    licence is written only when everything else passed; a claim that fails after that removes it again."""
    cleaned = _check(values)
    enterprise = db.session.scalar(db.select(Enterprise).where(Enterprise.uscc == cleaned["uscc"]))
    if enterprise is None:
        raise Invalid(_("No enterprise is registered with this USCC: just register your enterprise."),
                      code="not_registered", fields={"uscc": _("not registered: just register")})
    if db.session.scalar(db.select(UsccClaim.id).where(UsccClaim.open_uscc == cleaned["uscc"])) is not None:
        raise Conflict(_("A claim to this USCC is already being checked by the county office."),
                       code="claim_open", fields={"uscc": _("a claim is open")})
    if username_taken(cleaned["username"]):
        raise Conflict(_("This username is taken."), code="username_taken", fields={"username": _("taken")})
    if stream is None:
        raise Invalid(_("Attach the business licence (PDF, PNG or JPEG)."), fields={"file": _("required")})
    stored = evidence.store(filename, stream, upload_dir, max_bytes)
    try:
        claim = UsccClaim(
            enterprise_id=enterprise.id, uscc=cleaned["uscc"], open_uscc=cleaned["uscc"],
            registered_name=cleaned["registered_name"], contact_name=cleaned["contact_name"],
            contact_phone=cleaned["contact_phone"], username=cleaned["username"],
            open_username=cleaned["username"], password_hash=hash_password(cleaned["password"]),
            licence_name=stored["original_name"], licence_stored=stored["stored_name"],
            licence_type=stored["content_type"], licence_size=stored["size"], licence_sha256=stored["sha256"],
            status=UsccClaimStatus.OPEN.value)
        db.session.add(claim)
        db.session.flush()
        audit.record("uscc_claim_filed", subject=(SUBJECT, claim.id), details={
            "uscc": claim.uscc, "enterprise_id": enterprise.id, "username": claim.username,
            "registered_name": claim.registered_name, "licence_sha256": claim.licence_sha256})
        instances.start(SUBJECT, claim, PROCESS)
    except IntegrityError as exc:  # a claim filed at the same moment took the USCC or the username
        (upload_dir / stored["stored_name"]).unlink(missing_ok=True)
        raise Conflict(_("A claim to this USCC is already being checked by the county office."),
                       code="claim_open") from exc
    except Exception:
        (upload_dir / stored["stored_name"]).unlink(missing_ok=True)
        raise
    return claim


# --- who sees and acts -----------------------------------------------------------------------------

def visible(user: User, query: Any) -> Any:
    """The admin all claims; a reviewer those its office was given (open or done); nobody else any."""
    if user.role == "admin":
        return query
    if user.role == "reviewer" and user.office_id is not None:
        return query.where(UsccClaim.id.in_(db.select(HumanTask.subject_id).where(
            HumanTask.subject_type == SUBJECT, HumanTask.office_id == user.office_id)))
    return query.where(db.false())


def get_for(user: User, claim_id: Any) -> UsccClaim:
    claim = db.session.get(UsccClaim, claim_id) if isinstance(claim_id, int) else None
    if claim is None or db.session.scalar(visible(user, db.select(UsccClaim.id)).where(
            UsccClaim.id == claim.id)) is None:
        raise NotFound(_("Claim not found."))
    return claim


def search(user: User, *, status: str | None = None, page: int = 1, per_page: int = 50
           ) -> tuple[list[UsccClaim], int]:
    query = visible(user, db.select(UsccClaim))
    if status:
        query = query.where(UsccClaim.status == status)
    total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.scalars(query.order_by(UsccClaim.created_at, UsccClaim.id).limit(per_page)
                              .offset((max(page, 1) - 1) * per_page))
    return list(rows), int(total)


def open_count(user: User) -> int:
    """Open claims waiting for the reviewer's office (the navigation badge)."""
    if user.role != "reviewer" or user.office_id is None:
        return 0
    return int(db.session.scalar(db.select(db.func.count()).select_from(HumanTask).where(
        HumanTask.subject_type == SUBJECT, HumanTask.office_id == user.office_id, HumanTask.state == "open")) or 0)


def open_task(claim: UsccClaim) -> HumanTask | None:
    return db.session.scalar(db.select(HumanTask).where(HumanTask.subject_type == SUBJECT,
                                                        HumanTask.subject_id == claim.id, HumanTask.state == "open")
                             .order_by(HumanTask.id).limit(1))


def instance_of(claim: UsccClaim) -> ProcessInstance | None:
    return db.session.scalar(db.select(ProcessInstance).where(ProcessInstance.subject_type == SUBJECT,
                                                              ProcessInstance.subject_id == claim.id))


def decide(user: User, claim_id: Any, values: dict[str, Any]) -> UsccClaim:
    """The county office decides: `{"decision": "confirm"|"refuse", "comment"}` (a reason to refuse). 404 outside
    its claims, 409 when nothing waits for its office or the wanted username was taken meanwhile, 422 for a
    decision the step does not offer or a refusal without a reason."""
    if user.role != "reviewer" or user.office is None:
        raise Forbidden(_("Only a reviewer of an office can do this."))
    claim = get_for(user, claim_id)
    task = open_task(claim)
    if task is None or task.office_id != user.office_id:
        raise Conflict(_("This claim is not waiting for your office."), code="not_waiting")
    decision, comment = values.get("decision"), values.get("comment")
    comment = comment.strip() if isinstance(comment, str) else ""
    allowed = [a[0] for a in task.actions or []]
    if decision not in allowed:
        raise Invalid(_("This step offers these decisions: %(decisions)s.", decisions=", ".join(allowed)),
                      fields={"decision": _("unknown")})
    if Decision(decision).needs_reason and not comment:
        raise Invalid(_("A reason is required to refuse."), fields={"comment": _("required")})
    if len(comment) > 4000:
        raise Invalid(_("At most %(n)s characters.", n=4000), fields={"comment": _("too long")})
    instances.lock(task.instance_id)
    if task.state != "open" or claim.status != UsccClaimStatus.OPEN:
        raise Conflict(_("This task is no longer open."))
    if decision == Decision.CONFIRM and username_taken(claim.username, claim):
        raise Conflict(_("The username the claimant wants was taken meanwhile; refuse the claim, the claimant "
                         "can file again with another one."), code="username_taken",
                       fields={"username": _("taken")})
    if task.claimed_by_id is None:
        task.claimed_by_id, task.claimed_at = user.id, utcnow()
    claim.decided_by_id, claim.decided_at = user.id, utcnow()
    if decision == Decision.REFUSE:
        claim.reason = comment
    audit.record(decision, actor=user, office_id=task.office_id, step=task.step, comment=comment or None,
                 subject=(SUBJECT, claim.id))
    instances.complete_task(task, user, {"decision": decision}, decision=decision)
    return claim


# --- what the office sees --------------------------------------------------------------------------

def current_accounts(claim: UsccClaim) -> list[User]:
    return list(db.session.scalars(db.select(User).where(User.enterprise_id == claim.enterprise_id)
                                   .order_by(User.created_at, User.id)))


def account_facts(claim: UsccClaim) -> dict[str, Any]:
    """The account that holds the USCC now: who, since when, what it has done."""
    enterprise = claim.enterprise
    applications = db.session.scalar(db.select(db.func.count()).select_from(Application).where(
        Application.enterprise_id == enterprise.id)) or 0
    return {"enterprise": enterprise.to_dict() | {"registered_at": enterprise.created_at.isoformat()},
            "applications": int(applications),
            "accounts": [{"username": u.username, "display_name": u.display_name, "active": u.active,
                          "created_at": u.created_at.isoformat()} for u in current_accounts(claim)]}


def licence(user: User, claim_id: Any, upload_dir: Path) -> tuple[UsccClaim, Path]:
    """The licence file, for those who may see the claim (404 for anyone else)."""
    claim = get_for(user, claim_id)
    path = upload_dir / claim.licence_stored
    if not path.is_file():
        raise NotFound(_("Document not found."))
    return claim, path


def to_dict(claim: UsccClaim, *, detail: bool = False) -> dict[str, Any]:
    task = open_task(claim)
    out = {"id": claim.id, "status": claim.status, "uscc": claim.uscc, "registered_name": claim.registered_name,
           "contact_name": claim.contact_name, "contact_phone": claim.contact_phone, "username": claim.username,
           "enterprise": claim.enterprise.summary() | {"region_code": claim.enterprise.region_code},
           "licence": {"name": claim.licence_name, "content_type": claim.licence_type, "size": claim.licence_size,
                       "sha256": claim.licence_sha256},
           "reason": claim.reason, "created_at": claim.created_at.isoformat(),
           "decided_at": claim.decided_at.isoformat() if claim.decided_at else None,
           "decided_by": claim.decided_by.username if claim.decided_by else None,
           "waiting": None if task is None else {
               "task_id": task.id, "step": task.step, "step_name": task.step_name,
               "office": task.office.to_dict() if task.office else None,
               "decisions": [d for d, _label in (task.actions or [])],
               "due_at": task.due_at.isoformat() if task.due_at else None}}
    if detail:
        out["current_account"] = account_facts(claim)
    return out
