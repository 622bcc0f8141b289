"""What the recognition chain's decision tables may read: a rule set (one per tier and jurisdiction) reads
indicator keys; the process's own `eligibility_check` reads the verdict computed on submission."""

from __future__ import annotations

from app.recognition import indicators
from app.workflow import validation

ELIGIBILITY_CHECK = "eligibility_check"  # the decision the recognition process's business rule task calls
ELIGIBILITY_INPUTS = frozenset({"eligibility_passed", "eligibility_score"})


def _policy(key: str) -> validation.DmnPolicy:
    if key == ELIGIBILITY_CHECK:
        return validation.DmnPolicy(rule_set=False, inputs=ELIGIBILITY_INPUTS, named_inputs=True)
    return validation.DmnPolicy(rule_set=True, inputs=frozenset(indicators.input_keys()))


validation.register_dmn_policy(_policy)
