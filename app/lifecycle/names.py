"""What a jurisdiction calls each tier (晋城: 省级专精特新“小巨人”企业; 金湖: 县级培育库入库企业; 吉林: 优质“种子
企业”), from workflows/tier_names.json; the vocabulary's label where the seeds name nothing else."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, get_locale

from app.core.vocabulary import Tier
from app.models import Region

SHIPPED = Path(__file__).resolve().parents[2] / "workflows" / "tier_names.json"


@cache
def _names() -> dict[tuple[str, str], dict[str, str]]:
    items = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return {(item["region_code"], item["tier"]): item for item in items}


def _english() -> bool:
    try:
        locale = get_locale()
    except (RuntimeError, AttributeError):
        return False
    return locale is not None and locale.language == "en"


def entry(tier: str, region: Region | None) -> dict[str, str] | None:
    """The jurisdiction's own name for `tier` (the nearest region up the chain that names it), or None."""
    for code in region.lineage() if region is not None else []:
        found = _names().get((code, tier))
        if found is not None:
            return found
    return None


def tier_label(tier: str, region: Region | None) -> str:
    """`tier` as the jurisdiction of `region` calls it, in the reader's language."""
    found = entry(tier, region)
    if found is None:
        return Tier(tier).label if tier in Tier.values() else tier
    return found["name_en"] if _english() else found["name"]


@contextmanager
def stored_language() -> Iterator[None]:
    """Words the register keeps (an exit reason it writes itself, a campaign's default name) in the
    platform's language, whoever's request or worker pass wrote them: the register reads the same for all."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield
