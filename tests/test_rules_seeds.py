"""Golden cases for the five rule sets of seed 004 (金湖县专精特新小巨人企业培育工作方案, 附件1–5).

Written from the seed text (/work/shared/seeds/004_e787c257db436f7d.txt), not from the DMN tables: every case
names the annex, the column (track) and the item number it checks. Band edges follow POLICY.md (民法典 §1259):
以上 / 以下 / 不低于 / 不高于 / （含） include the number, 不足 / （不含） exclude it; each edge is tried on it and
just off it. Each "或" alternative is tried alone. Each track is tried alone (data that meets only that column),
chosen by the application (argument or `data["track"]`) and left to the engine. Conditions no figure can show
(省内领先, 四新, 高成长潜力, 管理规范…) are listed with passed None and never make a verdict fail.

Pure tests, no database. Data is raw indicator keys put through `derive()`, so the derived shares, growth
rates and margins are part of what is tested.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.engine.rules import RuleBook, evaluate_rules, parse_rules
from app.recognition.indicators import derive

RULES = Path(__file__).resolve().parents[1] / "workflows" / "rules"
WAN = 10_000  # 万元


@pytest.fixture(autouse=True)
def _clean_database():
    """Overrides the suite's per-test database reset: these tests touch no database."""
    yield


@pytest.fixture(scope="module")
def books() -> dict[str, RuleBook]:
    keys = ("jiangsu_qianqi", "jinhu_library", "jinhu_national", "jiangsu_province", "city_2022")
    return {key: parse_rules((RULES / f"{key}.dmn").read_bytes()) for key in keys}


def judge(book: RuleBook, data: dict[str, Any], track: str | None = None) -> dict[str, Any]:
    return evaluate_rules(book, derive(data), track)


def crit(result: dict[str, Any], item: str) -> dict[str, Any]:
    return {c["id"]: c for c in result["criteria"]}[item]


def years(key: str, prev2: float, prev: float, last: float) -> dict[str, float]:
    """Three years of one figure: `{key}_prev2_year`, `{key}_prev_year`, `{key}_last_year`."""
    return {f"{key}_prev2_year": prev2, f"{key}_prev_year": prev, f"{key}_last_year": last}


# ---- baselines: each meets every condition of exactly one track (column) and fails the others ----------------

BASE: dict[str, tuple[str, str | None, dict[str, Any]]] = {
    # 附件1 制造类: 共同标准 + items 1–6 of the 制造类 column; 创新类 fails on item 1 (not 战略性新兴产业).
    "qianqi_m": ("jiangsu_qianqi", "manufacturing", {
        "clean_record_3y": True, "invention_patents": 1, "utility_patents": 1,
        **years("revenue", 100e6, 110e6, 121e6), "main_revenue_last_year": 100e6,
        "main_product_revenue_last_year": 60e6, "strategic_emerging": False}),
    # 附件1 创新类: 共同标准 + 战略性新兴产业 + 1 utility patent; 制造类 fails (no IP item, 1 patent < 2).
    "qianqi_i": ("jiangsu_qianqi", "innovation", {
        "clean_record_3y": True, "strategic_emerging": True, "invention_patents": 0, "utility_patents": 1,
        "class2_ip": 0, "proprietary_technology": False}),
    # 附件2 制造类 items 1–5; 创新类 fails on item 3 (no contest).
    "library_m": ("jinhu_library", "manufacturing", {
        "main_revenue_last_year": 30e6, "revenue_last_year": 50e6, "profit_tax_last_year": 1e6,
        "province_market_rank": 3, "high_tech_enterprise": True, "rd_institution": "city", "invention_patents": 1,
        "city_brand": True, "clean_record_3y": True, "innovation_contest": False}),
    # 附件2 创新类 items 2–3 (1 and 4 are the reviewer's); 制造类 has none of its figures.
    "library_i": ("jinhu_library", "innovation", {"invention_patents": 1, "innovation_contest": True}),
    # 附件3 企业 column, items 1–9 (revenue ≥ 1亿: the 3 % R&D band of item 9).
    "national": ("jinhu_national", None, {
        **years("revenue", 90e6, 100e6, 120e6), **years("main_revenue", 80e6, 88e6, 98e6),
        "province_market_rank": 2, "niche_years": 5, "debt_ratio": 0.5, "invention_patents": 2, "class2_ip": 0,
        "quality_certifications": 1, "rd_institution": "below_city", "digitalization_level": 1,
        "rd_expense_last_year": 6e6, "rd_expense_prev_year": 5e6}),
    # 附件4 专精特新产品 items 1–3; 制造类 fails (rank 8 > 5, no R&D institution), 创新类 fails (founded 2000).
    "province_p": ("jiangsu_province", "product", {
        "main_revenue_last_year": 40e6, "main_product_revenue_last_year": 30e6, "invention_patents": 2,
        "proprietary_technology": False, "national_market_rank": 8, "leader_supply_chain": False,
        "rd_institution": "none", "founded_year": 2000}),
    # 附件4 小巨人企业 制造类 items 1–6; 产品 has no main-product figure, 创新类 fails (founded 2000).
    "province_m": ("jiangsu_province", "manufacturing", {
        "main_revenue_last_year": 60e6, "total_profit_last_year": 1e6, **years("revenue", 100e6, 110e6, 121e6),
        "national_market_rank": 3, "leader_supply_chain": False, "rd_institution": "city",
        "rd_expense_last_year": 4e6, "rd_expense_prev_year": 4e6, "founded_year": 2000}),
    # 附件4 小巨人企业 创新类 item 1 (2 and 3 are the reviewer's); the other columns have no figures.
    "province_i": ("jiangsu_province", "innovation", {"founded_year": 2014}),
    # 附件5 专精特新产品 items 1–2 (3 is the reviewer's); 小巨人企业 fails (主营业务收入 4000万 < 5000万).
    "city_p": ("city_2022", "product", {
        "main_revenue_last_year": 40e6, "main_product_revenue_last_year": 24e6, "invention_patents": 1,
        "class2_ip": 1}),
    # 附件5 小巨人企业 items 1–3 (4 管理规范 is the reviewer's); 产品 fails (no main-product figure, 1 IP item).
    "city_e": ("city_2022", "enterprise", {
        **years("main_revenue", 40e6, 44e6, 60e6), "province_market_rank": 8, "debt_ratio": 0.6,
        "high_tech_enterprise": True, "rd_institution": "city", "invention_patents": 1, "own_brand": True}),
}

OTHER_TRACK = {"qianqi_m": "innovation", "qianqi_i": "manufacturing", "library_m": "innovation",
               "library_i": "manufacturing", "province_p": "manufacturing", "province_m": "innovation",
               "province_i": "product", "city_p": "enterprise", "city_e": "product"}

# What only the reviewer can judge, per baseline (track): listed, passed None, never blocking.
JUDGED = {
    # 附件1 共同标准 (独立法人…管理规范) + 制造类 1 (13个集群), 5 (国内同行业前列 或 龙头协作配套)
    "qianqi_m": {"common_legal", "m_cluster", "m_market"},
    # 附件1 共同标准 + 创新类 1 (四新), 3 (团队专业背景), 4 (高成长潜力)
    "qianqi_i": {"common_legal", "i_four_new", "i_team", "i_potential"},
    # 附件2 制造类 3 (产品技术水平省内领先)
    "library_m": {"m_tech_leading"},
    # 附件2 创新类 1 (四新), 2 (核心研发团队), 4 (高成长潜力)
    "library_i": {"i_four_new", "i_team", "i_potential"},
    # 附件3 9 (营业收入不足5000万元: 创新成果属于重点领域关键技术并有重大突破)
    "national": {"breakthrough"},
    # 附件4 专精特新产品 2 (关键性能指标同类领先)
    "province_p": {"p_leading"},
    # 附件4 制造类 4 (生产技术、工艺及产品质量性能国内领先)
    "province_m": {"m_leading"},
    # 附件4 创新类 2 (原创技术或产品), 3 (高成长潜力)
    "province_i": {"i_original", "i_potential"},
    # 附件5 专精特新产品 1 (全省乃至全国名列前茅), 3 (骨干企业、同行业领先)
    "city_p": {"p_market_top", "p_backbone"},
    # 附件5 小巨人企业 2 (信用等级和融资能力), 3 (省内领先或填补空白), 4 (管理规范)
    "city_e": {"e_credit", "e_tech_leading", "e_management"},
}

# The conditions the data decides, per baseline (track), from the seed's items.
HARD = {
    # 附件1 共同标准 (信誉良好，无不良行为记录) + 制造类 2, 3, 4, 6
    "qianqi_m": {"common_record", "m_own_ip", "m_patents", "m_main_product_share", "m_growth"},
    # 附件1 共同标准 + 创新类 1 (战略性新兴产业), 2 (1项以上有效专利)
    "qianqi_i": {"common_record", "i_field", "i_patent"},
    # 附件2 制造类 1, 2, 3 (高企, 研发机构, 发明专利, 品牌), 4, 5
    "library_m": {"m_revenue", "m_market_rank", "m_high_tech", "m_rd_institution", "m_invention", "m_brand",
                  "m_main_share", "m_record"},
    # 附件2 创新类 2 (发明专利1项以上), 3 (大赛)
    "library_i": {"i_invention", "i_contest"},
    # 附件3 1, 2, 3 (年限, 负债率), 4, 5, 6, 7, 8, 9
    "national": {"main_business_share", "province_market_rank", "niche_3y", "debt_ratio", "growth", "ip",
                 "certification", "rd_institution", "information_system", "rd_intensity"},
    # 附件4 专精特新产品 1, 2, 3
    "province_p": {"p_product_share", "p_ip", "p_market"},
    # 附件4 制造类 1, 2, 3, 5, 6
    "province_m": {"m_revenue", "m_growth", "m_market", "m_rd_institution", "m_rd_ratio"},
    # 附件4 创新类 1 (2014年后成立)
    "province_i": {"i_founded"},
    # 附件5 专精特新产品 1 (销售收入占比), 2 (知识产权2项以上)
    "city_p": {"p_product_share", "p_ip"},
    # 附件5 小巨人企业 1 (收入, 全省前十), 2 (增长, 负债率), 3 (高企, 研发机构, 知识产权, 品牌)
    "city_e": {"e_main_revenue", "e_market_rank", "e_growth", "e_debt_ratio", "e_high_tech", "e_rd_institution",
               "e_own_ip", "e_own_brand"},
}


@pytest.mark.parametrize("name", list(BASE))
def test_baseline_meets_its_column(books, name):
    """Each baseline passes its own column with every condition met and the reviewer's items open."""
    key, track, data = BASE[name]
    result = judge(books[key], data, track)
    assert result["passed"] is True, [c for c in result["criteria"] if c["passed"] is False]
    assert result["hard_passed"] is True
    by_kind: dict[str, set[str]] = {}
    for c in result["criteria"]:
        by_kind.setdefault(c["kind"], set()).add(c["id"])
    assert by_kind == {"hard": HARD[name], "reviewer_judged": JUDGED[name]}
    for c in result["criteria"]:
        assert c["passed"] is (None if c["kind"] == "reviewer_judged" else True), c
        assert c["track"] in (None, track), c
    assert {j["id"] for j in result["reviewer_judged"]} == JUDGED[name]
    if track is not None:
        assert result["track"] == {"id": track, "name": books[key].tracks[track], "chosen_by": "application"}
    else:
        assert "track" not in result  # 附件3: one column only


