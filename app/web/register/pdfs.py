"""The register's PDFs: a recognition certificate and the 一企一册 ledger, in the reader's language, with the
CJK font embedded (app/core/pdf.py). Tiers are named as the enterprise's jurisdiction names them."""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.pdf import Document
from app.core.vocabulary import AssignmentStatus, ProblemCategory, ProblemLevel, ProblemStatus
from app.enterprises.ledger import Ledger
from app.lifecycle import libraries, names
from app.models import Recognition
from app.web.labels import DOC_TYPE_LABELS, SECTOR_LABELS, STATUS_LABELS, datetime_cn, label
from app.web.register.labels import (
    CASE_KIND_LABELS,
    CASE_STATUS_LABELS,
    MEMBERSHIP_STATUS_LABELS,
    OUTCOME_LABELS,
    RECOGNITION_STATUS_LABELS,
    SOURCE_LABELS,
    history_label,
    iso_cn,
)
from app.web.rewards_enterprise.labels import claim_status_label, in_wan


def _period(entry: Recognition) -> str:
    return f"{entry.valid_from.isoformat()} – {entry.valid_until.isoformat()}"


def certificate(entry: Recognition) -> bytes:
    """The certificate of an active recognition (A4 landscape)."""
    enterprise = entry.enterprise
    tier = names.tier_label(entry.tier, enterprise.region)
    doc = Document(_("Certificate %(number)s", number=entry.certificate_no), orientation="landscape",
                   numbered=False)
    doc.set_draw_color(150, 30, 30)
    doc.set_line_width(1.2)
    doc.rect(10, 10, doc.w - 20, doc.h - 20)
    doc.set_line_width(0.3)
    doc.rect(13, 13, doc.w - 26, doc.h - 26)
    doc.set_y(28)
    doc.title_block(tier, _("Certificate of recognition"), size=24)
    doc.set_x(40)
    doc.set_left_margin(40)
    doc.set_right_margin(40)
    doc.paragraph(_("%(enterprise)s (unified social credit code %(uscc)s) is recognized as %(tier)s by "
                    "%(office)s.", enterprise=enterprise.name, uscc=enterprise.uscc, tier=tier,
                    office=entry.office.name), size=12)
    doc.ln(3)
    doc.fields([
        (_("Enterprise"), enterprise.name),
        (_("USCC"), enterprise.uscc),
        (_("Tier"), tier),
        (_("Recognizing office"), entry.office.name),
        (_("Document no."), entry.document_no),
        (_("Certificate no."), entry.certificate_no),
        (_("Valid from"), entry.valid_from.isoformat()),
        (_("Valid until"), entry.valid_until.isoformat()),
    ], label_width=48, size=11)
    doc.ln(6)
    doc.paragraph(_("%(office)s, %(date)s", office=entry.office.name, date=entry.valid_from.isoformat()), size=11)
    return doc.render()


def _recognitions(doc: Document, ledger: Ledger) -> None:
    doc.heading(_("Recognitions"))
    doc.grid([_("Tier"), _("Certificate no."), _("Document no."), _("Recognizing office"), _("Validity"),
              _("Status")],
             [[ledger.tier_label(r.tier), r.certificate_no, r.document_no, r.office.name, _period(r),
               label(RECOGNITION_STATUS_LABELS, r.status) + (f"（{r.exit_reason}）" if r.exit_reason else "")]
              for r in ledger.recognitions], (32, 28, 34, 30, 25, 25), empty=_("No recognition."))
    for entry in ledger.recognitions:
        events = ledger.histories.get(entry.id, [])
        if events:
            doc.paragraph(_("History of %(number)s", number=entry.certificate_no), size=9)
            doc.grid([_("Time"), _("Event"), _("By"), _("Comment")],
                     [[iso_cn(e["at"]), history_label(e["action"]), e["actor"] or "",
                       e["comment"] or ""] for e in events], (30, 50, 30, 64), size=7.5)


def _memberships(doc: Document, ledger: Ledger) -> None:
    doc.heading(_("Library memberships"))
    doc.grid([_("Library"), _("Entered"), _("Source"), _("Status"), _("Exit")],
             [[libraries.label(m.library), m.entered_on.isoformat(), label(SOURCE_LABELS, m.source),
               label(MEMBERSHIP_STATUS_LABELS, m.status),
               f"{m.exited_on.isoformat()} {m.exit_reason or ''}" if m.exited_on else ""]
              for m in ledger.memberships], (60, 24, 30, 22, 38), empty=_("No library membership."))


def _applications(doc: Document, ledger: Ledger) -> None:
    doc.heading(_("Applications and outcomes"))
    doc.grid([_("No."), _("Target tier"), _("Submitted"), _("Status"), _("Result")],
             [[str(line.application.id), ledger.tier_label(line.application.target_tier),
               datetime_cn(line.application.submitted_at), label(STATUS_LABELS, line.application.status),
               (line.recognition.certificate_no if line.recognition else line.reason or "")]
              for line in ledger.applications], (14, 50, 30, 30, 50), empty=_("No application."))


