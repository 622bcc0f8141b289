"""The shipped policy rule sets (workflows/rules/*.dmn): golden cases on both sides of every band edge.

Pure tests, no database. Data is given as raw indicator keys and goes through `derive()`, so the derived
ratios are tested too. Every expected number is worked out by hand from POLICY.md / the policy texts.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from app.engine.rules import RuleBook, evaluate_rules, parse_rules
from app.recognition.indicators import BY_KEY, derive, input_keys

RULES = Path(__file__).resolve().parents[1] / "workflows" / "rules"
MANIFEST = json.loads((RULES / "rule_sets.json").read_text(encoding="utf-8"))
KEYS = [entry["key"] for entry in MANIFEST["rule_sets"]]
DMN = "{https://www.omg.org/spec/DMN/20191111/MODEL/}"


@pytest.fixture(autouse=True)
def _clean_database():
    """Overrides the suite's per-test database reset: these tests touch no database."""
    yield


@pytest.fixture(scope="module")
def books() -> dict[str, RuleBook]:
    return {key: parse_rules((RULES / f"{key}.dmn").read_bytes()) for key in KEYS}


def run(book: RuleBook, data: dict[str, Any]) -> dict[str, Any]:
    return evaluate_rules(book, derive(data))


def crit(result: dict[str, Any], item: str) -> dict[str, Any]:
    return {c["id"]: c for c in result["criteria"]}[item]


def groups(result: dict[str, Any]) -> dict[str, int]:
    return {g["id"]: g["score"] for g in result["groups"]}


# ---- structure --------------------------------------------------------------------------------------

def test_every_rule_set_has_its_table(books):
    assert KEYS == ["seed_2022", "jiangsu_qianqi", "jinhu_library", "city_2022", "province_2022", "jiangsu_province",
                    "jilin_province", "national_2022", "jinhu_national", "national_2026"]
    for key, book in books.items():
        assert book.decision_id == key
        assert set(book.inputs) <= input_keys(), key
        root = ET.fromstring((RULES / f"{key}.dmn").read_bytes())
        decisions = root.findall(f"{DMN}decision")
        assert len(decisions) == 1
        description = decisions[0].findtext(f"{DMN}description") or ""
        assert "来源" in description, key
        for item, facts in book.items.items():
            assert re.search(r"[\u4e00-\u9fff]", facts["name"]), (key, item)  # names are the policy's Chinese


def _candidates(book: RuleBook, key: str) -> list[Any]:
    """Values of `key` on and around every number its entries mention."""
    ind = BY_KEY.get(key)
    if ind is not None and ind.kind == "bool":
        return [True, False]
    if ind is not None and ind.kind == "choice":
        return list(ind.choices)
    column = book.inputs.index(key)
    numbers = {0.0}
    for rule in book.table.rules:
        for text in rule.inputEntries[column].lhs:
            numbers.update(float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text or ""))
    values = set()
    for n in numbers:
        step = max(abs(n), 1) * 1e-6
        values.update((n - step, n, n + step))
    return sorted(values)


def test_bands_cover_every_value(books):
    """With every input present, every criterion has a row that fires: nothing is reported missing."""
    sampler = random.Random(2022)
    for key, book in books.items():
        base = {k: _candidates(book, k)[0] for k in book.inputs}
        assert evaluate_rules(book, base)["missing"] == [], key
        for item, keys in book.item_inputs.items():
            if book.items[item]["kind"] not in ("score", "hard", "direct") or book.items[item].get("track"):
                continue
            combos = list(itertools.product(*(_candidates(book, k) for k in keys)))
            for combo in sampler.sample(combos, min(len(combos), 80)):
                result = evaluate_rules(book, base | dict(zip(keys, combo, strict=True)))
                assert result["missing"] == [], (key, item, combo)


# ---- seed_2022: 创新型中小企业 ------------------------------------------------------------------------

def rd(expense: int, revenue: int = 5_000_000) -> dict[str, int]:
    return {"rd_expense_last_year": expense, "revenue_last_year": revenue}


def growth(last: int, prev: int = 1_000_000) -> dict[str, int]:
    return {"main_revenue_last_year": last, "main_revenue_prev_year": prev}


