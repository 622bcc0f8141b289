"""Views of the register blueprint: thin wrappers around app.lifecycle.register and app.enterprises.ledger.

The public list shows what the register makes public (active entries only): enterprise name, USCC, tier as the
jurisdiction names it, document number and validity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from typing import Any

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import Conflict
from app.core.vocabulary import RecognitionStatus
from app.enterprises import ledger
from app.extensions import db
from app.lifecycle import cases, libraries, names, register
from app.models import LibraryMembership, Recognition
from app.recognition import jurisdiction
from app.web import xlsx
from app.web.common import page_arg, pdf_response, role_required
from app.web.register import bp, pdfs
from app.web.register.forms import PublicFilterForm

PER_PAGE = 50
CERTIFICATE_ROLES = ("enterprise", "reviewer", "admin")


@dataclass
class Batch:
    """A group of the public list: one call (申报批次), or an office's recognitions of a year outside a call."""

    title: str
    entries: list[Recognition] = field(default_factory=list)


def _batches(rows: list[Recognition]) -> list[Batch]:
    groups: dict[Any, Batch] = {}
    for entry in rows:
        if entry.call is not None:
            key, title = ("call", entry.call_id), entry.call.name
        else:
            key = ("office", entry.office_id, entry.valid_from.year)
            title = _("%(office)s, %(year)s (outside a call)", office=entry.office.name, year=entry.valid_from.year)
        groups.setdefault(key, Batch(title)).entries.append(entry)
    return list(groups.values())


@bp.get("/recognized")
def public() -> ResponseReturnValue:
    """认定名单: active recognitions by batch, with filters; open to anyone."""
    form = PublicFilterForm(request.args)
    page, status = page_arg(), 200
    rows: list[Recognition] = []
    total = 0
    if form.validate():
        rows, total = register.search(None, status=RecognitionStatus.ACTIVE.value, page=page, per_page=PER_PAGE,
                                      **form.values())
    else:
        status = 422
    args = {k: v for k, v in form.values().items() if v}
    return render_template("register/public.html", form=form, batches=_batches(rows), total=total, page=page,
                           pages=max(ceil(total / PER_PAGE), 1), args=args,
                           tier_name=lambda e: names.tier_label(e.tier, e.enterprise.region)), status


@bp.get("/recognized.xlsx")
def public_export() -> ResponseReturnValue:
    """The public list with its filters, as Excel."""
    form = PublicFilterForm(request.args)
    if not form.validate():
        abort(422)
    rows, _total = register.search(None, status=RecognitionStatus.ACTIVE.value, page=1, per_page=xlsx.EXPORT_MAX,
                                   **form.values())
    columns = [xlsx.Column(_("Enterprise"), 36), xlsx.Column(_("USCC"), 22), xlsx.Column(_("Region"), 14),
               xlsx.Column(_("Tier"), 22), xlsx.Column(_("Recognizing office"), 28), xlsx.Column(_("Document no."), 28),
               xlsx.Column(_("Certificate no."), 24), xlsx.Column(_("Valid from"), 12, "yyyy-mm-dd"),
               xlsx.Column(_("Valid until"), 12, "yyyy-mm-dd")]
    return xlsx.send("recognized", _("Recognized enterprises"), columns, (
        [e.enterprise.name, e.enterprise.uscc, e.enterprise.region.name, names.tier_label(e.tier, e.enterprise.region),
         e.office.name, e.document_no, e.certificate_no, e.valid_from, e.valid_until] for e in rows))


@bp.get("/my/recognitions")
@role_required("enterprise")
def mine() -> ResponseReturnValue:
    """我的认定: every recognition of the enterprise (any status) and its library memberships."""
    enterprise = current_user.enterprise
    return render_template("register/mine.html", enterprise=enterprise,
                           recognitions=register.of_enterprise(enterprise.id),
                           memberships=libraries.of_enterprise(enterprise.id),
                           tier_name=lambda tier: names.tier_label(tier, enterprise.region),
                           library_label=libraries.label)


@bp.get("/my/recognitions/<int:recognition_id>/certificate.pdf")
@login_required
def certificate(recognition_id: int) -> ResponseReturnValue:
    """The certificate of an active recognition: for its enterprise, offices of its jurisdiction, the admin."""
    if current_user.role not in CERTIFICATE_ROLES:
        abort(404)
    entry = register.get_for(current_user, recognition_id)  # 404 outside the caller's view
    if entry.status != RecognitionStatus.ACTIVE.value:
        raise Conflict(_("A certificate is issued only for an active recognition; this one is %(status)s.",
                         status=RecognitionStatus(entry.status).label))
    return pdf_response(pdfs.certificate(entry), f"{entry.certificate_no}.pdf")


def _ledger(enterprise_id: int) -> ledger.Ledger:
    enterprise = ledger.get_for(current_user, enterprise_id)
    return ledger.collect(current_user, enterprise)


@bp.get("/enterprises/<int:enterprise_id>/ledger")
@login_required
def ledger_page(enterprise_id: int) -> ResponseReturnValue:
    """一企一册 for the enterprise itself, the offices on its chain and the admin (404 for anyone else)."""
    book = _ledger(enterprise_id)
    readable = {line.application.id for line in book.applications
                if jurisdiction.can_view(current_user, line.application)}
    readable_cases = {c.id for c in book.cases if cases.can_view(current_user, c)}
    return render_template("register/ledger.html", book=book, readable=readable, readable_cases=readable_cases,
                           later=ledger.LATER, library_label=libraries.label)


@bp.get("/enterprises/<int:enterprise_id>/ledger.pdf")
@login_required
def ledger_pdf(enterprise_id: int) -> ResponseReturnValue:
    book = _ledger(enterprise_id)
    return pdf_response(pdfs.ledger_pdf(book), f"ledger-{book.enterprise.uscc}.pdf")


@bp.app_template_global("register_entry_of")
def register_entry_of(application: Any) -> Recognition | LibraryMembership | None:
    """What a recognized application wrote: its register entry, or its library membership."""
    if application.status != "recognized":
        return None
    return db.session.scalar(db.select(Recognition).where(Recognition.application_id == application.id)) or \
        db.session.scalar(db.select(LibraryMembership).where(LibraryMembership.application_id == application.id))


@bp.app_template_global("can_view_ledger")
def can_view_ledger(enterprise: Any) -> bool:
    return current_user.is_authenticated and ledger.can_view(current_user, enterprise)