@pytest.mark.parametrize("name", list(OTHER_TRACK))
def test_baseline_fails_the_other_column(books, name):
    """Meeting one column is no pass under another: the application's chosen track decides."""
    key, _track, data = BASE[name]
    other = OTHER_TRACK[name]
    result = judge(books[key], data, other)
    assert result["passed"] is False
    assert result["track"]["id"] == other and result["track"]["chosen_by"] == "application"
    by_data = judge(books[key], data | {"track": other})  # the same choice, made in the data
    assert by_data["passed"] is False and by_data["track"]["chosen_by"] == "application"
    assert [c["id"] for c in by_data["criteria"]] == [c["id"] for c in result["criteria"]]


@pytest.mark.parametrize("name", list(OTHER_TRACK))
def test_no_track_chosen_finds_the_passing_column(books, name):
    """No track named: every column is judged, the one that passes is reported, with each column's verdict."""
    key, track, data = BASE[name]
    result = judge(books[key], data)
    assert result["passed"] is True
    assert result["track"] == {"id": track, "name": books[key].tracks[track], "chosen_by": "best"}
    assert {t["id"]: t["passed"] for t in result["tracks"]} == {t: t == track for t in books[key].tracks}
    by_data = judge(books[key], data | {"track": track})
    assert by_data["passed"] is True and by_data["track"]["chosen_by"] == "application"


# ---- one condition moved at a time: (baseline, changes, criterion, expected) --------------------------------
# The rest of the baseline still meets its column, so the verdict of the whole follows the one criterion.

