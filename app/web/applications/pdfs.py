"""The templates an application's materials start from (workflows/materials.json "templates"): the 申报书 filled
in with the application's data, the 真实性声明 and the 合规经营承诺, each with the place for the legal
representative's signature and the enterprise's seal. The enterprise prints, signs, seals, scans and uploads them.
"""

from __future__ import annotations

from app.core import workdays
from app.core.pdf import Document
from app.lifecycle import names
from app.models import Application
from app.web.applications.forms import GROUPS
from app.web.labels import SECTOR_LABELS, indicator_label, indicator_value, label

# The documents' wording is the authorities' (Chinese); the fields filled in come from the application.
STATEMENT = (
    "本企业郑重声明：本次申报{tier}所填报的全部信息、数据及提交的全部材料均真实、准确、完整，"
    "不存在虚报、瞒报、伪造、篡改等情形。如有不实，本企业愿承担由此产生的一切法律责任，"
    "并接受撤销认定、追回奖补资金、纳入失信记录等处理。"
)
PLEDGE = (
    "本企业承诺：近三年未发生重大安全（含网络安全、数据安全）、质量、环境污染等事故，"
    "无偷漏税等违法违规行为，未被列入经营异常名录和严重失信主体名单；"
    "在培育期内依法合规经营，按要求报送运行监测数据，发生重大变化时及时报告主管部门。"
)


def _head(doc: Document, application: Application, title: str) -> str:
    enterprise = application.enterprise
    tier = names.tier_label(application.target_tier, enterprise.region)
    doc.title_block(title, tier)
    doc.fields([
        ("申报编号", str(application.id)),
        ("企业名称", enterprise.name),
        ("统一社会信用代码", enterprise.uscc),
        ("所在地区", enterprise.region.name),
        ("所属行业", label(SECTOR_LABELS, enterprise.sector)),
    ], label_width=44)
    return tier


def _seal(doc: Document) -> None:
    doc.ln(10)
    doc.fields([("法定代表人（签字）", "________________"), ("企业（盖章）", "________________"),
                ("日期", "______年____月____日")], label_width=44, size=11)


def application_form(application: Application) -> bytes:
    doc = Document(f"申报书 {application.id}")
    _head(doc, application, "申报书")
    data = application.data or {}
    for group_label, keys in GROUPS:
        doc.heading(str(group_label))
        doc.grid(["指标", "填报值"], [(indicator_label(k), indicator_value(k, data.get(k))) for k in keys],
                 widths=(110, 64))
    doc.paragraph(f"生成日期：{workdays.china_date().isoformat()}。金额单位为万元，比例为百分数。", size=9, color=90)
    _seal(doc)
    return doc.render()


def truthfulness_statement(application: Application) -> bytes:
    doc = Document(f"真实性声明 {application.id}")
    tier = _head(doc, application, "真实性声明")
    doc.ln(4)
    doc.paragraph(STATEMENT.format(tier=tier), size=12)
    _seal(doc)
    return doc.render()


def compliance_pledge(application: Application) -> bytes:
    doc = Document(f"合规经营承诺书 {application.id}")
    _head(doc, application, "合规经营承诺书")
    doc.ln(4)
    doc.paragraph(PLEDGE, size=12)
    _seal(doc)
    return doc.render()


TEMPLATES = {"application_form": application_form, "truthfulness_statement": truthfulness_statement,
             "compliance_pledge": compliance_pledge}
