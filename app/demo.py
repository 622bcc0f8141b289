"""Demo data (DESIGN.md "Demo data"): regions, offices, reviewers, admin, enterprises, applications."""

from __future__ import annotations

from datetime import date, timedelta

from stdnum.cn import uscc as uscc_check

from app.core import workdays
from app.extensions import db
from app.lifecycle import campaigns, libraries, register
from app.models import (
    SECTORS,
    Application,
    Call,
    Campaign,
    Enterprise,
    Fund,
    HumanTask,
    LedgerEntry,
    Office,
    Region,
    RoutingRule,
    User,
)
from app.org import accounts
from app.org.regions import level_of
from app.recognition import applications, calls, eligibility, experts, review
from app.rewards import ledger
from app.rewards import policies as reward_policies
from app.workflow import definitions, routing

DEMO_PASSWORD = "demo12345"

REGIONS: tuple[tuple[str, str, str | None], ...] = (
    ("100000", "全国", None),
    ("220000", "吉林省", "100000"),
    ("220100", "长春市", "220000"),
    ("220104", "朝阳区", "220100"),
    ("220600", "白山市", "220000"),
    ("220602", "浑江区", "220600"),
    ("140000", "山西省", "100000"),
    ("140500", "晋城市", "140000"),
    ("140502", "城区", "140500"),
    ("320000", "江苏省", "100000"),
    ("320800", "淮安市", "320000"),
    ("320831", "金湖县", "320800"),
)

OFFICES: tuple[tuple[str, str, str | None], ...] = (
    ("100000", "工业和信息化部", None),
    ("220000", "吉林省工业和信息化厅", None),
    # the provincial sector departments (001 §三(二)): 工信 is the general office
    ("220000", "吉林省农业农村厅", "agriculture"),
    ("220000", "吉林省住房和城乡建设厅", "construction"),
    ("220000", "吉林省商务厅", "commerce"),
    ("220000", "吉林省文化和旅游厅", "culture_tourism"),
    ("220000", "吉林省能源局", "energy"),
    ("220100", "长春市工业和信息化局", None),
    ("220100", "长春市住房和城乡建设局", "construction"),
    ("220104", "朝阳区工业和信息化局", None),
    ("220104", "朝阳区住房和城乡建设局", "construction"),
    ("220600", "白山市工业和信息化局", None),
    ("220602", "浑江区工业和信息化局", None),
    ("140000", "山西省工业和信息化厅", None),
    ("140500", "晋城市中小企业发展促进中心", None),
    ("140502", "城区工业和信息化局", None),
    ("320000", "江苏省工业和信息化厅", None),
    ("320800", "淮安市工业和信息化局", None),
    ("320831", "金湖县工业和信息化局", None),
    # finance bureaus (财政局) that approve and pay rewards with the SME office (003: 市中小企业发展促进中心、市财政局)
    ("220000", "吉林省财政厅", "finance"),
    ("220600", "白山市财政局", "finance"),
    ("140500", "晋城市财政局", "finance"),
)

# A strong enterprise: meets the hard conditions of every tier's rule set.
FULL_DATA = {
    "revenue_last_year": 300_000_000, "revenue_prev_year": 250_000_000,
    "main_revenue_last_year": 285_000_000, "main_revenue_prev_year": 237_000_000,
    "rd_expense_last_year": 18_000_000, "rd_expense_prev_year": 15_000_000,
    "net_profit_last_year": 30_000_000, "employees": 600, "rd_staff": 150,
    "debt_ratio": 0.4, "niche_years": 12,  # main business share 285 / 300 = 95 %, computed
    "invention_patents": 8, "class2_ip": 20, "ip_level": "class1_high_value",
    "strategic_emerging": True, "high_tech_enterprise": True, "rd_institution": "national",
    "equity_financing_2y": 0, "equity_financing_3y": 0, "digitalization_level": 3,
    "quality_certifications": 4, "national_market_share": 0.15, "own_brand": True, "sti_award": "none",
    # a third year and the facts the Jiangsu and Huai'an standards read (004 附件1–5)
    "revenue_prev2_year": 210_000_000, "main_revenue_prev2_year": 200_000_000,
    "net_profit_prev_year": 25_000_000, "net_profit_prev2_year": 21_000_000,
    "operating_profit_last_year": 33_000_000, "operating_profit_prev_year": 27_000_000,
    "operating_profit_prev2_year": 22_000_000, "total_profit_last_year": 34_000_000,
    "profit_tax_last_year": 45_000_000, "main_product_revenue_last_year": 180_000_000, "utility_patents": 6,
    "proprietary_technology": True, "province_market_rank": 2, "national_market_rank": 3,
    "leader_supply_chain": True, "chain_key_link": True, "city_brand": True, "clean_record_3y": True,
    "innovation_contest": True, "founded_year": 2010,
}

