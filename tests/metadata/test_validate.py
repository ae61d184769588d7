"""Each hand-made broken flow gives exact messages naming the element and what is wrong."""

from __future__ import annotations

from .metadata_helpers import messages, validate_fixture


def test_a_complete_flow_has_no_problems() -> None:
    assert validate_fixture("Every_Element", known_flows={"Every_Element"}) == []


def test_dangling_connectors_name_the_element_the_role_and_the_target() -> None:
    assert messages(validate_fixture("Dangling_Connector"), "error") == [
        "Element Set_Name: the connector points to Missing_Element, which does not exist",
        "Element Get_Account: the fault connector points to Handle_Fault, which does not exist",
    ]


def test_unknown_references_are_errors_with_the_reason() -> None:
    assert messages(validate_fixture("Unknown_Reference"), "error") == [
        "Element Body: the merge field {!Missing_Contact.FirstName} in the text template: "
        "Missing_Contact does not exist in this flow",
        "Element Set_Values: the target of item 1: noSuchVariable does not exist in this flow",
        "Element Set_Values: the value of item 1: $Flow.NotAThing is not a $Flow variable",
        "Element Set_Values: the merge field {!Nobody} in the value of item 2: Nobody does not exist in this flow",
        "Element Set_Values: the value of item 3: $Record is only available when the flow is started by a "
        "record (record-triggered, scheduled on an object, or platform event)",
    ]


def test_bad_condition_logic_and_unknown_operators_are_errors() -> None:
    assert messages(validate_fixture("Bad_Condition_Logic"), "error") == [
        "Element Check: the condition logic of outcome Unbalanced: a missing ')' in condition logic '1 AND (2'",
        "Element Check: the condition logic of outcome Out_Of_Range: condition logic '1 OR 3' refers to "
        "condition 3, but there is only 1",
        "Element Check: condition 1 of outcome Out_Of_Range uses the unknown operator 'Equals'",
    ]


def test_an_unbalanced_formula_does_not_compile() -> None:
    assert messages(validate_fixture("Unbalanced_Formula"), "error") == [
        "Element Discount: the formula does not compile: Syntax error at line 1, column 39: unexpected end of formula",
    ]


def test_a_flow_without_a_start_connector_has_no_start_element() -> None:
    assert messages(validate_fixture("No_Start")) == ["the flow has no start element"]


def test_operators_must_fit_the_target_type() -> None:
    assert messages(validate_fixture("Bad_Operators")) == [
        "unknown runInMode 'SystemModeWitSharing' (expected one of DefaultMode, SystemModeWithSharing, "
        "SystemModeWithoutSharing); running in DefaultMode",
        "Element Misuse: item 1 (AddItem on count): AddItem does not apply to a Number",
        "Element Misuse: item 2 (AssignCount on label): AssignCount does not apply to a String",
        "Element Misuse: item 3 (RemoveAll on label): RemoveAll needs a collection, but the target is a String",
        "Element Misuse: the target of item 4: Rate is a constant and cannot be assigned",
        "Element Misuse: item 5 uses the unknown assignment operator 'Append'",
        "Element Loop_Label: the collection label is a String, not a collection",
    ]


def test_the_run_mode_typo_is_only_a_warning() -> None:
    problems = validate_fixture("Bad_Operators")
    assert [p.severity for p in problems if "runInMode" in p.message] == ["warning"]


class Registry:
    def __init__(self, *known: str) -> None:
        self.known = set(known)

    def has(self, action_type: str, action_name: str) -> bool:
        return f"{action_type}:{action_name}" in self.known


def test_screen_flows_and_unregistered_actions_are_warnings() -> None:
    problems = validate_fixture("Screen_And_Apex", actions=Registry())
    assert messages(problems, "error") == []
    assert messages(problems, "warning") == [
        "Element Score: Apex action CreditScorer is not available: write a Python invocable action named "
        "CreditScorer (@invocable_action in flowforce_actions/*.py) or stub it under [actions.apex.CreditScorer] "
        "in flowforce.toml",
        "not runnable headless: processType Flow; screen elements Show",
    ]


def test_a_registered_action_is_not_reported() -> None:
    problems = validate_fixture("Screen_And_Apex", actions=Registry("apex:CreditScorer"))
    assert not [p for p in problems if "CreditScorer" in p.message]


def test_screen_fields_are_resources_later_elements_can_read() -> None:
    problems = validate_fixture("Screen_And_Apex")
    assert not [p for p in problems if "Comment" in p.message]


def test_unknown_subflows_are_warnings_only_when_known_flows_are_given() -> None:
    assert validate_fixture("Every_Element") == []
    assert messages(validate_fixture("Every_Element", known_flows={"Other"})) == [
        "Element Child: the subflow Every_Element is not among the loaded flows",
    ]


class FakeObject:
    def __init__(self, fields: set[str], parents: dict[str, str] | None = None) -> None:
        self.fields = {name.lower() for name in fields}
        self.parents = {name.lower(): target for name, target in (parents or {}).items()}

    def has_field(self, name: str) -> bool:
        return name.lower() in self.fields

    def parent_relationship(self, name: str) -> str | None:
        return self.parents.get(name.lower())


class FakeSchema:
    def __init__(self, **objects: FakeObject) -> None:
        self.objects = {name.lower(): described for name, described in objects.items()}

    def has(self, name: str) -> bool:
        return name.lower() in self.objects

    def get(self, name: str) -> FakeObject:
        return self.objects[name.lower()]


def test_fields_and_objects_are_checked_against_a_schema_as_warnings() -> None:
    schema = FakeSchema(
        Account=FakeObject({"Id", "Name"}),
        Contact=FakeObject({"Id", "AccountId"}),
        User=FakeObject({"Id", "Email", "FirstName"}),
    )
    problems = validate_fixture("Every_Element", schema=schema, known_flows={"Every_Element"})
    assert messages(problems, "error") == []
    assert messages(problems, "warning") == [
        "Element Get_Accounts: the filter field AnnualRevenue does not exist on Account",
        "Element Filter_Big: the left side of condition 1 of the filter: "
        "currentItem_Filter_Big.AnnualRevenue: AnnualRevenue does not exist on Account",
        "Element Is_Big: the left side of condition 1 of outcome Big: "
        "Loop_Accounts.AnnualRevenue: AnnualRevenue does not exist on Account",
        "Element Add_Up: the value of item 1: Loop_Accounts.AnnualRevenue: AnnualRevenue does not exist on Account",
        "the object Task is not known (fields on it are not checked)",
    ]
