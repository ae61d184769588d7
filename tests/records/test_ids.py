from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowforce.records.errors import MalformedIdError
from flowforce.records.ids import (
    BASE62,
    KEY_PREFIXES,
    IdFactory,
    checksum_suffix,
    custom_key_prefix,
    is_id,
    new_id,
    normalize_id,
    to_15,
    to_18,
)


@pytest.mark.parametrize(
    ("id15", "id18"),
    [
        ("001A0000006Vm9r", "001A0000006Vm9rIAC"),
        ("a0D30000001n7Pi", "a0D30000001n7PiEAI"),
        ("0019000000B98de", "0019000000B98deAAB"),
    ],
)
def test_known_checksum_pairs(id15: str, id18: str) -> None:
    assert to_18(id15) == id18
    assert to_15(id18) == id15
    assert checksum_suffix(id15) == id18[15:]


def test_eighteen_char_id_is_case_insensitive() -> None:
    assert normalize_id("001a0000006vm9riac") == "001A0000006Vm9rIAC"
    assert normalize_id("001A0000006VM9RIAC") == "001A0000006Vm9rIAC"


@pytest.mark.parametrize("bad", ["", "001", "001A0000006Vm9r!", "001A0000006Vm9rIA", "001A0000006Vm9r_AC", 42, None])
def test_malformed_ids_are_rejected(bad: object) -> None:
    assert not is_id(bad)
    with pytest.raises(MalformedIdError):
        normalize_id(bad)  # type: ignore[arg-type]


def test_checksum_that_marks_a_digit_upper_case_is_malformed() -> None:
    # "5" as first checksum char means all five chars upper case, impossible for "00100".
    assert not is_id("0010000000000005AA")


@given(st.text(alphabet=BASE62, min_size=15, max_size=15))
def test_any_15_char_id_round_trips(id15: str) -> None:
    id18 = to_18(id15)
    assert len(id18) == 18 and is_id(id18)
    assert to_15(id18.lower()) == id15
    assert to_18(id18.upper()) == id18


def test_generated_ids_are_valid_unique_and_prefixed() -> None:
    factory = IdFactory("001")
    ids = [factory.new_id() for _ in range(5000)] + [new_id("001") for _ in range(100)]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("001") and len(i) == 18 and normalize_id(i) == i for i in ids)


def test_standard_key_prefixes() -> None:
    assert KEY_PREFIXES["Account"] == "001"
    assert KEY_PREFIXES["Contact"] == "003"
    assert KEY_PREFIXES["Case"] == "500"
    assert KEY_PREFIXES["Lead"] == "00Q"
    assert len(set(KEY_PREFIXES.values())) == len(KEY_PREFIXES)


def test_custom_key_prefix_is_stable_and_avoids_taken_prefixes() -> None:
    first = custom_key_prefix("Invoice__c")
    assert first == custom_key_prefix("INVOICE__C")
    assert first.startswith("a") and len(first) == 3
    assert custom_key_prefix("Invoice__c", {first}) != first
