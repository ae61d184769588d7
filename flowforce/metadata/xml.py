"""Safe XML reading — flows, object metadata, SOAP envelopes: no DTD, no entities, no network, bounded size.

Metadata comes from repositories users did not write themselves and envelopes from anyone; a billion-laughs or
XXE payload must be refused before it is expanded, with an error a person can act on. Every XML reader of
flowforce goes through `parse_xml`.
"""

from __future__ import annotations

from lxml import etree

MAX_METADATA_BYTES = 20 * 1024 * 1024


class UnsafeXmlError(ValueError):
    """The document is not plain XML we are willing to read."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, *, max_bytes: int = MAX_METADATA_BYTES) -> etree._Element:
    """Parse *data* and return its root element, refusing DTDs and entity declarations outright."""
    if len(data) > max_bytes:
        raise UnsafeXmlError(f"file is larger than {max_bytes} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:  # UTF-16/32 would hide a DOCTYPE from the check below (issue 9 item 11)
        raise UnsafeXmlError("metadata files must be encoded in UTF-8")
    lowered = text.lower()
    if "<!doctype" in lowered[:4096] or "<!entity" in lowered:
        raise UnsafeXmlError("DOCTYPE and ENTITY declarations are not allowed in metadata files")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise UnsafeXmlError(f"not well-formed XML: {error}") from None
    if getattr(root.getroottree().docinfo, "doctype", ""):
        raise UnsafeXmlError("DOCTYPE declarations are not allowed in metadata files")
    return root
