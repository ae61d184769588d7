"""Only UTF-8 XML is read: the DOCTYPE/ENTITY check once looked at bytes, so a UTF-16 file slipped past it and
only lxml's own limits stopped its entities (issue 9 item 11)."""

from __future__ import annotations

import pytest

from flowforce.metadata.xml import UnsafeXmlError, parse_xml

HOSTILE = ('<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
           "<Flow>&e;</Flow>")
PLAIN = '<?xml version="1.0" encoding="{encoding}"?>\n<Flow><label>Plain</label></Flow>'


@pytest.mark.parametrize("codec, encoding", [
    ("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"),
])
def test_wide_encodings_are_refused_before_parsing(codec: str, encoding: str) -> None:
    for template in (HOSTILE, PLAIN):
        with pytest.raises(UnsafeXmlError, match="must be encoded in UTF-8"):
            parse_xml(template.format(encoding=encoding).encode(codec))


def test_utf8_with_or_without_bom_is_read() -> None:
    text = PLAIN.format(encoding="UTF-8").replace("Plain", "Plain é")
    for data in (text.encode(), text.encode("utf-8-sig")):
        assert parse_xml(data).findtext("label") == "Plain é"


def test_a_doctype_in_utf8_is_still_refused() -> None:
    with pytest.raises(UnsafeXmlError, match="DOCTYPE and ENTITY declarations are not allowed"):
        parse_xml(HOSTILE.format(encoding="UTF-8").encode())