# username, name, region, sector, org-code body (9 chars) — the check character is computed
ENTERPRISES = (
    ("ent-baishan", "白山长白山精密机械有限公司", "220602", "industry", "MA0C1A2B3"),
    ("ent-changchun", "长春筑安建设科技有限公司", "220104", "construction", "MA17XK2D4"),
    ("ent-jincheng", "晋城泽丰智能装备有限公司", "140502", "industry", "MA0KQ7J85"),
    ("ent-jinhu", "金湖华宁仪表股份有限公司", "320831", "industry", "MA1N3PT26"),
    # holds an active provincial recognition, so a national application can be tried at once
    ("ent-provincial", "白山鸿图新材料科技有限公司", "220602", "industry", "MA0D2E3F4"),
    # a province-tier application the county, city and province approved: its expert panel is open (issue 17 §16)
    ("ent-panel", "白山云杉电子科技有限公司", "220602", "industry", "MA0F7H8J2"),
)


def demo_uscc(region_code: str, body: str) -> str:
    stem = f"91{region_code}{body}"
    return stem + uscc_check.calc_check_digit(stem + "0")


def seed_reference() -> None:
    """Regions and offices; safe to run again."""
    for code, name, parent in REGIONS:
        region = db.session.get(Region, code)
        if region is None:
            db.session.add(Region(code=code, name=name, level=level_of(code), parent_code=parent))
            db.session.flush()
    for region_code, name, sector in OFFICES:
        code = f"{region_code}-{sector}" if sector else region_code
        if db.session.scalar(db.select(Office.id).where(Office.code == code)) is None:
            db.session.add(Office(code=code, name=name, region_code=region_code, sector=sector))
    db.session.flush()
    libraries.ensure_shipped()  # the cultivation libraries of the demo jurisdictions
    reward_policies.ensure_shipped()  # the funds and reward policies of the demo jurisdictions
    from app.reporting import targets

    targets.ensure_shipped()  # the targets of the seeds (workflows/targets.json)
    for region_code, _name, sector in OFFICES:  # a firm of a sector goes to its provincial department
        provincial_sector = sector in SECTORS and level_of(region_code) == "province"  # a finance bureau is not
        if provincial_sector and db.session.scalar(db.select(RoutingRule.id).where(
                RoutingRule.lane == "province", RoutingRule.region_code == region_code,
                RoutingRule.sector == sector)) is None:
            routing.add(None, {"lane": "province", "region_code": region_code, "sector": sector,
                               "office_code": f"{region_code}-{sector}"})


def _user(username: str, role: str, **fields) -> User:
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        user = User(username=username, role=role, **fields)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


def _decide(username: str, application: Application, decision: str, comment: str = "") -> None:
    reviewer = db.session.scalar(db.select(User).where(User.username == username))
    task = db.session.scalar(db.select(HumanTask).where(
        HumanTask.application_id == application.id, HumanTask.state == "open"))
    review.decide(reviewer, task.id, decision, comment or "材料齐全，同意推荐")


# the expert pool (专家库): username, display name, home city
EXPERTS = [("expert-1", "王教授", "220100"), ("expert-2", "李研究员", "220600"), ("expert-3", "张高工", "140500"),
           ("expert-4", "赵教授", "320800"), ("expert-5", "刘研究员", "220100"), ("expert-6", "陈高工", "140500")]


def _score_panel(application: Application) -> None:
    """Every expert drawn for the application scores it."""
    tasks = db.session.scalars(db.select(HumanTask).where(
        HumanTask.application_id == application.id, HumanTask.state == "open",
        HumanTask.assignee_id.is_not(None)).order_by(HumanTask.id)).all()
    for n, task in enumerate(tasks):
        experts.score(task.assignee, task.id, 80 + 4 * n, "技术水平较高，市场前景良好")


DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def submit_with_materials(user: User, application: Application) -> None:
    """Upload a placeholder scan of every material the application still needs, then submit it."""
    import io

    from flask import current_app

    from app.recognition import materials
    from app.workbench import evidence

    for doc_type in materials.missing(application):
        evidence.upload(user, application.id, doc_type, f"{doc_type}.pdf", io.BytesIO(DEMO_PDF),
                        current_app.config["UPLOAD_DIR"])
    applications.submit(user, application.id, declared=True)


def _demo_applications(users: dict[str, User]) -> None:
    baishan, changchun, jincheng, jinhu = (users[u[0]] for u in ENTERPRISES[:4])
    # Baishan: a draft, and a city-tier application waiting at the county
    applications.create(baishan, "province", dict(FULL_DATA))
    a = applications.create(baishan, "city", dict(FULL_DATA))
    submit_with_materials(baishan, a)
    # Changchun construction firm: province tier, now at the provincial construction department
    a = applications.create(changchun, "province", dict(FULL_DATA, employees=480, rd_staff=90))
    submit_with_materials(changchun, a)
    _decide("rev-220104", a, "approve")
    _decide("rev-220100", a, "approve")
    # Jincheng: returned by the county for amendment
    a = applications.create(jincheng, "city", dict(FULL_DATA, rd_expense_last_year=9_000_000))
    submit_with_materials(jincheng, a)
    _decide("rev-140502", a, "return", "请补充近两年研发费用专项审计报告")
    # Jinhu: a seed enterprise in the county library (jinhu_library_entry), a rejected one, and a national
    # application at MIIT
    a = applications.create(jinhu, "seed", dict(FULL_DATA))
    submit_with_materials(jinhu, a)
    _decide("rev-320831", a, "approve", "符合金湖县培育库入库条件，同意入库")
    _recognized(jinhu, "province")  # the ladder: a national candidate holds the province tier (001 §二(一)4)
    a = applications.create(jinhu, "national", dict(FULL_DATA))
    submit_with_materials(jinhu, a)
    for reviewer in ("rev-320831", "rev-320800", "rev-320000"):
        _decide(reviewer, a, "approve")
    _score_panel(a)  # the expert panel scores; the province then recommends it to MIIT
    _decide("rev-320000", a, "approve")
    # Jincheng: a province-tier application in its public notice (公示), open to objections
    a = applications.create(jincheng, "province", dict(FULL_DATA))
    submit_with_materials(jincheng, a)
    for reviewer in ("rev-140502", "rev-140500", "rev-140000"):
        _decide(reviewer, a, "approve")
    _score_panel(a)
    _decide("rev-140000", a, "approve")
    a = applications.create(jinhu, "city", dict(FULL_DATA, quality_certifications=0))
    submit_with_materials(jinhu, a)
    _decide("rev-320831", a, "reject", "主营业务收入占比低于要求")


def _demo_open_panel(users: dict[str, User]) -> None:
    """ent-panel's province-tier application, approved by 浑江区, 白山市 and 吉林省: the expert panel drawn for it
    waits, so an expert has an open task in a fresh demo (`open_expert_tasks` names them). Once."""
    user = users["ent-panel"]
    if db.session.scalar(db.select(Application.id).where(Application.enterprise_id == user.enterprise_id)):
        return
    a = applications.create(user, "province", dict(FULL_DATA, employees=320, rd_staff=70))
    submit_with_materials(user, a)
    for reviewer in ("rev-220602", "rev-220600", "rev-220000"):
        _decide(reviewer, a, "approve")


def open_expert_tasks() -> list[str]:
    """The experts with an open panel task, by username (the demo names them after seeding)."""
    return list(db.session.scalars(db.select(User.username).join(HumanTask, HumanTask.assignee_id == User.id).where(
        User.role == "expert", HumanTask.state == "open").distinct().order_by(User.username)))


def _recognized(user: User, tier: str) -> None:
    """An active register entry for a demo enterprise (as if recognized in an earlier year's batch)."""
    enterprise = user.enterprise
    if tier not in register.held_tiers(enterprise.id):
        on = workdays.china_date() - timedelta(days=200)
        register.record(enterprise, tier, register.recognizing_office(tier, enterprise), on=on, valid_years=3,
                        source="demo")


def _demo_register(users: dict[str, User]) -> None:
    """ent-provincial holds the province tier; Jilin's province office runs a re-verification campaign of its
    provincial members, due the next 30 April (POLICY.md: the annual update)."""
    _recognized(users["ent-provincial"], "province")
    office = db.session.scalar(db.select(Office).where(Office.code == "220000"))
    if db.session.scalar(db.select(Campaign.id).where(Campaign.office_id == office.id)) is None:
        today = workdays.china_date()
        due = date(today.year, 4, 30) if today <= date(today.year, 4, 30) else date(today.year + 1, 4, 30)
        reviewer = db.session.scalar(db.select(User).where(User.username == "rev-220000"))
        campaigns.open_campaign(reviewer, {"tier": "province", "year": due.year, "due_on": due.isoformat()})


DEMO_BUDGETS = {"jilin_sme": 2000 * 10_000, "baishan_srdi": 200 * 10_000, "jincheng_srdi": 300 * 10_000}


def _demo_rewards(users: dict[str, User]) -> None:
    """This year's budget of each demo fund, once; the Baishan firm is city-owned (市属)."""
    year = workdays.china_date().year
    for key, amount in DEMO_BUDGETS.items():
        fund = db.session.scalar(db.select(Fund).where(Fund.key == key))
        if fund is not None and db.session.scalar(db.select(LedgerEntry.id).where(
                LedgerEntry.fund_id == fund.id, LedgerEntry.kind == "budget").limit(1)) is None:
            ledger.set_budget(fund, amount, year, note="演示预算")
    users["ent-baishan"].enterprise.city_owned = True


def _demo_rankings() -> None:
    """The shipped ranking schemes (001 §二(一)6, 002 §四(五)) and a run of Jilin's for this year, once."""
    from app.models import RankingRun
    from app.reporting import ranking_runs, rankings

    rankings.ensure_shipped()
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    scheme = rankings.get_for(admin, "jilin_cities")
    year = workdays.china_date().year
    if db.session.scalar(db.select(RankingRun.id).where(RankingRun.scheme_id == scheme.id,
                                                        RankingRun.year == year).limit(1)) is None:
        ranking_runs.run(admin, scheme.key, year)


TIER_LEVEL = {"seed": "county", "city": "city", "province": "province", "national": "national"}


def open_demo_calls() -> None:
    """A call for every tier in every demo jurisdiction at that tier's level, open from a month ago for a year.

    Demo calls draw no spot checks, so a client walking the chain sees the same steps every time.
    """
    today = workdays.china_date()
    for tier, level in TIER_LEVEL.items():
        for code, name, _parent in REGIONS:
            if level_of(code) != level:
                continue
            exists = db.session.scalar(db.select(Call.id).where(Call.tier == tier, Call.region_code == code))
            if exists is None:
                calls.open_call(None, name=f"{name}{today.year}年度申报（演示）", tier=tier, region_code=code,
                                opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=365),
                                spot_check_share=0, spot_check_seed=f"demo-{code}-{tier}")


def seed() -> dict[str, int]:
    """Create everything in DESIGN.md "Demo data"; running it again adds nothing."""
    seed_reference()
    definitions.deploy_shipped()
    eligibility.ensure_shipped()
    open_demo_calls()
    _user("admin", "admin", display_name="系统管理员")
    for office in db.session.scalars(db.select(Office)):
        _user(f"rev-{office.code}", "reviewer", office_id=office.id, display_name=f"{office.name}审核员")
        if office.region.level == "province":  # a second reviewer where steps need four eyes
            _user(f"rev-{office.code}-b", "reviewer", office_id=office.id, display_name=f"{office.name}复核员")
    for username, name, region_code in EXPERTS:
        _user(username, "expert", display_name=name, region_code=region_code)
    for region in db.session.scalars(db.select(Region).order_by(Region.code)):
        # the read-only leading group (领导小组) of every region, and a city's information reporter (信息报送员)
        _user(f"leader-{region.code}", "leader", display_name=f"{region.name}领导小组", region_code=region.code)
        if region.level == "city":
            office = db.session.scalar(db.select(Office).where(Office.region_code == region.code,
                                                               Office.sector.is_(None)))
            _user(f"reporter-{region.code}", "reporter", display_name=f"{region.name}信息报送员",
                  office_id=office.id, region_code=region.code)
    users: dict[str, User] = {}
    created = 0
    for username, name, region, sector, body in ENTERPRISES:
        user = db.session.scalar(db.select(User).where(User.username == username))
        if user is None:
            accounts.register_enterprise(username=username, password=DEMO_PASSWORD, name=name,
                                         uscc=demo_uscc(region, body), region_code=region, sector=sector)
            user = db.session.scalar(db.select(User).where(User.username == username))
            created += 1
        users[username] = user
    if created >= 4:  # a new database (ent-provincial came later: an older demo database gains it alone)
        _demo_applications(users)
    _demo_open_panel(users)
    _demo_register(users)
    _demo_rewards(users)
    _demo_secretaries(users)
    _demo_monitoring(users)
    _demo_rankings()  # after the monitoring figures: the run reads them
    _demo_periodic_reports()
    _demo_uscc_claim()
    _demo_problems()
    return {
        "regions": db.session.scalar(db.select(db.func.count(Region.code))),
        "offices": db.session.scalar(db.select(db.func.count(Office.id))),
        "users": db.session.scalar(db.select(db.func.count(User.id))),
        "enterprises": db.session.scalar(db.select(db.func.count(Enterprise.id))),
        "applications": db.session.scalar(db.select(db.func.count(Application.id))),
    }