CASES = [
    # -- 附件1 省千企升级 共同标准: 信誉良好，无不良行为记录 (both columns)
    pytest.param("qianqi_m", {"clean_record_3y": False}, "common_record", False, id="q-common-record-m"),
    pytest.param("qianqi_i", {"clean_record_3y": False}, "common_record", False, id="q-common-record-i"),
    # -- 附件1 制造类 2: 拥有主导产品（服务）的自主知识产权
    pytest.param("qianqi_m", {"invention_patents": 0, "utility_patents": 2, "class2_ip": 1},
                 "m_own_ip", True, id="q-m2-class2-item"),
    pytest.param("qianqi_m", {"invention_patents": 0, "utility_patents": 2, "proprietary_technology": True},
                 "m_own_ip", True, id="q-m2-proprietary"),
    # 附件1 制造类 2 with 3: two utility patents (item 3 met) are the enterprise's own IP (item 2)
    pytest.param("qianqi_m", {"invention_patents": 0, "utility_patents": 2, "class2_ip": 0,
                              "proprietary_technology": False}, "m_own_ip", True, id="q-m2-utility-patents"),
    pytest.param("qianqi_m", {"invention_patents": 0, "utility_patents": 0, "class2_ip": 0,
                              "proprietary_technology": False}, "m_own_ip", False, id="q-m2-none"),
    # -- 附件1 制造类 3: 拥有 2 项以上有效专利（发明或实用新型）: 2 included
    pytest.param("qianqi_m", {"invention_patents": 2, "utility_patents": 0}, "m_patents", True, id="q-m3-2-invention"),
    pytest.param("qianqi_m", {"invention_patents": 1, "utility_patents": 0}, "m_patents", False, id="q-m3-1"),
    pytest.param("qianqi_m", {"invention_patents": 0, "utility_patents": 2, "class2_ip": 1},
                 "m_patents", True, id="q-m3-2-utility"),
    # -- 附件1 制造类 4: 主导产品营业收入占企业整体收入的40%以上 (of 营业收入, not of 主营业务收入)
    pytest.param("qianqi_m", {"main_product_revenue_last_year": 48.4e6}, "m_main_product_share", True,
                 id="q-m4-40pct-on-edge"),  # 4840万 / 12100万 = 40 %
    pytest.param("qianqi_m", {"main_product_revenue_last_year": 48_399_999}, "m_main_product_share", False,
                 id="q-m4-below-40pct"),
    pytest.param("qianqi_m", {"main_revenue_last_year": 50e6, "main_product_revenue_last_year": 45e6},
                 "m_main_product_share", False, id="q-m4-share-of-revenue-not-main"),  # 90 % of main, 37 % of all
    # -- 附件1 制造类 6: 近3年营业收入平均增长率5%以上 或 平均营业利润率5%以上
    pytest.param("qianqi_m", years("revenue", 100e6, 105e6, 110.25e6), "m_growth", True,
                 id="q-m6-growth-5pct-on-edge"),  # 5 % and 5 %
    pytest.param("qianqi_m", years("revenue", 100e6, 105e6, 110.24e6), "m_growth", False,
                 id="q-m6-growth-below-5pct"),
    pytest.param("qianqi_m", {**years("revenue", 100e6, 100e6, 100e6), **years("operating_profit", 5e6, 5e6, 5e6)},
                 "m_growth", True, id="q-m6-margin-5pct-alone"),  # growth 0 %, margin exactly 5 %
    pytest.param("qianqi_m", {**years("revenue", 100e6, 100e6, 100e6),
                              **years("operating_profit", 4.99e6, 4.99e6, 4.99e6)},
                 "m_growth", False, id="q-m6-both-below"),
    pytest.param("qianqi_m", {**years("revenue", 100e6, 105e6, 110.24e6),
                              **years("operating_profit", 5e6, 5.25e6, 5.512e6)},
                 "m_growth", True, id="q-m6-margin-rescues-growth"),
    pytest.param("qianqi_m", years("operating_profit", -1e6, -1e6, -1e6), "m_growth", True,
                 id="q-m6-growth-rescues-loss"),  # growth 10 %, losses
    # -- 附件1 创新类 1: 属于…战略性新兴产业 (四新 is the reviewer's)
    pytest.param("qianqi_i", {"strategic_emerging": False}, "i_field", False, id="q-i1-not-emerging"),
    # -- 附件1 创新类 2: 拥有 1 项以上有效专利（发明或实用新型）: 1 included
    pytest.param("qianqi_i", {"utility_patents": 0}, "i_patent", False, id="q-i2-none"),
    pytest.param("qianqi_i", {"utility_patents": 0, "invention_patents": 1}, "i_patent", True, id="q-i2-1-invention"),

    # -- 附件2 金湖县培育库 制造类 1: 年主营业务收入2000万元以上，或利税总额500万元以上
    pytest.param("library_m", {"main_revenue_last_year": 20e6, "revenue_last_year": 40e6}, "m_revenue", True,
                 id="l-m1-2000wan-on-edge"),
    pytest.param("library_m", {"main_revenue_last_year": 19_999_999, "revenue_last_year": 40e6}, "m_revenue",
                 False, id="l-m1-below-2000wan"),
    pytest.param("library_m", {"main_revenue_last_year": 10e6, "revenue_last_year": 20e6,
                               "profit_tax_last_year": 5e6}, "m_revenue", True, id="l-m1-profit-tax-500wan-alone"),
    pytest.param("library_m", {"main_revenue_last_year": 10e6, "revenue_last_year": 20e6,
                               "profit_tax_last_year": 4_999_999}, "m_revenue", False, id="l-m1-both-below"),
    # -- 附件2 制造类 2: 主导产品市场占有率省内排名前五 (rank 1 = first)
    pytest.param("library_m", {"province_market_rank": 1}, "m_market_rank", True, id="l-m2-rank-1"),
    pytest.param("library_m", {"province_market_rank": 5}, "m_market_rank", True, id="l-m2-rank-5"),
    pytest.param("library_m", {"province_market_rank": 6}, "m_market_rank", False, id="l-m2-rank-6"),
    # -- 附件2 制造类 3: 国家高新技术企业; 市级以上研发机构; 申报或授权的发明专利; 市级以上品牌
    pytest.param("library_m", {"high_tech_enterprise": False}, "m_high_tech", False, id="l-m3-not-high-tech"),
    pytest.param("library_m", {"rd_institution": "none"}, "m_rd_institution", False, id="l-m3-rd-none"),
    pytest.param("library_m", {"rd_institution": "below_city"}, "m_rd_institution", False, id="l-m3-rd-below-city"),
    pytest.param("library_m", {"rd_institution": "provincial"}, "m_rd_institution", True, id="l-m3-rd-provincial"),
    pytest.param("library_m", {"rd_institution": "national"}, "m_rd_institution", True, id="l-m3-rd-national"),
    pytest.param("library_m", {"invention_patents": 0}, "m_invention", False, id="l-m3-no-invention"),
    pytest.param("library_m", {"city_brand": False}, "m_brand", False, id="l-m3-no-brand"),
    # -- 附件2 制造类 4: 主营业务收入占企业整体收入的40%以上
    pytest.param("library_m", {"main_revenue_last_year": 20e6, "revenue_last_year": 50e6}, "m_main_share", True,
                 id="l-m4-40pct-on-edge"),
    pytest.param("library_m", {"main_revenue_last_year": 20e6, "revenue_last_year": 50_000_001}, "m_main_share",
                 False, id="l-m4-below-40pct"),
    # -- 附件2 制造类 5: 近三年无信用、安全、环保等不良行为记录
    pytest.param("library_m", {"clean_record_3y": False}, "m_record", False, id="l-m5-bad-record"),
    # -- 附件2 创新类 2: 拥有申报或授权的发明专利1项以上
    pytest.param("library_i", {"invention_patents": 0}, "i_invention", False, id="l-i2-no-invention"),
    pytest.param("library_i", {"invention_patents": 3}, "i_invention", True, id="l-i2-3-inventions"),
    # -- 附件2 创新类 3: 有过省级以上创新类大赛参赛经验
    pytest.param("library_i", {"innovation_contest": False}, "i_contest", False, id="l-i3-no-contest"),

    # -- 附件3 国家小巨人（企业）1: 年度主营业务收入占企业营业收入的70%以上
    pytest.param("national", {"revenue_last_year": 140e6}, "main_business_share", True, id="n1-70pct-on-edge"),
    pytest.param("national", {"revenue_last_year": 140_000_001}, "main_business_share", False, id="n1-below-70pct"),
    # -- 附件3 2: 主导产品市场占有率在全省前3位
    pytest.param("national", {"province_market_rank": 3}, "province_market_rank", True, id="n2-rank-3"),
    pytest.param("national", {"province_market_rank": 4}, "province_market_rank", False, id="n2-rank-4"),
    # -- 附件3 3: 从事特定细分市场3年及以上，资产负债率不高于70%
    pytest.param("national", {"niche_years": 3}, "niche_3y", True, id="n3-niche-3y-on-edge"),
    pytest.param("national", {"niche_years": 2}, "niche_3y", False, id="n3-niche-2y"),
    pytest.param("national", {"debt_ratio": 0.70}, "debt_ratio", True, id="n3-debt-70pct-on-edge"),
    pytest.param("national", {"debt_ratio": 0.7001}, "debt_ratio", False, id="n3-debt-above-70pct"),
    # -- 附件3 4: 近2年主营业务收入 或 净利润的平均增长率达到5%以上
    pytest.param("national", years("main_revenue", 80e6, 84e6, 88.2e6), "growth", True,
                 id="n4-main-growth-5pct-on-edge"),
    pytest.param("national", years("main_revenue", 80e6, 84e6, 88.19e6), "growth", False,
                 id="n4-main-growth-below-5pct"),
    pytest.param("national", {**years("main_revenue", 80e6, 84e6, 88.19e6),
                              **years("net_profit", 10e6, 10.5e6, 11.025e6)}, "growth", True,
                 id="n4-net-profit-5pct-alone"),
    pytest.param("national", {**years("main_revenue", 80e6, 84e6, 88.19e6),
                              **years("net_profit", 10e6, 10.5e6, 11.02e6)}, "growth", False, id="n4-both-below"),
    pytest.param("national", years("net_profit", 10e6, 9e6, 8e6), "growth", True, id="n4-main-rescues-net"),
    # -- 附件3 5: 至少获得2项发明专利 或 5项及以上实用新型专利、外观设计专利、软件著作权
    pytest.param("national", {"invention_patents": 1, "class2_ip": 4}, "ip", False, id="n5-1-invention-4-other"),
    pytest.param("national", {"invention_patents": 1, "class2_ip": 5}, "ip", True, id="n5-5-other-on-edge"),
    pytest.param("national", {"invention_patents": 0, "class2_ip": 5}, "ip", True, id="n5-5-other-alone"),
    pytest.param("national", {"invention_patents": 3, "class2_ip": 0}, "ip", True, id="n5-3-inventions"),
    pytest.param("national", {"invention_patents": 1, "class2_ip": 0, "utility_patents": 5}, "ip", True,
                 id="n5-5-utility-patents"),  # 5项实用新型专利, however recent (Ⅱ类 counts them after 2 years)
    pytest.param("national", {"invention_patents": 1, "class2_ip": 4, "utility_patents": 4}, "ip", False,
                 id="n5-4-utility-4-other"),
    # -- 附件3 6: 取得相关管理体系认证，或…执行国际、国家、行业标准，或…通过发达国家地区认证
    pytest.param("national", {"quality_certifications": 0}, "certification", False, id="n6-none"),
    pytest.param("national", {"quality_certifications": 3}, "certification", True, id="n6-three"),
    # -- 附件3 7: 自建或与高校、科研机构联合建立研发机构 (any level)
    pytest.param("national", {"rd_institution": "none"}, "rd_institution", False, id="n7-none"),
    pytest.param("national", {"rd_institution": "city"}, "rd_institution", True, id="n7-city"),
    pytest.param("national", {"rd_institution": "national"}, "rd_institution", True, id="n7-national"),
    # -- 附件3 8: 至少1项核心业务采用信息系统支撑
    pytest.param("national", {"digitalization_level": 0}, "information_system", False, id="n8-none"),
    pytest.param("national", {"digitalization_level": 4}, "information_system", True, id="n8-level-4"),
]


