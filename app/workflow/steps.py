"""What a BPMN user task may declare about itself: its step kind (the form it needs) and the decisions it
offers. Deploy-time validation refuses any other name; the editor's side panel lists these with their meaning.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The `kind` property of a user task (a task without one is a `decision`).
STEP_KINDS = {
    "decision": _l("An office decides: approve, return or reject (return and reject need a reason)"),
    "expert_score": _l("An expert of the drawn panel scores the application, blind"),
    "spot_check": _l("The office records the on-site check (date, inspectors, findings, outcome) and decides"),
    "objection_review": _l("The office reviews an objection raised during the public notice"),
    "amendment": _l("The enterprise amends the returned application and resubmits it"),
    "data_update": _l("The enterprise updates the data asked for and submits it"),
}
# The `decisions` property (a comma list); gateway conditions test the variable `decision`.
DECISIONS = ("approve", "return", "reject")
