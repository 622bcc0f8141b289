"""What a decision will do, in words (issue 17 item 7): the effects the BPMN declares
(app/recognition/meaning.py) as sentences for the confirmation before a final or bulk decision."""

from __future__ import annotations

from flask_babel import gettext as _

from app.models import HumanTask
from app.recognition import meaning
from app.web.labels import tier_label


def sentence(effect: str | None, tier: str | None, label: str | None = None) -> str:
    """"将认定为创新型中小企业", "将送专家评审"…; for an undeclared effect, the decision's label."""
    name = tier_label(tier) if tier else ""
    if effect == "recognize":
        return _("Will recognize the enterprise as %(tier)s", tier=name)
    if effect == "notice":
        return _("Will publish it for the public notice; without objection it is then recognized as %(tier)s",
                 tier=name)
    if effect == "forward":
        return _("Will recommend it to the next office, which reviews it next")
    if effect == "experts":
        return _("Will send it to an expert panel for scoring")
    if effect == "dismiss":
        return _("Will dismiss the objections; the public notice goes on")
    if effect == "return":
        return _("Will return it to the enterprise for amendment")
    if effect == "reject":
        return _("Will not recognize it; the application ends")
    return _("Decision: %(label)s", label=label or "")


def counted(effect: str | None, tier: str | None, count: int, label: str | None = None) -> str:
    """"将认定为创新型中小企业，共3家"."""
    return _("%(effect)s, %(n)s enterprises in all", effect=sentence(effect, tier, label), n=count)


def for_task(task: HumanTask) -> dict[str, str]:
    """Decision → sentence for each decision of the task with a declared effect."""
    tier = task.application.target_tier if task.application else None
    return {decision: sentence(effect, tier) for decision, effect in meaning.effects(task).items()}
