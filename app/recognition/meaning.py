"""What a reviewer's decision means (issue 17 item 7): the effect each decision of a step has, as the BPMN
declares it on the user task (`<decision>_effect`: a word of EFFECTS or an `=expression` over the task's
data), and whether the enterprise already holds the tier it applies for.

The effects are read through the engine (`engine.step_effects`) over the data a task row keeps: the
application's `target_tier` and the step's `context` items. The web layer turns them into sentences
("将认定为创新型中小企业") and asks for a confirmation before a final one or any bulk decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app import engine
from app.extensions import db
from app.models import HumanTask, ProcessInstance
from app.workflow import definitions, prerequisites

# recognize: the enterprise is recognized at its target tier; notice: published for the public notice, then
# recognized; forward: recommended up to the next office; experts: sent to the expert panel; dismiss: an
# objection is dismissed and the notice goes on; return / reject: back to the enterprise / the end
EFFECTS = ("recognize", "notice", "forward", "experts", "dismiss", "return", "reject")
FINAL_EFFECTS = ("recognize", "notice", "reject")  # a confirmation is asked before these


def effects(task: HumanTask) -> dict[str, str]:
    """Decision → effect for the task's step (only decisions whose effect is declared and known)."""
    instance = db.session.get(ProcessInstance, task.instance_id)
    if instance is None:
        return {}
    data: dict[str, Any] = {"target_tier": task.application.target_tier if task.application else None,
                            **(task.context or {})}
    found = engine.step_effects(definitions.process_spec(instance.definition_id), task.step, data)
    return {decision: effect for decision, effect in found.items() if effect in EFFECTS}


def effect(task: HumanTask, decision: str) -> str | None:
    return effects(task).get(decision)


def needs_confirmation(task: HumanTask, decision: str) -> bool:
    return effect(task, decision) in FINAL_EFFECTS


def holds_tier(task: HumanTask) -> bool:
    """The enterprise already holds an active recognition at the tier the application is for."""
    application = task.application
    return application is not None and application.target_tier in prerequisites.holdings(
        application.enterprise_id).tiers


def group(tasks: Iterable[HumanTask], decision: str) -> list[tuple[str | None, str | None, list[HumanTask]]]:
    """The tasks of a bulk decision grouped by (effect, target tier), in first-seen order."""
    groups: dict[tuple[str | None, str | None], list[HumanTask]] = {}
    for task in tasks:
        key = (effect(task, decision), task.application.target_tier if task.application else None)
        groups.setdefault(key, []).append(task)
    return [(eff, tier, items) for (eff, tier), items in groups.items()]
