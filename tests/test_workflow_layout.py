"""The shipped diagrams' layout: the labels of the timers on one step do not overlap (issue 17 item 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

WORKFLOWS = Path(__file__).resolve().parents[1] / "workflows"
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC"}


def bounds(node) -> tuple[float, float, float, float]:
    return tuple(float(node.get(k)) for k in ("x", "y", "width", "height"))


def overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.bpmn")), ids=lambda p: p.name)
def test_boundary_event_labels_on_one_step_do_not_overlap(path):
    root = etree.parse(str(path)).getroot()
    hosts: dict[str, list[str]] = {}
    for event in root.iterfind(".//bpmn:boundaryEvent", NS):
        if event.get("name"):
            hosts.setdefault(event.get("attachedToRef"), []).append(event.get("id"))
    for host, events in hosts.items():
        if len(events) < 2:
            continue
        labels = {}
        for event in events:
            shape = root.find(f'.//bpmndi:BPMNShape[@bpmnElement="{event}"]', NS)
            label = shape.find("bpmndi:BPMNLabel/dc:Bounds", NS)
            # without explicit bounds bpmn-js centres a 90 px label under each event: neighbours overlap
            assert label is not None, f"{path.name}: {event} on {host} has no label position"
            labels[event] = bounds(label)
        names = sorted(labels)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                assert not overlap(labels[a], labels[b]), f"{path.name}: labels of {a} and {b} overlap"