SEED_POINTS = [
    ("ip", {"ip_level": "class1_high_value"}, 20),
    ("ip", {"ip_level": "class1_self_developed"}, 15),
    ("ip", {"ip_level": "class1"}, 10),
    ("ip", {"ip_level": "class2"}, 5),
    ("ip", {"ip_level": "none"}, 0),
    ("rd_ratio", rd(250_000), 20),  # exactly 5 %
    ("rd_ratio", rd(249_500), 15),  # 4.99 %
    ("rd_ratio", rd(150_000), 15),  # 3 %
    ("rd_ratio", rd(149_500), 10),  # 2.99 %
    ("rd_ratio", rd(100_000), 10),  # 2 %
    ("rd_ratio", rd(99_500), 5),
    ("rd_ratio", rd(50_500), 5),  # 1.01 %
    ("rd_ratio", rd(50_000), 0),  # exactly 1 %: "1%以下" includes 1 %
    ("rd_ratio", rd(49_500), 0),
    ("main_revenue_growth", growth(1_150_000), 20),  # exactly 15 %
    ("main_revenue_growth", growth(1_149_000), 15),  # 14.9 %
    ("main_revenue_growth", growth(1_100_000), 15),  # 10 %
    ("main_revenue_growth", growth(1_099_000), 10),
    ("main_revenue_growth", growth(1_050_000), 10),  # 5 %
    ("main_revenue_growth", growth(1_049_000), 5),
    ("main_revenue_growth", growth(1_001_000), 5),  # 0.1 %
    ("main_revenue_growth", growth(1_000_000), 0),  # exactly 0 %: "0%以下" includes 0 %
    ("main_revenue_growth", growth(999_000), 0),  # -0.1 %
    ("debt_ratio", {"debt_ratio": 0.55}, 10),
    ("debt_ratio", {"debt_ratio": 0.551}, 5),
    ("debt_ratio", {"debt_ratio": 0.7499}, 5),
    ("debt_ratio", {"debt_ratio": 0.75}, 0),  # exactly 75 %: "75%以上 0分" includes 75 %
    ("debt_ratio", {"debt_ratio": 0.751}, 0),
    ("strategic_emerging", {"strategic_emerging": True}, 10),
    ("strategic_emerging", {"strategic_emerging": False}, 5),
    ("main_business_share", {"main_business_share": 0.70}, 20),
    ("main_business_share", {"main_business_share": 0.699}, 15),
    ("main_business_share", {"main_business_share": 0.60}, 15),
    ("main_business_share", {"main_business_share": 0.599}, 10),
    ("main_business_share", {"main_business_share": 0.55}, 10),
    ("main_business_share", {"main_business_share": 0.549}, 5),
    ("main_business_share", {"main_business_share": 0.5001}, 5),
    ("main_business_share", {"main_business_share": 0.50}, 0),  # exactly 50 %: "50%以下" includes 50 %
    ("main_business_share", {"main_business_share": 0.499}, 0),
]


@pytest.mark.parametrize(("item", "data", "points"), SEED_POINTS)
def test_seed_bands(books, item, data, points):
    assert crit(run(books["seed_2022"], data), item)["points"] == points


SEED_DIRECT = [
    ("direct_sti_award", {"sti_award": "provincial"}, True),
    ("direct_sti_award", {"sti_award": "national"}, True),
    ("direct_sti_award", {"sti_award": "none"}, False),
    ("direct_high_tech", {"high_tech_enterprise": True}, True),
    ("direct_high_tech", {"high_tech_enterprise": False}, False),
    ("direct_rd_institution", {"rd_institution": "national"}, True),
    ("direct_rd_institution", {"rd_institution": "provincial"}, True),
    ("direct_rd_institution", {"rd_institution": "city"}, False),
    ("direct_rd_institution", {"rd_institution": "none"}, False),
    ("direct_equity", {"equity_financing_3y": 5_000_000}, True),
    ("direct_equity", {"equity_financing_3y": 4_999_999}, False),
]


@pytest.mark.parametrize(("item", "data", "ok"), SEED_DIRECT)
def test_seed_direct_conditions(books, item, data, ok):
    assert crit(run(books["seed_2022"], data), item)["passed"] is ok


SEED_NO_DIRECT = {"sti_award": "none", "high_tech_enterprise": False, "rd_institution": "city",
                  "equity_financing_3y": 0}
# IP Class I 10 + R&D 2 % 10 | growth 5 % 10 + debt 55 % 10 | not strategic 5 + main business 60 % 15 = 60
SEED_60 = {"ip_level": "class1", **rd(35_000, 1_750_000), **growth(1_050_000), "debt_ratio": 0.55,
           "strategic_emerging": False, **SEED_NO_DIRECT}  # main business 105万 / 175万 = 60 %


def test_seed_pass_mark(books):
    book = books["seed_2022"]
    at = run(book, SEED_60)
    assert (at["score"], at["pass_score"], at["passed"], at["missing"]) == (60, 60, True, [])
    assert groups(at) == {"innovation": 20, "growth": 20, "specialization": 20}
    below = run(book, SEED_60 | {"revenue_last_year": 1_909_090, "rd_expense_last_year": 38_182})  # 55.0 %: 15 → 10
    assert (below["score"], below["passed"], below["direct_passed"]) == (55, False, False)
    assert all(g["passed"] for g in below["groups"])