def _national_rd(rev_last: float, rev_prev: float, rd_last: float, rd_prev: float, **extra: Any) -> dict[str, Any]:
    """附件3 item 9 data: revenue and R&D of two years; main revenue kept at 80 % of revenue, growing 10 %."""
    main_last = 0.8 * rev_last
    return {"revenue_last_year": rev_last, "revenue_prev_year": rev_prev, "revenue_prev2_year": rev_prev,
            **years("main_revenue", main_last / 1.21, main_last / 1.1, main_last),
            "rd_expense_last_year": rd_last, "rd_expense_prev_year": rd_prev, **extra}


SMALL = {"equity_financing_2y": 80e6, "rd_staff": 500, "employees": 1000}  # 不足5000万元: 8000万（含）, 50 %（含）

CASES += [
    # -- 附件3 9: 营业收入在1亿元及以上的，近2年研发经费支出占营业收入比重不低于3%
    pytest.param("national", _national_rd(100e6, 100e6, 3e6, 3e6), "rd_intensity", True,
                 id="n9-1yi-3pct-on-edges"),  # revenue exactly 1亿, 600万 / 2亿 = 3 %
    pytest.param("national", _national_rd(100e6, 100e6, 3e6, 2_999_999), "rd_intensity", False,
                 id="n9-1yi-below-3pct"),
    # "近2年研发经费支出占营业收入比重" is the two years' sum over the two years' sum: 880万 / 3亿 = 2.93 %
    # although the yearly ratios 5 % and 1.9 % average 3.45 %
    pytest.param("national", _national_rd(100e6, 200e6, 5e6, 3.8e6), "rd_intensity", False,
                 id="n9-1yi-two-year-sum"),
    # 营业收入5000万元（含）—1亿元（不含）的 … 不低于6%
    pytest.param("national", _national_rd(99_999_999, 100e6, 3e6, 3e6), "rd_intensity", False,
                 id="n9-below-1yi-needs-6pct"),  # 3 % is not enough under 1亿 (不含)
    pytest.param("national", _national_rd(99_999_999, 100_000_001, 6e6, 6e6), "rd_intensity", True,
                 id="n9-below-1yi-6pct-on-edge"),
    pytest.param("national", _national_rd(50e6, 50e6, 3e6, 3e6), "rd_intensity", True,
                 id="n9-5000wan-6pct-on-edges"),  # revenue exactly 5000万 (含), 600万 / 1亿 = 6 %
    pytest.param("national", _national_rd(50e6, 50e6, 3e6, 2_999_999), "rd_intensity", False,
                 id="n9-5000wan-below-6pct"),
    # 营业收入不足5000万元的: 新增股权融资额8000万元（含）以上，且研发投入经费3000万元（含）以上，
    # 研发人员占企业职工总数比例50%（含）以上 (the R&D ratio no longer counts)
    pytest.param("national", _national_rd(49_999_999, 50e6, 3e6, 3e6), "rd_intensity", False,
                 id="n9-below-5000wan-ratio-not-enough"),
    pytest.param("national", _national_rd(40e6, 40e6, 15e6, 15e6, **SMALL), "rd_intensity", True,
                 id="n9-small-all-on-edges"),
    pytest.param("national", _national_rd(40e6, 40e6, 15e6, 15e6, **(SMALL | {"equity_financing_2y": 79_999_999})),
                 "rd_intensity", False, id="n9-small-equity-below"),
    pytest.param("national", _national_rd(40e6, 40e6, 15e6, 14_999_999, **SMALL), "rd_intensity", False,
                 id="n9-small-rd-below-3000wan"),
    pytest.param("national", _national_rd(40e6, 40e6, 15e6, 15e6, **(SMALL | {"rd_staff": 499})),
                 "rd_intensity", False, id="n9-small-rd-staff-below-50pct"),
    pytest.param("national", _national_rd(49_999_999, 49_999_999, 15e6, 15e6, **SMALL), "rd_intensity", True,
                 id="n9-small-just-below-5000wan"),

    # -- 附件4 省级 专精特新产品 1: 产品的销售收入占企业主营业务收入的60%以上
    pytest.param("province_p", {"main_product_revenue_last_year": 24e6}, "p_product_share", True,
                 id="p-p1-60pct-on-edge"),  # 2400万 / 4000万
    pytest.param("province_p", {"main_product_revenue_last_year": 23_999_999}, "p_product_share", False,
                 id="p-p1-below-60pct"),
    # -- 附件4 专精特新产品 2: 拥有2项发明（或实用新型）专利 或 具有专有技术
    pytest.param("province_p", {"invention_patents": 1, "utility_patents": 1}, "p_ip", True,
                 id="p-p2-invention-plus-utility"),
    pytest.param("province_p", {"invention_patents": 0, "utility_patents": 2}, "p_ip", True, id="p-p2-2-utility"),
    pytest.param("province_p", {"invention_patents": 1, "utility_patents": 0}, "p_ip", False, id="p-p2-1-patent"),
    pytest.param("province_p", {"invention_patents": 0, "utility_patents": 0, "proprietary_technology": True},
                 "p_ip", True, id="p-p2-proprietary-alone"),
    # -- 附件4 专精特新产品 3: 产品的市场占有率位居国内前10位 或 进入龙头企业供应链体系
    pytest.param("province_p", {"national_market_rank": 10}, "p_market", True, id="p-p3-rank-10"),
    pytest.param("province_p", {"national_market_rank": 11}, "p_market", False, id="p-p3-rank-11"),
    pytest.param("province_p", {"national_market_rank": 11, "leader_supply_chain": True}, "p_market", True,
                 id="p-p3-supply-chain-alone"),
    # -- 附件4 小巨人企业（制造类）1: 年度主营业务收入5000万元以上（含5000万元），或利润总额400万元以上（含400万元）
    pytest.param("province_m", {"main_revenue_last_year": 50e6}, "m_revenue", True, id="p-m1-5000wan-on-edge"),
    pytest.param("province_m", {"main_revenue_last_year": 49_999_999}, "m_revenue", False, id="p-m1-below-5000wan"),
    pytest.param("province_m", {"main_revenue_last_year": 30e6, "total_profit_last_year": 4e6}, "m_revenue", True,
                 id="p-m1-profit-400wan-alone"),
    pytest.param("province_m", {"main_revenue_last_year": 30e6, "total_profit_last_year": 3_999_999}, "m_revenue",
                 False, id="p-m1-both-below"),
    # -- 附件4 制造类 2: 近3年营业收入平均增长率8%以上 或 平均营业利润率8%以上
    pytest.param("province_m", years("revenue", 100e6, 108e6, 116.64e6), "m_growth", True,
                 id="p-m2-growth-8pct-on-edge"),
    pytest.param("province_m", years("revenue", 100e6, 108e6, 116.63e6), "m_growth", False,
                 id="p-m2-growth-below-8pct"),
    pytest.param("province_m", {**years("revenue", 100e6, 100e6, 100e6), **years("operating_profit", 8e6, 8e6, 8e6)},
                 "m_growth", True, id="p-m2-margin-8pct-alone"),
    pytest.param("province_m", {**years("revenue", 100e6, 100e6, 100e6),
                                **years("operating_profit", 7.99e6, 7.99e6, 7.99e6)},
                 "m_growth", False, id="p-m2-both-below"),
    # -- 附件4 制造类 3: 国内同行业前5位，或者进入龙头企业供应链体系
    pytest.param("province_m", {"national_market_rank": 5}, "m_market", True, id="p-m3-rank-5"),
    pytest.param("province_m", {"national_market_rank": 6}, "m_market", False, id="p-m3-rank-6"),
    pytest.param("province_m", {"national_market_rank": 6, "leader_supply_chain": True}, "m_market", True,
                 id="p-m3-supply-chain-alone"),
    # -- 附件4 制造类 5: 建立市级以上研发机构
    pytest.param("province_m", {"rd_institution": "below_city"}, "m_rd_institution", False, id="p-m5-below-city"),
    pytest.param("province_m", {"rd_institution": "none"}, "m_rd_institution", False, id="p-m5-none"),
    pytest.param("province_m", {"rd_institution": "provincial"}, "m_rd_institution", True, id="p-m5-provincial"),
    pytest.param("province_m", {"rd_institution": "national"}, "m_rd_institution", True, id="p-m5-national"),
    # -- 附件4 制造类 6: 年度研究开发费用占销售收入的比重均值不低于3% (the mean of the yearly ratios)
    pytest.param("province_m", {"revenue_last_year": 200e6, "rd_expense_last_year": 4e6,
                                "revenue_prev_year": 100e6, "rd_expense_prev_year": 4e6}, "m_rd_ratio", True,
                 id="p-m6-mean-3pct-on-edge"),  # 2 % and 4 %: mean 3 % (the 2-year sum would be 2.67 %)
    pytest.param("province_m", {"revenue_last_year": 200e6, "rd_expense_last_year": 4e6,
                                "revenue_prev_year": 100e6, "rd_expense_prev_year": 3_999_999}, "m_rd_ratio", False,
                 id="p-m6-mean-below-3pct"),
    # -- 附件4 小巨人企业（创新类）1: 2014年（包括2014年）后成立
    pytest.param("province_i", {"founded_year": 2013}, "i_founded", False, id="p-i1-2013"),
    pytest.param("province_i", {"founded_year": 2022}, "i_founded", True, id="p-i1-2022"),

    # -- 附件5 淮安市级 专精特新产品 1: 主导产品的销售收入占企业主营业务收入的50%以上
    pytest.param("city_p", {"main_product_revenue_last_year": 20e6}, "p_product_share", True,
                 id="c-p1-50pct-on-edge"),
    pytest.param("city_p", {"main_product_revenue_last_year": 19_999_999}, "p_product_share", False,
                 id="c-p1-below-50pct"),
    # -- 附件5 专精特新产品 2: 拥有专利、软件著作权或专有技术2项以上
    pytest.param("city_p", {"class2_ip": 0}, "p_ip", False, id="c-p2-1-item"),
    pytest.param("city_p", {"invention_patents": 0, "class2_ip": 2}, "p_ip", True, id="c-p2-2-class2"),
    pytest.param("city_p", {"class2_ip": 0, "proprietary_technology": True}, "p_ip", True,
                 id="c-p2-invention-plus-proprietary"),
    pytest.param("city_p", {"invention_patents": 0, "class2_ip": 0, "proprietary_technology": True}, "p_ip", False,
                 id="c-p2-proprietary-only"),
    pytest.param("city_p", {"invention_patents": 0, "class2_ip": 0, "utility_patents": 2}, "p_ip", True,
                 id="c-p2-2-utility-patents"),  # 专利 includes utility model patents
    pytest.param("city_p", {"class2_ip": 0, "utility_patents": 1}, "p_ip", True,
                 id="c-p2-invention-plus-utility"),
    pytest.param("city_p", {"class2_ip": 0, "utility_patents": 0}, "p_ip", False, id="c-p2-1-invention"),
    # -- 附件5 小巨人企业 1: 年度主营业务收入5000万元以上（含5000万元），市场占有率居全省前十名
    pytest.param("city_e", {"main_revenue_last_year": 50e6}, "e_main_revenue", True, id="c-e1-5000wan-on-edge"),
    pytest.param("city_e", {"main_revenue_last_year": 49_999_999}, "e_main_revenue", False,
                 id="c-e1-below-5000wan"),
    pytest.param("city_e", {"province_market_rank": 10}, "e_market_rank", True, id="c-e1-rank-10"),
    pytest.param("city_e", {"province_market_rank": 11}, "e_market_rank", False, id="c-e1-rank-11"),
    # -- 附件5 小巨人企业 2: 近2年主营业务收入平均增长率5%以上，资产负债率一般不高于70%
    pytest.param("city_e", years("main_revenue", 50e6, 52.5e6, 55.125e6), "e_growth", True,
                 id="c-e2-growth-5pct-on-edge"),
    pytest.param("city_e", years("main_revenue", 50e6, 52.5e6, 55.12e6), "e_growth", False,
                 id="c-e2-growth-below-5pct"),
    pytest.param("city_e", {"debt_ratio": 0.70}, "e_debt_ratio", True, id="c-e2-debt-70pct-on-edge"),
    pytest.param("city_e", {"debt_ratio": 0.7001}, "e_debt_ratio", False, id="c-e2-debt-above-70pct"),
    # -- 附件5 小巨人企业 3: 高新技术企业，市级以上研发机构，主导产品具有自主知识产权、自主品牌
    pytest.param("city_e", {"high_tech_enterprise": False}, "e_high_tech", False, id="c-e3-not-high-tech"),
    pytest.param("city_e", {"rd_institution": "below_city"}, "e_rd_institution", False, id="c-e3-rd-below-city"),
    pytest.param("city_e", {"rd_institution": "none"}, "e_rd_institution", False, id="c-e3-rd-none"),
    pytest.param("city_e", {"rd_institution": "provincial"}, "e_rd_institution", True, id="c-e3-rd-provincial"),
    pytest.param("city_e", {"rd_institution": "national"}, "e_rd_institution", True, id="c-e3-rd-national"),
    pytest.param("city_e", {"invention_patents": 0, "class2_ip": 0}, "e_own_ip", False, id="c-e3-no-ip"),
    pytest.param("city_e", {"invention_patents": 0, "proprietary_technology": True}, "e_own_ip", True,
                 id="c-e3-proprietary-ip"),
    pytest.param("city_e", {"invention_patents": 0, "class2_ip": 0, "utility_patents": 1}, "e_own_ip", True,
                 id="c-e3-utility-patent-ip"),  # a utility model patent is 自主知识产权
    pytest.param("city_e", {"own_brand": False}, "e_own_brand", False, id="c-e3-no-brand"),
]


