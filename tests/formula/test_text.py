"""Text functions, TEXT() formats and VALUE()."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from flowforce.formula import FormulaRuntimeError


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('LEFT("Salesforce", 5)', "Sales"),
        ('LEFT("abc", 10)', "abc"),
        ('LEFT("abc", 0)', ""),
        ('LEFT("abc", -1)', ""),
        ('LEFT("abc", 1.9)', "a"),
        ('RIGHT("Salesforce", 5)', "force"),
        ('RIGHT("abc", 10)', "abc"),
        ('RIGHT("abc", 0)', ""),
        ('RIGHT("abc", -2)', ""),
        ('MID("Salesforce", 6, 5)', "force"),
        ('MID("abc", 2, 10)', "bc"),
        ('MID("abc", 0, 2)', "ab"),
        ('MID("abc", 4, 1)', ""),
        ('MID("abc", 1, -1)', ""),
        ('LEN("abc")', D(3)),
        ('LEN("")', D(0)),
        ("LEN(nothing)", D(0)),
        ('LEN("héllo")', D(5)),
        ('FIND("force", "Salesforce")', D(6)),
        ('FIND("x", "Salesforce")', D(0)),
        ('FIND("s", "Salesforce", 4)', D(5)),
        ('FIND("a", "banana", 3)', D(4)),
        ('FIND("a", "banana", 0)', D(0)),
        ('FIND("", "abc")', D(0)),
        ('FIND("a", nothing)', D(0)),
        ('FIND("\\\\{", "a\\\\{b")', D(2)),
        ('SUBSTITUTE("a-b-c", "-", "+")', "a+b+c"),
        ('SUBSTITUTE("aaa", "aa", "b")', "ba"),
        ('SUBSTITUTE("abc", "", "x")', "abc"),
        ('SUBSTITUTE("abc", "b", nothing)', "ac"),
        ('SUBSTITUTE("a{b}", "{", "&lbrace;")', "a&lbrace;b}"),
        ('TRIM("  a b  ")', "a b"),
        ('TRIM("\\ta\\n")', "a"),
        ('UPPER("abc")', "ABC"),
        ('UPPER("abc", "en_US")', "ABC"),
        ('LOWER("ÀBC")', "àbc"),
        ('LOWER("ABC", "tr")', "abc"),
        ('INITCAP("hello wORLD")', "Hello World"),
        ('INITCAP("mary-jane o\'neil")', "Mary-Jane O'neil"),
        ('INITCAP("don\'t stop")', "Don't Stop"),
        ('REVERSE("abc")', "cba"),
        ('LPAD("abc", 5)', "  abc"),
        ('LPAD("abc", 6, "xy")', "xyxabc"),
        ('LPAD("my_company.com", 20, "z")', "zzzzzzmy_company.com"),
        ('LPAD("abcdef", 3, "z")', "abc"),
        ('RPAD("abc", 5, "*")', "abc**"),
        ('RPAD("abcdef", 2)', "ab"),
        ('RPAD("abc", 5, "")', "abc"),
        ('BEGINS("Salesforce", "Sales")', True),
        ('BEGINS("Salesforce", "sales")', False),
        ('BEGINS("abc", "")', True),
        ('BEGINS(nothing, "a")', False),
        ('CONTAINS("Salesforce", "force")', True),
        ('CONTAINS("Salesforce", "Force")', False),
        ('CONTAINS(nothing, "x")', False),
        ('CONTAINS("abc", "")', True),
        ('INCLUDES("Red;Blue;Green", "Blue")', True),
        ('INCLUDES("Red;Blue", "Bl")', False),
        ('INCLUDES(nothing, "Red")', False),
        ("BR()", "<br>"),
        (
            'HTMLENCODE("<a href=\\"x\\">Tom & Jerry\'s</a>")',
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
        ),
        ('JSENCODE("it\'s \\"q\\"\\n\\\\")', 'it\\\'s \\"q\\"\\n\\\\'),
        ('JSENCODE("<b>")', "\\u003Cb\\u003E"),
        ('JSINHTMLENCODE("<\'>")', "&lt;&#39;&gt;"),
        ('JSINHTMLENCODE("a\'b")', "a&#39;b"),
        ('URLENCODE("Mark\'s page!")', "Mark%27s%20page%21"),
        ('URLENCODE("a/b?c=d&e")', "a%2Fb%3Fc%3Dd%26e"),
        ('URLENCODE("é")', "%C3%A9"),
        ('HYPERLINK("https://x.io", "X")', '<a href="https://x.io" target="_blank">X</a>'),
        ('HYPERLINK("/001", "Rec", "_self")', '<a href="/001" target="_self">Rec</a>'),
        ('CASESAFEID("001A0000006Vm9r")', "001A0000006Vm9rIAC"),
        ('CASESAFEID("003000000000000")', "003000000000000AAA"),
        ('CASESAFEID("a0B5e00000AbCdE")', "a0B5e00000AbCdEEAV"),
        ('CASESAFEID("001A0000006Vm9rIAC")', "001A0000006Vm9rIAC"),
        ('CASESAFEID(LEFT("001A0000006Vm9rIAC", 15))', "001A0000006Vm9rIAC"),
        ('ASCII("A")', D(65)),
        ('ASCII("abc")', D(97)),
        ('ASCII("")', None),
        ("CHR(65)", "A"),
        ("CHR(8364)", "€"),
        ("GETSESSIONID()", "SESSION"),
        ('VALUE("42")', D(42)),
        ('VALUE(" -1.50 ")', D("-1.50")),
        ('VALUE("1e3")', D(1000)),
        ('VALUE(".5")', D("0.5")),
        ("VALUE(nothing)", None),
        ("UPPER(nothing)", None),
        ("LEFT(nothing, 2)", None),
        ("TRIM(nothing)", None),
        ('SUBSTITUTE(nothing, "a", "b")', None),
    ],
)
def test_text_functions(ev, expression, expected):
    result = ev(expression)
    assert result == expected
    assert type(result) is type(expected)


def test_casesafeid_suffix_letters_follow_upper_case_positions(ev):
    # First chunk "00AAA": bits 2,3,4 → 28 → "2"; other chunks all lower case → "A".
    assert ev('CASESAFEID("00AAA0000000000")') == "00AAA00000000002AA"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("TEXT(42)", "42"),
        ("TEXT(1.50)", "1.50"),
        ("TEXT(-0.5)", "-0.5"),
        ("TEXT(1/4)", "0.25"),
        ("TEXT(ROUND(1225, -2))", "1200"),
        ("TEXT(1000000000000000000000)", "1000000000000000000000"),
        ("TEXT(0.0000001)", "0.0000001"),
        ("TEXT(-0)", "0"),
        ("TEXT(num)", "10"),
        ("TEXT(d)", "2024-01-31"),
        ("TEXT(dtm)", "2024-01-31 09:15:00Z"),
        ("TEXT(NOW())", "2024-01-31 09:15:00Z"),
        ("TEXT(t)", "09:15:00.000Z"),
        ("TEXT($Record.Status)", "Obsolete"),
        ("TEXT(nothing)", None),
        ('TEXT($Record.Amount) & " USD"', "1250.50 USD"),
    ],
)
def test_text_formats(ev, expression, expected):
    assert ev(expression) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('VALUE("x")', "VALUE() received a non-numeric value: 'x'"),
        ('VALUE("1,000")', "VALUE() received a non-numeric value: '1,000'"),
        ('VALUE("")', "VALUE() received a non-numeric value: ''"),
        ("TEXT(TRUE)", "Incorrect parameter type for TEXT(): Boolean"),
        ("LEFT(5, 1)", "Incorrect parameter type for LEFT(). Expected Text, received Number"),
        ('LEFT("abc", "1")', "Incorrect parameter type for LEFT(). Expected Number, received Text"),
        ("LEN(5)", "Expected Text, received Number"),
        ("UPPER(d)", "Expected Text, received Date"),
        ("CHR(0)", "CHR() received an invalid character code: 0"),
        ('CONTAINS(1, "1")', "Expected Text, received Number"),
    ],
)
def test_text_errors(ev, expression, message):
    with pytest.raises(FormulaRuntimeError) as caught:
        ev(expression)
    assert str(caught.value).startswith("Error evaluating formula: ")
    assert message in str(caught.value)


def test_text_of_datetime_converts_to_utc(ev):
    offset = dt.timezone(dt.timedelta(hours=2))
    assert ev("TEXT(x)", {"x": dt.datetime(2024, 1, 31, 11, 0, tzinfo=offset)}) == "2024-01-31 09:00:00Z"