def test_seed_group_minimums(books):
    book = books["seed_2022"]
    # high-value IP 20 + R&D 5 % 20 | growth -0.1 % 0 + debt 55 % 10 | strategic 10 + main business 70 % 20 = 80
    low_growth = run(book, {"ip_level": "class1_high_value", **rd(71_400, 1_427_000), **growth(999_000),
                            "debt_ratio": 0.55, "strategic_emerging": True, **SEED_NO_DIRECT})
    assert low_growth["score"] == 80 and low_growth["passed"] is False
    by_id = {g["id"]: g for g in low_growth["groups"]}
    assert (by_id["growth"]["score"], by_id["growth"]["min_required"], by_id["growth"]["passed"]) == (10, 15, False)
    # no IP 0 + R&D 3 % 15 = 15 < 20 | growth 15 % 20 + debt 10 | strategic 10 + 70 % 20 = 75
    low_innovation = run(book, {"ip_level": "none", **rd(42_900, 1_430_000), **growth(1_150_000), "debt_ratio": 0.5,
                                "strategic_emerging": True, **SEED_NO_DIRECT})
    assert low_innovation["score"] == 75 and low_innovation["passed"] is False
    assert groups(low_innovation) == {"innovation": 15, "growth": 30, "specialization": 30}


def test_seed_direct_condition_waives_the_score(books):
    low = {"ip_level": "none", **rd(10_000), **growth(900_000), "debt_ratio": 0.9, "strategic_emerging": False,
           "main_business_share": 0.4, **SEED_NO_DIRECT}
    result = run(books["seed_2022"], low)
    assert (result["score"], result["passed"]) == (5, False)
    result = run(books["seed_2022"], low | {"high_tech_enterprise": True})
    assert (result["score"], result["direct_passed"], result["passed"]) == (5, True, True)


def test_seed_missing_inputs(books):
    book = books["seed_2022"]
    result = run(book, {k: v for k, v in SEED_60.items() if k != "debt_ratio"})
    assert result["missing"] == ["debt_ratio"]
    debt = crit(result, "debt_ratio")
    assert (debt["value"], debt["points"], debt["passed"]) == (None, 0, False)
    assert debt["threshold"] == "55%以下（含55%） / 55%–75%（不含两端）"  # the bands that give points, as a hint
    assert result["score"] == 50 and result["passed"] is False
    no_revenue = run(book, {k: v for k, v in SEED_60.items() if k != "revenue_last_year"})
    assert no_revenue["missing"] == ["rd_ratio", "main_business_share"]
    assert crit(run(book, SEED_60), "rd_ratio")["value"] == 0.02
    assert crit(run(book, SEED_60), "main_business_share")["value"] == 0.6  # derived from the two figures


# ---- province_2022: 专精特新中小企业 -------------------------------------------------------------------------

PROVINCE_HARD = [
    ("niche_2y", {"niche_years": 2}, True),
    ("niche_2y", {"niche_years": 1}, False),
    ("rd_expense_1m", rd(1_000_000, 20_000_000), True),
    ("rd_expense_1m", rd(999_999, 20_000_000), False),
    ("rd_ratio_3pct", rd(1_500_000, 50_000_000), True),  # exactly 3 %
    ("rd_ratio_3pct", rd(1_499_500, 50_000_000), False),  # 2.999 %
    ("revenue_or_equity", {"revenue_last_year": 10_000_000}, True),
    ("revenue_or_equity", {"revenue_last_year": 9_999_999, "equity_financing_2y": 20_000_000}, True),
    ("revenue_or_equity", {"revenue_last_year": 9_999_999, "equity_financing_2y": 19_999_999}, False),
    ("revenue_or_equity", {"revenue_last_year": 10_000_000, "equity_financing_2y": 0}, True),
]


@pytest.mark.parametrize(("item", "data", "ok"), PROVINCE_HARD)
def test_province_hard_conditions(books, item, data, ok):
    assert crit(run(books["province_2022"], data), item)["passed"] is ok


def test_province_revenue_or_equity_missing(books):
    result = run(books["province_2022"], {"revenue_last_year": 9_999_999})
    assert crit(result, "revenue_or_equity")["passed"] is False and "equity_financing_2y" in result["missing"]
    result = run(books["province_2022"], {"equity_financing_2y": 20_000_000})
    assert crit(result, "revenue_or_equity")["passed"] is True and "revenue_last_year" not in result["missing"]


def avg_growth(rate: float) -> dict[str, float]:
    """Three years of main revenue whose two yearly growth rates average `rate` (2·rate, then 0)."""
    return {"main_revenue_last_year": 1_000_000 * (1 + 2 * rate), "main_revenue_prev_year": 1_000_000,
            "main_revenue_prev2_year": 1_000_000}


def margin(profit: int) -> dict[str, int]:
    return {"net_profit_last_year": profit, "revenue_last_year": 10_000_000}


def staff(rd_staff: int) -> dict[str, int]:
    return {"rd_staff": rd_staff, "employees": 100}