# Cases where the seed's items cannot fail one without the other.
COUPLED = {"q-m2-none": ["m_patents"]}  # 附件1 制造类 2 and 3: no patent and no other IP item fails both


@pytest.mark.parametrize(("name", "changes", "item", "ok"), CASES)
def test_one_condition(books, request, name, changes, item, ok):
    key, track, base = BASE[name]
    data = base | changes
    result = judge(books[key], data, track)
    assert crit(result, item)["passed"] is ok, crit(result, item)
    others = [c["id"] for c in result["criteria"] if c["passed"] is False and c["id"] != item]
    assert others == COUPLED.get(request.node.callspec.id, [])  # only the criterion under test moved
    assert result["passed"] is ok
    assert result["hard_passed"] is ok
    assert all(c["passed"] is None for c in result["criteria"] if c["kind"] == "reviewer_judged")
    if track is not None:
        assert result["track"]["id"] == track and result["track"]["chosen_by"] == "application"
    assert set(result["missing"]) <= set(books[key].item_inputs[item])  # an unused "或" figure at most


# ---- derived figures the cases rely on: the seed's own arithmetic ------------------------------------------

def test_derived_figures_match_the_seed_wording():
    # 附件1 制造类 6 / 附件4 制造类 2: 近3年营业收入平均增长率 = mean of the two yearly rates
    assert derive(years("revenue", 100e6, 104e6, 110.24e6))["revenue_growth_avg_2y"] == 0.05  # 4 % and 6 %
    # 平均营业利润率 = mean of three yearly margins
    d = derive({**years("revenue", 100e6, 200e6, 100e6), **years("operating_profit", 2e6, 16e6, 5e6)})
    assert d["operating_margin_avg_3y"] == 0.05  # 2 %, 8 %, 5 %; the 3-year sums would give 5.75 %
    # 附件2 4 / 附件3 1: 主营业务收入占企业（营业）收入 from the two figures
    assert derive({"main_revenue_last_year": 70e6, "revenue_last_year": 100e6})["main_business_share"] == 0.7
    # 附件4 产品 1 / 附件5 产品 1: 产品销售收入占主营业务收入; 附件1 制造类 4: 占企业整体收入
    d = derive({"main_product_revenue_last_year": 30e6, "main_revenue_last_year": 50e6, "revenue_last_year": 75e6})
    assert (d["main_product_share"], d["main_product_share_of_revenue"]) == (0.6, 0.4)
    # 附件3 9: 近2年研发经费支出占营业收入比重 = two-year sums; 附件4 制造类 6: 比重均值 = mean of the ratios
    d = derive({"revenue_last_year": 200e6, "rd_expense_last_year": 4e6,
                "revenue_prev_year": 100e6, "rd_expense_prev_year": 4e6})
    assert d["rd_ratio_mean_2y"] == 0.03 and d["rd_ratio_avg_2y"] == pytest.approx(8 / 300)


