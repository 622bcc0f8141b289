"""One vocabulary: every code has a Chinese label, and the stored lists are the enums."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from app.core import vocabulary
from app.core.vocabulary import LABELS, Vocabulary

ENUMS = sorted(LABELS, key=lambda cls: cls.__name__)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("enum", ENUMS, ids=lambda cls: cls.__name__)
def test_every_member_has_a_chinese_and_an_english_label(app, enum):
    with app.test_request_context():
        assert set(LABELS[enum]) == set(enum.values()), "labels and members must match one to one"
        with force_locale("zh_CN"):
            chinese = {m.value: m.label for m in enum}
        with force_locale("en"):
            english = {m.value: m.label for m in enum}
    untranslated = sorted(code for code, text in chinese.items() if not CJK.search(text))
    assert untranslated == [], f"{enum.__name__} members without a Chinese label: {untranslated}"
    assert all(english.values()) and all(not CJK.search(text) for text in english.values())


def test_every_vocabulary_enum_is_labelled():
    defined = {obj for obj in vars(vocabulary).values()
               if isinstance(obj, type) and issubclass(obj, Vocabulary) and obj is not Vocabulary}
    assert defined == set(LABELS)


def test_the_models_use_the_vocabulary():
    from app.models import SECTORS, STATUSES, TIERS
    from app.models.process import TASK_STATES, TIMER_STATES

    assert TIERS == vocabulary.Tier.values() and STATUSES == vocabulary.ApplicationStatus.values()
    assert SECTORS == vocabulary.Sector.values() and TASK_STATES == vocabulary.TaskState.values()
    assert TIMER_STATES == vocabulary.TimerState.values()


def test_lanes_the_validator_knows_are_the_lanes_routing_resolves():
    from app.workflow.routing import LANE_LEVELS
    from app.workflow.validation import KNOWN_LANES

    assert set(KNOWN_LANES) == set(vocabulary.Lane.values())
    # the enterprise's lane is the subject itself; the registrar is the office that keeps the register entry
    # (named by the subject, app/lifecycle/adapter.py): neither is routed by level
    # and the finance bureau of a reward's fund: both named by the subject, not routed by level
    assert set(LANE_LEVELS) == set(vocabulary.Lane.values()) - {vocabulary.Lane.ENTERPRISE, vocabulary.Lane.REGISTRAR,
                                                                 vocabulary.Lane.FINANCE}