PROVINCE_POINTS = [
    ("main_business_share", {"main_business_share": 0.80}, 5),
    ("main_business_share", {"main_business_share": 0.7999}, 3),
    ("main_business_share", {"main_business_share": 0.70}, 3),
    ("main_business_share", {"main_business_share": 0.6999}, 1),
    ("main_business_share", {"main_business_share": 0.6001}, 1),
    ("main_business_share", {"main_business_share": 0.60}, 0),  # "60%以下" includes 60 %
    ("main_business_share", {"main_business_share": 0.5999}, 0),
    ("main_revenue_growth", avg_growth(0.10), 10),  # 近2年平均: the mean of two yearly rates
    ("main_revenue_growth", avg_growth(0.0999), 8),
    ("main_revenue_growth", avg_growth(0.08), 8),
    ("main_revenue_growth", avg_growth(0.0799), 6),
    ("main_revenue_growth", avg_growth(0.06), 6),
    ("main_revenue_growth", avg_growth(0.0599), 4),
    ("main_revenue_growth", avg_growth(0.04), 4),
    ("main_revenue_growth", avg_growth(0.0399), 2),
    ("main_revenue_growth", avg_growth(0.0001), 2),
    ("main_revenue_growth", avg_growth(0), 0),  # "0%以下" includes 0 %
    ("main_revenue_growth", avg_growth(-0.001), 0),
    ("niche_years", {"niche_years": 10}, 5),
    ("niche_years", {"niche_years": 9}, 4),
    ("niche_years", {"niche_years": 8}, 4),
    ("niche_years", {"niche_years": 7}, 3),
    ("niche_years", {"niche_years": 6}, 3),
    ("niche_years", {"niche_years": 5}, 2),
    ("niche_years", {"niche_years": 4}, 2),
    ("niche_years", {"niche_years": 3}, 1),
    ("niche_years", {"niche_years": 2}, 1),
    ("niche_years", {"niche_years": 1}, 0),
    ("field", {"strategic_emerging": True}, 5),
    ("field", {"strategic_emerging": False}, 0),
    ("digitalization", {"digitalization_level": 4}, 5),
    ("digitalization", {"digitalization_level": 3}, 5),
    ("digitalization", {"digitalization_level": 2}, 3),
    ("digitalization", {"digitalization_level": 1}, 0),
    ("digitalization", {"digitalization_level": 0}, 0),
    ("quality", {"quality_certifications": 2}, 5),
    ("quality", {"quality_certifications": 1, "own_brand": True}, 5),
    ("quality", {"quality_certifications": 1, "own_brand": False}, 3),
    ("quality", {"quality_certifications": 0, "own_brand": True}, 3),
    ("quality", {"quality_certifications": 0, "own_brand": False}, 0),
    ("net_margin", margin(1_000_000), 10),  # 10 %
    ("net_margin", margin(999_000), 8),
    ("net_margin", margin(800_000), 8),
    ("net_margin", margin(799_000), 6),
    ("net_margin", margin(600_000), 6),
    ("net_margin", margin(599_000), 4),
    ("net_margin", margin(400_000), 4),
    ("net_margin", margin(399_000), 2),
    ("net_margin", margin(201_000), 2),
    ("net_margin", margin(200_000), 0),  # "2%以下" includes 2 %
    ("net_margin", margin(199_000), 0),
    ("net_margin", margin(-500_000), 0),  # a loss
    ("debt_ratio", {"debt_ratio": 0.50}, 5),
    ("debt_ratio", {"debt_ratio": 0.5001}, 3),
    ("debt_ratio", {"debt_ratio": 0.60}, 3),
    ("debt_ratio", {"debt_ratio": 0.6001}, 1),
    ("debt_ratio", {"debt_ratio": 0.6999}, 1),
    ("debt_ratio", {"debt_ratio": 0.70}, 0),  # "70%以上 0分" includes 70 %
    ("debt_ratio", {"debt_ratio": 0.7001}, 0),
    ("market_share", {"national_market_share": 0.10}, 15),
    ("market_share", {"national_market_share": 0.0999}, 10),
    ("market_share", {"national_market_share": 0.05}, 10),
    ("market_share", {"national_market_share": 0.0499}, 5),
    ("market_share", {"national_market_share": 0.01}, 5),
    ("market_share", {"national_market_share": 0.0099}, 0),
    ("ip", {"ip_level": "class1_high_value"}, 10),
    ("ip", {"ip_level": "class1_self_developed"}, 8),
    ("ip", {"ip_level": "class1"}, 6),
    ("ip", {"ip_level": "class2"}, 2),
    ("ip", {"ip_level": "none"}, 0),
    # R&D input: the amount band or the ratio band, whichever is higher
    ("rd_input", rd(5_000_000, 1_000_000_000), 10),  # 500万 (0.5 %)
    ("rd_input", rd(4_999_999, 1_000_000_000), 8),
    ("rd_input", rd(4_000_000, 1_000_000_000), 8),
    ("rd_input", rd(3_999_999, 1_000_000_000), 6),
    ("rd_input", rd(3_000_000, 1_000_000_000), 6),
    ("rd_input", rd(2_999_999, 1_000_000_000), 4),
    ("rd_input", rd(2_000_000, 1_000_000_000), 4),
    ("rd_input", rd(1_999_999, 1_000_000_000), 2),
    ("rd_input", rd(1_000_000, 1_000_000_000), 2),
    ("rd_input", rd(999_999, 1_000_000_000), 0),
    ("rd_input", rd(1_000_000, 10_000_000), 10),  # 10 % (amount only 100万: 2)
    ("rd_input", rd(999_999, 10_000_000), 8),  # 9.99999 %
    ("rd_input", rd(800_000, 10_000_000), 8),
    ("rd_input", rd(799_999, 10_000_000), 6),
    ("rd_input", rd(600_000, 10_000_000), 6),
    ("rd_input", rd(599_999, 10_000_000), 4),
    ("rd_input", rd(400_000, 10_000_000), 4),
    ("rd_input", rd(399_999, 10_000_000), 2),
    ("rd_input", rd(300_000, 10_000_000), 2),
    ("rd_input", rd(299_999, 10_000_000), 0),
    ("rd_input", rd(3_500_000, 40_000_000), 8),  # amount 6, ratio 8.75 % → 8
    ("rd_input", rd(4_500_000, 100_000_000), 8),  # amount 8, ratio 4.5 % → 4
    ("rd_staff_share", staff(20), 5),
    ("rd_staff_share", staff(19), 3),
    ("rd_staff_share", staff(10), 3),
    ("rd_staff_share", staff(9), 1),
    ("rd_staff_share", staff(6), 1),
    ("rd_staff_share", staff(5), 0),  # "5%以下" includes 5 %
    ("rd_staff_share", staff(4), 0),
    ("rd_institution", {"rd_institution": "national"}, 10),
    ("rd_institution", {"rd_institution": "provincial"}, 8),
    ("rd_institution", {"rd_institution": "city"}, 4),
    ("rd_institution", {"rd_institution": "below_city"}, 2),
    ("rd_institution", {"rd_institution": "none"}, 0),
]