# ---- several tracks at once, the reviewer's items, missing figures ------------------------------------------

def test_both_columns_met_reports_the_first(books):
    """附件1: data meeting 制造类 and 创新类 alike passes; with no choice the table's first column is reported."""
    _key, _track, data = BASE["qianqi_m"]
    result = judge(books["jiangsu_qianqi"], data | {"strategic_emerging": True})
    assert result["passed"] is True
    assert result["track"]["id"] == "manufacturing" and result["track"]["chosen_by"] == "best"
    assert [t["passed"] for t in result["tracks"]] == [True, True]
    chosen = judge(books["jiangsu_qianqi"], data | {"strategic_emerging": True, "track": "innovation"})
    assert chosen["passed"] is True and chosen["track"]["id"] == "innovation"
    assert {c["id"] for c in chosen["criteria"]} == HARD["qianqi_i"] | JUDGED["qianqi_i"]


def test_common_standard_applies_to_every_column(books):
    """附件1 共同标准: a bad record fails both columns, whichever is chosen."""
    _key, _track, data = BASE["qianqi_m"]
    bad = data | {"strategic_emerging": True, "clean_record_3y": False}
    result = judge(books["jiangsu_qianqi"], bad)
    assert result["passed"] is False
    assert [t["passed"] for t in result["tracks"]] == [False, False]
    for track in ("manufacturing", "innovation"):
        assert crit(judge(books["jiangsu_qianqi"], bad, track), "common_record")["passed"] is False
        assert crit(judge(books["jiangsu_qianqi"], bad, track), "common_legal")["passed"] is None


