"""The operations the recognition chain's service tasks name (see workflow/operations.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.core import audit
from app.recognition import calls, experts
from app.workflow.operations import Context, Operation, Param, register

APPLICATION = ("application",)


def _draw_expert_panel(ctx: Context, params: dict[str, Any]) -> list[int]:
    return experts.draw_panel(ctx.subject, params.get("size"), step=ctx.trigger_step or ctx.step,
                              office_id=ctx.trigger_office_id,
                              exclude_home_city=params.get("exclude_home_city", True))


def _draw_spot_check(ctx: Context, params: dict[str, Any]) -> bool:
    application = ctx.subject
    drawn = calls.spot_check_drawn(application)
    audit.record("spot_check_draw", application=application, step=ctx.trigger_step or ctx.step,
                 office_id=ctx.trigger_office_id,
                 details={"drawn": drawn, "seed": application.call.spot_check_seed if application.call else None})
    return drawn


def _publish_notice(ctx: Context, params: dict[str, Any]) -> str:
    audit.record("notice_published", application=ctx.subject, step=ctx.step, office_id=ctx.trigger_office_id,
                 details={"ends": params["ends"]})
    return params["ends"]


register(Operation(
    "draw_expert_panel", _l("Draw an expert panel"),
    _l("Draws experts at random from the expert pool, leaving out those who declared a conflict with the "
       "enterprise (and, by default, those from its city); the seed and the pool are kept in the history. "
       "No eligible expert: the decision is refused (no_experts)."),
    APPLICATION, _draw_expert_panel,
    {"size": Param("int", _l("Panel size (default: the EXPERT_PANEL_SIZE setting)"), minimum=1, maximum=15),
     "exclude_home_city": Param("bool", _l("Leave out experts from the enterprise's city (default true)"))},
    result=_l("the expert ids: the panel's multi-instance input")))
register(Operation(
    "draw_spot_check", _l("Draw for an on-site check"),
    _l("Draws whether the application gets an on-site check, reproducibly from the call's recorded seed and "
       "share."), APPLICATION, _draw_spot_check, {}, result=_l("true when drawn")))
register(Operation(
    "open_public_notice", _l("Publish a public notice"),
    _l("Lists the application on the public notice page (公示) until the given time; objections may be raised "
       "there while a timer of kind notice_period waits."),
    APPLICATION, _publish_notice,
    {"ends": Param("str", _l("When the notice ends, e.g. deadline(\"public_notice\")"), required=True)},
    result=_l("when the notice ends")))