DEMO_FIGURES = {  # ent-provincial's last quarter: revenue down a quarter year on year (the alert rule trips)
    "revenue": 18_000_000, "revenue_prior": 24_000_000, "main_revenue": 16_500_000, "total_profit": 600_000,
    "tax_paid": 900_000, "rd_expense": 1_200_000, "rd_expense_prior": 1_100_000, "exports": 2_000_000,
    "financing": 0, "employees": 160, "rd_staff": 28, "patents": 14}


def _demo_monitoring(users: dict[str, User]) -> None:
    """The shipped monitoring programmes and their cycles; Jilin's last quarter with ent-provincial's figures
    filed (revenue down 25 %: a follow-up waits at 浑江区), and Jilin's current quarter open with its report
    waiting."""
    from app.models import MonitoringPeriod, MonitoringProgramme, MonitoringReport
    from app.monitoring import operations as monitoring_operations
    from app.monitoring import periods as monitoring_periods
    from app.monitoring import programmes as monitoring_programmes
    from app.monitoring import reports as monitoring_reports

    monitoring_programmes.ensure_shipped()
    monitoring_operations.start_cycles()
    jilin = db.session.scalar(db.select(MonitoringProgramme).where(MonitoringProgramme.region_code == "220000"))
    if jilin is None or db.session.scalar(db.select(MonitoringPeriod.id).where(
            MonitoringPeriod.programme_id == jilin.id).limit(1)) is not None:
        return
    reviewer = db.session.scalar(db.select(User).where(User.username == "rev-220000"))
    today = workdays.china_date()
    year, seq = monitoring_periods.containing(jilin.frequency, today)
    last_year, last_seq = monitoring_periods.previous(jilin.frequency, today)
    last = monitoring_periods.open_period(jilin, last_year, last_seq, user=reviewer)
    report = db.session.scalar(db.select(MonitoringReport).where(
        MonitoringReport.period_id == last.id, MonitoringReport.enterprise_id == users["ent-provincial"].enterprise_id))
    if report is not None:
        monitoring_reports.file(users["ent-provincial"], report.id, DEMO_FIGURES, source="web")
    monitoring_periods.open_period(jilin, year, seq, user=reviewer)
DEMO_REPORT = {
    "achievements": "本季度新认定市级专精特新中小企业5户，推荐省级专精特新中小企业2户，梯度培育库新增企业12户。",
    "measures": "服务秘书走访企业40余次，协调解决融资、用地、用工问题8件；组织政策宣讲会2场。",
    "methods": "建立“一企一策”培育台账，按月跟踪企业研发投入和经营数据变化。",
    "policies": "出台市级专精特新企业首贷贴息政策，单户贴息最高20万元。",
}


def _demo_periodic_reports() -> None:
    """The report schedules (000 §四(三)); Jilin's latest quarter open for 长春 and 白山, 长春's report submitted
    and waiting at 吉林省工业和信息化厅 (rev-220000), 白山's still to be filed (reporter-220600)."""
    from app.models import PeriodicReport
    from app.reporting import periodic, periodic_schedules

    periodic_schedules.ensure_shipped()
    today = workdays.china_date()
    quarters = [p for p in periodic_schedules.periods(["quarterly"], today.year) if p.starts_on <= today]
    latest = quarters[-1]
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    periodic.open_now(admin, "jilin_srdi_dispatch", latest.year, latest.frequency, latest.seq)
    reporter = db.session.scalar(db.select(User).where(User.username == "reporter-220100"))
    report = db.session.scalar(db.select(PeriodicReport).where(
        PeriodicReport.schedule_key == "jilin_srdi_dispatch", PeriodicReport.office_id == reporter.office_id,
        PeriodicReport.year == latest.year, PeriodicReport.frequency == latest.frequency,
        PeriodicReport.seq == latest.seq))
    if report is not None and report.status == "open" and report.submitted_at is None:
        periodic.submit(reporter, report.id, dict(DEMO_REPORT))