@pytest.mark.parametrize(("item", "data", "points"), PROVINCE_POINTS)
def test_province_bands(books, item, data, points):
    assert crit(run(books["province_2022"], data), item)["points"] == points


def test_province_quality_needs_the_brand_when_one_item_is_held(books):
    result = run(books["province_2022"], {"quality_certifications": 1})
    assert crit(result, "quality")["points"] == 0 and "own_brand" in result["missing"]


PROVINCE_DIRECT = [
    ("direct_sti_award", {"sti_award": "provincial"}, True),
    ("direct_sti_award", {"sti_award": "national"}, True),
    ("direct_sti_award", {"sti_award": "none"}, False),
    ("direct_rd_avg", {"rd_expense_last_year": 10_000_000, "rd_expense_prev_year": 10_000_000}, True),
    ("direct_rd_avg", {"rd_expense_last_year": 10_000_000, "rd_expense_prev_year": 9_999_998}, False),
    ("direct_equity", {"equity_financing_2y": 60_000_000}, True),
    ("direct_equity", {"equity_financing_2y": 59_999_999}, False),
]


@pytest.mark.parametrize(("item", "data", "ok"), PROVINCE_DIRECT)
def test_province_direct_conditions(books, item, data, ok):
    assert crit(run(books["province_2022"], data), item)["passed"] is ok


# 专业化: main business 1120万 / 1400万 = 80 % 5 + 2-year growth (12 % and 0 %) 6 % 6 + 7 years 3 + strategic 5 = 19
# 精细化: level 2 3 + one certification without brand 3 + net margin 3 % 2 + debt 55 % 3 = 11
# 特色化: market share 6 % 10
# 创新能力: Class I 6 + R&D 100万 / 1400万 = 7.1 % (amount 100万 only 2) 6 + R&D staff 12 % 3 + city institution 4
#          = 19   → 59
PROVINCE_59 = {
    "revenue_last_year": 14_000_000, "revenue_prev_year": 18_000_000, "main_revenue_last_year": 11_200_000,
    "main_revenue_prev_year": 10_000_000, "main_revenue_prev2_year": 10_000_000, "niche_years": 7,
    "strategic_emerging": True, "digitalization_level": 2, "quality_certifications": 1, "own_brand": False,
    "net_profit_last_year": 420_000, "debt_ratio": 0.55, "national_market_share": 0.06, "ip_level": "class1",
    "rd_expense_last_year": 1_000_000, "rd_expense_prev_year": 1_000_000, "rd_staff": 12, "employees": 100,
    "rd_institution": "city", "sti_award": "none", "equity_financing_2y": 0,
}


def test_province_full_score(books):
    book = books["province_2022"]
    result = run(book, PROVINCE_59)
    assert (result["hard_passed"], result["score"], result["pass_score"]) == (True, 59, 60)
    assert groups(result) == {"specialization": 19, "refinement": 11, "characteristic": 10, "innovation": 19}
    assert (result["direct_passed"], result["passed"], result["missing"]) == (False, False, [])
    assert {g["id"]: g["max"] for g in result["groups"]} == {
        "specialization": 25, "refinement": 25, "characteristic": 15, "innovation": 35}
    at = run(book, PROVINCE_59 | {"niche_years": 8})  # 3 → 4 points
    assert (at["score"], at["passed"]) == (60, True)
    assert groups(at)["specialization"] == 20


