"""What a BPMN user task may declare about itself: its step kind (the form it needs) and the decisions it
offers. Deploy-time validation refuses any other name; the editor's side panel lists these with their meaning.
Both come from the one vocabulary (app/core/vocabulary.py).
"""

from __future__ import annotations

from app.core.vocabulary import Decision, StepKind

# The `kind` property of a user task (a task without one is a `decision`).
STEP_KINDS = StepKind.labels()
# The `decisions` property (a comma list); gateway conditions test the variable `decision`.
DECISIONS = Decision.values()