SECRETARY_OFFICES = ("220602", "220600", "220104", "220100", "320831")  # county and city general offices


def _demo_secretaries(users: dict[str, User]) -> None:
    """服务秘书 (001 §三(三)): `sec-<office code>` for the general offices above; 浑江区's serves ent-provincial
    (a visit logged, the next one overdue) and ent-baishan, 朝阳区's serves ent-changchun."""
    from app.models import ServiceAssignment
    from app.services_desk import assignments, visits

    for code in SECRETARY_OFFICES:
        office = db.session.scalar(db.select(Office).where(Office.code == code))
        _user(f"sec-{code}", "secretary", office_id=office.id, display_name=f"{office.region.name}服务秘书")
    if db.session.scalar(db.select(ServiceAssignment.id).limit(1)) is not None:
        return
    today = workdays.china_date()
    plan = (("rev-220602", "sec-220602", "ent-provincial", "王建国", "浑江区副区长"),
            ("rev-220602", "sec-220602", "ent-baishan", None, None),
            ("rev-220104", "sec-220104", "ent-changchun", "刘洋", "朝阳区住建局局长"))
    for reviewer_name, secretary, firm, leader, post in plan:
        reviewer = db.session.scalar(db.select(User).where(User.username == reviewer_name))
        assignments.assign(reviewer, users[firm].enterprise_id, {
            "secretary": secretary, "leader_name": leader, "leader_post": post,
            "starts_on": (today - timedelta(days=90)).isoformat()})
    secretary = db.session.scalar(db.select(User).where(User.username == "sec-220602"))
    visits.log(secretary, users["ent-provincial"].enterprise_id, {
        "visited_on": (today - timedelta(days=45)).isoformat(), "visitors": "浑江区服务秘书、王建国",
        "notes": "走访了解一季度经营情况，营业收入同比下降，企业反映订单减少。",
        "problems": "流动资金紧张，希望对接银行信贷产品。",
        "next_due_on": (today - timedelta(days=15)).isoformat()})


# a one-page PDF standing in for a scanned business licence (营业执照)
DEMO_LICENCE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _demo_uscc_claim() -> None:
    """Issue 16 §8: `squatter-220602` registered a Hunjiang firm's USCC first; the firm's claim (business licence
    attached, new account `ent-jinggong` wanted) waits at 浑江区工业和信息化局 (`rev-220602`, 信用代码认领)."""
    import io

    from flask import current_app

    from app.enterprises import uscc_claims

    if db.session.scalar(db.select(User.id).where(User.username == "squatter-220602")) is not None:
        return
    uscc = demo_uscc("220602", "MA0E5F6G7")
    accounts.register_enterprise(username="squatter-220602", password=DEMO_PASSWORD, name="浑江精工制造有限公司",
                                 uscc=uscc, region_code="220602", sector="industry")
    uscc_claims.file({"uscc": uscc, "registered_name": "白山浑江精工制造有限公司", "contact_name": "李明",
                      "contact_phone": "13900001234", "username": "ent-jinggong", "password": DEMO_PASSWORD},
                     "营业执照.pdf", io.BytesIO(DEMO_LICENCE), current_app.config["UPLOAD_DIR"])


def _demo_problems() -> None:
    """Issue 14: ent-changchun (construction, 朝阳区 of 长春) raised a finance problem; it waits at 长春市住房和城乡
    建设局 (`rev-220100-construction`), the city service team of its sector."""
    from app.models import Problem
    from app.services_desk import problems

    user = db.session.scalar(db.select(User).where(User.username == "ent-changchun"))
    if user is None or db.session.scalar(db.select(Problem.id).where(
            Problem.enterprise_id == user.enterprise_id).limit(1)) is not None:
        return
    problems.raise_problem(user, {"category": "finance", "text": "新中标项目需垫资约800万元，银行流动资金贷款审批"
                                                                 "周期长，请协调合作银行加快审批或提供政策性担保。"})
