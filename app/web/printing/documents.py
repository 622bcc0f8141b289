"""The printed forms of an application, in the reader's language with the CJK font embedded:

- 申报书 (application form): the enterprise, the application's number, tier and call, every indicator as typed,
  the eligibility evaluation at submission, the enterprise's declaration and a seal area (企业盖章);
- 推荐意见表 (recommendation form) of one office on the chain: the application's summary, the office's latest
  decision with its comment, reviewer and date, and the office's seal area; blank lines when it has not decided.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.core import audit
from app.core.pdf import Document
from app.models import Application, AuditEvent, Office
from app.recognition import numbers
from app.web.applications.forms import GROUPS
from app.web.evaluation import criterion_value, shown_groups
from app.web.labels import (
    ACTION_LABELS,
    SECTOR_LABELS,
    datetime_cn,
    indicator_label,
    indicator_value,
    label,
    status_label,
    tier_label,
)

DECISIONS = ("approve", "return", "reject")


def _summary(doc: Document, application: Application) -> None:
    enterprise = application.enterprise
    doc.fields([
        (_("Application no."), numbers.label(application)),
        (_("Enterprise"), enterprise.name),
        (_("USCC"), enterprise.uscc),
        (_("Region"), enterprise.region.name if enterprise.region else enterprise.region_code),
        (_("Sector"), label(SECTOR_LABELS, enterprise.sector)),
        (_("Target tier"), tier_label(application.target_tier)),
        (_("Call"), application.call.name if application.call else "—"),
        (_("Submitted"), datetime_cn(application.submitted_at) or "—"),
        (_("Status"), status_label(application.status)),
    ])


def _seal(doc: Document, title: str, lines: list[str]) -> None:
    """A framed area for a signature and seal, kept on one page."""
    height = 38
    if doc.will_page_break(height + 6):
        doc.add_page()
    doc.ln(3)
    top = doc.get_y()
    doc.set_draw_color(120)
    doc.rect(doc.l_margin, top, doc.w - doc.l_margin - doc.r_margin, height)
    doc.set_xy(doc.l_margin + 4, top + 4)
    doc.paragraph(title, size=10)
    doc.set_y(top + height - 6 - 6 * len(lines))
    for line in lines:
        doc.set_x(doc.w / 2)
        doc.cell(0, 6, line)
        doc.ln(6)
    doc.set_y(top + height + 2)


def application_form(application: Application) -> bytes:
    """申报书: the data, the evaluation and the enterprise's seal area."""
    title = _("Application form: %(tier)s", tier=tier_label(application.target_tier))
    doc = Document(title, footer=numbers.label(application))
    doc.title_block(title, _("Application no. %(id)s", id=numbers.label(application)))
    doc.heading(_("Applicant"))
    _summary(doc, application)
    data = application.data or {}
    for group_label, keys in GROUPS:
        doc.heading(str(group_label))
        doc.fields([(indicator_label(key), indicator_value(key, data.get(key))) for key in keys], label_width=70)
    doc.heading(_("Eligibility at submission"))
    evaluation: dict[str, Any] | None = application.evaluation
    if not evaluation:
        doc.paragraph(_("No eligibility check was recorded for this application."), color=110)
    else:
        verdict = _("Meets the recognition criteria") if evaluation.get("passed") else \
            _("Does not meet the recognition criteria")
        score = evaluation.get("score")
        doc.fields([(_("Result"), verdict),
                     (_("Total score"), "—" if score is None else f"{score:g}"),
                     (_("Rule set"), (evaluation.get("rule_set") or {}).get("name") or "—")])
        groups = shown_groups(evaluation.get("groups"))
        if groups:
            doc.grid([_("Group"), _("Score / maximum"), _("Minimum required")],
                     [[g.get("name") or "", f"{g.get('score')} / {g.get('max')}" if g.get("max") is not None
                       else str(g.get("score") or "—"), str(g.get("min_required") or "—")] for g in groups],
                     (90, 44, 40))
        criteria = evaluation.get("criteria") or []
        if criteria:
            doc.grid([_("Criterion"), _("Value given"), _("Standard"), _("Points / result")],
                     [[c.get("name") or "", criterion_value(c), str(c.get("threshold") or "—"),
                       str(c.get("points") if c.get("kind") == "score" else
                           (_("Met") if c.get("passed") else _("Not met")))] for c in criteria],
                     (62, 50, 38, 24), size=8)
    doc.heading(_("Declaration"))
    doc.paragraph(_("The enterprise declares that the information in this application and its attachments is "
                    "true, accurate and complete, and bears the legal responsibility for it."))
    _seal(doc, _("Seal of the enterprise (企业盖章)"),
          [_("Legal representative (signature): ____________"), _("Date: ______ year ___ month ___ day")])
    return doc.render()


def office_opinion(application: Application, office: Office) -> AuditEvent | None:
    """The office's latest decision on the application (approve, return or reject), if any."""
    found = [e for e in audit.history(application.id) if e.office_id == office.id and e.action in DECISIONS]
    return found[-1] if found else None


def recommendation_form(application: Application, office: Office) -> bytes:
    """推荐意见表 of one office: its opinion, the date and its seal area."""
    title = _("Recommendation form")
    doc = Document(title, footer=f"{numbers.label(application)} · {office.name}")
    doc.title_block(title, office.name)
    doc.heading(_("Application"))
    _summary(doc, application)
    score = application.score
    doc.fields([(_("Self-evaluation score"), "—" if score is None else f"{score:g}")])
    doc.heading(_("Opinion of %(office)s", office=office.name))
    event = office_opinion(application, office)
    if event is None:
        doc.paragraph(_("This office has not decided yet; the opinion is written by hand."), color=110)
        for _line in range(5):
            doc.ln(8)
            doc.line(doc.l_margin, doc.get_y(), doc.w - doc.r_margin, doc.get_y())
        date_line = _("Date: ______ year ___ month ___ day")
    else:
        reviewer = event.actor.display_name or event.actor.username if event.actor else "—"
        doc.fields([(_("Decision"), label(ACTION_LABELS, event.action)),
                    (_("Comment / reason"), event.comment or "—"),
                    (_("Reviewer"), reviewer),
                    (_("Date"), datetime_cn(event.at))])
        date_line = _("Date: %(date)s", date=datetime_cn(event.at)[:10])
    _seal(doc, _("Seal of %(office)s", office=office.name), [_("Person in charge (signature): ____________"),
                                                                date_line])
    return doc.render()
