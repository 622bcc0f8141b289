"""Read caches live as long as the transaction: a routing rule or a deploy is seen by the next transaction
of the same long-lived app context (the worker), and a cached row never needs reloading."""

from __future__ import annotations

from app.extensions import db
from app.models import Office, Region, RoutingRule


def test_a_rule_added_in_another_transaction_is_seen_by_a_long_lived_context(app_ctx):
    from app.workflow import routing

    region = db.session.get(Region, "220104")
    assert routing.office_for_lane("county", region, "construction").code == "220104"  # cached for now
    db.session.commit()  # the transaction ends: so does the cache
    office = db.session.scalar(db.select(Office).where(Office.code == "220104-construction"))
    db.session.add(RoutingRule(lane="county", region_code="220104", sector="construction",
                                       office_id=office.id))
    db.session.commit()
    assert routing.office_for_lane("county", db.session.get(Region, "220104"), "construction").code == \
        "220104-construction"


def test_the_active_definitions_follow_a_deploy_in_the_same_transaction(app_ctx):
    from app.workflow import definitions

    before = definitions.active_bpmn_ids()
    xml = definitions.SHIPPED_DIR.joinpath("recognition.bpmn").read_text(encoding="utf-8")
    new = definitions.deploy("recognition", xml, comment="again")
    after = definitions.active_bpmn_ids()
    assert new.id in after and new.id not in before and len(after) == len(before)