def test_province_three_columns(books):
    """附件4: 专精特新产品 / 制造类 / 创新类 are three alternatives; each baseline passes one only."""
    book = books["jiangsu_province"]
    for name, track in (("province_p", "product"), ("province_m", "manufacturing"), ("province_i", "innovation")):
        result = judge(book, BASE[name][2])
        assert [t["id"] for t in result["tracks"]] == ["product", "manufacturing", "innovation"]
        assert {t["id"]: t["passed"] for t in result["tracks"]} == {t: t == track for t in book.tracks}, name
    everything = BASE["province_p"][2] | BASE["province_m"][2] | {"main_product_revenue_last_year": 40e6,
                                                                  "founded_year": 2014}
    result = judge(book, everything)
    assert [t["passed"] for t in result["tracks"]] == [True, True, True]
    assert result["track"]["id"] == "product"


@pytest.mark.parametrize("name", list(BASE))
def test_reviewer_items_never_block(books, name):
    """Only the reviewer can tick 省内领先, 四新, 高成长潜力, 管理规范…: with every figure given they stay open."""
    key, track, data = BASE[name]
    result = judge(books[key], data, track)
    judged = [c for c in result["criteria"] if c["kind"] == "reviewer_judged"]
    assert judged and all(c["passed"] is None and c["value"] is None and c["threshold"] for c in judged)
    assert result["passed"] is True


@pytest.mark.parametrize(("key", "track"), [
    ("jiangsu_qianqi", "manufacturing"), ("jiangsu_qianqi", "innovation"), ("jinhu_library", "manufacturing"),
    ("jinhu_library", "innovation"), ("jinhu_national", None), ("jiangsu_province", "product"),
    ("jiangsu_province", "manufacturing"), ("jiangsu_province", "innovation"), ("city_2022", "product"),
    ("city_2022", "enterprise"),
])
def test_no_data_passes_nothing(books, key, track):
    """Reviewer-only items never pass a column by themselves: with no figures every condition is missing."""
    result = judge(books[key], {}, track)
    assert result["passed"] is False
    assert result["missing"]
    assert all(c["passed"] is False for c in result["criteria"] if c["kind"] == "hard")


# A missing figure is reported, not read as a fail of the "或" alternative it belongs to.
MISSING = [
    # 附件1 制造类 6: neither growth nor margin given
    pytest.param("qianqi_m", ["revenue_prev2_year"], "m_growth", {"revenue_growth_avg_2y", "operating_margin_avg_3y"},
                 id="q-m6-missing"),
    # 附件2 制造类 1: neither 主营业务收入 nor 利税 given (主营占比 needs the first too)
    pytest.param("library_m", ["main_revenue_last_year", "profit_tax_last_year"], "m_revenue",
                 {"main_revenue_last_year", "profit_tax_last_year"}, id="l-m1-missing"),
    # 附件3 3: 资产负债率
    pytest.param("national", ["debt_ratio"], "debt_ratio", {"debt_ratio"}, id="n3-missing"),
    # 附件4 创新类 1: 成立年份
    pytest.param("province_i", ["founded_year"], "i_founded", {"founded_year"}, id="p-i1-missing"),
    # 附件5 小巨人企业 1: 全省排名
    pytest.param("city_e", ["province_market_rank"], "e_market_rank", {"province_market_rank"}, id="c-e1-missing"),
]


@pytest.mark.parametrize(("name", "drop", "item", "keys"), MISSING)
def test_missing_figure_is_reported(books, name, drop, item, keys):
    key, track, base = BASE[name]
    data = {k: v for k, v in base.items() if k not in drop}
    result = judge(books[key], data, track)
    assert crit(result, item)["passed"] is False
    assert result["passed"] is False
    assert keys <= set(result["missing"])