def test_province_direct_condition_and_hard_conditions(books):
    book = books["province_2022"]
    awarded = run(book, PROVINCE_59 | {"sti_award": "provincial"})
    assert (awarded["score"], awarded["direct_passed"], awarded["passed"]) == (59, True, True)
    # R&D 119.6万 / 4000万 = 2.99 % fails a hard condition: neither the score nor a direct condition helps
    weak = run(book, PROVINCE_59 | {"niche_years": 8, "sti_award": "provincial", **rd(1_196_000, 40_000_000)})
    assert [c["id"] for c in weak["criteria"] if c["hard"] and not c["passed"]] == ["rd_ratio_3pct"]
    assert (weak["direct_passed"], weak["hard_passed"], weak["passed"]) == (True, False, False)


# ---- jilin_province ---------------------------------------------------------------------------------

NO_SPECIAL = {"high_tech_enterprise": False, "rd_institution": "city", "invention_patents": 0, "own_brand": False,
              "sti_award": "none"}
JILIN_OK = {"niche_years": 2, "revenue_last_year": 10_000_000, "revenue_prev_year": 9_000_000, "debt_ratio": 0.70,
            "rd_expense_last_year": 500_000, "rd_expense_prev_year": 0, **NO_SPECIAL, "high_tech_enterprise": True}

JILIN_CASES = [
    ("operating_2y", {"niche_years": 1}, False),
    ("revenue_10m", {"revenue_last_year": 9_999_999}, False),
    ("revenue_growth", {"revenue_last_year": 10_000_001, "revenue_prev_year": 10_000_000}, True),
    ("revenue_growth", {"revenue_last_year": 10_000_000, "revenue_prev_year": 10_000_000}, False),  # 0 %
    ("debt_ratio", {"debt_ratio": 0.7001}, False),
    ("rd_expense_500k", {"rd_expense_last_year": 499_999}, False),
    # (15万 + 15万) / (1000万 + 1000万) = 1.5 % exactly; one yuan less fails
    ("rd_ratio_avg", {"revenue_prev_year": 10_000_000, "rd_expense_last_year": 150_000,
                      "rd_expense_prev_year": 150_000}, True),
    ("rd_ratio_avg", {"revenue_prev_year": 10_000_000, "rd_expense_last_year": 150_000,
                      "rd_expense_prev_year": 149_999}, False),
    ("special", NO_SPECIAL, False),
    ("special", NO_SPECIAL | {"high_tech_enterprise": True}, True),
    ("special", NO_SPECIAL | {"rd_institution": "provincial"}, True),
    ("special", NO_SPECIAL | {"rd_institution": "national"}, True),
    ("special", NO_SPECIAL | {"invention_patents": 1}, True),
    ("special", NO_SPECIAL | {"own_brand": True}, True),
    ("special", NO_SPECIAL | {"sti_award": "provincial"}, True),
]


@pytest.mark.parametrize(("item", "change", "ok"), JILIN_CASES)
def test_jilin(books, item, change, ok):
    book = books["jilin_province"]
    assert run(book, JILIN_OK)["passed"] is True
    result = run(book, JILIN_OK | change)
    assert crit(result, item)["passed"] is ok and result["missing"] == []
    if item not in ("rd_ratio_avg", "revenue_growth"):  # those changes move other conditions too
        assert result["passed"] is ok


def test_jilin_special_condition_missing(books):
    book = books["jilin_province"]
    failing_but_award = {k: v for k, v in (JILIN_OK | NO_SPECIAL).items() if k != "sti_award"}
    result = run(book, failing_but_award)
    assert crit(result, "special")["passed"] is False and result["missing"] == ["sti_award"]
    only_brand = {k: v for k, v in JILIN_OK.items() if k not in NO_SPECIAL} | {"own_brand": True}
    result = run(book, only_brand)
    assert crit(result, "special")["passed"] is True and crit(result, "special")["threshold"] == "拥有自主品牌"
    assert result["passed"] is True and result["missing"] == []


# ---- national_2022: 小巨人 -----------------------------------------------------------------------------

NATIONAL_OK = {
    "niche_years": 3, "main_revenue_last_year": 105_000_000, "main_revenue_prev_year": 100_000_000,
    "main_revenue_prev2_year": 100_000_000 / 1.05, "chain_key_link": True, "digitalization_level": 1,
    "quality_certifications": 1, "debt_ratio": 0.70, "national_market_share": 0.10, "own_brand": True,
    "rd_institution": "city", "invention_patents": 2, "strategic_emerging": True,
    "revenue_last_year": 150_000_000, "revenue_prev_year": 100_000_000,  # main business 105 / 150 = 70 %
    "rd_expense_last_year": 4_500_000, "rd_expense_prev_year": 3_000_000,  # exactly 3 % both years
    "sti_award": "none", "equity_financing_2y": 0, "rd_staff": 10, "employees": 100,
}


