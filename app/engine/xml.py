"""Safe XML parsing for uploaded BPMN/DMN: no DTDs, no entities, no network."""

from __future__ import annotations

from lxml import etree

MAX_XML_BYTES = 2 * 1024 * 1024


class UnsafeXML(ValueError):
    pass


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
    huge_tree=False, remove_comments=False,
)


def parse_xml(data: bytes | str) -> etree._Element:
    """Parse XML, refusing DOCTYPE declarations (and so every entity trick) before parsing."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_XML_BYTES:
        raise UnsafeXML(f"XML larger than {MAX_XML_BYTES} bytes")
    head = raw.upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnsafeXML("DOCTYPE and ENTITY declarations are not allowed")
    try:
        root = etree.fromstring(raw, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnsafeXML(f"XML does not parse: {exc}") from exc
    if root.getroottree().docinfo.doctype:
        raise UnsafeXML("DOCTYPE declarations are not allowed")
    return root
