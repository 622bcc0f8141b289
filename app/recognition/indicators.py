"""The indicator keys of an application's `data` (DESIGN.md "Indicator data") and their checks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import Invalid


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Any
    kind: str  # money, signed_money, count, ratio, level, bool, choice
    unit: Any = ""
    choices: tuple[str, ...] = ()
    maximum: float | None = None
    minimum: float | None = None
    grouping: bool = True  # shown with thousands separators (not a year)


IP_LEVELS = ("class1_high_value", "class1_self_developed", "class1", "class2", "none")
RD_INSTITUTIONS = ("none", "below_city", "city", "provincial", "national")
STI_AWARDS = ("none", "provincial", "national")
# The alternative columns of the standards that have them (004 附件1/2/4 制造类 / 创新类, 附件4/5 产品 / 企业).
TRACKS = ("manufacturing", "innovation", "product", "enterprise")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("revenue_last_year", _l("Revenue, last year"), "money", _l("yuan")),
    Indicator("revenue_prev_year", _l("Revenue, year before"), "money", _l("yuan")),
    Indicator("revenue_prev2_year", _l("Revenue, two years before"), "money", _l("yuan")),
    Indicator("main_revenue_last_year", _l("Main-business revenue, last year"), "money", _l("yuan")),
    Indicator("main_revenue_prev_year", _l("Main-business revenue, year before"), "money", _l("yuan")),
    Indicator("main_revenue_prev2_year", _l("Main-business revenue, two years before"), "money", _l("yuan")),
    Indicator("main_product_revenue_last_year", _l("Sales of the main product, last year"), "money", _l("yuan")),
    Indicator("rd_expense_last_year", _l("R&D expense, last year"), "money", _l("yuan")),
    Indicator("rd_expense_prev_year", _l("R&D expense, year before"), "money", _l("yuan")),
    Indicator("net_profit_last_year", _l("Net profit, last year"), "signed_money", _l("yuan")),
    Indicator("net_profit_prev_year", _l("Net profit, year before"), "signed_money", _l("yuan")),
    Indicator("net_profit_prev2_year", _l("Net profit, two years before"), "signed_money", _l("yuan")),
    Indicator("operating_profit_last_year", _l("Operating profit, last year"), "signed_money", _l("yuan")),
    Indicator("operating_profit_prev_year", _l("Operating profit, year before"), "signed_money", _l("yuan")),
    Indicator("operating_profit_prev2_year", _l("Operating profit, two years before"), "signed_money", _l("yuan")),
    Indicator("total_profit_last_year", _l("Total profit, last year"), "signed_money", _l("yuan")),
    Indicator("profit_tax_last_year", _l("Profits and taxes, last year"), "signed_money", _l("yuan")),
    Indicator("employees", _l("Employees"), "count", _l("people")),
    Indicator("rd_staff", _l("R&D staff"), "count", _l("people")),
    Indicator("debt_ratio", _l("Debt ratio"), "ratio"),
    Indicator("main_business_share", _l("Main business share of revenue"), "ratio"),
    Indicator("niche_years", _l("Years in the niche market"), "count", _l("years")),
    Indicator("invention_patents", _l("Class I IP items (invention patents)"), "count"),
    Indicator("class2_ip", _l("Class II IP items"), "count"),
    Indicator("utility_patents", _l("Utility model patents"), "count"),
    Indicator("proprietary_technology", _l("Holds proprietary technology (know-how)"), "bool"),
    Indicator("ip_level", _l("Best IP held"), "choice", choices=IP_LEVELS),
    Indicator("strategic_emerging", _l("Main product in a strategic emerging industry"), "bool"),
    Indicator("high_tech_enterprise", _l("Valid high-tech enterprise certificate"), "bool"),
    Indicator("rd_institution", _l("R&D institution"), "choice", choices=RD_INSTITUTIONS),
    Indicator("equity_financing_2y", _l("New equity financing, 2 years"), "money", _l("yuan")),
    Indicator("equity_financing_3y", _l("New equity financing, 3 years"), "money", _l("yuan")),
    Indicator("digitalization_level", _l("Digitalization level (0-4)"), "level", maximum=4),
    Indicator("quality_certifications", _l("Quality awards, certifications and standards"), "count"),
    Indicator("national_market_share", _l("Share of the national niche market"), "ratio"),
    Indicator("own_brand", _l("Own brand"), "bool"),
    Indicator("sti_award", _l("Science and technology award in 3 years"), "choice", choices=STI_AWARDS),
    Indicator("province_market_rank", _l("Rank of the main product's market share in the province"), "count",
              minimum=1),
    Indicator("national_market_rank", _l("Rank of the main product's market share in the country"), "count",
              minimum=1),
    Indicator("leader_supply_chain", _l("In the supply chain of a leading enterprise"), "bool"),
    Indicator("chain_key_link", _l("At a key link of an industry chain (fills a gap, strengthens a weak link)"),
              "bool"),
    Indicator("city_brand", _l("Main product is a brand recognized at city level or above"), "bool"),
    Indicator("clean_record_3y", _l("No bad credit, safety or environmental record in 3 years"), "bool"),
    Indicator("innovation_contest", _l("Took part in an innovation contest at provincial level or above"), "bool"),
    Indicator("founded_year", _l("Year the enterprise was founded"), "count", minimum=1800, maximum=2200,
              grouping=False),
    Indicator("track", _l("Track applied under"), "choice", choices=TRACKS),
)
BY_KEY = {i.key: i for i in INDICATORS}

# What every tier needs before an application can be submitted. The tier criteria add their own.
REQUIRED_ON_SUBMIT: tuple[str, ...] = ("revenue_last_year", "rd_expense_last_year", "employees")


MAX_MAGNITUDE = 10**15  # yuan (a thousand trillion), people, patents: far beyond any enterprise


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_value(ind: Indicator, value: Any) -> str | None:
    if value is None:
        return None
    if ind.kind == "bool":
        return None if isinstance(value, bool) else _("must be true or false")
    if ind.kind == "choice":
        return None if value in ind.choices else _("must be one of: %(choices)s", choices=", ".join(ind.choices))
    if not _is_number(value) or not math.isfinite(value):  # NaN, ±Infinity
        return _("must be a number")
    if abs(value) > MAX_MAGNITUDE:
        return _("must be at most %(max)s", max=MAX_MAGNITUDE)
    if ind.kind in ("count", "level") and int(value) != value:
        return _("must be a whole number")
    if ind.minimum is not None and value < ind.minimum:
        return _("must be at least %(min)s", min=ind.minimum)
    if ind.kind != "signed_money" and value < 0:
        return _("must not be negative")
    if ind.kind == "ratio" and value > 1:
        return _("is a ratio between 0 and 1")
    if ind.maximum is not None and value > ind.maximum:
        return _("must be at most %(max)s", max=ind.maximum)
    return None


def validate(data: Any) -> dict[str, Any]:
    """Check keys, types and consistency; return the cleaned data or raise Invalid (422)."""
    if not isinstance(data, dict):
        raise Invalid(_("Indicator data must be an object."), fields={"data": _("must be an object")})
    errors: dict[str, str] = {}
    for key, value in data.items():
        ind = BY_KEY.get(key)
        if ind is None:
            errors[key] = _("unknown indicator")
            continue
        problem = _check_value(ind, value)
        if problem:
            errors[key] = problem
    if not errors:
        employees, rd_staff = data.get("employees"), data.get("rd_staff")
        if employees is not None and rd_staff is not None and rd_staff > employees:
            errors["rd_staff"] = _("R&D staff cannot exceed the number of employees")
        for year in ("last_year", "prev_year", "prev2_year"):
            total, main = data.get(f"revenue_{year}"), data.get(f"main_revenue_{year}")
            if total is not None and main is not None and main > total:
                errors[f"main_revenue_{year}"] = _("main-business revenue cannot exceed revenue")
        product, main = data.get("main_product_revenue_last_year"), data.get("main_revenue_last_year")
        if product is not None and main is not None and product > main:
            errors["main_product_revenue_last_year"] = _("sales of the main product cannot exceed "
                                                         "main-business revenue")
        typed, computed = data.get("main_business_share"), derived_share(data)
        if typed is not None and computed is not None and abs(typed - computed) > SHARE_TOLERANCE:
            errors["main_business_share"] = _(
                "disagrees with main-business revenue / revenue (%(share)s); leave it empty, it is computed",
                share=f"{computed:.2%}")
    if errors:
        detail = _("; ").join(f"{BY_KEY[k].label if k in BY_KEY else k}: {v}" for k, v in errors.items())
        raise Invalid(_("Invalid indicator data: %(detail)s", detail=detail), fields=errors)
    return {k: v for k, v in data.items() if v is not None}


SHARE_TOLERANCE = 0.0005  # a typed share may be rounded to 0.05 percentage points


def derived_share(data: dict[str, Any]) -> float | None:
    """主营业务收入占比 from the two figures (004 附件2/3, 2022 standards): main revenue / revenue, last year."""
    return _ratio(data.get("main_revenue_last_year"), data.get("revenue_last_year"))


def labels(keys: list[str]) -> str:
    """Readable names of indicator keys, for messages."""
    return _(", ").join(str(BY_KEY[k].label) if k in BY_KEY else k for k in keys)


def missing_for_submit(data: dict[str, Any]) -> list[str]:
    return [k for k in REQUIRED_ON_SUBMIT if data.get(k) is None]


def _ratio(numerator: Any, denominator: Any) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return round(numerator / denominator, 10)


def _growth(last: Any, prev: Any) -> float | None:
    if last is None or prev is None or prev <= 0:
        return None
    return round((last - prev) / prev, 10)


# Derived indicators: computed here and nowhere else. Ratios are 0–1, rounded to 10 places so a
# value on a band boundary (5 %, 15 %) lands on it exactly.
DERIVED: dict[str, Any] = {
    "rd_ratio": _l("R&D expense / revenue, last year"),
    "rd_ratio_prev": _l("R&D expense / revenue, year before"),
    "rd_ratio_min_2y": _l("Lower of the two years' R&D expense / revenue"),
    "rd_ratio_avg_2y": _l("R&D expense / revenue over two years"),
    "rd_expense_total_2y": _l("R&D expense, two years together"),
    "rd_expense_avg_2y": _l("R&D expense, two-year average"),
    "revenue_growth": _l("Revenue growth"),
    "main_revenue_growth": _l("Main-business revenue growth"),
    "rd_staff_share": _l("R&D staff / employees"),
    "net_margin": _l("Net profit / revenue"),
    "main_business_share": _l("Main business share of revenue"),
    "main_revenue_growth_avg_2y": _l("Main-business revenue growth, average of the last two years"),
    "revenue_growth_avg_2y": _l("Revenue growth, average over the three years given"),
    "net_profit_growth_avg_2y": _l("Net profit growth, average of the last two years"),
    "operating_margin_avg_3y": _l("Operating profit / revenue, average of three years"),
    "rd_ratio_mean_2y": _l("Mean of the two years' R&D expense / revenue"),
    "main_product_share": _l("Sales of the main product / main-business revenue"),
    "main_product_share_of_revenue": _l("Sales of the main product / revenue"),
    "patents_invention_utility": _l("Invention and utility model patents"),
    "ip_items": _l("IP items: patents, software copyrights, proprietary technology"),
}


# The kind of each derived indicator: sums of R&D expense are money, counts of IP items counts, every other
# one a ratio (growth rates and shares).
DERIVED_KINDS: dict[str, str] = {
    key: "money" if key.startswith("rd_expense_") else "count" if key in ("patents_invention_utility", "ip_items")
    else "ratio" for key in DERIVED}


# The indicators each derived indicator is computed from.
DERIVED_SOURCES: dict[str, tuple[str, ...]] = {
    "rd_ratio": ("rd_expense_last_year", "revenue_last_year"),
    "rd_ratio_prev": ("rd_expense_prev_year", "revenue_prev_year"),
    "rd_ratio_min_2y": ("rd_expense_last_year", "revenue_last_year", "rd_expense_prev_year", "revenue_prev_year"),
    "rd_ratio_avg_2y": ("rd_expense_last_year", "revenue_last_year", "rd_expense_prev_year", "revenue_prev_year"),
    "rd_expense_total_2y": ("rd_expense_last_year", "rd_expense_prev_year"),
    "rd_expense_avg_2y": ("rd_expense_last_year", "rd_expense_prev_year"),
    "revenue_growth": ("revenue_last_year", "revenue_prev_year"),
    "main_revenue_growth": ("main_revenue_last_year", "main_revenue_prev_year"),
    "rd_staff_share": ("rd_staff", "employees"),
    "net_margin": ("net_profit_last_year", "revenue_last_year"),
    "main_business_share": ("main_revenue_last_year", "revenue_last_year"),
    "main_revenue_growth_avg_2y": ("main_revenue_last_year", "main_revenue_prev_year", "main_revenue_prev2_year"),
    "revenue_growth_avg_2y": ("revenue_last_year", "revenue_prev_year", "revenue_prev2_year"),
    "net_profit_growth_avg_2y": ("net_profit_last_year", "net_profit_prev_year", "net_profit_prev2_year"),
    "operating_margin_avg_3y": ("operating_profit_last_year", "operating_profit_prev_year",
                                "operating_profit_prev2_year", "revenue_last_year", "revenue_prev_year",
                                "revenue_prev2_year"),
    "rd_ratio_mean_2y": ("rd_expense_last_year", "revenue_last_year", "rd_expense_prev_year", "revenue_prev_year"),
    "main_product_share": ("main_product_revenue_last_year", "main_revenue_last_year"),
    "main_product_share_of_revenue": ("main_product_revenue_last_year", "revenue_last_year"),
    "patents_invention_utility": ("invention_patents", "utility_patents"),
    "ip_items": ("invention_patents", "class2_ip", "proprietary_technology"),
}


def sources(keys: set[str] | list[str] | tuple[str, ...]) -> list[str]:
    """The indicator keys an enterprise has to fill in so that `keys` (indicators or derived) are known."""
    raw: dict[str, None] = {}
    for key in keys:
        for source in DERIVED_SOURCES.get(key, (key,)):
            raw.setdefault(source, None)
    return [i.key for i in INDICATORS if i.key in raw]


def derive(data: dict[str, Any]) -> dict[str, Any]:
    """The indicator data plus every derived indicator that can be computed from it."""
    get = data.get
    rd_last, rd_prev = get("rd_expense_last_year"), get("rd_expense_prev_year")
    rev_last, rev_prev = get("revenue_last_year"), get("revenue_prev_year")
    both = rd_last is not None and rd_prev is not None
    out = dict(data)
    out.update({
        "rd_ratio": _ratio(rd_last, rev_last),
        "rd_ratio_prev": _ratio(rd_prev, rev_prev),
        "rd_ratio_avg_2y": _ratio(rd_last + rd_prev, rev_last + rev_prev)
        if both and rev_last is not None and rev_prev is not None else None,
        "rd_expense_total_2y": rd_last + rd_prev if both else None,
        "rd_expense_avg_2y": (rd_last + rd_prev) / 2 if both else None,
        "revenue_growth": _growth(rev_last, rev_prev),
        "main_revenue_growth": _growth(get("main_revenue_last_year"), get("main_revenue_prev_year")),
        "rd_staff_share": _ratio(get("rd_staff"), get("employees")),
        "net_margin": _ratio(get("net_profit_last_year"), rev_last),
    })
    ratios = [out["rd_ratio"], out["rd_ratio_prev"]]
    out["rd_ratio_min_2y"] = min(ratios) if None not in ratios else None
    out["rd_ratio_mean_2y"] = round(sum(ratios) / 2, 10) if None not in ratios else None
    # 主营业务收入占比 is computed from the two figures when both are given (a typed share that disagrees is
    # refused by validate()); the typed share stands only where the figures are not given.
    share = derived_share(data)
    if share is not None:
        out["main_business_share"] = share
    out["main_revenue_growth_avg_2y"] = _avg_growth(get("main_revenue_last_year"), get("main_revenue_prev_year"),
                                                    get("main_revenue_prev2_year"))
    out["revenue_growth_avg_2y"] = _avg_growth(rev_last, rev_prev, get("revenue_prev2_year"))
    out["net_profit_growth_avg_2y"] = _avg_growth(get("net_profit_last_year"), get("net_profit_prev_year"),
                                                  get("net_profit_prev2_year"))
    margins = [_ratio(get(f"operating_profit_{y}"), get(f"revenue_{y}")) if get(f"operating_profit_{y}") is not None
               else None for y in ("last_year", "prev_year", "prev2_year")]
    out["operating_margin_avg_3y"] = round(sum(margins) / 3, 10) if None not in margins else None
    product = get("main_product_revenue_last_year")
    out["main_product_share"] = _ratio(product, get("main_revenue_last_year"))
    out["main_product_share_of_revenue"] = _ratio(product, rev_last)
    out["patents_invention_utility"] = _sum_given(get("invention_patents"), get("utility_patents"))
    out["ip_items"] = _sum_given(get("invention_patents"), get("class2_ip"),
                                 1 if get("proprietary_technology") else (0 if get("proprietary_technology") is False
                                                                          else None))
    return out


def _avg_growth(last: Any, prev: Any, prev2: Any) -> float | None:
    """近2年平均增长率: the mean of the last two yearly growth rates, so three years of figures
    ((last − prev) / prev + (prev − prev2) / prev2) / 2; unknown when a base year is zero or negative."""
    first, second = _growth(last, prev), _growth(prev, prev2)
    if first is None or second is None:
        return None
    return round((first + second) / 2, 10)


def _sum_given(*counts: Any) -> int | None:
    """A count made of several declared counts: the sum of those given (None when none is)."""
    given = [c for c in counts if c is not None]
    return sum(given) if given else None


def input_keys() -> set[str]:
    """Every key a rule set may read: the indicators and the derived indicators."""
    return set(BY_KEY) | set(DERIVED)