def revenue_rd(revenue: int, rd_last: int, rd_prev: int | None = None, prev_revenue: int | None = None) -> dict:
    return {"revenue_last_year": revenue, "revenue_prev_year": prev_revenue or revenue,
            "rd_expense_last_year": rd_last, "rd_expense_prev_year": rd_last if rd_prev is None else rd_prev}


SMALL_OK = {**revenue_rd(50_000_000, 15_000_000), "equity_financing_2y": 80_000_000, "rd_staff": 50, "employees": 100,
            "main_revenue_last_year": 35_000_000, "main_revenue_prev_year": 100_000_000 / 3,
            "main_revenue_prev2_year": 100_000_000 / 3 / 1.05}

NATIONAL_CASES = [
    ("niche_3y", {"niche_years": 2}, False),
    ("main_business_share", {"revenue_last_year": 150_100_000}, False),  # 69.95 %
    ("main_revenue_growth", {"main_revenue_last_year": 104_999_000}, False),  # mean of 4.999 % and 5 %
    ("main_revenue_growth", {"main_revenue_prev2_year": 100_000_000}, False),  # 5 % then 0 %: mean 2.5 %
    ("chain_key_link", {"chain_key_link": False}, False),  # 链: never passes by default
    ("information_system", {"digitalization_level": 0}, False),
    ("certification", {"quality_certifications": 0}, False),
    ("debt_ratio", {"debt_ratio": 0.7001}, False),
    ("market_share", {"national_market_share": 0.0999}, False),
    ("own_brand", {"own_brand": False}, False),
    ("rd_institution", {"rd_institution": "below_city"}, True),  # 自建或联合建立: any level
    ("rd_institution", {"rd_institution": "none"}, False),
    ("rd_institution", {"rd_institution": "national"}, True),
    ("class1_ip", {"invention_patents": 1}, False),
    ("key_field", {"strategic_emerging": False}, False),
    # R&D by revenue band; the lower of the two years' ratios counts
    ("rd_intensity", revenue_rd(100_000_000, 3_000_000), True),  # ≥ 1亿: 3 %
    ("rd_intensity", revenue_rd(100_000_000, 2_999_999, 3_000_000), False),
    ("rd_intensity", revenue_rd(100_000_000, 3_000_000, 2_999_999), False),
    ("rd_intensity", revenue_rd(99_999_999, 5_000_000), False),  # 5000万–1亿: 5 % is not enough
    ("rd_intensity", revenue_rd(50_000_001, 3_000_001), True),  # just above 5000万: 6 %
    ("rd_intensity", revenue_rd(50_000_001, 2_999_999, 3_000_001), False),
    ("rd_intensity", revenue_rd(50_000_000, 3_000_000), False),  # exactly 5000万 is "5000万元以下": equity band
    ("rd_intensity", SMALL_OK, True),  # < 5000万: equity 8000万, R&D 3000万 in 2 years, R&D staff 50 %
    ("rd_intensity", SMALL_OK | {"equity_financing_2y": 79_999_999}, False),
    ("rd_intensity", SMALL_OK | {"rd_expense_prev_year": 14_999_999}, False),
    ("rd_intensity", SMALL_OK | {"rd_staff": 49}, False),
    # 创新直通: a national S&T award waives the general innovation conditions
    ("rd_intensity", revenue_rd(100_000_000, 100_000) | {"sti_award": "national"}, True),
    ("rd_intensity", revenue_rd(100_000_000, 100_000) | {"sti_award": "provincial"}, False),
    ("class1_ip", {"invention_patents": 0, "sti_award": "national"}, True),
    ("rd_institution", {"rd_institution": "none", "sti_award": "national"}, True),
]


@pytest.mark.parametrize(("item", "change", "ok"), NATIONAL_CASES)
def test_national_2022(books, item, change, ok):
    result = run(books["national_2022"], NATIONAL_OK | change)
    assert crit(result, item)["passed"] is ok
    assert result["passed"] is ok and result["missing"] == []


def test_national_2022_shape(books):
    result = run(books["national_2022"], NATIONAL_OK)
    assert (result["passed"], result["score"], result["pass_score"]) == (True, None, None)
    assert [g["id"] for g in result["groups"]] == ["zhuan", "jing", "te", "xin", "lian", "pin"]
    assert all(g["max"] is None and g["min_required"] is None for g in result["groups"])
    tags = {c["id"]: c["group"] for c in result["criteria"]}
    assert tags["niche_3y"] == "zhuan" and tags["debt_ratio"] == "jing" and tags["own_brand"] == "te"
    assert tags["rd_intensity"] == "xin" and tags["key_field"] == "pin"
    assert all(c["hard"] for c in result["criteria"] if c["kind"] != "reviewer_judged")
    judged = {c["id"]: (c["group"], c["passed"]) for c in result["criteria"] if c["kind"] == "reviewer_judged"}
    assert judged == {"governance": ("jing", None), "reputation": ("te", None)}
    assert all(g["passed"] is True for g in result["groups"])  # each group: all its conditions met


