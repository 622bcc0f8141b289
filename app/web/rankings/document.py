"""The 通报 of a ranking run (001 §二(一)6, 002 §四(五)): a circular in the reader's language with the CJK font
embedded — the issuing office, the ranking table, the commended top regions, the regions that broke through
(零突破) and those still at zero at the key tier, the scoring method and the clause."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from fpdf.enums import WrapMode, XPos, YPos

from app.core.pdf import FAMILY, Document
from app.extensions import db
from app.models import Office, RankingRun
from app.reporting import rankings
from app.reporting.ranking_metrics import REGISTRY
from app.web.labels import TIER_LABELS, datetime_cn, label


def _value(metric: str, value: object) -> str:
    if value is None:
        return "—"
    kind = REGISTRY[metric].kind if metric in REGISTRY else "count"
    return f"{float(value) * 100:.1f}%" if kind == "ratio" else str(value)  # type: ignore[arg-type]


def _names(regions: list[dict]) -> str:
    return _(", ").join(r["region"] for r in regions)


def _paragraph(doc: Document, text: str, size: float = 11, color: int = 0) -> None:
    """A paragraph; Chinese wraps at any character (a clause such as "001 §二(一)6：……" would otherwise
    break at its only space and leave the first line nearly empty)."""
    chinese = str(get_locale() or "").startswith("zh")
    doc.set_font(FAMILY, "", size)
    doc.set_text_color(color)
    doc.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                   wrapmode=WrapMode.CHAR if chinese else WrapMode.WORD)
    doc.set_text_color(0)
    doc.ln(1)


def reference(clause: str) -> str:
    """The clause's reference ("001 §二(一)6") without its quoted text."""
    return clause.split("：", 1)[0].split(":", 1)[0].strip()


def circular(entry: RankingRun) -> bytes:
    scheme = entry.scheme
    office = db.session.scalar(db.select(Office).where(Office.region_code == scheme.region_code,
                                                       Office.sector.is_(None)))
    tier = label(TIER_LABELS, entry.key_tier)
    title = _("Circular on the results of the %(year)s %(scheme)s", year=entry.year, scheme=scheme.name)
    doc = Document(title, footer=_("Ranking run %(id)s", id=entry.id))
    doc.title_block(title, " · ".join(filter(None, [office.name if office else scheme.region.name,
                                                    datetime_cn(entry.created_at)])))
    weights = _("; ").join(_("%(metric)s (weight %(weight)s)", metric=rankings.metric_label(m["metric"]),
                             weight=m["weight"]) for m in entry.metrics)
    _paragraph(doc, _("In accordance with %(clause)s, the regions of %(region)s were ranked by: %(weights)s. The "
                      "results for %(year)s are circulated as follows.", clause=reference(scheme.clause),
                      region=scheme.region.name, weights=weights, year=entry.year))

    doc.heading(_("1. Comprehensive ranking"))
    metrics = [m["metric"] for m in entry.metrics]
    width = (doc.epw - 14 - 28 - 18) / max(len(metrics), 1)
    doc.grid([_("Rank"), _("Region"), *[rankings.metric_label(m) for m in metrics], _("Score")],
             [[str(item["rank"]), item["region"], *[_value(m, item["inputs"].get(m)) for m in metrics],
               f"{item['score']:.2f}"] for item in entry.results],
             [14, 28, *[width] * len(metrics), 18], empty=_("No region is ranked by this scheme."))

    commended = [item for item in entry.results if item["commended"]]
    doc.heading(_("2. Commended: the top %(n)s", n=entry.top_n))
    _paragraph(doc, _("; ").join(_("No. %(rank)s %(region)s (score %(score)s)", rank=i["rank"], region=i["region"],
                                 score=f"{i['score']:.2f}") for i in commended) or _("None this year."))

    doc.heading(_("3. First breakthrough: %(tier)s (commended)", tier=tier))
    _paragraph(doc, _names(entry.breakthroughs) or _("None this year."))

    doc.heading(_("4. Still without a recognition at this tier: %(tier)s", tier=tier))
    _paragraph(doc, _names(entry.zero_breakthrough) or _("None: every ranked region has broken through."))

    doc.heading(_("5. Method"))
    _paragraph(doc, _("Each metric is scaled to 0–100 against the best region (counts and growth rates by the "
                    "highest value; a negative growth scores below zero growth; no data scores 0); the score is "
                    "the weighted mean of the scaled values; ties are decided by the first metric. Growth rates "
                    "are those of the recognized enterprises' year-end monitoring reports: the sum of the year "
                      "over the sum of the year before, minus one."), size=9, color=80)
    _paragraph(doc, _("Policy clause: %(clause)s", clause=scheme.clause), size=9, color=80)
    return doc.render()
