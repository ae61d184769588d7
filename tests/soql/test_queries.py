"""Running SOQL against a seeded store (SQLite always, PostgreSQL when configured): results and semantics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from flowforce.records.errors import LimitException
from flowforce.records.limits import GovernorLimits
from flowforce.records.record import Record
from flowforce.soql import ChildResult, QueryRecord

from .conftest import names

# --- shapes -----------------------------------------------------------------------------------------------


def test_fields_come_back_in_describe_casing_and_select_order(soql) -> None:  # type: ignore[no-untyped-def]
    record = soql("SELECT industry, NAME, id FROM account WHERE name = 'Acme'").records[0]
    assert list(record) == ["Industry", "Name", "Id"]
    assert record.sobject_type == "Account"
    assert record["Name"] == "Acme"


def test_record_remembers_its_id_for_attributes_url(soql, seeded) -> None:  # type: ignore[no-untyped-def]
    record = soql("SELECT Name FROM Account WHERE Name = 'Acme'").records[0]
    assert isinstance(record, QueryRecord)
    assert "Id" not in record and record.record_id == seeded["acme"]


def test_parent_relationships_nest_records(soql) -> None:  # type: ignore[no-untyped-def]
    records = soql("SELECT LastName, Account.Name, Account.Owner.Name FROM Contact ORDER BY LastName").records
    by_name = {r["LastName"]: r for r in records}
    smith = by_name["Smith"]
    assert list(smith) == ["LastName", "Account"]
    assert smith["Account"] == Record("Account", {"Name": "Acme", "Owner": Record("User", {"Name": "Jane Admin"})})
    assert by_name["Brown"]["Account"]["Owner"] is None  # no such user: the relationship is null
    assert by_name["Loner"]["Account"] is None


def test_custom_relationship_paths(soql) -> None:  # type: ignore[no-untyped-def]
    records = soql("SELECT Name, Account__r.Name FROM Project__c WHERE Account__r.Industry = 'banking' ORDER BY Name")
    assert [(r["Name"], r["Account__r"]["Name"]) for r in records.records] == [("P1", "Acme"), ("P2", "Acme")]


def test_polymorphic_owner(soql) -> None:  # type: ignore[no-untyped-def]
    record = soql("SELECT Owner.Name, Owner.Type FROM Account WHERE Name = 'Acme'").records
    assert record[0]["Owner"].sobject_type == "User"
    assert record[0]["Owner"]["Name"] == "Jane Admin"


def test_child_subquery_blocks(soql) -> None:  # type: ignore[no-untyped-def]
    result = soql(
        "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName), (SELECT Name FROM Projects__r) "
        "FROM Account ORDER BY Name"
    )
    by_name = {r["Name"]: r for r in result.records}
    contacts = by_name["Acme"]["Contacts"]
    assert isinstance(contacts, ChildResult)
    assert (contacts.total_size, contacts.done) == (2, True)
    assert [c["LastName"] for c in contacts.records] == ["Jones", "Smith"]
    assert contacts.records[0].sobject_type == "Contact"
    assert by_name["Gamma"]["Contacts"] is None  # empty child relationship is null
    assert [p["Name"] for p in by_name["beta corp"]["Projects__r"].records] == ["P3"]


def test_child_subquery_limit_applies_per_parent(soql) -> None:  # type: ignore[no-untyped-def]
    result = soql("SELECT Name, (SELECT Name FROM Projects__r ORDER BY Name DESC LIMIT 1) FROM Account")
    by_name = {r["Name"]: r for r in result.records}
    assert [p["Name"] for p in by_name["Acme"]["Projects__r"].records] == ["P2"]
    assert [p["Name"] for p in by_name["beta corp"]["Projects__r"].records] == ["P3"]


def test_child_subquery_with_filter_and_parent_path(soql) -> None:  # type: ignore[no-untyped-def]
    result = soql("SELECT Name, (SELECT Name, Account__r.Name FROM Projects__r WHERE Done__c = true) FROM Account "
                  "WHERE Name = 'Acme'")  # fmt: skip
    (project,) = result.records[0]["Projects__r"].records
    assert project == Record("Project__c", {"Name": "P1", "Account__r": Record("Account", {"Name": "Acme"})})


# --- WHERE semantics --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("Name = 'ACME'", ["Acme"]),
        ("Name != 'acme'", ["Acme Child", "beta corp", "Gamma"]),
        ("Industry = null", ["Gamma"]),
        ("Industry != null", ["Acme", "Acme Child", "beta corp"]),
        ("Industry != 'Banking'", ["beta corp", "Gamma"]),  # SOQL's != matches nulls
        ("NOT Industry = 'Banking'", ["beta corp", "Gamma"]),
        ("AnnualRevenue > 250", ["Acme"]),
        ("AnnualRevenue >= 250", ["Acme", "beta corp"]),
        ("AnnualRevenue < 1000.5", ["Acme", "beta corp"]),
        ("NumberOfEmployees <= 5", ["beta corp"]),
        ("Name LIKE 'a%'", ["Acme", "Acme Child"]),
        ("Name LIKE '%CORP'", ["beta corp"]),
        ("Name LIKE '_amma'", ["Gamma"]),
        ("NOT Name LIKE 'a%'", ["beta corp", "Gamma"]),
        ("Name IN ('acme', 'GAMMA')", ["Acme", "Gamma"]),
        ("Name NOT IN ('acme', 'GAMMA')", ["Acme Child", "beta corp"]),
        ("Industry IN ('Media', null)", ["beta corp", "Gamma"]),
        ("Industry NOT IN ('Media')", ["Acme", "Acme Child", "Gamma"]),
        ("Industry = 'Banking' AND NumberOfEmployees > 10", ["Acme"]),
        ("Industry = 'Media' OR AnnualRevenue = null", ["Acme Child", "beta corp", "Gamma"]),
        ("NOT (Industry = 'Banking' OR Industry = 'Media')", ["Gamma"]),
        ("Parent.Name = 'Acme'", ["Acme Child"]),
        ("Parent.Name != 'Acme'", ["Acme", "beta corp", "Gamma"]),
        ("Owner.Name LIKE 'jane%'", ["Acme"]),
    ],
)
def test_filters(soql, where: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert names(soql(f"SELECT Name FROM Account WHERE {where} ORDER BY Name")) == expected


def test_case_sensitive_text_field_compares_exactly(soql) -> None:  # type: ignore[no-untyped-def]
    assert names(soql("SELECT Name FROM Project__c WHERE Code__c = 'AbC'")) == ["P1"]
    assert names(soql("SELECT Name FROM Project__c WHERE Code__c = 'abc'")) == []


def test_ids_match_in_15_and_18_character_forms(soql, seeded) -> None:  # type: ignore[no-untyped-def]
    acme = seeded["acme"]
    assert names(soql(f"SELECT Name FROM Account WHERE Id = '{acme[:15]}'")) == ["Acme"]
    assert names(soql(f"SELECT Name FROM Account WHERE Id = '{acme.lower()}'")) == ["Acme"]
    assert names(soql(f"SELECT LastName FROM Contact WHERE AccountId IN ('{acme[:15]}') ORDER BY LastName"),
                 "LastName") == ["Jones", "Smith"]  # fmt: skip


def test_multipicklist_includes_and_excludes(soql) -> None:  # type: ignore[no-untyped-def]
    base = "SELECT Name FROM Project__c WHERE Tags__c"
    assert names(soql(f"{base} INCLUDES ('red') ORDER BY Name")) == ["P1"]
    assert names(soql(f"{base} INCLUDES ('Green;Red', 'blue') ORDER BY Name")) == ["P1", "P2"]
    assert names(soql(f"{base} INCLUDES ('Red;Blue')")) == []
    assert names(soql(f"{base} EXCLUDES ('Red') ORDER BY Name")) == ["P2", "P3"]


def test_booleans_dates_and_datetimes(soql) -> None:  # type: ignore[no-untyped-def]
    assert names(soql("SELECT Name FROM Project__c WHERE Done__c = TRUE")) == ["P1"]
    assert names(soql("SELECT Name FROM Project__c WHERE Done__c = false ORDER BY Name")) == ["P2", "P3"]
    assert names(soql("SELECT Name FROM Project__c WHERE Due__c >= 2024-05-15 ORDER BY Name")) == ["P1", "P2"]
    assert names(soql("SELECT Name FROM Project__c WHERE Started__c < 2024-05-15T00:00:00Z")) == ["P1"]
    assert names(soql("SELECT Name FROM Project__c WHERE Started__c > 2024-05-15T09:00:00.000+0200")) == ["P2"]
    assert names(soql("SELECT Name FROM Project__c WHERE Budget__c > 10.5")) == ["P2"]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("Due__c = TODAY", ["P1"]),
        ("Due__c > TODAY", ["P2"]),
        ("Due__c < TODAY", ["P3"]),
        ("Due__c <= TODAY", ["P1", "P3"]),
        ("Due__c != THIS_MONTH", ["P2", "P3"]),
        ("Due__c = NEXT_N_DAYS:30", ["P2"]),
        ("Due__c = LAST_YEAR", ["P3"]),
        ("Due__c IN (TODAY, LAST_YEAR)", ["P1", "P3"]),
        ("Started__c = TODAY", ["P2"]),
        ("Started__c = YESTERDAY", ["P1"]),
        ("Started__c = LAST_N_DAYS:1", ["P1", "P2"]),
        ("Started__c >= THIS_WEEK", ["P1", "P2"]),
        ("CALENDAR_YEAR(Due__c) = 2023", ["P3"]),
        ("CALENDAR_MONTH(Due__c) >= 5", ["P1", "P2", "P3"]),
        ("CALENDAR_QUARTER(Due__c) = 2", ["P1", "P2"]),
        ("DAY_IN_MONTH(Due__c) = 1", ["P2"]),
        ("DAY_IN_WEEK(Due__c) = 4", ["P1"]),  # Wednesday (1 = Sunday)
        ("DAY_IN_YEAR(Due__c) = 365", ["P3"]),
        ("WEEK_IN_YEAR(Due__c) = 53", ["P3"]),
        ("WEEK_IN_MONTH(Due__c) = 3", ["P1"]),
        ("HOUR_IN_DAY(Started__c) = 23", ["P1"]),
        ("DAY_ONLY(Started__c) = 2024-05-15", ["P2"]),
        ("DAY_ONLY(Started__c) = YESTERDAY", ["P1"]),
        ("FISCAL_YEAR(Due__c) = 2024", ["P1", "P2"]),
    ],
)
def test_date_literals_and_functions(soql, where: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert names(soql(f"SELECT Name FROM Project__c WHERE {where} ORDER BY Name")) == expected


def test_semi_join_and_anti_join(soql) -> None:  # type: ignore[no-untyped-def]
    with_contacts = "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact) ORDER BY Name"
    assert names(soql(with_contacts)) == ["Acme", "beta corp"]
    without = "SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact) ORDER BY Name"
    assert names(soql(without)) == ["Acme Child", "Gamma"]  # the contact without an account must not hide rows
    filtered = "SELECT Name FROM Account WHERE Id IN (SELECT Account__c FROM Project__c WHERE Done__c = true)"
    assert names(soql(filtered)) == ["Acme"]
    same_object = "SELECT Name FROM Account WHERE Id IN (SELECT ParentId FROM Account)"
    assert names(soql(same_object)) == ["Acme"]


# --- ORDER BY, LIMIT, OFFSET ------------------------------------------------------------------------------


def test_order_by_nulls_default_first_ascending_last_descending(soql) -> None:  # type: ignore[no-untyped-def]
    assert names(soql("SELECT Name FROM Account ORDER BY AnnualRevenue, Name")) == \
        ["Acme Child", "Gamma", "beta corp", "Acme"]  # fmt: skip
    assert names(soql("SELECT Name FROM Account ORDER BY AnnualRevenue DESC, Name")) == \
        ["Acme", "beta corp", "Acme Child", "Gamma"]  # fmt: skip
    assert names(soql("SELECT Name FROM Account ORDER BY AnnualRevenue ASC NULLS LAST, Name")) == \
        ["beta corp", "Acme", "Acme Child", "Gamma"]  # fmt: skip
    assert names(soql("SELECT Name FROM Account ORDER BY AnnualRevenue DESC NULLS FIRST, Name DESC")) == \
        ["Gamma", "Acme Child", "Acme", "beta corp"]  # fmt: skip


def test_text_sorts_case_insensitively(soql) -> None:  # type: ignore[no-untyped-def]
    assert names(soql("SELECT Name FROM Account ORDER BY Name")) == ["Acme", "Acme Child", "beta corp", "Gamma"]


def test_order_by_parent_field_limit_offset(soql) -> None:  # type: ignore[no-untyped-def]
    result = soql("SELECT LastName FROM Contact ORDER BY Account.Name NULLS LAST, LastName LIMIT 2 OFFSET 1")
    assert names(result, "LastName") == ["Smith", "Brown"]


# --- aggregates -------------------------------------------------------------------------------------------


def test_count_alone_returns_total_size_only(soql) -> None:  # type: ignore[no-untyped-def]
    result = soql("SELECT COUNT() FROM Contact WHERE Account.Name = 'Acme'")
    assert (result.total_size, result.records) == (2, [])
    assert soql("SELECT count() FROM Account LIMIT 2").total_size == 2


def test_aggregate_results_use_expr_aliases(soql) -> None:  # type: ignore[no-untyped-def]
    (record,) = soql("SELECT COUNT(Id), SUM(AnnualRevenue) total, MAX(NumberOfEmployees), AVG(NumberOfEmployees), "
                     "COUNT_DISTINCT(Industry), MIN(CreatedDate) FROM Account").records  # fmt: skip
    assert record.sobject_type == "AggregateResult"
    assert list(record) == ["expr0", "total", "expr1", "expr2", "expr3", "expr4"]
    assert record["expr0"] == 4
    assert record["total"] == Decimal("1250")
    assert record["expr1"] == 50
    assert record["expr2"] == Decimal("27.5")
    assert record["expr3"] == 2
    assert isinstance(record["expr4"], dt.datetime)


def test_group_by_and_having(soql) -> None:  # type: ignore[no-untyped-def]
    result = soql("SELECT Industry, COUNT(Id) n FROM Account GROUP BY Industry HAVING COUNT(Id) > 1")
    assert [dict(r) for r in result.records] == [{"Industry": "Banking", "n": 2}]
    by_parent = soql("SELECT Account.Name, COUNT(Id) FROM Contact WHERE AccountId != null "
                     "GROUP BY Account.Name ORDER BY COUNT(Id) DESC")  # fmt: skip
    assert [dict(r) for r in by_parent.records] == [{"Name": "Acme", "expr0": 2}, {"Name": "beta corp", "expr0": 1}]


def test_group_by_date_function(soql) -> None:  # type: ignore[no-untyped-def]
    result = soql("SELECT CALENDAR_YEAR(Due__c), SUM(Budget__c) FROM Project__c GROUP BY CALENDAR_YEAR(Due__c) "
                  "ORDER BY CALENDAR_YEAR(Due__c)")  # fmt: skip
    assert [dict(r) for r in result.records] == [
        {"expr0": 2023, "expr1": None},
        {"expr0": 2024, "expr1": Decimal("110.49")},
    ]


# --- FIELDS(), deleted rows, FOR UPDATE, limits ---------------------------------------------------------


def test_fields_macros(soql, registry) -> None:  # type: ignore[no-untyped-def]
    project = registry.get("Project__c")
    (record,) = soql("SELECT FIELDS(ALL) FROM Project__c WHERE Name = 'P1' LIMIT 1").records
    assert list(record) == list(project.fields)
    (custom,) = soql("SELECT FIELDS(CUSTOM) FROM Project__c WHERE Name = 'P1' LIMIT 200").records
    assert list(custom) == [f.name for f in project.fields.values() if f.custom]
    standard = soql("SELECT FIELDS(STANDARD) FROM Project__c").records[0]
    assert "Name" in standard and "Budget__c" not in standard


def test_deleted_rows_only_with_all_rows_or_query_all(soql) -> None:  # type: ignore[no-untyped-def]
    query = "SELECT Name FROM Account WHERE Name = 'Deleted Co'"
    assert soql(query).records == []
    assert names(soql(query, include_deleted=True)) == ["Deleted Co"]
    assert names(soql(query + " ALL ROWS")) == ["Deleted Co"]
    assert soql("SELECT Name, IsDeleted FROM Account WHERE IsDeleted = true", include_deleted=True).total_size == 1


def test_for_update_runs(soql) -> None:  # type: ignore[no-untyped-def]
    assert names(soql("SELECT Name, Owner.Name FROM Account WHERE Name = 'Acme' FOR UPDATE")) == ["Acme"]


def test_each_query_counts_against_the_transaction_limits(soql, tx) -> None:  # type: ignore[no-untyped-def]
    before = (tx.limits.soql_queries, tx.limits.soql_rows)
    soql("SELECT Name, (SELECT LastName FROM Contacts) FROM Account")
    assert (tx.limits.soql_queries - before[0], tx.limits.soql_rows - before[1]) == (1, 4 + 3)
    soql("SELECT COUNT() FROM Account")
    assert tx.limits.soql_rows - before[1] == 8  # COUNT() is one row
    soql("SELECT SUM(AnnualRevenue) FROM Account")
    assert tx.limits.soql_rows - before[1] == 12  # other aggregates count the rows they read


def test_too_many_queries(store, seeded) -> None:  # type: ignore[no-untyped-def]
    from flowforce.soql import run_soql

    with store.transaction(limits=GovernorLimits(max_soql_queries=2)) as tx:
        run_soql("SELECT Id FROM Account", tx)
        run_soql("SELECT Id FROM Account", tx)
        with pytest.raises(LimitException, match="Too many SOQL queries: 3"):
            run_soql("SELECT Id FROM Account", tx)


def test_too_many_rows(store, seeded) -> None:  # type: ignore[no-untyped-def]
    from flowforce.soql import run_soql

    with store.transaction(limits=GovernorLimits(max_soql_rows=5)) as tx:  # fails at the first row over
        run_soql("SELECT Id FROM Account", tx)
        with pytest.raises(LimitException, match="Too many query rows: 6"):
            run_soql("SELECT Id FROM Contact", tx)


def test_polymorphic_parent_filters(soql) -> None:  # type: ignore[no-untyped-def]
    assert names(soql("SELECT Name FROM Account WHERE Owner.Name = 'jane admin'")) == ["Acme"]
    assert names(soql("SELECT Name FROM Account WHERE Owner.Name IN ('x', 'Jane Admin')")) == ["Acme"]
    assert names(soql("SELECT Name FROM Account WHERE Owner.Name != 'Jane Admin' ORDER BY Name")) == \
        ["Acme Child", "beta corp", "Gamma"]  # fmt: skip
    assert names(soql("SELECT Name FROM Account WHERE NOT Owner.Name LIKE 'jane%' ORDER BY Name")) == \
        ["Acme Child", "beta corp", "Gamma"]  # fmt: skip