def test_national_2022_small_enterprise_missing_one_input(books):
    result = run(books["national_2022"], {k: v for k, v in (NATIONAL_OK | SMALL_OK).items()
                                          if k != "equity_financing_2y"})
    assert crit(result, "rd_intensity")["passed"] is False and result["missing"] == ["equity_financing_2y"]
    # a failing input decides even with another one missing
    result = run(books["national_2022"], {k: v for k, v in (NATIONAL_OK | SMALL_OK | {"rd_staff": 49}).items()
                                          if k != "equity_financing_2y"})
    assert crit(result, "rd_intensity")["passed"] is False and result["missing"] == []


# ---- national_2026 --------------------------------------------------------------------------------------

# hard: revenue 1亿, main business 90 %, growth 5 %, 3 years, level 1, one certification, debt 70 %, share 10 %,
# brand, city institution, 4 Class I IP, R&D 6 % both years and 1200万 in two years.
# score: 专业化 90 % 5 + growth 5 % 4 + 3 years 1 + strategic 5 = 15
#        精细化 level 1 0 + certification and brand 5 + net margin 2 % 2 + debt 70 % 1 = 8
#        特色化 share 10 % 15
#        创新能力 Class I 6 + R&D 600万 10 + R&D staff 5 % 1 + city institution 4 = 21    → 59
NATIONAL_2026_59 = {
    **revenue_rd(100_000_000, 6_000_000), **growth(90_000_000, 90_000_000 / 1.05), "chain_key_link": True,
    "niche_years": 3, "strategic_emerging": True, "digitalization_level": 1, "quality_certifications": 1,
    "own_brand": True, "net_profit_last_year": 2_000_000, "debt_ratio": 0.70, "national_market_share": 0.10,
    "ip_level": "class1", "invention_patents": 4, "rd_staff": 5, "employees": 100, "rd_institution": "city",
    "sti_award": "none", "equity_financing_2y": 0,
}


def test_national_2026_evaluation_score(books):
    book = books["national_2026"]
    result = run(book, NATIONAL_2026_59)
    assert (result["hard_passed"], result["score"], result["pass_score"], result["passed"]) == (True, 59, 60, False)
    assert groups(result) == {"zhuan": 0, "jing": 0, "te": 0, "xin": 0, "lian": 0, "pin": 0, "e_specialization": 15,
                              "e_refinement": 8, "e_characteristic": 15, "e_innovation": 21}
    assert result["missing"] == []
    at = run(book, NATIONAL_2026_59 | {"niche_years": 4})  # 1 → 2 points
    assert (at["score"], at["passed"]) == (60, True)


NATIONAL_2026_CASES = [
    ("revenue_50m", revenue_rd(50_000_000, 6_000_000), True),
    ("revenue_50m", revenue_rd(49_999_999, 6_000_000), False),
    ("main_business_share", {"main_revenue_last_year": 89_990_000}, False),  # 89.99 %
    ("class1_ip", {"invention_patents": 3}, False),
    ("rd_expense_12m", {"rd_expense_last_year": 6_000_000, "rd_expense_prev_year": 5_999_999}, False),
    ("rd_intensity", revenue_rd(100_000_000, 3_000_000), True),  # 3 % at ≥ 1亿 (but 600万 < 1200万)
    ("rd_intensity", revenue_rd(99_999_999, 5_999_999), False),  # 5000万–1亿 needs 6 %
    ("rd_intensity", revenue_rd(60_000_000, 3_600_000), True),  # 6 %
    ("niche_3y", {"niche_years": 2}, False),
]


@pytest.mark.parametrize(("item", "change", "ok"), NATIONAL_2026_CASES)
def test_national_2026_hard_conditions(books, item, change, ok):
    result = run(books["national_2026"], NATIONAL_2026_59 | {"niche_years": 4} | change)
    assert crit(result, item)["passed"] is ok
    if item not in ("rd_intensity",):
        assert result["passed"] is ok


def test_national_2026_is_stricter_than_2022(books):
    # main business 80 % and 2 Class I IP pass in 2022, not in 2026
    data = NATIONAL_2026_59 | {"niche_years": 4, "main_revenue_last_year": 80_000_000, "invention_patents": 2,
                               "main_revenue_prev_year": 80_000_000 / 1.05,
                               "main_revenue_prev2_year": 80_000_000 / 1.05 ** 2}
    assert run(books["national_2022"], data)["passed"] is True
    result = run(books["national_2026"], data)
    failed = {c["id"] for c in result["criteria"] if c["hard"] and not c["passed"]}
    assert failed == {"main_business_share", "class1_ip"}