def _cases(doc: Document, ledger: Ledger) -> None:
    doc.heading(_("Re-verification and revocation cases"))
    doc.grid([_("No."), _("Kind"), _("Opened"), _("Status"), _("Result"), _("Reason")],
             [[str(c.id), label(CASE_KIND_LABELS, c.kind), datetime_cn(c.created_at),
               label(CASE_STATUS_LABELS, c.status), label(OUTCOME_LABELS, c.outcome), c.reason or ""]
              for c in ledger.cases], (14, 34, 30, 20, 24, 52), empty=_("No case."))


def _documents(doc: Document, ledger: Ledger) -> None:
    doc.heading(_("Documents"))
    doc.grid([_("Application or case"), _("Document type"), _("File"), _("Uploaded at")],
             [[_("Case no. %(id)s", id=d.case_id) if d.case_id else _("Application no. %(id)s", id=d.application_id),
               _("Case evidence") if d.case_id else label(DOC_TYPE_LABELS, d.doc_type), d.original_name,
               datetime_cn(d.uploaded_at)] for d in ledger.documents], (24, 50, 70, 30), empty=_("No document."))


def _rewards(doc: Document, ledger: Ledger) -> None:
    doc.heading(_("Rewards"))
    doc.grid([_("Reward"), _("Amount (10,000 yuan)"), _("Status"), _("Voucher"), _("Paid on")],
             [[c.policy.name, in_wan(c.amount), claim_status_label(c.status), c.voucher_no or "",
               c.paid_on.isoformat() if c.paid_on else ""] for c in ledger.rewards], (70, 26, 30, 30, 20),
             empty=_("No reward claim."))


def _services(doc: Document, ledger: Ledger) -> None:
    """服务秘书 and 挂钩领导 (001 §三(三), 004 §四(二)), then the visits, latest first."""
    doc.heading(_("Service secretaries and visits"))
    doc.grid([_("Office"), _("Service secretary"), _("Linked leader"), _("Period"), _("Status")],
             [[a.office.name, a.secretary.display_name or a.secretary.username,
               " · ".join(x for x in (a.leader_name, a.leader_post) if x),
               f"{a.starts_on.isoformat()} – {a.ends_on.isoformat() if a.ends_on else ''}",
               AssignmentStatus(a.status).label] for a in ledger.service_assignments], (46, 30, 44, 40, 20),
             empty=_("No service secretary assigned."))
    doc.grid([_("Visit date"), _("Who went"), _("What was discussed"), _("Problems raised"), _("Next visit due")],
             [[v.visited_on.isoformat(), v.visitors, v.notes, v.problems or "",
               v.next_due_on.isoformat() if v.next_due_on else ""] for v in ledger.service_visits],
             (24, 34, 54, 44, 24), empty=_("No visit logged."))


def _problems(doc: Document, ledger: Ledger) -> None:
    """问题诉求 (000 §四(三), 001 §三(三)): newest first, with where each stands."""
    doc.heading(_("Problems raised (问题诉求)"))
    doc.grid([_("Raised"), _("Category"), _("Problem"), _("Level"), _("Status")],
             [[datetime_cn(p.created_at), ProblemCategory(p.category).label, p.text[:120],
               ProblemLevel(p.level).label, ProblemStatus(p.status).label] for p in ledger.problems],
             (30, 24, 80, 26, 24), empty=_("No problem raised."))


def ledger_pdf(ledger: Ledger) -> bytes:
    """The whole ledger as one PDF."""
    enterprise = ledger.enterprise
    doc = Document(_("Enterprise ledger: %(name)s", name=enterprise.name),
                   footer=_("Enterprise ledger: %(name)s", name=enterprise.name))
    doc.title_block(_("Enterprise ledger (一企一册)"), _("%(name)s · generated %(at)s", name=enterprise.name,
                                                       at=datetime_cn(ledger.generated_at)))
    doc.heading(_("Profile"))
    doc.fields([(_("Enterprise"), enterprise.name), (_("USCC"), enterprise.uscc), (_("Region"), ledger.region_name),
                (_("Sector"), label(SECTOR_LABELS, enterprise.sector)),
                (_("Registered"), datetime_cn(enterprise.created_at))])
    _recognitions(doc, ledger)
    _memberships(doc, ledger)
    _applications(doc, ledger)
    _cases(doc, ledger)
    _documents(doc, ledger)
    _rewards(doc, ledger)
    _services(doc, ledger)
    _problems(doc, ledger)
    for title in (_("Monitoring"),):
        doc.heading(title)
        doc.paragraph(_("Nothing recorded yet."), size=9, color=110)
    return doc.render()
